"""Intake: every complaint, from any channel, is classified, matched to its community, routed and
checked for duplicates here — forms, API and file imports all call these functions."""
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from itertools import chain
from operator import attrgetter

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.errors import ApplicationError
from core.tabular import RowError, read_table
from intake import routing
from intake.choices import Channel, ComplaintStatus, CorrectionField, DecisionSource
from intake.dedup import CONSULTATION_AT, DedupIndex, matter, spot, text_key
from intake.matching import CommunityIndex
from intake.models import Complaint, ComplaintPhoto, Correction, ImportBatch
from registry.models import Community, Department, ViolationType

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

    def __init__(self, *, since: datetime | None = None):
        from intake.classifier import get_classifier

        self.classifier = get_classifier()
        self.index = CommunityIndex.build()
        self.dedup = DedupIndex.build(since=since)
        self.types = {t.code: t for t in ViolationType.objects.select_related("department")}
        self.departments = {d.code: d for d in Department.objects.all()}


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
    if data.community is not None:
        community_id, street_id, match_score = data.community.pk, data.community.street_id, 1.0
        match_evidence = {"method": "chosen", "community": data.community.name}
        community_source = DecisionSource.STAFF
    else:
        match = ctx.index.match(data.address or data.content)
        if match.community_id is None and data.address:
            # The address may name only a road; the content may name the community.
            in_text = ctx.index.match(data.content)
            if in_text.community_id is not None:
                match = in_text
        community_id, street_id, match_score = match.community_id, match.street_id, match.score
        match_evidence, community_source = match.evidence, DecisionSource.MODEL

    vtype = ctx.types.get(prediction.violation_type) if prediction.violation_type else None
    predicted_department = ctx.departments.get(prediction.department) if prediction.department else None
    decided = routing.route(
        type_code=vtype.code if vtype else None,
        department_code=predicted_department.code if predicted_department else None,
        confidence=prediction.confidence,
        has_place=bool(street_id),
    )
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
        classification_evidence={
            "terms": list(prediction.evidence),
            "alternatives": [list(a) for a in getattr(prediction, "alternatives", [])],
        },
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
    if data.external_no and Complaint.objects.filter(channel=data.channel, external_no=data.external_no).exists():
        raise ApplicationError(f"编号 {data.external_no} 已受理，不再重复登记",
                               f"number {data.external_no} was already received", extra={"code": "exists"})


@transaction.atomic
def complaint_receive(*, data: ComplaintInput, ctx: Context | None = None, photos: Iterable = ()) -> Complaint:
    """One complaint from a form or the API."""
    _check(data)
    ctx = ctx or Context(since=data.received_at)
    prediction = ctx.classifier.predict_many([data.content])[0]
    complaint = _decide(data, prediction, ctx)
    primary = _dedup(complaint, ctx)
    if primary is not None:
        complaint.duplicate_of_id = primary.id if primary.id is not None else primary.obj.pk
    complaint.full_clean(exclude=["raw_row"])
    complaint.save()
    for upload in photos:
        photo_add(complaint=complaint, upload=upload)
    return complaint


def photo_add(*, complaint: Complaint, upload) -> ComplaintPhoto:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return ComplaintPhoto.objects.create(complaint=complaint, file=upload, sha256=digest.hexdigest())


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
        return self.by_type.most_common()

    @property
    def street_rows(self) -> list[tuple[str, int]]:
        return self.by_street.most_common()


_DATETIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                     "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]


def parse_datetime(value: str) -> datetime:
    value = (value or "").strip()
    for fmt in _DATETIME_FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return timezone.make_aware(parsed)
    raise ApplicationError(f"受理时间“{value}”格式错误（应为 YYYY-MM-DD HH:MM[:SS]）",
                           f"received_at '{value}' is not YYYY-MM-DD HH:MM[:SS]")


def parse_date(value: str) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ApplicationError(f"办理时限“{value}”格式错误（应为 YYYY-MM-DD）", f"deadline '{value}' is not YYYY-MM-DD")


