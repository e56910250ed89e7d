"""Administration of the case catalogues (document numbering) and read-mostly views of cases.

States change only through cases.services.case_transition, so the workflow fields are read-only here."""
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases import models


@admin.register(models.DocumentTemplate)
class DocumentTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "number_pattern", "issuer"]


class TransitionInline(admin.TabularInline):
    model = models.CaseTransition
    extra = 0
    can_delete = False
    fields = ["at", "action", "from_state", "to_state", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class PartyInline(admin.TabularInline):
    model = models.Party
    extra = 0
    fields = ["role", "kind", "name", "id_number", "phone", "address"]


@admin.register(models.EnforcementCase)
class EnforcementCaseAdmin(SimpleHistoryAdmin):
    list_display = ["number", "violation_type", "street", "community", "officer", "state", "state_due", "created_at"]
    list_filter = ["state", "violation_type", "street"]
    search_fields = ["number", "summary", "location", "community__name"]
    list_select_related = ["violation_type", "street", "community", "officer"]
    raw_id_fields = ["community", "reopened_from"]
    readonly_fields = ["number", "state", "state_entered_at", "state_due", "version", "measures", "decision",
                       "rectify_due", "referred_to", "closed_at", "closing_reason"]
    inlines = [PartyInline, TransitionInline]


@admin.register(models.Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "case", "kind", "size", "stage", "uploaded_by", "uploaded_at"]
    list_filter = ["kind", "stage"]
    search_fields = ["original_name", "sha256", "case__number"]
    readonly_fields = ["case", "transition", "kind", "content_type", "download", "original_name", "size", "sha256",
                       "stage", "uploaded_by", "uploaded_at"]
    exclude = ["file"]  # its /media/ link is not served: the file goes out through the case pages' download view

    def has_add_permission(self, request):
        return False  # evidence is uploaded on the case page, where its type is checked and its hash recorded

    @admin.display(description=_("文件"))
    def download(self, obj):
        return format_html('<a href="{}?download=1">{}</a>', reverse("cases:evidence-file", args=[obj.pk]),
                           obj.original_name)


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "case", "issued_by", "issued_at"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "case__number"]
    readonly_fields = ["case", "kind", "number", "year", "seq", "download", "sha256", "issued_by", "issued_at"]
    exclude = ["file"]  # its /media/ link is not served: the document goes out through its download view

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("文件"))
    def download(self, obj):
        return format_html('<a href="{}">{}.docx</a>', reverse("cases:document-file", args=[obj.pk]), obj.number)


@admin.register(models.Fine)
class FineAdmin(SimpleHistoryAdmin):
    list_display = ["case", "amount", "decided_at", "status", "paid_at", "is_final"]
    list_filter = ["status", "is_final"]
    search_fields = ["case__number"]
    raw_id_fields = ["case", "party", "document"]


@admin.register(models.SupervisionOrder)
class SupervisionOrderAdmin(SimpleHistoryAdmin):
    list_display = ["case", "issued_by", "issued_at", "response_due", "status"]
    list_filter = ["status"]
    raw_id_fields = ["case"]


@admin.register(models.Referral)
class ReferralAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "department", "street", "status", "due", "created_at"]
    list_filter = ["status", "department"]
    raw_id_fields = ["case", "complaint", "letter"]


@admin.register(models.ReCheckRule)
class ReCheckRuleAdmin(SimpleHistoryAdmin):
    """回头看 intervals and the 回潮 reopening window per violation type: the administrator edits them."""

    list_display = ["violation_type", "intervals", "reopen_window_days"]
    list_select_related = ["violation_type"]


@admin.register(models.ReCheck)
class ReCheckAdmin(admin.ModelAdmin):
    """Re-checks are scheduled by closing a case and recorded on their page (cases.services.recheck_record)."""

    list_display = ["case", "round", "due", "status", "result", "done_at", "done_by"]
    list_filter = ["status", "result"]
    search_fields = ["case__number"]
    readonly_fields = ["case", "closed_at", "round", "due", "status", "result", "note", "done_at", "done_by",
                       "follow_up"]

    def has_add_permission(self, request):
        return False
