"""Administration of the bulletins: read-only (a bulletin is made through the page or the `bulletin` command);
the administrator sees each one's status, time taken and, for a failed one, the error."""
from django.contrib import admin

from bulletins.models import Bulletin


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["title", "period", "kind", "district", "street", "status", "progress", "seconds", "created_by",
                    "created_at"]
    list_filter = ["status", "kind", "district", "street"]
    search_fields = ["title", "period"]
    list_select_related = ["district", "street", "created_by"]
    readonly_fields = [f.name for f in Bulletin._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
