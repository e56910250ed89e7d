from django.urls import path

from bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.bulletin_list, name="list"),
    path("make/", views.bulletin_make, name="make"),
    path("<int:pk>/row/", views.bulletin_row, name="row"),
    path("<int:pk>/docx/", views.bulletin_docx, name="docx"),
    path("<int:pk>/xlsx/", views.bulletin_xlsx, name="xlsx"),
]
