from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import InboxKind, Role
from core.querysets import RestrictedManager


class User(AbstractUser):
    """A person using Anju: one role, and the scope the role works in."""

    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.STREET)
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    # 行政处罚法 §42: enforcement by at least two officers holding enforcement certificates; the number is printed
    # on every document they sign and checked by cases.rules before investigation and any decision.
    cert_number = models.CharField(_("执法证号"), max_length=30, blank=True,
                                   help_text=_("行政执法证件号码；调查取证和执法文书须两名持证执法人员"))
    # The district a district role (lead, department, administrator) works in. NULL: an installation's
    # administrator, the city bureau (市局), or any role of an installation holding one district only
    # (accounts.scope.district_streets): the field came with issue 12 and older accounts have none.
    district = models.ForeignKey(
        "registry.District", null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        verbose_name=_("所属区"), help_text=_("区局领导、职能部门与区管理员的工作范围；市局用户不填"),
    )
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
            raise ValidationError({"department": _("职能部门用户必须指定部门")})
        if self.role == Role.CITY and self.district_id:
            raise ValidationError({"district": _("市局用户不属于某一个区")})
        if self.role == Role.PROPERTY and not self.property_company_id:
            raise ValidationError(
                {"property_company": _("物业企业用户必须指定企业")}
            )

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser


class Notification(models.Model):
    """In-app notice (站内通知) shown on the home page: to one user, or to everyone of a department or
    role. Each reader dismisses it for themselves (`read_by`)."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications",
                             verbose_name=_("接收人"))
    department = models.ForeignKey("registry.Department", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="notifications", verbose_name=_("接收部门"))
    role = models.CharField(_("接收角色"), max_length=16, choices=Role.choices, blank=True)
    kind = models.CharField(_("类别"), max_length=32)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # the same title and body as parts (accounts.messages), rendered again in the reader's language
    title_parts = models.JSONField(_("标题（多语言）"), default=list, blank=True)
    body_parts = models.JSONField(_("内容（多语言）"), default=list, blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_by = models.ManyToManyField(User, blank=True, related_name="+", verbose_name=_("已读"))

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def shown_title(self) -> str:
        from accounts.messages import shown

        return shown(self.title_parts, self.title)

    def shown_body(self) -> str:
        from accounts.messages import shown

        return shown(self.body_parts, self.body)


class RecordedMove(models.Model):
    """What every recorded move of a workflow keeps beside its own from/to (cases.CaseTransition,
    intake.ComplaintTransition): the action's stable name, the reason as typed, the platform's own reason as
    accounts.messages parts (shown again in the reader's language) and the move's data."""

    action = models.CharField(_("操作"), max_length=32)
    reason = models.TextField(_("理由/说明"), blank=True)
    # a reason the platform wrote, as accounts.messages parts, shown again in the reader's language
    reason_parts = models.JSONField(_("理由（多语言）"), default=list, blank=True)
    payload = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        abstract = True

    def shown_reason(self) -> str:
        from accounts.messages import shown

        return shown(self.reason_parts, self.reason)


class InboxItem(models.Model):
    """One thing that needs one user now (待办提醒, R3.8), pushed by the service that causes it
    (accounts.inbox.notify). `key` names the event, so the same event never makes two items for a user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="inbox_items", verbose_name=_("接收人"))
    kind = models.CharField(_("类别"), max_length=20, choices=InboxKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    # the same title as accounts.messages parts, rendered again in the reader's language
    title_parts = models.JSONField(_("标题（多语言）"), default=list, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    # what it is about, as plain (app_label.model, pk): accounts sits below the apps whose objects these are
    about_model = models.CharField(_("关联对象类型"), max_length=60, blank=True)
    about_pk = models.BigIntegerField(_("关联对象编号"), null=True, blank=True)
    key = models.CharField(_("事件标识"), max_length=120)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("待办提醒")
        verbose_name_plural = _("待办提醒")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="inbox_item_once_per_event")]
        # the navigation bar's unread count and the list, per user, newest first
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="inbox_user_unread_idx")]

    def __str__(self):
        return self.title

    @classmethod
    def scope_q(cls, user, action="view"):
        """A user only ever sees and marks their own items."""
        if not getattr(user, "is_authenticated", False):
            return models.Q(pk__in=[])
        return models.Q(user_id=user.pk)

    def shown_title(self) -> str:
        from accounts.messages import shown

        return shown(self.title_parts, self.title)


class SmsPreference(models.Model):
    """The kinds a user also wants by SMS (短信提醒), chosen by the user; none by default."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="sms_preference",
                                verbose_name=_("用户"))
    kinds = models.JSONField(_("短信提醒类别"), default=list, blank=True)

    class Meta:
        verbose_name = _("短信提醒设置")
        verbose_name_plural = _("短信提醒设置")

    def __str__(self):
        return str(self.user)


class SmsMessage(models.Model):
    """Every SMS the platform tried to send, with its outcome (短信发送记录)."""

    class Status(models.TextChoices):
        SENT = "SENT", _("已发送")
        FAILED = "FAILED", _("发送失败")
        NO_PHONE = "NO_PHONE", _("无手机号")

    user = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("接收人"))
    item = models.ForeignKey(InboxItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="sms",
                             verbose_name=_("待办提醒"))
    phone = models.CharField(_("手机"), max_length=20, blank=True)
    text = models.CharField(_("短信内容"), max_length=300)
    backend = models.CharField(_("发送通道"), max_length=120)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    error = models.CharField(_("错误信息"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("短信发送记录")
        verbose_name_plural = _("短信发送记录")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.phone} {self.get_status_display()}"
