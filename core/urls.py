from django.urls import path

from core import export_views

app_name = "exports"
urlpatterns = [
    path("<int:pk>/", export_views.job_page, name="job"),
    path("<int:pk>/progress/", export_views.job_progress, name="progress"),
    path("<int:pk>/download/", export_views.job_download, name="download"),
]
