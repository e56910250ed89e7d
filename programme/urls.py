from django.urls import path

from programme import views

app_name = "programme"
urlpatterns = [
    path("inventory/", views.structure_list, name="inventory"),
    path("inventory/new/", views.structure_create, name="structure-create"),
    path("inventory/import/", views.structure_import, name="structure-import"),
    path("inventory/progress/", views.progress, name="progress"),
    path("inventory/<int:pk>/", views.structure_detail, name="structure-detail"),
    path("inventory/<int:pk>/edit/", views.structure_edit, name="structure-edit"),
    path("inventory/<int:pk>/status/", views.structure_status, name="structure-status"),
    path("inventory/<int:pk>/link-case/", views.structure_link_case, name="structure-link-case"),
    path("inventory/<int:pk>/open-case/", views.structure_open_case, name="structure-open-case"),
]
