"""The project's URLs with the assessment API in front, for its tests until anju/api_urls.py includes it."""
from django.urls import include, path

from anju.urls import urlpatterns as project

urlpatterns = [path("api/v1/assessment/", include("assessment.api_urls")), *project]
