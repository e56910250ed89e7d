"""Administration of the holiday calendar (法定节假日 and 调休) that core.calendar counts working days with."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core import calendar, models


@admin.register(models.Holiday)
class HolidayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "name", "is_workday"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        calendar.invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar.invalidate()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        calendar.invalidate()