def _hotline_input(row: dict, raw: dict) -> ComplaintInput:
    ticket = (row.get("ticket_no") or "").strip()
    if not ticket:
        raise ApplicationError("缺少工单编号", "no ticket number")
    content = (row.get("content") or "").strip()
    if not content:
        raise ApplicationError("诉求内容为空", "no content")
    if len(content) > MAX_CONTENT:
        raise ApplicationError(f"诉求内容过长（超过{MAX_CONTENT}字）", f"content longer than {MAX_CONTENT} characters")
    return ComplaintInput(
        channel=Channel.HOTLINE,
        external_no=ticket[:64],
        received_at=parse_datetime(row.get("received_at")),
        due_date=parse_date(row.get("deadline")),
        caller_name=(row.get("caller_name") or "")[:50],
        caller_phone=(row.get("caller_phone") or "")[:30],
        address=row.get("address") or "",
        content=content,
        category_hint=(row.get("category_hint") or "")[:100],
        raw_row=raw,
    )


CHUNK = 1000


def import_hotline(*, path, actor=None, progress: Callable[[Iterable], Iterable] | None = None,
                   file_name: str | None = None) -> HotlineReport:
    """Import a 12345 work-order file: idempotent by work-order number; every bad row reported with
    its line and reason and stored not at all; the good rows classified, matched, routed, de-duplicated."""
    report = HotlineReport()
    inputs: list[tuple[int, ComplaintInput]] = []
    first_seen: dict[str, int] = {}
    rows = read_table(path, HOTLINE_COLUMNS, HOTLINE_REQUIRED)
    for line, row, raw in rows:
        report.rows += 1
        try:
            data = _hotline_input(row, raw)
        except ApplicationError as exc:
            report.errors.append(RowError(line, str(exc)))
            continue
        if data.external_no in first_seen:
            report.errors.append(RowError(
                line, f"工单编号 {data.external_no} 在文件中重复（首次出现于第{first_seen[data.external_no]}行） / "
                      f"ticket {data.external_no} repeated in the file (first on line {first_seen[data.external_no]})"))
            continue
        first_seen[data.external_no] = line
        inputs.append((line, data))

    existing = set(Complaint.objects.filter(channel=Channel.HOTLINE, external_no__in=list(first_seen))
                   .values_list("external_no", flat=True)) if len(first_seen) < 5000 else set(
        Complaint.objects.filter(channel=Channel.HOTLINE).values_list("external_no", flat=True))
    fresh = [(line, data) for line, data in inputs if data.external_no not in existing]
    report.skipped = len(inputs) - len(fresh)
    fresh.sort(key=lambda item: item[1].received_at)  # repeats and duplicates follow time

    batch = ImportBatch.objects.create(channel=Channel.HOTLINE, file_name=file_name or str(path)[-255:],
                                       imported_by=actor, rows=report.rows)
    report.batch_id = batch.pk
    if fresh:
        ctx = Context(since=fresh[0][1].received_at)
        streets = {sid: s["name"] for sid, s in ctx.index.streets.items()}
        chunks = range(0, len(fresh), CHUNK)
        for start in (progress(chunks) if progress else chunks):
            part = fresh[start:start + CHUNK]
            predictions = ctx.classifier.predict_many([data.content for _, data in part])
            roots, duplicates = [], []
            for (_line, data), prediction in zip(part, predictions, strict=True):
                complaint = _decide(data, prediction, ctx)
                complaint.batch = batch
                primary = _dedup(complaint, ctx)
                if primary is None:
                    roots.append(complaint)
                else:
                    duplicates.append((complaint, primary))
                report.by_type[complaint.violation_type.code if complaint.violation_type else "未分类"] += 1
                report.by_street[streets.get(complaint.street_id, "未匹配")] += 1
                if complaint.status == ComplaintStatus.REFERRED:
                    report.referred += 1
                elif complaint.status == ComplaintStatus.NEW:
                    report.triage += 1
            with transaction.atomic():
                _create_with_history(roots, actor)
                for complaint, primary in duplicates:
                    complaint.duplicate_of_id = primary.id if primary.id is not None else primary.obj.pk
                _create_with_history([c for c, _ in duplicates], actor)
            _remember_ids(ctx, roots)  # later duplicates of these primaries need their ids
            report.created += len(part)
            report.duplicates += len(duplicates)
    batch.created, batch.skipped, batch.rejected = report.created, report.skipped, len(report.errors)
    batch.errors = [{"line": e.line, "reason": e.reason} for e in report.errors[:1000]]
    batch.summary = {"by_type": dict(report.by_type), "by_street": dict(report.by_street),
                     "duplicates": report.duplicates, "referred": report.referred, "triage": report.triage}
    batch.save()
    return report


