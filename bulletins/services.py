"""Writes of the bulletins app: asking for a bulletin (checked: role, period, street) and generating it.

`bulletin_request` records the request and hands the work to Celery once the transaction commits (inline when no
broker is configured: CELERY_TASK_ALWAYS_EAGER); `bulletin_generate` (the task's body) gathers the figures
(bulletins.content over analytics.metrics), builds the .docx and the .xlsx, stores both through Django's storage
and moves the progress along; a failure is kept on the row with its reason. `write_files` is the command's path:
the same builders, written to disk."""
import logging
import time
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts import policy, scope
from accounts.choices import Role
from analytics.periods import PeriodError
from bulletins import content as content_module
from bulletins import docx as docx_builder
from bulletins import xlsx as xlsx_builder
from bulletins.choices import Kind, Status
from bulletins.models import Bulletin
from core.errors import ApplicationError
from registry.models import District, Street
from registry.services import district_named

log = logging.getLogger(__name__)


def period_of(text: str):
    """The bulletin's period, or an ApplicationError in Chinese and English."""
    try:
        period = content_module.parse_period(text)
    except PeriodError as exc:
        raise ApplicationError(exc.message, exc.message_en) from None
    except ValueError as exc:
        raise ApplicationError(f"统计周期有误：{exc}", f"bad period: {exc}") from None
    if period.start > timezone.localdate():
        raise ApplicationError(f"{period.label}尚未开始，不能制作通报", f"{period.label_en} has not begun yet")
    return period


def street_named(name: str, district: District | None = None) -> Street:
    """A street by its name or short name (the command's --street), of `district` when given; a name two districts
    share needs the district."""
    value = (name or "").strip()
    streets = Street.objects.all() if district is None else Street.objects.filter(district=district)
    found = (list(streets.filter(name=value)[:2]) or list(streets.filter(short_name=value)[:2])) if value else []
    if len(found) > 1:
        raise ApplicationError(f"多个区都有街镇“{value}”，请用 --district 指定区",
                               f"several districts have a street named {value!r}: name the district (--district)")
    if not found:
        known = "、".join(streets.order_by("code", "name").values_list("name", flat=True))
        where = f"{district.name}" if district is not None else "本区"
        raise ApplicationError(f"没有名为“{value}”的街镇（{where}街镇：{known}）",
                               f"no street named {value!r}" + (f" in {district.name}" if district else ""))
    return found[0]


def home_district(user) -> District | None:
    """The district a user's bulletins belong to without choosing: their own (User.district), their streets'
    (officers and street staff), or the installation's only one; None: the user spans several districts (the city
    bureau, an administrator of the installation) and must choose."""
    if getattr(user, "district_id", None):
        return user.district
    streets = scope.street_ids(user) if scope.role_of(user) in scope.STREET_SCOPED else []
    if streets:
        return District.objects.filter(streets__in=streets).order_by("pk").first()
    districts = list(District.objects.order_by("pk")[:2])
    return districts[0] if len(districts) == 1 else None


def _check_make(actor, street, district):
    if not policy.may(actor, policy.BULLETIN_MAKE):
        raise ApplicationError("您的角色不能制作通报", "your role cannot make bulletins")
    role = scope.role_of(actor)
    if role in {Role.ADMIN, Role.LEAD} or role in scope.CITY_WIDE_VIEW:
        if street is not None and not Street.objects.restrict(actor, "view").filter(pk=street.pk).exists():
            raise ApplicationError("只能制作本区街镇的通报", "you may make your own district's streets' bulletins only")
        if street is None and district is None and District.objects.exists():
            raise ApplicationError("有多个区，请选择制作哪个区的通报",
                                   "several districts: choose the bulletin's district")
        ids = scope.district_streets(actor)
        if street is None and ids is not None and not Street.objects.filter(pk__in=ids, district=district).exists():
            raise ApplicationError("只能制作本区的通报", "you may make your own district's bulletins only")
        return
    if street is None:
        raise ApplicationError("街镇只能制作本街镇的通报；全区通报由区城管执法局制作",
                               "a street makes its own street's bulletin only; the bureau makes the district's")
    if street.pk not in scope.street_ids(actor):
        raise ApplicationError("只能制作本街镇的通报", "you may make your own street's bulletin only")


