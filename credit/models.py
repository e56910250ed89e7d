"""物业履职检查与失信记分 (R4): a duty check on the property company for each owner violation filed as a
case of a type that asks for one; credit points when a penalty for failing the duty becomes final; the
ledger, disputes and corrections, and the joint credit-punishment list.

Points are never edited or deleted: a correction is a new record with the opposite points that names the
record it reverses, so the ledger keeps both (R4.3)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import scope
from core.models import TimeStampedModel
from core.querysets import RestrictedManager
from core.uploads import StoredPath
from credit.choices import DisputeStatus, DutyOutcome, Subject


class CreditPolicy(models.Model):
    """The numbers of the scheme, edited by the administrator; one row. 《上海市物业服务企业和项目经理信用信息
    管理办法》 was not found with its values, so they ship marked 待核实."""

    window_months = models.PositiveSmallIntegerField(_("统计周期（月）"), default=12)
    threshold = models.PositiveIntegerField(_("列入联合惩戒名单的记分阈值"), default=30,
                                            help_text=_("统计周期内企业累计记分达到该值即列入名单"))
    expiry_months = models.PositiveSmallIntegerField(_("记分有效期（月）"), default=24)
    duty_answer_days = models.PositiveSmallIntegerField(_("物业企业说明期限（工作日）"), default=5)
    dispute_days = models.PositiveSmallIntegerField(_("异议期限（工作日）"), default=5,
                                                    help_text=_("记分之日起，企业可提出异议的工作日数"))
    dispute_decide_days = models.PositiveSmallIntegerField(_("异议处理期限（工作日）"), default=5,
                                                           help_text=_("信用管理办法：异议核查5个工作日"))
    prior_report_days = models.PositiveSmallIntegerField(
        _("事先报告追溯期（日）"), default=90,
        help_text=_("企业在投诉之前多少日内通过平台报告同一小区、同一类型的线索，视为已发现并报告"))
    default_rule = models.ForeignKey(
        "CreditRule", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("默认失信行为"),
        help_text=_("未经履职检查直接立案的物业未履职案件，案件未指明失信行为时按此记分"))
    verified = models.BooleanField(_("已核实"), default=False, help_text=_("未核实的数值显示“待核实”"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("信用记分规则参数")
        verbose_name_plural = _("信用记分规则参数")

    def __str__(self):
        return str(_("信用记分规则参数"))

    @classmethod
    def current(cls) -> "CreditPolicy":
        return cls.objects.order_by("pk").first() or cls.objects.create()


class CreditRule(TimeStampedModel):
    """失信行为记分标准: one kind of failure and its points on the company and on its project manager."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("失信行为"), max_length=200)
    company_points = models.PositiveSmallIntegerField(_("企业记分"))
    manager_points = models.PositiveSmallIntegerField(_("项目经理记分"), default=0)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    verified = models.BooleanField(_("已核实"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("失信行为记分标准")
        verbose_name_plural = _("失信行为记分标准")
        ordering = ["-company_points", "code"]

    def __str__(self):
        return gettext("%(name)s（%(points)s分）") % {"name": self.name, "points": self.company_points}

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.reference_q(user, action)


class DutyCheck(TimeStampedModel):
    """物业履职检查: did the company discover, dissuade, stop and report (发现、劝阻、制止、报告) the owner's
    violation in time? Opened when the owner's case is filed (立案)."""

    case = models.OneToOneField("cases.EnforcementCase", on_delete=models.PROTECT, related_name="duty_check",
                                verbose_name=_("业主违法案件"))
    community = models.ForeignKey("registry.Community", on_delete=models.PROTECT, related_name="duty_checks",
                                  verbose_name=_("小区"))
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="duty_checks",
                               verbose_name=_("街镇"))
    company = models.ForeignKey("registry.PropertyCompany", on_delete=models.PROTECT, related_name="duty_checks",
                                verbose_name=_("物业企业"))
    project_manager = models.ForeignKey("registry.ProjectManager", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="duty_checks", verbose_name=_("项目经理"))
    discovered = models.BooleanField(_("及时发现"), null=True, blank=True)
    dissuaded = models.BooleanField(_("劝阻"), null=True, blank=True)
    stopped = models.BooleanField(_("制止"), null=True, blank=True)
    reported = models.BooleanField(_("报告"), null=True, blank=True)
    prior_report = models.ForeignKey("intake.Complaint", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("事先报告"),
                                     help_text=_("企业在投诉之前通过平台报告的同一小区、同一类型线索"))
    answer_due = models.DateField(_("说明期限"))
    statement = models.TextField(_("企业情况说明"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("说明人"))
    answered_at = models.DateTimeField(_("说明时间"), null=True, blank=True)
    outcome = models.CharField(_("认定结果"), max_length=10, choices=DutyOutcome.choices,
                               default=DutyOutcome.PENDING, db_index=True)
    failure_rule = models.ForeignKey(CreditRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("失信行为"))
    reasons = models.TextField(_("认定理由"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("认定人"))
    decided_at = models.DateTimeField(_("认定时间"), null=True, blank=True)
    negligence_case = models.OneToOneField("cases.EnforcementCase", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="negligence_of", verbose_name=_("物业未履职案件"))
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("物业履职检查")
        verbose_name_plural = _("物业履职检查")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.case} · {self.company}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.duty_check_q(user, action)


class DutyCheckAttachment(models.Model):
    """A file the company or the officer adds to a duty check (photos of dissuasion, a 制止 notice …)."""

    duty_check = models.ForeignKey(DutyCheck, on_delete=models.PROTECT, related_name="attachments",
                                   verbose_name=_("履职检查"))
    file = models.FileField(_("文件"), upload_to=StoredPath("duty_checks"))
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("履职检查附件")
        verbose_name_plural = _("履职检查附件")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.duty_check_q(user, action, prefix="duty_check__")


class CreditRecord(models.Model):
    """失信记分记录: points on one subject (the company, or its project manager) for one final penalty.
    A correction is another record with the opposite points and `reverses` set."""

    subject = models.CharField(_("记分对象"), max_length=8, choices=Subject.choices)
    company = models.ForeignKey("registry.PropertyCompany", on_delete=models.PROTECT, related_name="credit_records",
                                verbose_name=_("物业企业"))
    project_manager = models.ForeignKey("registry.ProjectManager", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="credit_records", verbose_name=_("项目经理"))
    rule = models.ForeignKey(CreditRule, on_delete=models.PROTECT, related_name="records",
                             verbose_name=_("失信行为"))
    points = models.SmallIntegerField(_("记分"))
    case = models.ForeignKey("cases.EnforcementCase", on_delete=models.PROTECT, related_name="credit_records",
                             verbose_name=_("案件"))
    fine = models.ForeignKey("cases.Fine", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("罚款"))
    duty_check = models.ForeignKey(DutyCheck, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="credit_records", verbose_name=_("履职检查"))
    occurred_on = models.DateField(_("记分日期"), db_index=True, help_text=_("处罚决定生效之日"))
    expires_on = models.DateField(_("失效日期"), db_index=True)
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="correction", verbose_name=_("修正的记录"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("记录人"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("失信记分记录")
        verbose_name_plural = _("失信记分记录")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            # one award per subject and final fine; corrections are the records with `reverses`
            models.UniqueConstraint(fields=["fine", "subject"], condition=models.Q(reverses__isnull=True),
                                    name="credit_one_award_per_fine_and_subject"),
        ]

    def __str__(self):
        return f"{self.company} {self.points:+d}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.credit_q(user, action)


class CreditDispute(TimeStampedModel):
    """异议: the company disputes a record within the deadline; the bureau decides; upheld means a
    correction record (修正) reverses the points."""

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="disputes",
                               verbose_name=_("记分记录"))
    reason = models.TextField(_("异议理由"))
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("提出人"))
    decide_due = models.DateField(_("处理期限"))
    status = models.CharField(_("状态"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.LODGED)
    decision = models.TextField(_("处理意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("信用记分异议")
        verbose_name_plural = _("信用记分异议")
        ordering = ["-created_at"]

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.credit_q(user, action, prefix="record__")


class PunishmentListing(TimeStampedModel):
    """联合信用惩戒名单: a company whose points in the rolling window reached the threshold."""

    company = models.ForeignKey("registry.PropertyCompany", on_delete=models.PROTECT, related_name="listings",
                                verbose_name=_("物业企业"))
    listed_on = models.DateField(_("列入日期"))
    points = models.PositiveIntegerField(_("列入时记分"))
    window_start = models.DateField(_("统计起始"))
    reason = models.CharField(_("列入理由"), max_length=300)
    removed_on = models.DateField(_("移出日期"), null=True, blank=True)
    removal_reason = models.CharField(_("移出理由"), max_length=300, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("联合信用惩戒名单")
        verbose_name_plural = _("联合信用惩戒名单")
        ordering = ["-listed_on"]
        constraints = [models.UniqueConstraint(fields=["company"], condition=models.Q(removed_on__isnull=True),
                                               name="listing_one_open_per_company")]

    def __str__(self):
        return f"{self.company}（{self.listed_on}）"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.credit_q(user, action)
