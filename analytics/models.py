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
        ]

    def __str__(self):
        return f"{self.day} {self.street_id}/{self.community_id} {self.violation_type_id} {self.channel}: {self.count}"
