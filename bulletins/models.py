"""通报 (bulletins): one row per generated bulletin, its progress and its two files (.docx and .xlsx).

The files are stored through Django's storage API under generated names (core.uploads.StoredPath) and reach the
browser only through the scoped download views (bulletins.views). A bulletin with no street is district-wide; every
bulletin names its district (a street's: the street's), so an installation of several districts keeps each
district's bulletins its own. Who reads which: the bureau its district's; officers and street staff their own
streets' and their district's district-wide ones; the city bureau (市局) every district's (`Bulletin.scope_q`);
departments and companies none."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import scope
from accounts.choices import Role
from bulletins.choices import Kind, Status
from core.querysets import RestrictedManager
from core.uploads import StoredPath
from registry.models import Street


class Bulletin(models.Model):
    period = models.CharField(_("统计周期"), max_length=10, help_text=_("如 2026-11 或 2026-Q4"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    district = models.ForeignKey("registry.District", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("区"),
                                 help_text=_("通报所属的区（街镇通报为该街镇所属的区）"))
    street = models.ForeignKey("registry.Street", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("街镇"), help_text=_("空：全区"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    docx = models.FileField(_("Word 文件"), upload_to=StoredPath("bulletins"), blank=True)
    xlsx = models.FileField(_("Excel 文件"), upload_to=StoredPath("bulletins"), blank=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("制作人"))
    created_at = models.DateTimeField(_("制作时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    seconds = models.FloatField(_("用时（秒）"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["period", "street"], name="bulletin_period_street")]

    def __str__(self):
        return self.title or f"{self.period} {self.street or '全区'}"

    @property
    def running(self) -> bool:
        return self.status in {Status.PENDING, Status.RUNNING}

    @classmethod
    def scope_q(cls, user, action="view"):
        """The bureau (administrators, leads) its district's bulletins (every one while the installation holds one
        district); officers and street staff their own streets' and their district's district-wide ones (for
        "make": their own streets' only); the city bureau every district's, to read; nobody else any."""
        role = scope.role_of(user)
        if role in {Role.ADMIN, Role.LEAD}:
            return _of_streets(scope.district_streets(user))
        if role in scope.CITY_WIDE_VIEW:
            return Q() if action == "view" else scope.NOTHING
        if role in scope.STREET_SCOPED:
            ids = scope.street_ids(user)
            own = Q(street_id__in=ids) if ids else scope.NOTHING
            if action != "view":
                return own
            return own | (Q(street__isnull=True) & _of_streets(scope.district_streets(user)))
        return scope.NOTHING


def _of_streets(street_ids) -> Q:
    """Bulletins of the districts of `street_ids` (None: no limit), district-wide ones included: a street bulletin
    by its street, a district-wide one by its district."""
    if street_ids is None:
        return Q()
    if not street_ids:
        return scope.NOTHING
    districts = Street.objects.filter(pk__in=street_ids).values("district_id")
    return Q(street_id__in=street_ids) | Q(street__isnull=True, district_id__in=districts)
