from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    MONTH = "month", _("月报")
    QUARTER = "quarter", _("季报")


class Status(models.TextChoices):
    PENDING = "PENDING", _("排队中")
    RUNNING = "RUNNING", _("生成中")
    DONE = "DONE", _("已生成")
    FAILED = "FAILED", _("生成失败")
