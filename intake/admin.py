"""Administration of the 12345 replies (read-mostly: services.hotline writes them)."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from intake import models


@admin.register(models.HotlineReply)
class HotlineReplyAdmin(SimpleHistoryAdmin):
    list_display = ["complaint", "result", "satisfaction", "replied_by", "replied_at"]
    list_filter = ["result", "satisfaction"]
    raw_id_fields = ["complaint"]
