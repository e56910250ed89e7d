"""Administration of the credit scheme: the administrator edits the numbers (CreditPolicy) and the points table
(CreditRule), both kept in history and shown 待核实 until verified. Duty checks, records, disputes and listings
change only through credit.services (so every change is checked, notified and logged): read-only here."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from credit import models


@admin.register(models.CreditPolicy)
class CreditPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "window_months", "threshold", "expiry_months", "duty_answer_days", "dispute_days",
                    "dispute_decide_days", "prior_report_days", "default_rule", "verified"]

    def has_add_permission(self, request):
        return not models.CreditPolicy.objects.exists()  # one row

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.CreditRule)
class CreditRuleAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "company_points", "manager_points", "verified", "active"]
    list_editable = ["company_points", "manager_points", "verified", "active"]
    list_filter = ["verified", "active"]
    search_fields = ["code", "name", "basis"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []  # codes are referenced by cases and records

    def has_delete_permission(self, request, obj=None):
        return False  # a rule in use is kept; set it inactive instead


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    pass


class AttachmentInline(admin.TabularInline):
    model = models.DutyCheckAttachment
    extra = 0
    can_delete = False
    fields = ["original_name", "content_type", "size", "sha256", "description", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.DutyCheck)
class DutyCheckAdmin(ReadOnlyAdmin):
    list_display = ["case", "company", "community", "outcome", "answer_due", "answered_at", "decided_at"]
    list_filter = ["outcome", "street"]
    search_fields = ["case__number", "company__name", "community__name"]
    list_select_related = ["case", "company", "community"]
    inlines = [AttachmentInline]


@admin.register(models.CreditRecord)
class CreditRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Records are immutable (a correction is another record), so they keep no change history."""

    list_display = ["company", "subject", "project_manager", "rule", "points", "case", "occurred_on", "expires_on",
                    "reverses"]
    list_filter = ["subject", "rule"]
    search_fields = ["company__name", "project_manager__name", "case__number"]
    list_select_related = ["company", "project_manager", "rule", "case", "reverses"]
    date_hierarchy = "occurred_on"


@admin.register(models.CreditDispute)
class CreditDisputeAdmin(ReadOnlyAdmin):
    list_display = ["record", "status", "lodged_by", "created_at", "decide_due", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["record__company__name", "reason", "decision"]


@admin.register(models.PunishmentListing)
class PunishmentListingAdmin(ReadOnlyAdmin):
    list_display = ["company", "listed_on", "points", "removed_on"]
    list_filter = ["removed_on"]
    search_fields = ["company__name", "reason", "removal_reason"]
