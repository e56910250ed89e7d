"""每日诉件统计: complaints counted per day × street × community × violation type × channel.

The metrics (analytics.metrics) read complaint counts from here, never by counting complaints, so the pages stay
within budget at millions of complaints. analytics.aggregates keeps the table right (signals on every complaint
save/delete, the 12345 import's batch, `manage.py rebuild_aggregates`, the demo's last step)."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from intake.choices import Channel


class DailyComplaintCount(models.Model):
    day = models.DateField(_("受理日期"))  # the complaint's received_at, as a day in Asia/Shanghai
    street = models.ForeignKey("registry.Street", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("街镇"))
    community = models.ForeignKey("registry.Community", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("小区"))
    violation_type = models.ForeignKey("registry.ViolationType", null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="+", verbose_name=_("违法类型"))
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    resident = models.BooleanField(_("计入投诉万人比"))  # the channel is a resident's (analytics.metrics.RESIDENT)
    count = models.PositiveIntegerField(_("件数"))

    class Meta:
        verbose_name = _("每日诉件统计")
        verbose_name_plural = _("每日诉件统计")
        indexes = [
            models.Index(fields=["day", "street"]),
            models.Index(fields=["street", "day"]),
            models.Index(fields=["community", "day"]),
            # PostgreSQL answers a period's sums from this index alone (index-only scan; other databases ignore
            # include): at five million complaints the table holds 2.4 million cells, and reading them from the
            # heap took the overview 1.5 s instead of 0.5 s (bench/README.md)
            models.Index(fields=["day"], include=["resident", "channel", "street", "community", "violation_type",
                                                  "count"], name="daily_count_covering"),
        ]

    def __str__(self):
        return f"{self.day} {self.street_id}/{self.community_id} {self.violation_type_id} {self.channel}: {self.count}"


class MonthlyComplaintCount(models.Model):
    """每月诉件统计: the daily counts summed per calendar month × street × violation type × resident-or-not, kept beside
    them (analytics.aggregates: every recount of a day's cell recounts its month's) for the district's and streets'
    twelve-month trend and type mix, which would otherwise sum a year of daily cells (half a million at five million
    complaints) on every dashboard. A community's figures read its own daily cells (an index on community)."""

    month = models.DateField(_("月份"))  # the month's first day
    street = models.ForeignKey("registry.Street", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("街镇"))
    violation_type = models.ForeignKey("registry.ViolationType", null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="+", verbose_name=_("违法类型"))
    resident = models.BooleanField(_("计入投诉万人比"))
    count = models.PositiveIntegerField(_("件数"))

    class Meta:
        verbose_name = _("每月诉件统计")
        verbose_name_plural = _("每月诉件统计")
        indexes = [models.Index(fields=["month", "street"])]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.street_id} {self.violation_type_id} {self.resident}: {self.count}"


class CaseStageExit(models.Model):
    """案件阶段办理记录: one row per move of a case out of a stage that has a deadline — the day it left, that stage's
    deadline and whether it left late — exactly cases.indicators.stage_exits (the one rule) stored, so 按期结案 and
    the per-stage on-time figures are counted in SQL over the period's rows instead of recomputing every case's
    deadlines in Python. analytics.aggregates keeps it right (see there for when a case's rows are recomputed)."""

    case = models.ForeignKey("cases.EnforcementCase", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("案件"))
    # the case's place, copied so a street's or community's figures need no join (recomputed when it moves)
    street = models.ForeignKey("registry.Street", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("街镇"))
    community = models.ForeignKey("registry.Community", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("小区"))
    stage = models.CharField(_("阶段"), max_length=16)  # the state left (cases.choices.CaseState)
    left_on = models.DateField(_("离开日期"))   # Asia/Shanghai
    deadline = models.DateField(_("阶段期限"), null=True, blank=True)
    late = models.BooleanField(_("超期离开"))   # cases.indicators.left_late(left_on, deadline)

    class Meta:
        verbose_name = _("案件阶段办理记录")
        verbose_name_plural = _("案件阶段办理记录")
        indexes = [models.Index(fields=["left_on", "stage"])]

    def __str__(self):
        return f"{self.case_id} {self.stage} {self.left_on} ≤ {self.deadline}"


class DailyCaseCount(models.Model):
    """每日案件统计: cases counted per day × street × kind, so the case figures of a period (立案, 应结案, 结案, 按期,
    超期, 回潮) of the district or a street sum a few rows a day instead of reading the period's cases. A case is in the
    cell of its opening day (filed), of its closing day while closed (closed; closed_late when a stage was left
    after its deadline; closed_recurred when the problem came back, cases.indicators.recurred_q) and of its
    current stage deadline while open (open_due). A community's figures read its cases (few).
    analytics.aggregates keeps the table right."""

    FILED, CLOSED, CLOSED_LATE, CLOSED_RECURRED, OPEN_DUE = (
        "filed", "closed", "closed_late", "closed_recurred", "open_due")
    KINDS = [(FILED, _("立案")), (CLOSED, _("结案")), (CLOSED_LATE, _("超期结案")), (CLOSED_RECURRED, _("结案后回潮")),
             (OPEN_DUE, _("在办到期"))]

    day = models.DateField(_("日期"))  # Asia/Shanghai
    street = models.ForeignKey("registry.Street", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name=_("街镇"))
    kind = models.CharField(_("类别"), max_length=16, choices=KINDS)
    count = models.PositiveIntegerField(_("件数"))

    class Meta:
        verbose_name = _("每日案件统计")
        verbose_name_plural = _("每日案件统计")
        indexes = [models.Index(fields=["day", "kind"]), models.Index(fields=["street", "day"])]

    def __str__(self):
        return f"{self.day} {self.street_id} {self.kind}: {self.count}"
