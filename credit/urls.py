from django.urls import path

from credit import views

app_name = "credit"
urlpatterns = [
    path("duty-checks/", views.duty_check_list, name="duty-checks"),
    path("duty-checks/<int:pk>/", views.duty_check_detail, name="duty-check"),
    path("duty-checks/<int:pk>/answer/", views.duty_check_answer, name="duty-check-answer"),
    path("duty-checks/<int:pk>/decide/", views.duty_check_decide, name="duty-check-decide"),
    path("duty-checks/<int:pk>/attach/", views.duty_check_attach, name="duty-check-attach"),
    path("duty-checks/files/<int:pk>/", views.duty_check_file, name="duty-check-file"),
    path("mine/", views.mine, name="mine"),
    path("records/<int:pk>/dispute/", views.dispute_lodge, name="dispute-lodge"),
    path("ranking/", views.ranking, name="ranking"),
    path("companies/<int:pk>/", views.company_credit, name="company"),
    path("listings/", views.listings, name="listings"),
    path("listings/<int:pk>/remove/", views.listing_remove, name="listing-remove"),
    path("disputes/", views.disputes, name="disputes"),
    path("disputes/<int:pk>/decide/", views.dispute_decide, name="dispute-decide"),
    path("notifications/<int:pk>/dismiss/", views.notification_dismiss, name="notification-dismiss"),
]
