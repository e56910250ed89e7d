"""Enforcement cases (执法办案): the legal workflow, parties, evidence, documents, fines,
supervision and referrals."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import scope
from accounts.models import RecordedMove
from cases.choices import (
    CaseState,
    DocumentKind,
    EvidenceKind,
    PartyKind,
    PartyRole,
    PaymentStatus,
    Procedure,
    ReCheckResult,
    ReCheckStatus,
    ReferralStatus,
    ReviewResult,
    ServiceManner,
    SupervisionStatus,
)
from core.models import TimeStampedModel
from core.querysets import RestrictedManager
from core.uploads import StoredPath


class EnforcementCase(TimeStampedModel):
    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    violation_type = models.ForeignKey("registry.ViolationType", on_delete=models.PROTECT, related_name="cases",
                                       verbose_name=_("违法类型"))
    community = models.ForeignKey("registry.Community", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="cases", verbose_name=_("小区"))
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("街镇"))
    location = models.CharField(_("具体位置"), max_length=300, blank=True)
    summary = models.TextField(_("案情摘要"))
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="cases", verbose_name=_("承办队员"))
    # 行政处罚法 §42: at least two officers with enforcement certificates investigate and sign.
    co_officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="co_cases", verbose_name=_("协办队员"))
    state = models.CharField(_("状态"), max_length=16, choices=CaseState.choices, default=CaseState.REGISTERED,
                             db_index=True)
    state_entered_at = models.DateTimeField(_("进入本阶段时间"))
    state_due = models.DateField(_("本阶段期限"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    in_progress = models.BooleanField(_("正在实施（在建）"), default=False,
                                      help_text=_("违法搭建：正在搭建的为新增违建，已建成的为存量违建"))
    measures = models.JSONField(_("处理措施"), default=list, blank=True)
    decision = models.TextField(_("处理决定"), blank=True)
    # What the investigation found (经查): the documents' facts paragraph, never the caller's words.
    findings = models.TextField(_("查明的违法事实"), blank=True)
    # 行政处罚法 §60: a decision within 90 days of 立案, extended only with the leader's approval (recorded).
    decision_due = models.DateField(_("办案期限"), null=True, blank=True)
    rectify_due = models.DateField(_("整改期限"), null=True, blank=True)
    referred_to = models.ForeignKey("registry.Department", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("移交部门"))
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closing_reason = models.CharField(_("结案理由"), max_length=300, blank=True)
    reopened_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="reopenings", verbose_name=_("回潮关联案件"))
    # The history is read per case (its id, by history_date): the copies of the case's other indexes (number,
    # type, place, officers, state, dates) would be written with every history row and read by nobody.
    history = HistoricalRecords(excluded_fields=["version"],
                                no_db_index=["number", "violation_type", "community", "street", "officer",
                                             "co_officer", "state", "state_due", "referred_to", "reopened_from"])
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("执法案件")
        verbose_name_plural = _("执法案件")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "state_due"]), models.Index(fields=["street", "state"]),
                   # the case list's officer choices: "does officer X have a case in these streets" is two seeks
                   models.Index(fields=["officer", "street"], name="case_officer_street_idx")]

    def __str__(self):
        return self.number

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.case_q(user, action)

    @property
    def is_open(self) -> bool:
        return self.state not in {CaseState.CLOSED, CaseState.REFERRED}


class CaseTransition(RecordedMove):
    """One move of a case: who, when, from, to, why — with the files attached to it."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("原状态"), max_length=16, choices=CaseState.choices, blank=True)
    to_state = models.CharField(_("新状态"), max_length=16, choices=CaseState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("案件流转")
        verbose_name_plural = _("案件流转")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case} {self.from_state}→{self.to_state}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.case_q(user, action, prefix="case__")


