"""Intake: every complaint, from any channel, is classified, matched to its community, routed and
checked for duplicates here — forms, API and file imports all call these functions."""
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts import policy, scope
from accounts.messages import stored, text, typed
from core import dates, search
from core.busy import retry_when_busy
from core.errors import ApplicationError
from core.tabular import RowError, read_table
from core.uploads import MAX_PHOTO_BYTES, stored_file, upload_check
from intake import hooks, routing, workflow
from intake.choices import Channel, ComplaintStatus, CorrectionField, DecisionSource, ReferralStatus
from intake.dedup import CONSULTATION_AT, DedupIndex, matter, spot, text_key
from intake.hotline_import import (
    D_COMMUNITY,
    D_GRAMS,
    D_KEY,
    D_MATTER,
    D_NOTE,
    D_SPOT,
    D_STATUS,
    D_STREET,
    D_TYPE_CODE,
    DECIDED_COLUMNS,
    Ahead,
    RowDecider,
    Writer,
    bulk_session,
    evidence_record,
    helper_usable,
    history_of,
    insert_rows,
)
from intake.matching import CommunityIndex
from intake.models import Complaint, ComplaintPhoto, ComplaintTransition, Correction, ImportBatch
from intake.selectors import type_labels
from registry.models import Community, Department, District, ViolationType

HOTLINE_COLUMNS = {
    "ticket_no": ["工单编号", "12345工单编号", "工单号"],
    "received_at": ["受理时间", "12345受理时间"],
    "caller_name": ["诉求人", "来电人", "12345诉求人"],
    "caller_phone": ["联系电话", "12345联系电话", "来电号码"],
    "address": ["诉求地址", "12345诉求地址", "地址"],
    "content": ["诉求内容", "内容描述", "12345内容描述", "12345诉求内容"],
    "category_hint": ["诉求分类", "12345诉求分类"],
    "deadline": ["办理时限", "12345办理时限"],
}
HOTLINE_REQUIRED = ["ticket_no", "received_at", "content"]
MAX_CONTENT = 5000


class Context:
    """What classifying, matching and de-duplicating need, loaded once per import or request."""

    def __init__(self, *, since: datetime | None = None, lazy_dedup: bool = True, district=None):
        """`lazy_dedup`: read the de-duplication index only for the (community, matter) slots asked about, when first
        asked (an import names a chunk's at once); False reads every slot at once (a caller that receives
        thousands of complaints one by one into a young district, as the demo does). `district`: match in its
        communities only."""
        from intake.classifier import get_classifier

        self.classifier = get_classifier()
        self.index = CommunityIndex.build(district)
        self.dedup = DedupIndex.build(since=since, lazy=lazy_dedup)
        self.types = {t.code: t for t in ViolationType.objects.select_related("department")}
        self.departments = {d.code: d for d in Department.objects.all()}
        self._decider = None

    @property
    def decider(self) -> RowDecider:
        """The decisions a complaint's own text settles (classifying aside): place and route."""
        if self._decider is None:
            self._decider = RowDecider.of(self)
        return self._decider


@dataclass
class ComplaintInput:
    channel: str
    content: str
    received_at: datetime
    address: str = ""
    external_no: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    category_hint: str = ""
    due_date: date | None = None
    raw_row: dict = field(default_factory=dict)
    reporter: object = None
    reporting_company: object = None
    community: Community | None = None  # chosen by the person filing, e.g. a property report
    lat: object = None
    lng: object = None


def _decide(data: ComplaintInput, prediction, ctx: Context) -> Complaint:
    """Build (unsaved) the complaint with every automatic decision and its evidence."""
    decider = ctx.decider
    if data.community is not None:
        community_id, street_id, match_score = data.community.pk, data.community.street_id, 1.0
        match_evidence = {"method": "chosen", "community": data.community.name}
        community_source = DecisionSource.STAFF
    else:
        match = decider.place(data.address, data.content)
        community_id, street_id, match_score = match.community_id, match.street_id, match.score
        match_evidence, community_source = match.evidence, DecisionSource.MODEL

    type_code, department_code, decided = decider.route(prediction, street_id)
    vtype = ctx.types.get(type_code) if type_code else None
    predicted_department = ctx.departments.get(department_code) if department_code else None
    return Complaint(
        channel=data.channel,
        external_no=data.external_no or "",
        received_at=data.received_at,
        due_date=data.due_date,
        caller_name=data.caller_name or "",
        caller_phone=data.caller_phone or "",
        address_text=(data.address or "")[:300],
        content=data.content,
        category_hint=data.category_hint or "",
        reporter=data.reporter,
        reporting_company=data.reporting_company,
        lat=data.lat,
        lng=data.lng,
        community_id=community_id,
        street_id=street_id,
        match_score=match_score,
        match_evidence=match_evidence,
        community_source=community_source,
        predicted_type=vtype,
        predicted_department=predicted_department,
        confidence=round(float(prediction.confidence), 4),
        classification_evidence=evidence_record(prediction),
        violation_type=vtype,
        type_source=DecisionSource.MODEL,
        department=ctx.departments.get(decided.department_code),
        routing_note=decided.note,
        status=decided.status,
        raw_row=data.raw_row,
    )


