from django.urls import path

from programme import campaign_views, views

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
    path("campaigns/", campaign_views.campaign_list, name="campaign-list"),
    path("campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign-detail"),
    path("campaigns/<int:pk>/compile/", campaign_views.campaign_compile, name="campaign-compile"),
    path("campaigns/<int:pk>/problems/new/", campaign_views.problem_create, name="problem-create"),
    path("campaigns/<int:pk>/tasks/new/", campaign_views.task_create, name="task-create"),
    path("campaigns/<int:pk>/tasks.xlsx", campaign_views.task_export, name="task-export"),
    path("campaigns/phases/<int:pk>/status/", campaign_views.phase_status, name="phase-status"),
    path("tasks/mine/", campaign_views.my_tasks, name="my-tasks"),
    path("tasks/<int:pk>/", campaign_views.task_detail, name="task-detail"),
]
