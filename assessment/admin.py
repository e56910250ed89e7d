from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessment.models import Indicator, Scheme


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("position", "metric", "applies_to", "direction", "weight", "floor", "target")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Scheme)
class SchemeAdmin(SimpleHistoryAdmin):
    """Read here; indicators and weights are edited on the assessment's own page (it checks the 100 points)."""

    list_display = ("year", "name", "updated_at", "updated_by")
    inlines = [IndicatorInline]
    readonly_fields = ("updated_at", "updated_by")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
