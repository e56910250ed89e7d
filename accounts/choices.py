from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEAD = "LEAD", _("区局领导/督察")
    OFFICER = "OFFICER", _("执法队员")
    STREET = "STREET", _("街镇工作人员")
    DEPARTMENT = "DEPARTMENT", _("职能部门")
    PROPERTY = "PROPERTY", _("物业企业")
    ADMIN = "ADMIN", _("系统管理员")
    CITY = "CITY", _("市城管执法局")
    LEGAL = "LEGAL", _("法制审核人员")


class InboxKind(models.TextChoices):
    """What can need a user now (R3.8). Each kind is pushed by the service that causes it (accounts.inbox.notify)."""

    ASSIGNED = "ASSIGNED", _("新分派")
    DUE_SOON = "DUE_SOON", _("即将到期")
    OVERDUE = "OVERDUE", _("已超期")
    SUPERVISION = "SUPERVISION", _("收到督办")
    REFERRAL_RECEIVED = "REFERRAL_RECEIVED", _("收到移交")
    REFERRAL_ANSWERED = "REFERRAL_ANSWERED", _("移交已反馈")
    DUTY_CHECK = "DUTY_CHECK", _("履职检查")
    RECHECK_DUE = "RECHECK_DUE", _("复查到期")
    HOTSPOT = "HOTSPOT", _("热点预警")
    CAMPAIGN_TASK = "CAMPAIGN_TASK", _("专项任务")
