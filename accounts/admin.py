from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import SmsMessage, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "display_name", "role", "cert_number", "district", "department", "property_company",
                    "is_active"]
    search_fields = ["username", "display_name", "cert_number"]
    list_filter = ["role", "is_active", "district", "department"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("安居 Anju", {"fields": ("role", "display_name", "phone", "cert_number", "district", "streets",
                                      "department", "property_company")}),
    )
    filter_horizontal = ["streets", "groups", "user_permissions"]


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    """短信发送记录: read only, it is the log of what was sent."""

    list_display = ["created_at", "user", "phone", "status", "backend", "text"]
    list_filter = ["status", "backend"]
    search_fields = ["phone", "text"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