def _dedup(complaint: Complaint, ctx: Context):
    """Attach to an open complaint about the same matter, and count repeats; returns the primary entry."""
    vtype = complaint.violation_type
    community_id = complaint.community_id
    type_id = matter(complaint.violation_type_id, vtype.code if vtype else None, complaint.department_id)
    complaint.repeat_count = ctx.dedup.repeat_count(
        community_id=community_id, type_id=type_id, received_at=complaint.received_at
    )
    complaint.needs_consultation = complaint.repeat_count >= CONSULTATION_AT
    key = where = None
    if community_id and type_id:  # computed once for both the search and the index
        key, where = text_key(complaint.content), spot(complaint.address_text, complaint.content)
    found = ctx.dedup.find_duplicate(
        community_id=community_id, type_id=type_id, received_at=complaint.received_at,
        content=complaint.content, address=complaint.address_text, key=key, where=where,
    )
    primary = found[0] if found else None
    if primary is not None:
        complaint.duplicate_score = round(found[1] / 100, 4)
        complaint.status = ComplaintStatus.DUPLICATE
        complaint.routing_note = "同一事项重复反映，并入原诉件办理"
    # The index entry of a new primary, so its id can be filled in once the complaint is saved.
    complaint._dedup_entry = ctx.dedup.add(
        community_id=community_id, type_id=type_id, received_at=complaint.received_at, content=complaint.content,
        address=complaint.address_text, primary=primary is None, obj=complaint, key=key, where=where)
    return primary


def _check(data: ComplaintInput):
    if not (data.content or "").strip():
        raise ApplicationError("诉求内容不能为空", "content is required")
    if len(data.content) > MAX_CONTENT:
        raise ApplicationError(f"诉求内容过长（超过{MAX_CONTENT}字）", f"content longer than {MAX_CONTENT} characters")
    if data.channel not in Channel.values:
        raise ApplicationError(f"未知渠道“{data.channel}”", f"unknown channel '{data.channel}'")
    dates.datetime_check(data.received_at, label="受理时间", label_en="received_at")
    dates.date_check(data.due_date, kind=dates.DUE, label="办理时限", label_en="due_date")
    if data.external_no and Complaint.objects.filter(channel=data.channel, external_no=data.external_no).exists():
        raise ApplicationError(f"编号 {data.external_no} 已受理，不再重复登记",
                               f"number {data.external_no} was already received", extra={"code": "exists"})


# --- who may act -----------------------------------------------------------------------------------

REFUSED_ROLE = ("您的角色不能办理该操作", "your role cannot do this")
REFUSED_SCOPE = ("该诉件不在您的办理范围内", "this complaint is outside your scope")
REFUSED_NOBODY = ("该操作须由工作人员办理", "a person must do this: no user was given")


def check_may(actor, action: str, complaint: Complaint | None = None, *,
              refusal: tuple[str, str] | None = None) -> None:
    """The services' own refusal: ApplicationError, with nothing changed, unless accounts.policy.may(actor,
    action, complaint) allows it, the same rule the pages and the API ask first (a service may be called
    without them: a command, a later API). `refusal`: the wording of the refusal, when not the general one.

    The system actor is `None`: the platform acting with no person behind it. Only the services the platform
    runs on its own accept it, and they skip this check for it: the 12345 file import (`import_hotline`: the
    management command, the demo's loader, the bench) and `complaint_receive` with no reporter (a feed).
    Every decision of a person needs a user, and None is refused here like a user the policy refuses: confirm,
    the corrections, (un)marking duplicates, 派单纠错 (intake.dispatch), the 12345 reply (intake.hotline).

    Moves that follow an action already checked by their caller ask nothing and record their actor as given:
    `complaint_transition` itself, `complaint_referral_ended` (a department's answer, checked by cases.referrals
    against policy.REFERRAL_HANDLE) and the complaints closed with their case (cases.services, a case move
    checked there)."""
    if actor is None:
        raise ApplicationError(*REFUSED_NOBODY)
    if not policy.may(actor, action):
        raise ApplicationError(*(refusal or REFUSED_ROLE))
    if complaint is not None and not policy.may(actor, action, complaint):
        raise ApplicationError(*(refusal or REFUSED_SCOPE))


# --- the complaint's moves -----------------------------------------------------------------------

def _source(label) -> str:
    """The Chinese source of a translatable label (refusals are given in Chinese and English)."""
    with translation.override(None):
        return str(label)


def _status_label(status: str) -> str:
    return _source(ComplaintStatus(status).label) if status else "受理前"


