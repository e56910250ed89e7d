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
