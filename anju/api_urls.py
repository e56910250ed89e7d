"""The API under /api/v1/: every app's viewsets on one router (the project package alone wires the apps)."""
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.renderers import JSONRenderer
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from analytics import api as analytics_api
from cases import api as cases_api
from core.api import api_not_found
from credit import api as credit_api
from intake import api as intake_api
from programme import api as programme_api
from registry import api as registry_api


class SchemaView(SpectacularAPIView):
    """The schema for signed-in users; a visitor's refusal comes as JSON (the schema's own YAML renderer would make
    a browser download the error as a file)."""

    def get_renderers(self):
        if not self.request.user.is_authenticated:
            return [JSONRenderer()]
        return super().get_renderers()


router = DefaultRouter()
registry_api.register(router)
intake_api.register(router)
router.register("cases", cases_api.CaseViewSet)
router.register("rechecks", cases_api.ReCheckViewSet)
credit_api.register(router)
programme_api.register(router)
router.register("inbox", accounts_api.InboxViewSet, basename="inbox")

urlpatterns = [
    # Signed-in users only (SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"]); the docs page sends a visitor to the login.
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("docs/", login_required(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("intake/<str:channel_slug>/", intake_api.ChannelCreateView.as_view(), name="intake-create"),
    path("metrics/complaints-per-10k/", analytics_api.ComplaintsPer10kView.as_view(), name="metrics-per-10k"),
    path("metrics/effectiveness/", analytics_api.EffectivenessView.as_view(), name="metrics-effectiveness"),
    path("metrics/trend/", analytics_api.TrendView.as_view(), name="metrics-trend"),
    path("assessment/", include("assessment.api_urls")),
    path("", include(router.urls)),
    # any other path, a line break in it too (an <int:pk> route it fails): a JSON 404, not the HTML page
    re_path(r"^(?P<path>[\s\S]*)$", api_not_found, name="api-not-found"),
]