@transaction.atomic
def complaint_transition(*, complaint: Complaint, action: str, actor, reason: str | list = "", to: str | None = None,
                         payload: dict | None = None, fields: Iterable[str] | None = None) -> ComplaintTransition:
    """The one way a complaint's status changes. The move `action` of intake.workflow, from the status the
    complaint has in the database (read under its row lock; a complaint not saved yet is being received) to
    `to` (by default the move's only target). The complaint is saved with the other changes the caller made to
    it (`fields`: only those fields besides the status), and the move recorded: who, when, from, to, why.

    `reason`: words a person typed, or accounts.messages parts for a reason the platform writes (shown in the
    reader's language). A move the table does not allow raises ApplicationError and nothing is changed."""
    if complaint._state.adding:
        source = workflow.RECEIVED
    else:
        source = (Complaint.objects.select_for_update().filter(pk=complaint.pk)
                  .values_list("status", flat=True).first())
        if source is None:
            raise ApplicationError("诉件不存在", "no such complaint")
    if action not in workflow.ACTIONS:
        raise ApplicationError(f"未知的诉件操作“{action}”", f"unknown complaint move '{action}'")
    move = workflow.find(source, action)
    name = _source(workflow.label_of(action))
    if move is None:
        raise ApplicationError(f"诉件当前状态“{_status_label(source)}”不能{name}",
                               f"'{action}' is not allowed from {source or 'receipt'}",
                               extra={"code": "illegal_move", "status": source})
    target = to if to is not None else (next(iter(move.targets)) if len(move.targets) == 1 else None)
    if target not in move.targets:
        raise ApplicationError(
            f"“{name}”不能使诉件由“{_status_label(source)}”变为“{_status_label(target or '')}”",
            f"'{action}' cannot take a complaint from {source or 'receipt'} to {target}",
            extra={"code": "illegal_move", "status": source})
    reason_text, parts = stored(reason)
    if "reason" in move.needs and not reason_text.strip():
        raise ApplicationError("请填写理由", "a reason is required", extra={"requirement": "reason"})
    complaint.status = target
    if fields is None or complaint._state.adding:
        complaint.save()
    else:
        complaint.save(update_fields=sorted({*fields, "status", "updated_at"}))
    return ComplaintTransition.objects.create(complaint=complaint, action=action, from_status=source,
                                              to_status=target, actor=actor, reason=reason_text,
                                              reason_parts=parts, payload=payload or {})


@retry_when_busy
@transaction.atomic
def complaint_receive(*, data: ComplaintInput, ctx: Context | None = None, photos: Iterable = ()) -> Complaint:
    """One complaint from a form or the API, filed by `data.reporter` through a channel the policy lets them use
    (accounts.policy.file_action); no reporter is the platform's own feed (check_may)."""
    _check(data)
    if data.reporter is not None:
        check_may(data.reporter, policy.file_action(data.channel),
                  refusal=("您的角色不能通过该渠道登记诉件", "your role cannot file through this channel"))
    photos = _checked_photos(photos)
    ctx = ctx or Context(since=data.received_at)
    prediction = ctx.classifier.predict_many([data.content])[0]
    complaint = _decide(data, prediction, ctx)
    primary = _dedup(complaint, ctx)
    if primary is not None:
        complaint.duplicate_of_id = primary.id if primary.id is not None else primary.obj.pk
    complaint.full_clean(exclude=["raw_row"])
    complaint_transition(complaint=complaint, action="receive", actor=data.reporter, to=complaint.status)
    for upload in photos:
        photo_add(complaint=complaint, upload=upload)
    return complaint


def _checked_photos(photos: Iterable) -> list:
    """Every photo is checked before anything is written, so a refused one leaves no complaint and no file."""
    photos = list(photos)
    for upload in photos:
        upload_check(upload, max_bytes=MAX_PHOTO_BYTES, photos_only=True)
    return photos


def photo_add(*, complaint: Complaint, upload) -> ComplaintPhoto:
    """A photo of the complaint: real type sniffed (JPEG, PNG, WebP or HEIC), name agreeing with it, at most
    10 MB (core.uploads.upload_check), SHA-256 kept."""
    checked = upload_check(upload, max_bytes=MAX_PHOTO_BYTES, photos_only=True)
    return ComplaintPhoto.objects.create(complaint=complaint, file=stored_file(upload, checked), sha256=checked.sha256)


# --- 12345 file import -------------------------------------------------------------------------

@dataclass
class HotlineReport:
    rows: int = 0
    created: int = 0
    skipped: int = 0
    duplicates: int = 0
    referred: int = 0
    triage: int = 0
    errors: list[RowError] = field(default_factory=list)
    by_type: Counter = field(default_factory=Counter)
    by_street: Counter = field(default_factory=Counter)
    batch_id: int | None = None

    @property
    def type_rows(self) -> list[tuple[str, int]]:
        """(violation type in the reader's language, orders): the catalogue's names, never its codes."""
        return type_labels(self.by_type.most_common())

    @property
    def street_rows(self) -> list[tuple[str, int]]:
        return [(gettext(UNMATCHED) if street == UNMATCHED else street, count)
                for street, count in self.by_street.most_common()]


UNCLASSIFIED, UNMATCHED = gettext_noop("未分类"), gettext_noop("未匹配")


_DATETIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                     "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]
# The common shapes of those formats, read without strptime (a tenth of its time); anything else, or a value
# out of range, goes through the formats above, so what is accepted and the error are the same.
_PLAIN_DATETIME = re.compile(r"([0-9]{4})([-/])([0-9]{2})\2([0-9]{2}) ([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
_PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_datetime(value: str, tz=None) -> datetime:
    """An aware datetime in `tz` (default: the current time zone, as timezone.make_aware gives it)."""
    value = (value or "").strip()
    tz = tz or timezone.get_current_timezone()
    if plain := _PLAIN_DATETIME.fullmatch(value):
        year, _, month, day, hour, minute, second = plain.groups()
        try:
            return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), tzinfo=tz)
        except ValueError:
            pass
    for fmt in _DATETIME_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return timezone.make_aware(parsed, tz)
    raise ApplicationError(f"受理时间“{value}”格式错误（应为 YYYY-MM-DD HH:MM[:SS]）",
                           f"received_at '{value}' is not YYYY-MM-DD HH:MM[:SS]")


