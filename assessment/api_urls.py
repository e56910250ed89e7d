"""/api/v1/assessment/… (included by anju/api_urls.py)."""
from django.urls import path

from assessment import api

urlpatterns = [
    path("ranking/", api.RankingView.as_view(), name="assessment-ranking"),
    path("streets/<int:pk>/", api.StreetView.as_view(), name="assessment-street"),
    path("departments/<int:pk>/", api.DepartmentView.as_view(), name="assessment-department"),
]
