"""Administration of the inventory: read-only, with history. Items change only through programme.services (the
pages, the API and import_inventory), so every change is checked against the status table and the scope."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programme.models import IllegalStructure, LedgerSequence


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IllegalStructure)
class IllegalStructureAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["number", "community", "street", "location", "kind", "area_m2", "status", "found_on",
                    "target_date", "cleared_on", "case"]
    list_filter = ["status", "kind", "street", "material"]
    search_fields = ["number", "location", "community__name", "case__number"]
    list_select_related = ["community", "street", "case"]
    date_hierarchy = "found_on"


@admin.register(LedgerSequence)
class LedgerSequenceAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["prefix", "last"]
    search_fields = ["prefix"]
