"""存量违建清库清零 (R5): the ledger of illegal constructions per community and its progress to zero.

The burn-down is computed from `found_on` and `cleared_on` (an item counts on day d when it was found on
or before d and not cleared by then), so no snapshot table is needed and a back-dated import is right."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import scope
from core.models import TimeStampedModel
from core.querysets import RestrictedManager
from programme.choices import CLEARED, StructureKind, StructureMaterial, StructureStatus


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
