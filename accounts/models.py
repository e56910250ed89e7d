from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import Role


class User(AbstractUser):
    """A person using Anju: one role, and the scope the role works in."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.STREET)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    streets = models.ManyToManyField(
        "registry.Street", blank=True, related_name="users", verbose_name=_("负责街镇"),
        help_text=_("执法队员与街镇工作人员的工作范围"),
    )
    department = models.ForeignKey(
        "registry.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        verbose_name=_("所属部门"),
    )
    property_company = models.ForeignKey(
        "registry.PropertyCompany", null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        verbose_name=_("所属物业企业"),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=[streets])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    def clean(self):
        super().clean()
        if self.role == Role.DEPARTMENT and not self.department_id:
            raise ValidationError({"department": _("职能部门用户必须指定部门 / a department user needs a department")})
        if self.role == Role.PROPERTY and not self.property_company_id:
            raise ValidationError(
                {"property_company": _("物业企业用户必须指定企业 / a property-company user needs a company")}
            )

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser
