from django.conf import settings
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


def export_path(instance, filename: str) -> str:
    """`exports/<year>/<month>/<uuid4 hex>.csv|.xlsx`: names nobody can guess (core.uploads.StoredPath's rule)."""
    import uuid
    from pathlib import Path

    from django.utils import timezone

    suffix = Path(filename or "").suffix.lower()
    suffix = suffix if suffix in {".csv", ".xlsx"} else ".bin"
    return f"exports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ExportJob(models.Model):
    """A large export written in the background (core.exports, core.export_jobs): who asked, which list with which
    filters, rows done of the total, the stored file. Only the user who asked reads it; it expires."""

    class Status(models.TextChoices):
        PENDING = "PENDING", _("等待中")
        RUNNING = "RUNNING", _("生成中")
        DONE = "DONE", _("已完成")
        FAILED = "FAILED", _("失败")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("导出人"))
    kind = models.CharField(_("导出内容"), max_length=40)
    fmt = models.CharField(_("格式"), max_length=4, choices=[("csv", "CSV"), ("xlsx", "Excel")])
    query = models.TextField(_("筛选条件"), blank=True, help_text=_("列表的查询字符串"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows_done = models.PositiveIntegerField(_("已写行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), null=True, blank=True)
    file = models.FileField(_("文件"), upload_to=export_path, blank=True)
    filename = models.CharField(_("文件名"), max_length=120, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    seconds = models.FloatField(_("用时（秒）"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), db_index=True)

    class Meta:
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="exportjob_user_created")]

    def __str__(self):
        return f"{self.kind}.{self.fmt} #{self.pk}"

    @property
    def running(self) -> bool:
        return self.status in {self.Status.PENDING, self.Status.RUNNING}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