def _remember_ids(ctx: Context, saved: list[Complaint]):
    """Give the dedup index the ids of primaries just inserted."""
    for complaint in saved:
        entry = getattr(complaint, "_dedup_entry", None)
        if entry is not None and entry.id is None:
            entry.id, entry.obj = complaint.pk, None


def _create_with_history(objs: list[Complaint], actor) -> None:
    """Insert new complaints and their "+" history rows, as bulk_create_with_history does, but as plain
    multi-row INSERTs: Django's per-value SQL compilation was half of an import's time. Where the database
    cannot return the new ids from a multi-row insert, bulk_create_with_history itself is used."""
    if not objs:
        return
    if not connection.features.can_return_rows_from_bulk_insert:
        bulk_create_with_history(objs, Complaint, batch_size=CHUNK, default_user=actor)
        return
    now = timezone.now()
    for obj in objs:
        obj.created_at = obj.updated_at = now
    stamps = {"created_at": now, "updated_at": now}
    ids = _insert_rows(Complaint, objs, returning=True, fixed=stamps)
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    if getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        _insert_rows(Complaint.history.model, objs, returning=False, fixed={
            **stamps, "history_date": now, "history_change_reason": None, "history_type": "+",
            "history_user_id": actor.pk if actor is not None else None})


def _insert_rows(model, objs, *, returning: bool, fixed: dict | None = None) -> list[int]:
    """Insert the objects' attribute values for `model`'s columns other than its primary key (`fixed` gives
    some columns one value for every row), returning the new keys in order when asked. Dates, decimals, JSON
    and choices are adapted for the backend; text, numbers, booleans and foreign-key ids go as they are.
    SQLite: INSERT … VALUES (…), (…) RETURNING; PostgreSQL: INSERT … SELECT FROM UNNEST(one array per column),
    as Django's bulk_create does there."""
    ops = connection.ops
    fixed = fixed or {}
    taken = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in fixed]
    adapters = []
    for index, f in enumerate(taken):
        kind = f.get_internal_type()
        if kind == "DateTimeField":
            adapters.append((index, ops.adapt_datetimefield_value))
        elif kind == "DateField":
            adapters.append((index, ops.adapt_datefield_value))
        elif kind == "DecimalField":
            adapters.append((index, partial(ops.adapt_decimalfield_value, max_digits=f.max_digits,
                                            decimal_places=f.decimal_places)))
        elif kind == "JSONField":
            adapters.append((index, partial(f.get_db_prep_save, connection=connection)))
        elif f.choices:
            adapters.append((index, str))  # TextChoices members as plain text
    fixed_values = [ops.adapt_datetimefield_value(v) if isinstance(v, datetime) else v for v in fixed.values()]
    get = attrgetter(*(f.attname for f in taken))
    rows = []
    for obj in objs:
        row = list(get(obj))
        for index, adapt in adapters:
            if row[index] is not None:
                row[index] = adapt(row[index])
        rows.append(row)
    fixed_fields = [model._meta.get_field(name) for name in fixed]
    columns = ", ".join(ops.quote_name(f.column) for f in taken + fixed_fields)
    head = f"INSERT INTO {ops.quote_name(model._meta.db_table)} ({columns}) "
    tail = f" RETURNING {ops.quote_name(model._meta.pk.column)}" if returning else ""
    ids: list[int] = []
    if connection.vendor == "postgresql":
        import psycopg

        # A handful of parameters per statement, sent in binary (%b) through a server-side-binding cursor:
        # a VALUES list of 500 rows × 38 columns, or Django's client-side cursor quoting every array element
        # in Python, costs more than PostgreSQL's own work.
        arrays = ", ".join(f"%b::{f.db_type(connection).split('(')[0]}[]" for f in taken)
        constants = "".join(f", %s::{f.db_type(connection).split('(')[0]}" for f in fixed_fields)
        sql = f"{head}SELECT *{constants} FROM UNNEST({arrays}){tail}"
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            for start in range(0, len(rows), CHUNK):
                columns_of_part = [list(column) for column in zip(*rows[start:start + CHUNK], strict=True)]
                cursor.execute(sql, fixed_values + columns_of_part)
                if returning:
                    ids.extend(row[0] for row in cursor.fetchall())
        return ids
    limit = connection.features.max_query_params
    if connection.vendor == "sqlite":
        import sqlite3

        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    width = len(taken) + len(fixed_fields)
    per_statement = max(1, min(500, (limit or 65535) // width))
    one = "(" + ", ".join(["%s"] * width) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            part = rows[start:start + per_statement]
            cursor.execute(f"{head}VALUES {', '.join([one] * len(part))}{tail}",
                           list(chain.from_iterable(row + fixed_values for row in part)))
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids


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
    complaint = _lock(complaint)
    if complaint.violation_type is None:
        raise ApplicationError("尚未确定类型，请先更正类型", "no type yet: correct the type first")
    complaint.type_source = DecisionSource.STAFF
    _reroute(complaint, confirmed=True)
    complaint._change_reason = "确认"
    complaint.save()
    _send_referral(complaint, actor)
    return complaint


def _send_referral(complaint: Complaint, actor):
    """Once a person has confirmed a non-enforcement matter, it is referred (移交) to its department,
    which signs for it and answers within the deadline."""
    if complaint.status != ComplaintStatus.REFERRED or complaint.type_source != DecisionSource.STAFF:
        return
    from cases.referrals import referral_send

    referral_send(department=complaint.department, matter=complaint.content, actor=actor, complaint=complaint)


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
    decided = routing.route(type_code=code, department_code=dept, confidence=complaint.confidence,
                            has_place=bool(complaint.street_id), confirmed=confirmed)
    complaint.department = Department.objects.filter(code=decided.department_code).first()
    complaint.status = decided.status
    complaint.routing_note = decided.note


@transaction.atomic
def complaint_correct_type(*, complaint: Complaint, type_code: str, actor, department_code: str = "",
                           reason: str = "") -> Complaint:
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
    old_dept = complaint.department.code if complaint.department else ""
    complaint.violation_type = vtype
    complaint.type_source = DecisionSource.STAFF
    complaint.department = department
    _correction(complaint, CorrectionField.TYPE, old, vtype.code, actor, reason)
    if department and department.code != old_dept:
        _correction(complaint, CorrectionField.DEPARTMENT, old_dept, department.code, actor, reason)
    _reroute(complaint, confirmed=True)
    complaint._change_reason = f"更正类型 {old}→{vtype.code}"
    complaint.save()
    _send_referral(complaint, actor)
    return complaint


@transaction.atomic
def complaint_correct_community(*, complaint: Complaint, community: Community, actor, reason: str = "") -> Complaint:
    complaint = _lock(complaint)
    old = complaint.community.name if complaint.community else ""
    complaint.community = community
    complaint.street_id = community.street_id
    complaint.community_source = DecisionSource.STAFF
    complaint.match_score = 1.0
    _correction(complaint, CorrectionField.COMMUNITY, old, community.name, actor, reason)
    _reroute(complaint, confirmed=complaint.type_source == DecisionSource.STAFF)
    complaint._change_reason = f"更正小区 {old}→{community.name}"
    complaint.save()
    _send_referral(complaint, actor)
    return complaint


@transaction.atomic
def complaint_mark_duplicate(*, complaint: Complaint, primary: Complaint, actor, reason: str = "") -> Complaint:
    complaint = _lock(complaint)
    root = primary.duplicate_of or primary
    if root.pk == complaint.pk:
        raise ApplicationError("不能标记为自身的重复件", "a complaint cannot duplicate itself")
    complaint.duplicate_of = root
    complaint.status = ComplaintStatus.DUPLICATE
    complaint.routing_note = "人工标记为重复件，并入原诉件办理"
    _correction(complaint, CorrectionField.DUPLICATE, "", str(root), actor, reason)
    complaint._change_reason = f"标记为 {root} 的重复件"
    complaint.save()
    return complaint


@transaction.atomic
def complaint_unmark_duplicate(*, complaint: Complaint, actor, reason: str = "") -> Complaint:
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
    complaint.save()
    return complaint