def parse_date(value: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    return _parse_date(value)


@lru_cache(maxsize=4096)  # deadlines repeat: a year's file has a few hundred different ones
def _parse_date(value: str) -> date:
    if _PLAIN_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ApplicationError(f"办理时限“{value}”格式错误（应为 YYYY-MM-DD）", f"deadline '{value}' is not YYYY-MM-DD")


class _Order(NamedTuple):
    """A valid row of the file; `values` are those of ORDER_COLUMNS, adapted for the database."""

    line: int
    external_no: str
    received_at: datetime
    address: str
    content: str
    values: tuple


# The complaint columns an order fills by itself, then those its decisions fill (hotline_import.DECIDED_COLUMNS),
# then those the route and de-duplication fill: the columns of the rows the import writes, in this order.
ORDER_COLUMNS = ("external_no", "received_at", "due_date", "caller_name", "caller_phone", "address_text", "content",
                 "category_hint", "raw_row")
DEDUP_COLUMNS = ("status", "routing_note", "duplicate_of_id", "duplicate_score", "repeat_count",
                 "needs_consultation")
IMPORT_COLUMNS = ORDER_COLUMNS + DECIDED_COLUMNS + DEDUP_COLUMNS
_DUPLICATE_OF = IMPORT_COLUMNS.index("duplicate_of_id")
_STATUS = IMPORT_COLUMNS.index("status")
_HINT = ORDER_COLUMNS.index("category_hint")
# Each imported complaint's receipt (intake.workflow "receive"): these per row, the rest the same for all.
RECEIPT_COLUMNS = ("complaint_id", "to_status")


def _hotline_order(line: int, row: dict, raw: dict, tz, adapt_datetime, adapt_date) -> _Order:
    """The order of one row, or ApplicationError saying what is wrong with it."""
    ticket = (row.get("ticket_no") or "").strip()
    if not ticket:
        raise ApplicationError("缺少工单编号", "no ticket number")
    content = (row.get("content") or "").strip()
    if not content:
        raise ApplicationError("诉求内容为空", "no content")
    if len(content) > MAX_CONTENT:
        raise ApplicationError(f"诉求内容过长（超过{MAX_CONTENT}字）", f"content longer than {MAX_CONTENT} characters")
    received_at = dates.datetime_check(parse_datetime(row.get("received_at"), tz), label="受理时间",
                                       label_en="received_at")
    due_date = dates.date_check(parse_date(row.get("deadline")), kind=dates.DUE, label="办理时限",
                                label_en="deadline")
    address = row.get("address") or ""
    external_no = ticket[:64]
    return _Order(line, external_no, received_at, address, content, (
        external_no, adapt_datetime(received_at), adapt_date(due_date) if due_date is not None else None,
        (row.get("caller_name") or "")[:50], (row.get("caller_phone") or "")[:30], address[:300], content,
        (row.get("category_hint") or "")[:100], json.dumps(raw)))


CHUNK = 1000  # orders decided and written together (one transaction, one step of the progress bar)
HELPER_MIN_ROWS = 3 * CHUNK  # from this many new orders on, a helper process decides orders ahead
# Below this many new orders the de-duplication index reads only the (community, matter) slots the orders are about,
# chunk by chunk (a read waits for the writer); from it on, every slot of the district's window in one read before
# the first chunk: a file this large names most of them anyway (20,000 orders of a week at 1 million complaints
# read more slowly slot by slot, 1.4–2.8 s against 0.5 s, and waited 4 s for the writer: bench/README.md).
LAZY_DEDUP_MAX_ROWS = HELPER_MIN_ROWS


def import_district(actor, district=None) -> District | None:
    """The district a 12345 file is imported into: its streets, communities and addresses are the only ones its
    orders are matched to. A district's user imports into their own district (naming another is refused); a user
    whose scope spans several districts (an administrator of the installation) and the command (`actor` None)
    must name it while the installation holds several; with one district nothing is asked (None: every community,
    as before districts)."""
    several = District.objects.count() > 1
    own = scope.district_streets(actor) if actor is not None else None
    if own is not None:  # placed in a district (only while there are several)
        mine = District.objects.filter(streets__in=own).order_by("pk").first() if own else None
        if mine is None:
            raise ApplicationError("您的账号未归属任何区，不能导入工单",
                                   "your account belongs to no district: it cannot import")
        if district is not None and district.pk != mine.pk:
            raise ApplicationError(f"只能导入本区（{mine.name}）的工单", f"you may import into your own district "
                                   f"({mine.name}) only")
        return mine
    if district is None and several:
        known = "、".join(District.objects.order_by("pk").values_list("name", flat=True))
        raise ApplicationError(f"有多个区（{known}），请指定工单所属的区（命令行用 --district），未导入任何工单",
                               "several districts share the installation: name the file's district (--district); "
                               "nothing was imported")
    return district


def import_asks_district(actor) -> bool:
    """Whether the import page asks which district (import_district): for a user whose scope spans several."""
    return scope.district_streets(actor) is None and District.objects.count() > 1


def import_hotline(*, path, actor=None, progress: Callable[[Iterable], Iterable] | None = None,
                   file_name: str | None = None, district=None) -> HotlineReport:
    """Import a 12345 work-order file: idempotent by work-order number; every bad row reported with
    its line and reason and stored not at all; the good rows classified, matched, routed, de-duplicated.

    Orders are decided and written in time order, CHUNK at a time, each chunk in one transaction. What an order's
    own text decides is made ahead, in a helper process for a large file (hotline_import.Ahead).

    `actor`: the user importing (the upload page), who must be allowed policy.COMPLAINT_IMPORT; None for the
    platform itself (the command, the demo; check_may). `district`: whose streets and communities the orders are
    matched in (import_district: required while the installation holds several, a district user's own)."""
    if actor is not None:
        check_may(actor, policy.COMPLAINT_IMPORT)
    district = import_district(actor, district)
    report = HotlineReport()
    orders: list[_Order] = []
    first_seen: dict[str, int] = {}
    adapt_datetime, adapt_date = connection.ops.adapt_datetimefield_value, connection.ops.adapt_datefield_value
    tz = timezone.get_current_timezone()
    for line, row, raw in read_table(path, HOTLINE_COLUMNS, HOTLINE_REQUIRED):
        report.rows += 1
        try:
            order = _hotline_order(line, row, raw, tz, adapt_datetime, adapt_date)
        except ApplicationError as exc:
            report.errors.append(RowError.of(line, exc))
            continue
        ticket = order.external_no
        if ticket in first_seen:
            report.errors.append(RowError.said(
                line, f"工单编号 {ticket} 在文件中重复（首次出现于第{first_seen[ticket]}行）",
                f"ticket {ticket} repeated in the file (first on line {first_seen[ticket]})"))
            continue
        first_seen[ticket] = line
        orders.append(order)

    # asked by number, 5,000 at a time, through the unique index: never every number the district ever had. The
    # index is partial (numbers that are not empty): the query says `external_no <> ''` so that PostgreSQL may use
    # it (it cannot prove that from `IN (…)`, and took the trigram index instead: 2–30 s a query at 1 million), and
    # asks no order (the model's default would sort the answer by time).
    tickets = list(first_seen)
    existing = set()
    for start in range(0, len(tickets), 5000):
        existing.update(Complaint.objects.filter(channel=Channel.HOTLINE, external_no__in=tickets[start:start + 5000])
                        .exclude(external_no="").order_by().values_list("external_no", flat=True))
    fresh = [order for order in orders if order.external_no not in existing]
    report.skipped = len(orders) - len(fresh)
    fresh.sort(key=attrgetter("received_at"))  # repeats and duplicates follow time

    batch = ImportBatch.objects.create(channel=Channel.HOTLINE, file_name=file_name or str(path)[-255:],
                                       imported_by=actor, rows=report.rows, district=district)
    report.batch_id = batch.pk
    try:
        if fresh:
            _import_orders(fresh, report, batch, actor, progress, district)
    finally:  # also when a chunk failed: the batch tells what was written before
        batch.created, batch.skipped, batch.rejected = report.created, report.skipped, len(report.errors)
        batch.errors = [{"line": e.line, "reason": e.reason} for e in report.errors[:1000]]
        batch.summary = {"by_type": dict(report.by_type), "by_street": dict(report.by_street),
                         "duplicates": report.duplicates, "referred": report.referred, "triage": report.triage}
        batch.save()
    return report


def _import_orders(fresh: list[_Order], report: HotlineReport, batch: ImportBatch, actor, progress,
                   district=None) -> None:
    ctx = Context(since=fresh[0].received_at, lazy_dedup=len(fresh) < LAZY_DEDUP_MAX_ROWS, district=district)
    dedup = ctx.dedup
    streets = {sid: s["name"] for sid, s in ctx.index.streets.items()}
    now = timezone.now()
    fixed = {"created_at": now, "updated_at": now, "channel": Channel.HOTLINE.value, "batch_id": batch.pk,
             "community_source": DecisionSource.MODEL.value, "type_source": DecisionSource.MODEL.value}
    history_model = Complaint.history.model
    history_names, history_row = history_of(Complaint, IMPORT_COLUMNS)
    history_fields = {f.attname for f in history_model._meta.concrete_fields}
    history_fixed = {**{k: v for k, v in fixed.items() if k in history_fields}, "history_date": now,
                     "history_change_reason": None, "history_type": "+",
                     "history_user_id": actor.pk if actor is not None else None}
    with_history = getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    # the receipt of each complaint, as complaint_transition records it (the import is its one bulk path)
    receipt = workflow.find(workflow.RECEIVED, "receive")
    receipt_fixed = {"action": receipt.action, "from_status": workflow.RECEIVED, "at": now,
                     "actor_id": actor.pk if actor is not None else None, "reason": "", "reason_parts": [],
                     "payload": {"batch": batch.pk}}
    duplicate_status, duplicate_note = ComplaintStatus.DUPLICATE.value, "同一事项重复反映，并入原诉件办理"
    referred, triage = ComplaintStatus.REFERRED.value, ComplaintStatus.NEW.value

    starts = range(0, len(fresh), CHUNK)
    texts = [[(order.content, order.address, order.values[_HINT]) for order in fresh[start:start + CHUNK]]
             for start in starts]
    decider = ctx.decider
    # PostgreSQL: the search column's pairs computed with the decisions (in the helper process), not by the
    # database's trigger (core.search)
    decider.grams = search.uses_grams()
    grams = {search.COLUMN: "tsvector"} if decider.grams else None
    state = helper_usable(decider) if len(fresh) >= HELPER_MIN_ROWS else None

    db = connections[DEFAULT_DB_ALIAS]  # this thread's connection itself (django.db.connection is per thread)

    def write(job):
        """One chunk: its new primaries, then its duplicates (pointing at primaries of this chunk or before),
        then the history rows of both."""
        roots, duplicates = job
        ids = insert_rows(Complaint, IMPORT_COLUMNS, [row for row, _, _ in roots], fixed=fixed, returning=True,
                          connection=db, extra=grams)
        for (_row, holder, _entry), pk in zip(roots, ids, strict=True):
            holder[0] = pk
        for row, primary in duplicates:
            row[_DUPLICATE_OF] = primary.id if primary.id is not None else primary.obj[0]
        ids += insert_rows(Complaint, IMPORT_COLUMNS, [row for row, _ in duplicates], fixed=fixed, returning=True,
                           connection=db, extra=grams)
        rows = [*(row for row, _, _ in roots), *(row for row, _ in duplicates)]
        receipts = [(pk, row[_STATUS]) for row, pk in zip(rows, ids, strict=True)]
        if not {status for _pk, status in receipts} <= receipt.targets:  # routing and dedup give only these
            raise ApplicationError("导入的诉件状态不在流转表内", "an imported complaint's status is not a receipt's")
        insert_rows(ComplaintTransition, RECEIPT_COLUMNS, receipts, fixed=receipt_fixed, connection=db)
        if with_history:
            insert_rows(history_model, history_names, [history_row(row, pk) for row, pk in zip(rows, ids, strict=True)],
                        fixed=history_fixed, connection=db)
        for _row, holder, entry in roots:  # later duplicates of these primaries need their ids
            if entry is not None:
                entry.id, entry.obj = holder[0], None
        report.created += len(ids)

    with bulk_session(db), Writer(write, connection=db) as writer, Ahead(decider, texts, state=state) as ahead:
        for start in (progress(starts) if progress else starts):
            part = fresh[start:start + CHUNK]
            decisions = ahead.get(start // CHUNK)
            # The dedup slots of this chunk, and of those already decided ahead, not read yet: read now, in one
            # pass, while the writer (done with the chunks before) leaves the connection alone.
            missing = dedup.missing((d[D_COMMUNITY], d[D_MATTER]) for d in chain(decisions, *ahead.peek()))
            if missing:
                writer.quiet()
                dedup.load(missing)
            roots, duplicates = [], []
            for order, decided in zip(part, decisions, strict=True):
                received_at, community_id, kind = order.received_at, decided[D_COMMUNITY], decided[D_MATTER]
                key, where = decided[D_KEY], decided[D_SPOT]
                repeat_count = dedup.repeat_count(community_id=community_id, type_id=kind, received_at=received_at)
                found = dedup.find_duplicate(community_id=community_id, type_id=kind, received_at=received_at,
                                             content=order.content, address=order.values[5], key=key, where=where)
                holder = None if found else [None]  # a new primary's id, once written
                entry = dedup.add(community_id=community_id, type_id=kind, received_at=received_at,
                                  content=order.content, address=order.values[5], primary=found is None,
                                  obj=holder, key=key, where=where)
                status = decided[D_STATUS]
                row = [*order.values, *decided[:len(DECIDED_COLUMNS)], status, decided[D_NOTE], None, None,
                       repeat_count, repeat_count >= CONSULTATION_AT]
                if grams:
                    row.append(decided[D_GRAMS])  # the search column (extra), after IMPORT_COLUMNS
                if found:
                    row[_STATUS:_STATUS + 4] = duplicate_status, duplicate_note, None, round(found[1] / 100, 4)
                    duplicates.append((row, found[0]))
                    report.duplicates += 1
                else:
                    roots.append((row, holder, entry))
                    if status == referred:
                        report.referred += 1
                    elif status == triage:
                        report.triage += 1
                report.by_type[decided[D_TYPE_CODE] or UNCLASSIFIED] += 1
                report.by_street[streets.get(decided[D_STREET], UNMATCHED)] += 1
            writer.submit((roots, duplicates))


def _insert_rows(model, objs, *, returning: bool, fixed: dict | None = None) -> list[int]:
    """Insert model objects' values for `model`'s columns (bench/bench_import.py times the import's writer by it)."""
    fixed = fixed or {}
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in fixed]
    names = [f.attname for f in fields]
    rows = [[f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] for obj in objs]
    return insert_rows(model, names, rows, fixed=fixed, returning=returning)


# --- staff decisions ---------------------------------------------------------------------------

def _correction(complaint, field_name, old, new, actor, reason=""):
    Correction.objects.create(complaint=complaint, field=field_name, old_value=str(old or "")[:100],
                              new_value=str(new or "")[:100], reason=reason[:200], actor=actor)


def _lock(complaint: Complaint) -> Complaint:
    return (Complaint.objects.select_for_update(of=("self",)).select_related("violation_type", "community")
            .get(pk=complaint.pk))


@transaction.atomic
def complaint_confirm(*, complaint: Complaint, actor) -> Complaint:
    """Staff agree with the automatic decisions: the type counts as confirmed training data."""
    check_may(actor, policy.COMPLAINT_TRIAGE, complaint)
    complaint = _lock(complaint)
    if complaint.violation_type is None:
        raise ApplicationError("尚未确定类型，请先更正类型", "no type yet: correct the type first")
    complaint.type_source = DecisionSource.STAFF
    _reroute(complaint, confirmed=True)
    complaint._change_reason = "确认"
    _save_decision(complaint, "confirm", actor)
    return complaint


def _save_decision(complaint: Complaint, action: str, actor, reason: str = ""):
    """Save a staff decision. In the queue the route was decided again (_reroute): a move of intake.workflow,
    recorded, and a confirmed matter for another department is referred to it. Elsewhere (a duplicate, a
    complaint in a case or ended) the status stays and only the decision is saved (its Correction records it)."""
    if complaint.status not in workflow.QUEUE:
        complaint.save()
        return
    referred = _will_refer(complaint)
    complaint_transition(complaint=complaint, action=action, actor=actor, reason=typed(reason), to=complaint.status,
                         payload={"referred_to": complaint.department.code} if referred else None)
    if referred:
        _send_referral(complaint, actor)


def _will_refer(complaint: Complaint) -> bool:
    return complaint.status == ComplaintStatus.REFERRED and complaint.type_source == DecisionSource.STAFF


def _send_referral(complaint: Complaint, actor):
    """Once a person has confirmed a non-enforcement matter, it is referred (移交) to its department,
    which signs for it and answers within the deadline."""
    if not _will_refer(complaint):
        return
    hooks.referral_send(department=complaint.department, matter=complaint.content, actor=actor, complaint=complaint)


@transaction.atomic
def complaint_referral_ended(*, complaint: Complaint, referral, actor) -> Complaint:
    """The department answered (反馈) a complaint referred to it: once no other referral of it is pending,
    the complaint is closed (已办结). The department returned it (退回, not theirs): it waits in the queue
    again (待分拣) for staff to correct its type or department. A move that follows the department's answer,
    which cases.referrals checked (policy.REFERRAL_HANDLE): it asks nothing itself (check_may)."""
    complaint = _lock(complaint)
    if complaint.status != ComplaintStatus.REFERRED:
        return complaint
    name = referral.department.name
    if referral.status == ReferralStatus.ANSWERED:
        if complaint.referrals.filter(status__in=[ReferralStatus.SENT, ReferralStatus.SIGNED]).exists():
            return complaint
        action, reason = "referral_answered", text(gettext_noop("{department}已反馈："), department=name)
        complaint.routing_note = f"{name}已反馈：{referral.answer}"[:200]
        complaint._change_reason = "主管部门已反馈，办结"
    elif referral.status == ReferralStatus.RETURNED:
        action, reason = "referral_returned", text(gettext_noop("{department}退回："), department=name)
        complaint.routing_note = f"{name}{referral.answer}，请更正类型或部门后重新分派"[:200]
        complaint._change_reason = "主管部门退回"
    else:
        return complaint
    complaint._history_user = actor
    complaint_transition(complaint=complaint, action=action, actor=actor,
                         reason=reason + typed(referral.answer.removeprefix("退回：")),
                         payload={"department": referral.department.code, "referral": referral.pk})
    return complaint


def _reroute(complaint: Complaint, *, confirmed: bool):
    if complaint.status in {ComplaintStatus.DUPLICATE, ComplaintStatus.IN_CASE, ComplaintStatus.CLOSED,
                            ComplaintStatus.RETURNED}:
        return
    code = complaint.violation_type.code if complaint.violation_type else None
    dept = complaint.department.code if complaint.department else None
    if code != routing.NON_ENFORCEMENT:
        dept = None
    elif dept is None and complaint.predicted_department:
        dept = complaint.predicted_department.code
    review = (complaint.classification_evidence or {}).get("review")
    reason = {"review_reason": review.get("reason") or None} if isinstance(review, dict) else {}
    decided = routing.route(type_code=code, department_code=dept, confidence=complaint.confidence,
                            has_place=bool(complaint.street_id), confirmed=confirmed, **reason)
    complaint.department = Department.objects.filter(code=decided.department_code).first()
    complaint.status = decided.status
    complaint.routing_note = decided.note


# The policy action each move made through complaint_correct_type needs.
CORRECT_TYPE_ACTIONS = {"correct_type": policy.COMPLAINT_TRIAGE,
                        "reroute_department": policy.COMPLAINT_REROUTE_DEPARTMENT}


@transaction.atomic
def complaint_correct_type(*, complaint: Complaint, type_code: str, actor, department_code: str = "",
                           reason: str = "", action: str = "correct_type") -> Complaint:
    """The type staff set (and the department, for a matter not the bureau's). `action`: the move recorded,
    "reroute_department" when intake.dispatch re-routes the complaint to a department through it; the actor
    must be allowed that move's policy action (CORRECT_TYPE_ACTIONS)."""
    if action not in CORRECT_TYPE_ACTIONS:
        raise ApplicationError(f"未知的诉件操作“{action}”", f"unknown complaint move '{action}'")
    check_may(actor, CORRECT_TYPE_ACTIONS[action], complaint)
    complaint = _lock(complaint)
    vtype = ViolationType.objects.filter(code=type_code).first()
    if vtype is None:
        raise ApplicationError(f"未知违法类型“{type_code}”", f"unknown violation type '{type_code}'")
    department = None
    if vtype.code == routing.NON_ENFORCEMENT:
        department = (Department.objects.filter(code=department_code)
                      .exclude(code=routing.ENFORCEMENT_DEPARTMENT).first())
        if department is None:
            raise ApplicationError("非城管执法事项须指定移交部门",
                                   "a non-enforcement matter needs the receiving department")
    old = complaint.violation_type.code if complaint.violation_type else ""
    old_name = complaint.violation_type.name if complaint.violation_type else "未分类"
    old_dept = complaint.department.code if complaint.department else ""
    complaint.violation_type = vtype
    complaint.type_source = DecisionSource.STAFF
    complaint.department = department
    _correction(complaint, CorrectionField.TYPE, old, vtype.code, actor, reason)
    if department and department.code != old_dept:
        _correction(complaint, CorrectionField.DEPARTMENT, old_dept, department.code, actor, reason)
    _reroute(complaint, confirmed=True)
    complaint._change_reason = f"更正类型 {old_name}→{vtype.name}"  # the history names the types (Chinese, stored)
    _save_decision(complaint, action, actor, reason)
    return complaint


@transaction.atomic
def complaint_correct_community(*, complaint: Complaint, community: Community, actor, reason: str = "") -> Complaint:
    """The community staff set; it must be one they may see (as the page and the API offer)."""
    check_may(actor, policy.COMPLAINT_TRIAGE, complaint)
    if not Community.objects.restrict(actor, "view").filter(pk=community.pk).exists():
        raise ApplicationError("该小区不在您的范围内", "that community is outside your scope")
    complaint = _lock(complaint)
    old = complaint.community.name if complaint.community else ""
    complaint.community = community
    complaint.street_id = community.street_id
    complaint.community_source = DecisionSource.STAFF
    complaint.match_score = 1.0
    _correction(complaint, CorrectionField.COMMUNITY, old, community.name, actor, reason)
    _reroute(complaint, confirmed=complaint.type_source == DecisionSource.STAFF)
    complaint._change_reason = f"更正小区 {old}→{community.name}"
    _save_decision(complaint, "correct_community", actor, reason)
    return complaint


@transaction.atomic
def complaint_mark_duplicate(*, complaint: Complaint, primary: Complaint, actor, reason: str = "") -> Complaint:
    """The complaint repeats `primary` (or the original `primary` itself repeats), which the actor must see."""
    check_may(actor, policy.COMPLAINT_TRIAGE, complaint)
    if not Complaint.objects.restrict(actor, "view").filter(pk=primary.pk).exists():
        raise ApplicationError("原诉件不在您的范围内", "the original complaint is outside your scope")
    complaint = _lock(complaint)
    root = primary.duplicate_of or primary
    if root.pk == complaint.pk:
        raise ApplicationError("不能标记为自身的重复件", "a complaint cannot duplicate itself")
    complaint.duplicate_of = root
    complaint.routing_note = "人工标记为重复件，并入原诉件办理"
    _correction(complaint, CorrectionField.DUPLICATE, "", str(root), actor, reason)
    complaint._change_reason = f"标记为 {root} 的重复件"
    complaint_transition(complaint=complaint, action="mark_duplicate", actor=actor,
                         reason=text(gettext_noop("重复于 {original}"), original=str(root))
                         + (text(gettext_noop("；理由：")) + typed(reason) if reason else []),
                         payload={"duplicate_of": root.pk})
    return complaint


@transaction.atomic
def complaint_unmark_duplicate(*, complaint: Complaint, actor, reason: str = "") -> Complaint:
    check_may(actor, policy.COMPLAINT_TRIAGE, complaint)
    complaint = _lock(complaint)
    if complaint.duplicate_of_id is None:
        raise ApplicationError("该诉件不是重复件", "this complaint is not a duplicate")
    old = str(complaint.duplicate_of)
    complaint.duplicate_of = None
    complaint.duplicate_score = None
    complaint.status = ComplaintStatus.NEW
    _reroute(complaint, confirmed=complaint.type_source == DecisionSource.STAFF)
    _correction(complaint, CorrectionField.DUPLICATE, old, "非重复", actor, reason)
    complaint._change_reason = "取消重复件标记"
    complaint_transition(complaint=complaint, action="unmark_duplicate", actor=actor, reason=typed(reason),
                         to=complaint.status)
    return complaint
