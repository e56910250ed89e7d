"""年度考核方案: one scheme per year, its indicators and weights (edited by the administrator).

The scoring rule is one line (assessment.rules.indicator_points): an indicator gives its full weight at its
target (满分值), nothing at its floor (零分值), and in proportion between them; the streets' and the
departments' weights each add up to 100.
"""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import scope
from assessment.choices import AppliesTo, Direction
from core.querysets import RestrictedManager


class Scheme(models.Model):
    year = models.PositiveSmallIntegerField(_("考核年度"), unique=True)
    name = models.CharField(_("方案名称"), max_length=100)
    note = models.TextField(_("说明"), blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("修改人"))
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("年度考核方案")
        verbose_name_plural = _("年度考核方案")
        ordering = ["-year"]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.reference_q(user, action)


class Indicator(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators",
                               verbose_name=_("考核方案"))
    metric = models.CharField(_("指标"), max_length=40)  # a key of assessment.catalogue.METRICS
    applies_to = models.CharField(_("考核对象"), max_length=12, choices=AppliesTo.choices,
                                  default=AppliesTo.STREET)
    direction = models.CharField(_("方向"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    weight = models.PositiveSmallIntegerField(_("权重（分）"))
    floor = models.DecimalField(_("零分值"), max_digits=7, decimal_places=2,
                                help_text=_("达到或差于此值得 0 分"))
    target = models.DecimalField(_("满分值"), max_digits=7, decimal_places=2,
                                 help_text=_("达到或优于此值得满分"))
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    history = HistoricalRecords()
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["scheme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "metric"], name="assessment_indicator_once_per_scheme",
                                    violation_error_message=_("同一方案中每个指标只能出现一次")),
            models.CheckConstraint(condition=models.Q(weight__gte=1, weight__lte=100),
                                   name="assessment_indicator_weight_1_100",
                                   violation_error_message=_("权重应在 1 至 100 之间")),
        ]

    def __str__(self):
        from assessment.catalogue import metric_name

        return metric_name(self.metric)

    @classmethod
    def scope_q(cls, user, action="view"):
        return scope.reference_q(user, action)

    def clean(self):
        from assessment.catalogue import METRICS

        super().clean()
        errors = {}
        source = METRICS.get(self.metric)
        if source is None:
            errors["metric"] = _("未知指标")
        elif self.applies_to and not source.fits(self.applies_to):
            errors["applies_to"] = _("该指标不适用于所选考核对象")
        if self.floor is not None and self.target is not None:
            if self.floor == self.target:
                errors["target"] = _("满分值与零分值不能相同")
            elif self.direction == Direction.HIGHER and self.target < self.floor:
                errors["target"] = _("越高越好的指标，满分值应高于零分值")
            elif self.direction == Direction.LOWER and self.target > self.floor:
                errors["target"] = _("越低越好的指标，满分值应低于零分值")
        if errors:
            raise ValidationError(errors)
