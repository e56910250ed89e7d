from django.urls import path

from intake import views

app_name = "intake"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/correct-type/", views.correct_type, name="correct-type"),
    path("<int:pk>/correct-community/", views.correct_community, name="correct-community"),
    path("<int:pk>/mark-duplicate/", views.mark_duplicate, name="mark-duplicate"),
    path("<int:pk>/unmark-duplicate/", views.unmark_duplicate, name="unmark-duplicate"),
    path("<int:pk>/dispatch/<slug:move>/", views.dispatch_move, name="dispatch"),
    path("new/", views.new_manual, name="new"),
    path("patrol/", views.new_patrol, name="patrol"),
    path("property-report/", views.property_report, name="property-report"),
    path("import/", views.import_hotline, name="import"),
    path("photos/<int:pk>/", views.photo_file, name="photo-file"),
]
