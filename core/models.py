from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Holiday(models.Model):
    """A day off that would be a working day, or (is_workday) a weekend day worked instead (调休)."""

    date = models.DateField(_("日期"), unique=True)
    name = models.CharField(_("名称"), max_length=50)
    is_workday = models.BooleanField(_("调休上班"), default=False)
    # Moved from cases with its table and history (core/migrations/0001): the tables keep their names.
    history = HistoricalRecords(table_name="cases_historicalholiday")

    class Meta:
        db_table = "cases_holiday"
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}{'（调休上班）' if self.is_workday else ''}"