class Party(models.Model):
    """当事人."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(_("类别"), max_length=16, choices=PartyKind.choices, default=PartyKind.PERSON)
    role = models.CharField(_("身份"), max_length=20, choices=PartyRole.choices)
    name = models.CharField(_("姓名/名称"), max_length=100)
    id_number = models.CharField(_("证件号码/信用代码"), max_length=30, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    property_company = models.ForeignKey("registry.PropertyCompany", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.case_q(user, action, prefix="case__")


class Evidence(models.Model):
    """A file on a case: type sniffed from its content, SHA-256 kept, immutable once the case closes."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="evidence")
    transition = models.ForeignKey(CaseTransition, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="evidence")
    kind = models.CharField(_("类型"), max_length=8, choices=EvidenceKind.choices)
    content_type = models.CharField(_("文件类型"), max_length=100)
    file = models.FileField(_("文件"), upload_to=StoredPath("evidence"))
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    stage = models.CharField(_("阶段"), max_length=16, choices=CaseState.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    # the 回头看 whose photos these are (taken after the case closed)
    recheck = models.ForeignKey("ReCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence",
                                verbose_name=_("回头看"))
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.case_q(user, action, prefix="case__")


class DocumentSequence(models.Model):
    """The last number issued per document kind, year and numbering district; a number is never reused.

    `district`: the district whose own 文号简称 (registry.District.document_prefix) prints the numbers, each
    counting from 1; NULL: the installation's templates (DocumentTemplate: its first district, or a case of no
    district), whose numbers are shared by every district printing them (cases.documents.numbering_district)."""

    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    district = models.ForeignKey("registry.District", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("区"))
    last = models.PositiveIntegerField(default=0)

    class Meta:
        # Two partial constraints: NULL is never equal to NULL in a plain unique constraint (SQLite and
        # PostgreSQL alike), and SQLite has no NULLS NOT DISTINCT.
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "district"], condition=Q(district__isnull=False),
                                    name="document_sequence_unique_district"),
            models.UniqueConstraint(fields=["kind", "year"], condition=Q(district__isnull=True),
                                    name="document_sequence_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.year}{' ' + str(self.district_id) if self.district_id else ''}: {self.last}"


class DocumentTemplate(models.Model):
    """Numbering pattern per document kind, e.g. 普城管责改字〔{year}〕第{seq}号 (admin-editable)."""

    kind = models.CharField(_("文书种类"), max_length=20, choices=DocumentKind.choices, unique=True)
    number_pattern = models.CharField(
        _("文号格式"), max_length=100,
        help_text=_("可用 {year}（年份）与 {seq}（序号），如 普城管责改字〔{year}〕第{seq}号"))
    issuer = models.CharField(_("发文机关"), max_length=100, default="上海市普陀区城市管理行政执法局")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")

    def __str__(self):
        return self.get_kind_display()


class Document(models.Model):
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书种类"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("文号"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("年份"))
    seq = models.PositiveIntegerField(_("序号"))
    file = models.FileField(_("文件"), upload_to=StoredPath("documents"))
    sha256 = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("制作人"))
    issued_at = models.DateTimeField(_("制作时间"), auto_now_add=True)
    # The sequence the number was taken from (DocumentSequence.district): NULL for the installation's templates.
    district = models.ForeignKey("registry.District", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("编号所属区"))
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("执法文书")
        verbose_name_plural = _("执法文书")
        ordering = ["issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "seq", "district"], condition=Q(district__isnull=False),
                                    name="document_number_unique_district"),
            models.UniqueConstraint(fields=["kind", "year", "seq"], condition=Q(district__isnull=True),
                                    name="document_number_unique"),
        ]

    def __str__(self):
        return self.number

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.case_q(user, action, prefix="case__")


