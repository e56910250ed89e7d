"""Complaints (诉件/线索) from every channel, with the evidence behind each automatic decision."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import scope
from accounts.models import RecordedMove
from core.models import TimeStampedModel
from core.querysets import RestrictedManager
from core.uploads import StoredPath
from intake.choices import (
    REVIEW_REASON_LABELS,
    Channel,
    ComplaintStatus,
    CorrectionField,
    DecisionSource,
    HotlineResult,
    Satisfaction,
)


class ImportBatch(TimeStampedModel):
    """One imported file: what came in, what was rejected and why."""

    channel = models.CharField(_("渠道"), max_length=20, choices=Channel.choices, default=Channel.HOTLINE)
    file_name = models.CharField(_("文件名"), max_length=255)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    verbose_name=_("导入人"))
    # The district the file was imported into (services.import_district): its orders were matched in its
    # communities only, and an order matched to none is that district's to place (accounts.scope). NULL: an
    # installation of one district, or a file from before districts.
    district = models.ForeignKey("registry.District", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="import_batches", verbose_name=_("所属区"))
    rows = models.PositiveIntegerField(_("行数"), default=0)
    created = models.PositiveIntegerField(_("新增"), default=0)
    skipped = models.PositiveIntegerField(_("已存在"), default=0)
    rejected = models.PositiveIntegerField(_("错误"), default=0)
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    summary = models.JSONField(_("汇总"), default=dict, blank=True)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.import_batch_q(user, action)


# Fields of Complaint whose index the history copies and nobody reads there (every history row is written with its
# index entries: the 12345 import writes one per complaint): the history is read per complaint only.
HISTORY_UNREAD = ["received_at", "confidence", "needs_consultation", "status", "reporter", "reporting_company",
                  "community", "street", "predicted_type", "predicted_department", "violation_type", "department",
                  "duplicate_of", "case", "batch"]


class Complaint(TimeStampedModel):
    """诉件/线索: one report of a matter, from any channel."""

    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    external_no = models.CharField(_("外部编号"), max_length=64, blank=True, help_text=_("如12345工单编号"))
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    due_date = models.DateField(_("办理时限"), null=True, blank=True)
    caller_name = models.CharField(_("诉求人"), max_length=50, blank=True)
    caller_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    address_text = models.CharField(_("诉求地址"), max_length=300, blank=True)
    content = models.TextField(_("诉求内容"))
    category_hint = models.CharField(_("来源分类"), max_length=100, blank=True)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="reported_complaints", verbose_name=_("登记人"))
    reporting_company = models.ForeignKey(
        "registry.PropertyCompany", null=True, blank=True, on_delete=models.PROTECT,
        related_name="reports", verbose_name=_("报告物业企业"),
    )
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    # Where: matched from the free-text address
    community = models.ForeignKey("registry.Community", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="complaints", verbose_name=_("小区"))
    street = models.ForeignKey("registry.Street", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="complaints", verbose_name=_("街镇"))
    match_score = models.FloatField(_("地址匹配度"), null=True, blank=True)
    match_evidence = models.JSONField(_("地址匹配依据"), default=dict, blank=True)
    community_source = models.CharField(_("小区判定来源"), max_length=8, choices=DecisionSource.choices,
                                        default=DecisionSource.MODEL)

    # What: the classifier's prediction, and the type staff confirmed
    predicted_type = models.ForeignKey("registry.ViolationType", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("预测类型"))
    predicted_department = models.ForeignKey("registry.Department", null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+", verbose_name=_("预测部门"))
    confidence = models.FloatField(_("置信度"), null=True, blank=True, db_index=True)
    classification_evidence = models.JSONField(_("分类依据"), default=dict, blank=True)
    violation_type = models.ForeignKey("registry.ViolationType", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="complaints", verbose_name=_("违法类型"))
    type_source = models.CharField(_("类型判定来源"), max_length=8, choices=DecisionSource.choices,
                                   default=DecisionSource.MODEL)

    # Who: routing
    department = models.ForeignKey("registry.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="complaints", verbose_name=_("承办部门"))
    routing_note = models.CharField(_("分派说明"), max_length=200, blank=True)

    # Again: duplicates and repeats
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="duplicates", verbose_name=_("重复于"))
    duplicate_score = models.FloatField(_("重复相似度"), null=True, blank=True)
    repeat_count = models.PositiveIntegerField(_("90日重复投诉数"), default=1)
    needs_consultation = models.BooleanField(_("需会诊"), default=False, db_index=True)

    status = models.CharField(_("状态"), max_length=12, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.NEW, db_index=True)
    case = models.ForeignKey("cases.EnforcementCase", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="complaints", verbose_name=_("所属案件"))
    raw_row = models.JSONField(_("原始记录"), default=dict, blank=True)
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="complaints", verbose_name=_("导入批次"))
    # The history is read per complaint (its id, by history_date) and keeps only those indexes and the user's.
    history = HistoricalRecords(excluded_fields=["raw_row", "classification_evidence", "match_evidence"],
                                no_db_index=HISTORY_UNREAD)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("诉件")
        verbose_name_plural = _("诉件")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_no"], condition=~Q(external_no=""),
                                    name="complaint_external_no_unique_per_channel"),
            models.CheckConstraint(condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=1),
                                   name="complaint_confidence_range"),
        ]
        indexes = [
            # the slots of de-duplication (intake.dedup): a slot's times of the last 90 days, with the department
            # that tells referred matters apart, read from the index alone (PostgreSQL; SQLite ignores INCLUDE)
            models.Index(fields=["community", "violation_type", "received_at"], include=["department"],
                         name="complaint_slot_times"),
            models.Index(fields=["status", "confidence"]),
        ]
        # Also, by migration (intake 0008 and 0012, per database: SQLite has no NULLS FIRST in an index but puts
        # nulls first anyway): the queue's default order, district-wide and per street; a street's types and open
        # due dates; the search's pair column (0007).

    def __str__(self):
        return self.external_no or f"#{self.pk}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.complaint_q(user, action)

    @property
    def review_reason(self) -> str:
        """Why the classifier wants a person to look (a label), or "" (classification_evidence["review"])."""
        review = (self.classification_evidence or {}).get("review")
        if not isinstance(review, dict) or not review.get("needs"):
            return ""
        return str(REVIEW_REASON_LABELS.get(review.get("reason"), review.get("reason") or ""))

    @property
    def secondary_matters(self) -> list[str]:
        """Other matters the classifier found in the text (type codes), kept beside the main type."""
        review = (self.classification_evidence or {}).get("review")
        return list(review.get("secondary") or []) if isinstance(review, dict) else []

    @property
    def is_enforcement(self) -> bool:
        return bool(self.violation_type_id) and self.violation_type.code != "NON_ENFORCEMENT"


class ComplaintTransition(RecordedMove):
    """One move of a complaint (intake.workflow): who, when, from, to, why. Written only by
    intake.services.complaint_transition (and, for a 12345 file, by the import in bulk)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="transitions",
                                  verbose_name=_("诉件"))
    from_status = models.CharField(_("原状态"), max_length=12, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=12, choices=ComplaintStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("操作人"))  # none: the platform (an import)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("诉件流转记录")
        verbose_name_plural = _("诉件流转记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.complaint_id} {self.from_status or '—'}→{self.to_status}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.complaint_q(user, action, prefix="complaint__")


class ComplaintPhoto(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=StoredPath("complaints"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("诉件照片")
        verbose_name_plural = _("诉件照片")

    def __str__(self):
        return self.file.name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.complaint_q(user, action, prefix="complaint__")


class Correction(models.Model):
    """A staff correction of an automatic decision; corrections of type feed train_classifier."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(_("更正项"), max_length=12, choices=CorrectionField.choices)
    old_value = models.CharField(_("原值"), max_length=100, blank=True)
    new_value = models.CharField(_("新值"), max_length=100)
    reason = models.CharField(_("理由"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("更正人"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("人工更正")
        verbose_name_plural = _("人工更正")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_field_display()}: {self.old_value} → {self.new_value}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.complaint_q(user, action, prefix="complaint__")


class HotlineReply(models.Model):
    """The answer to a 12345 work order: reply, result and the caller's satisfaction."""

    complaint = models.OneToOneField("intake.Complaint", on_delete=models.CASCADE, related_name="reply")
    reply = models.TextField(_("答复市民要点"))
    result = models.CharField(_("办理结果"), max_length=10, choices=HotlineResult.choices)
    return_reason = models.CharField(_("退单理由"), max_length=300, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("答复人"))
    replied_at = models.DateTimeField(_("答复时间"))
    # Moved from cases with its table and history (intake/migrations/0004): the tables keep their names.
    history = HistoricalRecords(table_name="cases_historicalhotlinereply")
    objects = RestrictedManager()

    class Meta:
        db_table = "cases_hotlinereply"
        verbose_name = _("工单答复")
        verbose_name_plural = _("工单答复")

    def __str__(self):
        return f"答复 {self.complaint}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.complaint_q(user, action, prefix="complaint__")
