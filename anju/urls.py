from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from anju import views as anju_views
from core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("", anju_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("inbox/", include("accounts.urls")),
    path("registry/", include("registry.urls")),
    path("intake/", include("intake.urls")),
    path("cases/", include("cases.urls")),
    path("credit/", include("credit.urls")),
    path("programme/", include("programme.urls")),
    path("analytics/", include("analytics.urls")),
    path("assessment/", include("assessment.urls")),
    path("bulletins/", include("bulletins.urls")),
    path("exports/", include("core.urls")),
    path("api/v1/", include("anju.api_urls")),
    path("admin/", admin.site.urls),
]
# No static(MEDIA_URL): stored files (documents, evidence, photos, attachments) go out only through the scoped
# download views (core.downloads), never by their path, whatever DEBUG says.