def bulletin_request(*, actor, period: str, street=None, district=None) -> Bulletin:
    """Record a bulletin to make and start it in the background once this transaction commits. `district`: the
    district of a district-wide bulletin, chosen by a user whose scope spans several (the city bureau); without
    it, the user's own (home_district). A street's bulletin is its street's district's."""
    found = period_of(period)
    if street is not None:
        district = street.district
    elif district is None:
        district = home_district(actor)
    _check_make(actor, street, district)
    bulletin = Bulletin.objects.create(period=found.code, kind=Kind(found.kind), street=street, district=district,
                                       created_by=actor, title=content_module.title_for(found, street, district))
    from bulletins import tasks  # the task module imports this one

    transaction.on_commit(lambda: tasks.generate_bulletin.delay(bulletin.pk))
    return bulletin


def _progress(bulletin_id: int, pct: int):
    Bulletin.objects.filter(pk=bulletin_id).update(progress=pct)


def build_files(period, street=None, *, district=None, progress=None) -> tuple[bytes, bytes]:
    """The .docx and the .xlsx of one bulletin (of `district`, or of `street`), as bytes."""
    step = progress or (lambda pct: None)
    content = content_module.gather(period, street, district=district, progress=step)
    data_docx = docx_builder.build(content, progress=step)
    data_xlsx = xlsx_builder.build(content)
    step(95)
    return data_docx, data_xlsx


def bulletin_generate(*, bulletin_id: int) -> Bulletin:
    """Make the files of a requested bulletin; on failure the row says why (status FAILED), nothing raises."""
    started = time.monotonic()
    with transaction.atomic():
        # taken once: a task delivered twice finds the row no longer waiting and leaves it as it is
        bulletin = (Bulletin.objects.select_for_update(of=("self",)).select_related("street", "district")
                    .get(pk=bulletin_id))
        if bulletin.status != Status.PENDING:
            return bulletin
        bulletin.status, bulletin.progress = Status.RUNNING, 5
        bulletin.save(update_fields=["status", "progress"])
    try:
        period = content_module.parse_period(bulletin.period)
        data_docx, data_xlsx = build_files(period, bulletin.street, district=bulletin.district,
                                           progress=lambda pct: _progress(bulletin_id, pct))
        bulletin.docx.save("bulletin.docx", ContentFile(data_docx), save=False)
        bulletin.xlsx.save("bulletin.xlsx", ContentFile(data_xlsx), save=False)
    except Exception as exc:  # noqa: BLE001 - kept on the row and shown on the page
        log.exception("bulletin %s failed", bulletin_id)
        for field in (bulletin.docx, bulletin.xlsx):
            if field.name:
                field.storage.delete(field.name)
        bulletin.refresh_from_db(fields=["progress"])
        bulletin.docx, bulletin.xlsx = "", ""
        bulletin.status, bulletin.error = Status.FAILED, str(exc)[:2000] or exc.__class__.__name__
        bulletin.finished_at, bulletin.seconds = timezone.now(), round(time.monotonic() - started, 2)
        bulletin.save(update_fields=["docx", "xlsx", "status", "error", "finished_at", "seconds"])
        return bulletin
    bulletin.status, bulletin.progress, bulletin.finished_at = Status.DONE, 100, timezone.now()
    bulletin.seconds = round(time.monotonic() - started, 2)
    bulletin.save(update_fields=["docx", "xlsx", "status", "progress", "finished_at", "seconds"])
    return bulletin


def write_files(*, period: str, street_name: str = "", district_name: str = "", out: str) -> tuple[Path, Path]:
    """The command's path: FILE.docx and FILE.xlsx beside it, for the district or one street. `district_name`
    (--district): needed for a district-wide bulletin when the installation holds several districts, and for a
    street name two districts share."""
    found = period_of(period)
    district = district_named(district_name) if district_name else None
    street = street_named(street_name, district) if street_name else None
    if street is not None:
        district = street.district
    elif district is None:
        districts = list(District.objects.order_by("pk")[:2])
        if len(districts) > 1:
            known = "、".join(District.objects.order_by("pk").values_list("name", flat=True))
            raise ApplicationError(f"有多个区（{known}），请用 --district 指定制作哪个区的通报",
                                   "several districts share the installation: name the bulletin's district "
                                   "with --district")
        district = districts[0] if districts else None
    target = Path(out)
    if target.suffix.lower() != ".docx":
        raise ApplicationError("输出文件名应以 .docx 结尾", "the output file name must end in .docx")
    if not target.parent.exists():
        raise ApplicationError(f"目录“{target.parent}”不存在", f"directory {target.parent} does not exist")
    data_docx, data_xlsx = build_files(found, street, district=district)
    target.write_bytes(data_docx)
    beside = target.with_suffix(".xlsx")
    beside.write_bytes(data_xlsx)
    return target, beside
