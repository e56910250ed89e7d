"""anju.urls plus the bare JSON view the complaint API is compared with (load runs only: bench/load/settings.py)."""
from django.urls import include, path

from bench.load import views

urlpatterns = [
    path("bench/bare/", views.bare, name="bench-bare"),
    path("", include("anju.urls")),
]