class PenaltyProcedure(models.Model):
    """行政处罚程序 of one case: what the moves of the general procedure (or the summary one) recorded — the intended
    penalty, the notice and its service, the statement and defence and its review, the hearing, the legal review,
    the collective discussion, the approval, the decision's service, the 催告 and the court application. Written
    only by the effects of cases.workflow's moves (cases.effects); every earlier round is kept in its history."""

    case = models.OneToOneField(EnforcementCase, on_delete=models.CASCADE, related_name="penalty")
    procedure = models.CharField(_("程序"), max_length=10, choices=Procedure.choices, default=Procedure.GENERAL)
    # [{"party": id, "range": FineRange id, "quantity": "12.5" | None, "amount": "5000.00"}]
    proposed = models.JSONField(_("拟处罚内容"), default=list, blank=True)
    first_proposed = models.JSONField(_("告知时拟处罚内容"), default=list, blank=True,
                                      help_text=_("陈述申辩不得加重处罚：以告知时的金额为上限"))
    hearing_offered = models.BooleanField(_("告知听证权利"), default=False)
    notice = models.ForeignKey("Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("事先告知书"))
    notice_served_on = models.DateField(_("告知书送达日期"), null=True, blank=True)
    notice_service_manner = models.CharField(_("告知书送达方式"), max_length=12, choices=ServiceManner.choices,
                                             blank=True)
    statement = models.TextField(_("陈述申辩意见"), blank=True)
    statement_on = models.DateField(_("陈述申辩日期"), null=True, blank=True)
    waived = models.BooleanField(_("当事人放弃陈述申辩和听证"), default=False)
    review_result = models.CharField(_("复核结果"), max_length=10, choices=ReviewResult.choices, blank=True)
    review_text = models.TextField(_("复核意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("复核人"))
    hearing_requested_on = models.DateField(_("申请听证日期"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("听证时间"), null=True, blank=True)
    hearing_place = models.CharField(_("听证地点"), max_length=200, blank=True)
    hearing_presider = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name=_("听证主持人"))
    hearing_record = models.TextField(_("听证笔录摘要"), blank=True)
    hearing_held_on = models.DateField(_("听证举行日期"), null=True, blank=True)
    legal_opinion = models.TextField(_("法制审核意见"), blank=True)
    legal_reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("法制审核人"))
    legal_reviewed_at = models.DateTimeField(_("法制审核时间"), null=True, blank=True)
    discussion_minutes = models.TextField(_("集体讨论记录"), blank=True)
    discussion_participants = models.CharField(_("集体讨论参加人"), max_length=300, blank=True)
    discussion_on = models.DateField(_("集体讨论日期"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("审批负责人"))
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_served_on = models.DateField(_("决定书送达日期"), null=True, blank=True)
    decision_service_manner = models.CharField(_("决定书送达方式"), max_length=12, choices=ServiceManner.choices,
                                               blank=True)
    urged_on = models.DateField(_("催告书送达日期"), null=True, blank=True)
    court_applied_on = models.DateField(_("申请法院强制执行日期"), null=True, blank=True)
    court = models.CharField(_("受理法院"), max_length=100, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("行政处罚程序")
        verbose_name_plural = _("行政处罚程序")

    def __str__(self):
        return f"{self.case} {self.get_procedure_display()}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.case_q(user, action, prefix="case__")


class Fine(models.Model):
    case = models.ForeignKey(EnforcementCase, on_delete=models.PROTECT, related_name="fines")
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="fines")
    amount = models.DecimalField(_("罚款金额（元）"), max_digits=12, decimal_places=2)
    # The range of the penalty article the amount was checked against, and the measured quantity of a per-unit
    # range (㎡, persons, the compensation a multiple applies to).
    fine_range = models.ForeignKey("registry.FineRange", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("罚款幅度"))
    quantity = models.DecimalField(_("计罚数量"), max_digits=12, decimal_places=2, null=True, blank=True)
    decided_at = models.DateField(_("决定日期"))
    # 行政处罚法 §67: paid within 15 days of receiving the decision; from the day after, §72's 3 % a day.
    due = models.DateField(_("缴纳期限"), null=True, blank=True)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("缴纳状态"), max_length=12, choices=PaymentStatus.choices,
                              default=PaymentStatus.UNPAID)
    paid_at = models.DateField(_("缴纳日期"), null=True, blank=True)
    is_final = models.BooleanField(_("已生效"), default=False, help_text=_("复议、诉讼期满或经复议诉讼维持"))
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("罚款")
        verbose_name_plural = _("罚款")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fine_amount_positive")]

    def __str__(self):
        return f"{self.case} ¥{self.amount}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.case_q(user, action, prefix="case__")


class SupervisionOrder(models.Model):
    """督办: a supervisor orders action on a case and expects an answer by a date."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="supervisions")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("督办人"))
    issued_at = models.DateTimeField(_("督办时间"), auto_now_add=True)
    instruction = models.TextField(_("督办要求"))
    response_due = models.DateField(_("回复期限"))
    response = models.TextField(_("回复"), blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("回复人"))
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=SupervisionStatus.choices,
                              default=SupervisionStatus.OPEN)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-issued_at"]

    def __str__(self):
        return f"督办 {self.case}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.case_q(user, action, prefix="case__")


class Referral(TimeStampedModel):
    """移交: a matter sent to the department that owns it, which signs for it and answers."""

    complaint = models.ForeignKey("intake.Complaint", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="referrals")
    case = models.ForeignKey(EnforcementCase, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="referrals")
    department = models.ForeignKey("registry.Department", on_delete=models.PROTECT, related_name="referrals",
                                   verbose_name=_("接收部门"))
    street = models.ForeignKey("registry.Street", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("街镇"))
    matter = models.TextField(_("移交事项"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("移交人"))
    due = models.DateField(_("反馈期限"))
    status = models.CharField(_("状态"), max_length=10, choices=ReferralStatus.choices,
                              default=ReferralStatus.SENT, db_index=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("签收人"))
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    answer = models.TextField(_("反馈"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("反馈人"))
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    letter = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("移交")
        verbose_name_plural = _("移交")
        ordering = ["-created_at"]
        # a department's inbox: what still waits for it, by 反馈期限 (the answered years stay out of the index)
        indexes = [models.Index(fields=["department", "due"], name="referral_waiting_idx",
                                condition=models.Q(status__in=["SENT", "SIGNED"]))]

    def __str__(self):
        return f"移交{self.department} #{self.pk}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.referral_q(user, action)


class ReCheckRule(models.Model):
    """回头看间隔: after how many days a closed case's site is checked again, and for how long after the closing a
    回潮 reopens the case (beyond it a new case is opened and linked), per violation type. Edited in the admin;
    a type without a row uses cases.rules.RECHECK_DEFAULTS."""

    violation_type = models.OneToOneField("registry.ViolationType", on_delete=models.CASCADE,
                                          related_name="recheck_rule", verbose_name=_("违法类型"))
    intervals = models.JSONField(_("回头看间隔（天）"), default=list, blank=True,
                                 help_text=_("结案后第几天回头看，如 [30, 90]；留空则不安排回头看"))
    reopen_window_days = models.PositiveSmallIntegerField(
        _("回潮重新打开期限（天）"), default=90,
        help_text=_("结案后该天数内回头看发现回潮的，重新打开原案；超过的，新立案件并关联原案"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回头看规则")
        verbose_name_plural = _("回头看规则")

    def __str__(self):
        return f"{self.violation_type}: {self.intervals}"

    def clean(self):
        from django.core.exceptions import ValidationError

        days = self.intervals
        if not isinstance(days, list) or not all(isinstance(d, int) and 1 <= d <= 730 for d in days):
            raise ValidationError({"intervals": _("请填写1至730之间的天数列表，如 [30, 90]")})
        self.intervals = sorted(set(days))


class ReCheck(models.Model):
    """One 回头看 of a closed case: due some days after the closing (ReCheckRule), done with photos; a 回潮 reopens
    the case or opens a new one linked to it (cases.services.recheck_record)."""

    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="rechecks",
                             verbose_name=_("案件"))
    closed_at = models.DateTimeField(_("结案时间"))   # the closing it follows (a reopened case closes again)
    round = models.PositiveSmallIntegerField(_("结案后天数"))
    due = models.DateField(_("应回头看日期"))
    status = models.CharField(_("状态"), max_length=10, choices=ReCheckStatus.choices, default=ReCheckStatus.DUE)
    result = models.CharField(_("结果"), max_length=10, choices=ReCheckResult.choices, blank=True)
    note = models.TextField(_("现场情况"), blank=True)
    done_at = models.DateTimeField(_("回头看时间"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("回头看人员"))
    follow_up = models.ForeignKey(EnforcementCase, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("回潮后续案件"))
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"], name="recheck_status_due_idx")]

    def __str__(self):
        return f"{self.case} +{self.round}d"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.case_q(user, action, prefix="case__")
