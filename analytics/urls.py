from django.urls import path

from analytics import city, views

app_name = "analytics"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("streets/<int:pk>/", views.street, name="street"),
    path("communities/<int:pk>/", views.community, name="community"),
    path("wall/", views.wall, name="wall"),
    path("wall/data/", views.wall_data, name="wall-data"),
    path("city/", city.city, name="city"),
]
