from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.inbox_list, name="inbox"),
    path("<int:pk>/", views.inbox_open, name="inbox-open"),
    path("read-all/", views.inbox_read_all, name="inbox-read-all"),
    path("sms/", views.sms_settings, name="sms"),
]
