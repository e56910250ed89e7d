from django.urls import path

from assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("streets/<int:pk>/", views.street, name="street"),
    path("departments/<int:pk>/", views.department, name="department"),
    path("configure/", views.configure, name="configure"),
]
