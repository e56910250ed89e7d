"""存量违建清库清零 (R5): the ledger of illegal constructions per community and its progress to zero.

The burn-down is computed from `found_on` and `cleared_on` (an item counts on day d when it was found on
or before d and not cleared by then), so no snapshot table is needed and a back-dated import is right."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import scope
from core.models import TimeStampedModel
from core.querysets import RestrictedManager
from programme.choices import (
    CLEARED,
    CampaignKind,
    CampaignLevel,
    DutyRole,
    EvidenceKind,
    PhaseStatus,
    ProblemSource,
    ProblemStatus,
    StructureKind,
    StructureMaterial,
    StructureStatus,
    TaskStatus,
)


class IllegalStructure(TimeStampedModel):
    """违法建筑台账条目."""

    number = models.CharField(_("台账编号"), max_length=32, unique=True)
    community = models.ForeignKey("registry.Community", on_delete=models.PROTECT, related_name="illegal_structures",
                                  verbose_name=_("小区"))
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="illegal_structures",
                               verbose_name=_("街镇"), help_text=_("随小区"))
    location = models.CharField(_("具体位置"), max_length=200, help_text=_("楼号、室号、部位，如 12号楼 屋顶"))
    kind = models.CharField(_("类别"), max_length=10, choices=StructureKind.choices, default=StructureKind.EXISTING)
    found_on = models.DateField(_("发现日期"), db_index=True)
    area_m2 = models.DecimalField(_("面积（㎡）"), max_digits=9, decimal_places=2)
    material = models.CharField(_("结构"), max_length=16, choices=StructureMaterial.choices)
    status = models.CharField(_("状态"), max_length=12, choices=StructureStatus.choices,
                              default=StructureStatus.EXISTING, db_index=True)
    measure = models.CharField(_("处置措施"), max_length=20, blank=True,
                               help_text=_("registry.Measure 代码：拆除、注记、恢复原状 …"))
    target_date = models.DateField(_("计划完成日期"), null=True, blank=True)
    cleared_on = models.DateField(_("销项日期"), null=True, blank=True, db_index=True)
    case = models.ForeignKey("cases.EnforcementCase", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="illegal_structures", verbose_name=_("执法案件"))
    owner_hint = models.CharField(_("当事人（户）"), max_length=100, blank=True,
                                  help_text=_("如 5号楼601室业主；个人信息按角色遮蔽"))
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("违法建筑台账")
        verbose_name_plural = _("违法建筑台账")
        ordering = ["street", "community", "found_on", "pk"]
        indexes = [models.Index(fields=["street", "status"]), models.Index(fields=["kind", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="structure_area_positive"),
            # cleared (已拆除/已注记/已整改) ⇔ a 销项日期; reopening empties it
            models.CheckConstraint(
                condition=(models.Q(status__in=sorted(CLEARED), cleared_on__isnull=False)
                           | (~models.Q(status__in=sorted(CLEARED)) & models.Q(cleared_on__isnull=True))),
                name="structure_cleared_has_date"),
            models.CheckConstraint(condition=models.Q(cleared_on__isnull=True)
                                   | models.Q(cleared_on__gte=models.F("found_on")),
                                   name="structure_cleared_after_found"),
        ]

    def __str__(self):
        return f"{self.number} {self.community} {self.location}"

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.inventory_q(user, action)

    @property
    def is_cleared(self) -> bool:
        return self.status in CLEARED

    @property
    def measure_label(self) -> str:
        from registry.choices import Measure

        return str(Measure(self.measure).label) if self.measure in Measure.values else self.measure


class LedgerSequence(models.Model):
    """The last number given under a prefix (WJ-005-2024): numbers are never given twice, even after an
    item was deleted, and two registrations at once take the row lock in turn."""

    prefix = models.CharField(_("编号前缀"), max_length=24, unique=True)
    last = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        verbose_name = _("台账编号序列")
        verbose_name_plural = _("台账编号序列")

    def __str__(self):
        return f"{self.prefix}-{self.last}"


# --- campaigns 专项行动 / 工作方案 and their three lists (R6.1, R6.2) ---------------------------------------

class Campaign(TimeStampedModel):
    """A special action or work plan (seed 001 §三, seed 000 §五) with its phases, scope and target types. The
    inventory's 清零 campaign is one of them (kind INVENTORY): the burn-down reads its dates."""

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=16, choices=CampaignKind.choices, default=CampaignKind.SPECIAL_ACTION)
    level = models.CharField(_("层级"), max_length=10, choices=CampaignLevel.choices, default=CampaignLevel.DISTRICT)
    document_no = models.CharField(_("文号"), max_length=60, blank=True)
    issuer = models.CharField(_("发文单位"), max_length=60, blank=True)
    district = models.ForeignKey("registry.District", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="campaigns", verbose_name=_("区"),
                                 help_text=_("空：本系统所有区"))
    streets = models.ManyToManyField("registry.Street", blank=True, related_name="campaigns",
                                     verbose_name=_("范围（街镇）"), help_text=_("空：全区"))
    violation_types = models.ManyToManyField("registry.ViolationType", blank=True, related_name="campaigns",
                                             verbose_name=_("针对的违法行为"), help_text=_("空：全部类型"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    goals = models.TextField(_("工作目标"), blank=True)
    compiled_at = models.DateTimeField(_("问题清单汇总时间"), null=True, blank=True)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("专项行动")
        verbose_name_plural = _("专项行动")
        ordering = ["-starts_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__isnull=True)
                                              | models.Q(ends_on__gte=models.F("starts_on")),
                                              name="campaign_ends_after_start")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("programme:campaign-detail", args=[self.pk])

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.campaign_q(user, action)


class CampaignPhase(models.Model):
    """阶段: 调查排摸 → 执法整治 → 总结提升 (seed 001), or the three phases of seed 000 §五."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases", verbose_name=_("专项行动"))
    order = models.PositiveSmallIntegerField(_("序号"), default=1)
    name = models.CharField(_("阶段"), max_length=60)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=8, choices=PhaseStatus.choices, default=PhaseStatus.PLANNED)
    tasks_text = models.TextField(_("主要任务"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行动阶段")
        verbose_name_plural = _("行动阶段")
        ordering = ["campaign", "order", "starts_on"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="phase_ends_after_start")]

    def __str__(self):
        return f"{self.campaign} · {self.name}"


class Problem(TimeStampedModel):
    """问题清单: one problem compiled from the data (key names its source, so a new compile updates it) or
    entered by hand from the survey (排摸发现)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="problems",
                                 verbose_name=_("专项行动"))
    source = models.CharField(_("来源"), max_length=12, choices=ProblemSource.choices)
    key = models.CharField(_("汇总键"), max_length=80, blank=True,
                           help_text=_("数据汇总的问题据此更新，手工录入的为空"))
    title = models.CharField(_("问题"), max_length=200)
    detail = models.TextField(_("说明"), blank=True)
    street = models.ForeignKey("registry.Street", on_delete=models.PROTECT, related_name="campaign_problems",
                               verbose_name=_("街镇"))
    community = models.ForeignKey("registry.Community", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="campaign_problems", verbose_name=_("小区"))
    violation_type = models.ForeignKey("registry.ViolationType", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", verbose_name=_("违法行为"))
    department = models.ForeignKey("registry.Department", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="campaign_problems", verbose_name=_("相关部门"),
                                    help_text=_("该部门可查看此问题"))
    weight = models.PositiveIntegerField(_("件数"), default=0, help_text=_("诉件、条目或检查的数量"))
    status = models.CharField(_("状态"), max_length=10, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    compiled_at = models.DateTimeField(_("最近汇总"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("录入人"))
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("问题清单")
        verbose_name_plural = _("问题清单")
        ordering = ["campaign", "source", "-weight", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "key"], condition=~models.Q(key=""),
                                               name="problem_unique_key")]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.campaign_problem_q(user, action)

    @property
    def stale(self) -> bool:
        """Compiled from the data, and the latest compile no longer found it."""
        return bool(self.key and self.compiled_at and self.campaign.compiled_at
                    and self.compiled_at < self.campaign.compiled_at)


class ProblemEvidence(models.Model):
    """What a problem rests on: a complaint, a community, an inventory item or a duty check."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("问题"))
    kind = models.CharField(_("类别"), max_length=12, choices=EvidenceKind.choices)
    complaint = models.ForeignKey("intake.Complaint", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("诉件"))
    community = models.ForeignKey("registry.Community", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("小区"))
    structure = models.ForeignKey(IllegalStructure, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("违建台账条目"))
    duty_check = models.ForeignKey("credit.DutyCheck", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="+", verbose_name=_("履职检查"))

    class Meta:
        verbose_name = _("问题依据")
        verbose_name_plural = _("问题依据")
        ordering = ["problem", "kind", "pk"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(kind=EvidenceKind.COMPLAINT, complaint__isnull=False)
                       | models.Q(kind=EvidenceKind.COMMUNITY, community__isnull=False)
                       | models.Q(kind=EvidenceKind.STRUCTURE, structure__isnull=False)
                       | models.Q(kind=EvidenceKind.DUTY_CHECK, duty_check__isnull=False)),
            name="evidence_names_its_record")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.target}"

    @property
    def target(self):
        return {EvidenceKind.COMPLAINT: self.complaint, EvidenceKind.COMMUNITY: self.community,
                EvidenceKind.STRUCTURE: self.structure, EvidenceKind.DUTY_CHECK: self.duty_check}[self.kind]


class Task(TimeStampedModel):
    """任务清单: a task owned by one department or one street, due a number of working days after its start
    (core.calendar), with its progress and the cases that carry it out."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("专项行动"))
    phase = models.ForeignKey(CampaignPhase, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks",
                              verbose_name=_("阶段"))
    problem = models.ForeignKey(Problem, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks",
                                verbose_name=_("对应问题"))
    title = models.CharField(_("任务"), max_length=200)
    detail = models.TextField(_("要求"), blank=True)
    owner_department = models.ForeignKey("registry.Department", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="campaign_tasks", verbose_name=_("责任部门"))
    owner_street = models.ForeignKey("registry.Street", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="campaign_tasks", verbose_name=_("责任街镇"))
    starts_on = models.DateField(_("开始日期"))
    working_days = models.PositiveIntegerField(_("时限（工作日）"))
    due_on = models.DateField(_("完成期限"), help_text=_("开始日期后按工作日计算"), db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    status = models.CharField(_("状态"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    progress_note = models.TextField(_("进展情况"), blank=True)
    cases = models.ManyToManyField("cases.EnforcementCase", blank=True, related_name="campaign_tasks",
                                   verbose_name=_("关联案件"))
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("任务清单")
        verbose_name_plural = _("任务清单")
        ordering = ["campaign", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=(models.Q(owner_department__isnull=False, owner_street__isnull=True)
                                              | models.Q(owner_department__isnull=True, owner_street__isnull=False)),
                                   name="task_one_owner"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_percent"),
            models.CheckConstraint(condition=(models.Q(status=TaskStatus.DONE, progress=100, done_on__isnull=False)
                                              | (~models.Q(status=TaskStatus.DONE) & models.Q(done_on__isnull=True))),
                                   name="task_done_has_date"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.campaign_task_q(user, action)

    @property
    def owner(self):
        return self.owner_department or self.owner_street

    def is_overdue(self, today) -> bool:
        return self.status != TaskStatus.DONE and self.due_on < today


class Responsibility(models.Model):
    """责任清单: one cell of the matrix — a department or street, its role (牵头 / 配合) on a task, or with no
    task its standing duty in the campaign (seed 000 §六)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responsibilities",
                                 verbose_name=_("专项行动"))
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.CASCADE, related_name="responsibilities",
                             verbose_name=_("任务"))
    department = models.ForeignKey("registry.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("部门"))
    street = models.ForeignKey("registry.Street", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("街镇"))
    role = models.CharField(_("职责"), max_length=8, choices=DutyRole.choices, default=DutyRole.ASSIST)
    duty = models.TextField(_("职责内容"), blank=True)

    class Meta:
        verbose_name = _("责任清单")
        verbose_name_plural = _("责任清单")
        ordering = ["campaign", "task", "pk"]
        constraints = [
            models.CheckConstraint(condition=(models.Q(department__isnull=False, street__isnull=True)
                                              | models.Q(department__isnull=True, street__isnull=False)),
                                   name="responsibility_one_party"),
        ]

    def __str__(self):
        return f"{self.department or self.street} {self.get_role_display()}"
