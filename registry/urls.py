from django.urls import path

from registry import views

app_name = "registry"
urlpatterns = [
    path("communities/", views.community_list, name="community-list"),
    path("communities/<int:pk>/", views.community_detail, name="community-detail"),
    path("companies/", views.company_list, name="company-list"),
    path("companies/mine/", views.company_mine, name="company-mine"),
    path("companies/<int:pk>/", views.company_detail, name="company-detail"),
    path("streets/", views.street_list, name="street-list"),
    path("departments/", views.department_list, name="department-list"),
    path("violation-types/", views.violation_type_list, name="violationtype-list"),
]
