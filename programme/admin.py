"""Administration of the inventory: read-only, with history. Items change only through programme.services (the
pages, the API and import_inventory), so every change is checked against the status table and the scope."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programme.models import Campaign, CampaignPhase, IllegalStructure, LedgerSequence, Problem, Task


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


class PhaseInline(admin.TabularInline):
    model = CampaignPhase
    extra = 0
    fields = ["order", "name", "starts_on", "ends_on", "status", "tasks_text"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    """Campaigns and their phases are set up here (a work plan arrives as a document); their lists are kept on
    the campaign pages through programme.services. The standing duties of the responsibility list follow."""

    list_display = ["name", "kind", "level", "document_no", "district", "starts_on", "ends_on"]
    list_filter = ["kind", "level", "district"]
    search_fields = ["name", "document_no"]
    filter_horizontal = ["streets", "violation_types"]
    inlines = [PhaseInline]
    exclude = ["compiled_at"]

    def save_related(self, request, form, formsets, change):
        from programme import services

        super().save_related(request, form, formsets, change)
        services.responsibilities_standing(campaign=form.instance)


@admin.register(Task)
class TaskAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["title", "campaign", "owner_department", "owner_street", "due_on", "progress", "status"]
    list_filter = ["status", "campaign"]
    search_fields = ["title"]


@admin.register(Problem)
class ProblemAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["title", "campaign", "source", "street", "weight", "status"]
    list_filter = ["source", "status", "campaign"]
    search_fields = ["title"]
