"""Keeping DailyComplaintCount right (每日诉件统计).

A cell is (day, street, community, violation type, channel); its count is recounted from the complaints
whenever one of its complaints may have changed, so the table never drifts by increments:
- a complaint saved (created, or its received date, street, community, type or channel changed) or deleted:
  the signal receivers below recount its old cell and its new one, in the same transaction;
- the 12345 import writes complaints in bulk (no signals): when it saves its ImportBatch with rows created, the
  days those complaints were received on are rebuilt;
- anything else that writes in bulk (QuerySet.update, the demo's back-dating) must rebuild: `manage.py
  rebuild_aggregates [--start --end]` or `rebuild(start, end)`; seed_demo runs it as its last step.
MonthlyComplaintCount (每月诉件统计: month × street × type × resident) follows the daily cells: every daily
recount recounts its month's cell from that month's days, and `rebuild(start, end)` rebuilds the months touching
start…end from the daily counts.

CaseStageExit (案件阶段办理记录) holds cases.indicators.stage_exits of every case; a case's rows are recomputed from
its transitions (never patched) whenever an input of that rule may have changed, in the same transaction:
- a transition of the case saved, or deleted on its own (not with its case: the rows go with the case);
- the case saved with another violation type, in_progress or rectify_due (the stage deadlines depend on them),
  or another street or community (copied on its rows);
- a violation type saved (its stage deadlines): its cases; a holiday or working day saved or deleted: the cases
  with a stage deadline on or after that day (an earlier deadline cannot move);
- bulk writes (the demo, bench/scale_generate.py's COPY) must rebuild: `rebuild()` without dates (what
  `manage.py rebuild_aggregates` without dates and seed_demo run) rebuilds every case's rows too, or
  `rebuild_stage_exits()` then `rebuild_case_counts()`.

DailyCaseCount (每日案件统计) cells (day, street, kind) are recounted from the cases, like the complaint cells:
- a case saved (created, or its opening or closing time, state, stage deadline or street changed) or deleted:
  the cells it left and the cells it entered;
- a case's stage exits recomputed (above): the closed_late cell of its closing day;
- a complaint saved (created, or its received time, community, type or case changed) or deleted: the
  closed_recurred cells of the closed cases it may make 回潮 (same community and type, closed in the 90 days
  before it); the 12345 import's batch and `rebuild(start, end)`: every closed_recurred cell of the cases closed
  from 90 days before `start` to `end`;
- a 回头看 (cases.ReCheck) saved: the closed_recurred cell of its case's closing day (a re-check that found 回潮
  makes the case recurred, cases.indicators.recurred_q; one that reopened it moved the case's cells already);
- bulk writes: `rebuild_case_counts()` (part of `rebuild()` without dates).
"""
import time as _time
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncDate, TruncMonth

from analytics.models import CaseStageExit, DailyCaseCount, DailyComplaintCount, MonthlyComplaintCount
from intake.choices import RESIDENT_CHANNELS
from intake.models import Complaint

TZ = ZoneInfo("Asia/Shanghai")
# The channels whose complaints count towards 投诉万人比: intake.choices.RESIDENT_CHANNELS (one place).
RESIDENT = frozenset(c.value for c in RESIDENT_CHANNELS)
KEY_FIELDS = ("received_at", "street_id", "community_id", "violation_type_id", "channel")


def day_of(moment: datetime) -> date:
    return moment.astimezone(TZ).date()


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in Asia/Shanghai."""
    return datetime.combine(start, time.min, tzinfo=TZ), datetime.combine(end + timedelta(days=1), time.min, tzinfo=TZ)


def cell_of(values: dict) -> tuple | None:
    if values.get("received_at") is None:
        return None
    return (day_of(values["received_at"]), values["street_id"], values["community_id"], values["violation_type_id"],
            values["channel"])


def recount(cell: tuple) -> None:
    """Recount one cell from the complaints."""
    day, street_id, community_id, type_id, channel = cell
    low, high = bounds(day, day)
    where = {"street_id": street_id, "community_id": community_id, "violation_type_id": type_id, "channel": channel}
    DailyComplaintCount.objects.filter(day=day, **where).delete()
    n = Complaint.objects.filter(received_at__gte=low, received_at__lt=high, **where).count()
    if n:
        DailyComplaintCount.objects.create(day=day, resident=channel in RESIDENT, count=n, **where)
    recount_month(day, street_id, type_id, channel in RESIDENT)


def recount_month(day: date, street_id, type_id, resident: bool) -> None:
    """The month's cell of MonthlyComplaintCount from that month's daily cells of the street and type."""
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    where = {"street_id": street_id, "violation_type_id": type_id, "resident": resident}
    MonthlyComplaintCount.objects.filter(month=first, **where).delete()
    n = (DailyComplaintCount.objects.filter(day__gte=first, day__lte=last, **where)
         .aggregate(n=Sum("count"))["n"])
    if n:
        MonthlyComplaintCount.objects.create(month=first, count=n, **where)


def rebuild_months(start: date, end: date) -> int:
    """The months touching start…end, whole, from the daily counts; returns the rows written."""
    first = start.replace(day=1)
    last = (end.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    grouped = (DailyComplaintCount.objects.filter(day__gte=first, day__lte=last)
               .annotate(month=TruncMonth("day")).order_by()
               .values("month", "street_id", "violation_type_id", "resident").annotate(n=Sum("count")))
    MonthlyComplaintCount.objects.filter(month__gte=first, month__lte=last).delete()
    return len(MonthlyComplaintCount.objects.bulk_create(
        [MonthlyComplaintCount(month=g["month"], street_id=g["street_id"], violation_type_id=g["violation_type_id"],
                               resident=g["resident"], count=g["n"]) for g in grouped], batch_size=2000))


def recount_cells(cells) -> None:
    with transaction.atomic():
        for cell in {c for c in cells if c is not None}:
            recount(cell)


def rebuild(start: date | None = None, end: date | None = None) -> dict:
    """Rebuild the daily counts for the days start…end (default: every day with a complaint or a row, and then
    every case's stage exits too). Returns {"days": n, "rows": n, "complaints": n, "seconds": s} (and
    "stage_exits": n rows when they were rebuilt)."""
    began = _time.perf_counter()
    if start is None and end is None:
        result = rebuild(*_complaint_span()) if _complaint_span() else {"days": 0, "rows": 0, "complaints": 0}
        result["stage_exits"] = rebuild_stage_exits()
        result["case_cells"] = rebuild_case_counts()
        result["seconds"] = round(_time.perf_counter() - began, 3)
        return result
    if start is None or end is None:
        span = Complaint.objects.aggregate(low=Min("received_at"), high=Max("received_at"))
        rows = DailyComplaintCount.objects.aggregate(low=Min("day"), high=Max("day"))
        days = [d for d in (span["low"] and day_of(span["low"]), span["high"] and day_of(span["high"]),
                            rows["low"], rows["high"]) if d]
        if not days:
            return {"days": 0, "rows": 0, "complaints": 0, "seconds": 0.0}
        start, end = start or min(days), end or max(days)
    low, high = bounds(start, end)
    grouped = (Complaint.objects.filter(received_at__gte=low, received_at__lt=high)
               .annotate(day=TruncDate("received_at", tzinfo=TZ)).order_by()
               .values("day", "street_id", "community_id", "violation_type_id", "channel").annotate(n=Count("pk")))
    with transaction.atomic():
        DailyComplaintCount.objects.filter(day__gte=start, day__lte=end).delete()
        objs = [DailyComplaintCount(day=g["day"], street_id=g["street_id"], community_id=g["community_id"],
                                    violation_type_id=g["violation_type_id"], channel=g["channel"],
                                    resident=g["channel"] in RESIDENT, count=g["n"]) for g in grouped]
        DailyComplaintCount.objects.bulk_create(objs, batch_size=2000)
        rebuild_months(start, end)
        rebuild_case_kind(DailyCaseCount.CLOSED_RECURRED, start - _recurrence_window(), end)
    return {"days": (end - start).days + 1, "rows": len(objs), "complaints": sum(o.count for o in objs),
            "seconds": round(_time.perf_counter() - began, 3)}


def _complaint_span() -> tuple[date, date] | None:
    span = Complaint.objects.aggregate(low=Min("received_at"), high=Max("received_at"))
    rows = DailyComplaintCount.objects.aggregate(low=Min("day"), high=Max("day"))
    days = [d for d in (span["low"] and day_of(span["low"]), span["high"] and day_of(span["high"]),
                        rows["low"], rows["high"]) if d]
    return (min(days), max(days)) if days else None


def complaints_per_company(first: date, last: date) -> dict[int, int]:
    """credit.selectors._count_complaints from the daily counts (registered there by AnalyticsConfig.ready):
    complaints about each company's communities received first…last, its own property reports left out."""
    from intake.choices import Channel

    rows = (DailyComplaintCount.objects.filter(day__gte=first, day__lte=last,
                                               community__property_company__isnull=False)
            .exclude(channel=Channel.PROPERTY_REPORT).order_by()
            .values_list("community__property_company_id").annotate(n=Sum("count")))
    return dict(rows)


def rebuild_batch(batch_id: int) -> None:
    """The days a batch's complaints were received on (the 12345 import writes them without signals), and the
    回潮 of the cases closed in the 90 days before."""
    span = Complaint.objects.filter(batch_id=batch_id).aggregate(low=Min("received_at"), high=Max("received_at"))
    if span["low"] is not None:
        rebuild(day_of(span["low"]), day_of(span["high"]))


# --- signal receivers (connected in AnalyticsConfig.ready) ---------------------------------------------

RECURRENCE_FIELDS = ("received_at", "community_id", "violation_type_id", "case_id")  # cases.indicators.recurred_q's


def complaint_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._analytics_old_recurrence = None
    if raw or instance.pk is None:
        instance._analytics_old_cell = None
        return
    if update_fields is not None and not {f.replace("_id", "") for f in KEY_FIELDS + RECURRENCE_FIELDS} & \
            {f.replace("_id", "") for f in update_fields}:
        instance._analytics_old_cell = False  # nothing counted changed
        return
    old = Complaint.objects.filter(pk=instance.pk).values(*KEY_FIELDS, "case_id").first()
    instance._analytics_old_cell = cell_of(old) if old else None
    instance._analytics_old_recurrence = tuple(old[f] for f in RECURRENCE_FIELDS) if old else None


def complaint_post_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    old = getattr(instance, "_analytics_old_cell", None)
    if old is False:
        return
    new = cell_of({f: getattr(instance, f) for f in KEY_FIELDS})
    if created or old != new:
        recount_cells([old, new])
    before = getattr(instance, "_analytics_old_recurrence", None)
    now = tuple(getattr(instance, f) for f in RECURRENCE_FIELDS)
    if created or before != now:
        recount_case_cells(recurrence_cells([before, now]))


def complaint_post_delete(sender, instance, **kwargs):
    recount_cells([cell_of({f: getattr(instance, f) for f in KEY_FIELDS})])
    recount_case_cells(recurrence_cells([tuple(getattr(instance, f) for f in RECURRENCE_FIELDS)]))


def batch_post_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.created:
        rebuild_batch(instance.pk)


# --- case stage exits (案件阶段办理记录) --------------------------------------------------------------------

STAGE_EXIT_CHUNK = 2000


def recompute_stage_exits(case_ids, recount: bool = True) -> int:
    """Replace the rows of these cases by cases.indicators.stage_exits (the one rule), then (`recount`) the
    closed_late cells of those closed; returns the rows written."""
    from cases import indicators
    from cases.choices import CaseState
    from cases.models import EnforcementCase

    case_ids = sorted({pk for pk in case_ids if pk is not None})
    written = 0
    for i in range(0, len(case_ids), STAGE_EXIT_CHUNK):
        chunk = case_ids[i:i + STAGE_EXIT_CHUNK]
        exits = indicators.stage_exits(chunk)
        places = {pk: (street_id, community_id) for pk, street_id, community_id in
                  EnforcementCase.objects.filter(pk__in=list(exits)).values_list("pk", "street_id", "community_id")}
        rows = [CaseStageExit(case_id=case_id, street_id=places[case_id][0], community_id=places[case_id][1],
                              stage=stage, left_on=left, deadline=deadline, late=indicators.left_late(left, deadline))
                for case_id, found in exits.items() for stage, left, deadline in found]
        with transaction.atomic():
            CaseStageExit.objects.filter(case_id__in=chunk).delete()
            CaseStageExit.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
        if recount:
            closed = EnforcementCase.objects.filter(pk__in=chunk, state=CaseState.CLOSED, closed_at__isnull=False)
            recount_case_cells({(day_of(at), street_id, DailyCaseCount.CLOSED_LATE)
                                for at, street_id in closed.values_list("closed_at", "street_id")})
    return written


def rebuild_stage_exits() -> int:
    """Every case's rows (after bulk writes); returns the rows written."""
    from cases.models import CaseTransition

    with transaction.atomic():
        CaseStageExit.objects.all().delete()
        ids = CaseTransition.objects.order_by().values_list("case_id", flat=True).distinct()
        return recompute_stage_exits(list(ids), recount=False)


# --- daily case counts (每日案件统计) ----------------------------------------------------------------------

CASE_CELL_FIELDS = ("created_at", "closed_at", "state", "state_due", "street_id", "community_id")


def late_exit():
    """The case left a stage after its deadline (not 按期, cases.indicators.on_time_ids): a stored stage exit."""
    return Exists(CaseStageExit.objects.filter(case_id=OuterRef("pk"), late=True))


def case_kind_q(kind: str, start: date, end: date) -> Q:
    """The cases of a DailyCaseCount kind over start…end (the rules are cases.indicators')."""
    from cases import indicators

    if kind == DailyCaseCount.FILED:
        low, high = bounds(start, end)
        return Q(created_at__gte=low, created_at__lt=high)
    if kind == DailyCaseCount.CLOSED:
        return indicators.closed_in_q(start, end)
    if kind == DailyCaseCount.CLOSED_LATE:
        return indicators.closed_in_q(start, end) & Q(late_exit())
    if kind == DailyCaseCount.CLOSED_RECURRED:
        return indicators.closed_in_q(start, end) & indicators.recurred_q(_recurrence_window())
    if kind == DailyCaseCount.OPEN_DUE:
        return Q(state__in=indicators.OPEN_STATES, state_due__gte=start, state_due__lte=end)
    raise ValueError(kind)


def case_cells(values: dict) -> set[tuple]:
    """The cells (day, street id, kind) a case with these field values is counted in (closed_late aside: it
    follows the stage exits, and is recounted with the closed cell)."""
    from cases.choices import CaseState
    from cases.indicators import OPEN_STATES

    cells = set()
    street_id = values["street_id"]
    if values.get("created_at") is not None:
        cells.add((day_of(values["created_at"]), street_id, DailyCaseCount.FILED))
    if values["state"] == CaseState.CLOSED and values.get("closed_at") is not None:
        cells.add((day_of(values["closed_at"]), street_id, DailyCaseCount.CLOSED))
    if values["state"] in OPEN_STATES and values.get("state_due") is not None:
        cells.add((values["state_due"], street_id, DailyCaseCount.OPEN_DUE))
    return cells


def recount_case_cell(cell: tuple) -> None:
    from cases.models import EnforcementCase

    day, street_id, kind = cell
    n = EnforcementCase.objects.filter(case_kind_q(kind, day, day), street_id=street_id).count()
    rows = DailyCaseCount.objects.filter(day=day, street_id=street_id, kind=kind)
    if not n:
        rows.delete()
    elif not rows.update(count=n):
        DailyCaseCount.objects.create(day=day, street_id=street_id, kind=kind, count=n)


def recount_case_cells(cells) -> None:
    with transaction.atomic():
        for cell in sorted(cells, key=lambda c: (c[0], c[1] or 0, c[2])):
            recount_case_cell(cell)


def rebuild_case_counts(rechecks: bool = True) -> int:
    """Every cell from the cases (after bulk writes); returns the rows written. `rechecks=False`: before the
    re-checks' table exists (analytics 0004 on a new database)."""
    from cases import indicators
    from cases.choices import CaseState
    from cases.indicators import OPEN_STATES
    from cases.models import EnforcementCase

    cases = EnforcementCase.objects.order_by()
    closed = cases.filter(state=CaseState.CLOSED, closed_at__isnull=False)
    grouped = [
        (DailyCaseCount.FILED, cases.annotate(d=TruncDate("created_at", tzinfo=TZ))),
        (DailyCaseCount.CLOSED, closed.annotate(d=TruncDate("closed_at", tzinfo=TZ))),
        (DailyCaseCount.CLOSED_LATE, closed.filter(late_exit()).annotate(d=TruncDate("closed_at", tzinfo=TZ))),
        (DailyCaseCount.CLOSED_RECURRED, closed.filter(indicators.recurred_q(_recurrence_window(), rechecks))
         .annotate(d=TruncDate("closed_at", tzinfo=TZ))),
        (DailyCaseCount.OPEN_DUE, cases.filter(state__in=OPEN_STATES, state_due__isnull=False)
         .annotate(d=F("state_due"))),
    ]
    objs = [DailyCaseCount(day=row["d"], street_id=row["street_id"], kind=kind, count=row["n"])
            for kind, rows in grouped for row in rows.values("d", "street_id").annotate(n=Count("pk"))]
    with transaction.atomic():
        DailyCaseCount.objects.all().delete()
        DailyCaseCount.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


def _with_late(cells) -> set[tuple]:
    """With each closed cell, its closed_late and closed_recurred cells (the same cases, judged further)."""
    return set(cells) | {(d, s, kind) for d, s, k in cells if k == DailyCaseCount.CLOSED
                         for kind in (DailyCaseCount.CLOSED_LATE, DailyCaseCount.CLOSED_RECURRED)}


def _recurrence_window() -> timedelta:
    from analytics.metrics import RECURRENCE_WINDOW

    return RECURRENCE_WINDOW


def recurrence_cells(complaints) -> set[tuple]:
    """The closed_recurred cells of the closed cases that complaints of these (received_at, community id, type id,
    case id) may make 回潮: same community and type, closed in the window before the complaint."""
    from cases.choices import CaseState
    from cases.models import EnforcementCase

    window, q = _recurrence_window(), Q()
    for values in complaints:
        if values is None:
            continue
        received, community_id, type_id, _case_id = values
        if received is None or community_id is None or type_id is None:
            continue
        q |= Q(community_id=community_id, violation_type_id=type_id, closed_at__lt=received,
               closed_at__gte=received - window)
    if not q:
        return set()
    rows = EnforcementCase.objects.filter(q, state=CaseState.CLOSED).values_list("closed_at", "street_id")
    return {(day_of(at), street_id, DailyCaseCount.CLOSED_RECURRED) for at, street_id in rows}


def rebuild_case_kind(kind: str, start: date, end: date) -> int:
    """Recount one kind's cells over start…end for every street at once (after the 12345 import's batch)."""
    from cases.models import EnforcementCase

    field = {DailyCaseCount.FILED: "created_at", DailyCaseCount.OPEN_DUE: "state_due"}.get(kind, "closed_at")
    day = F(field) if field == "state_due" else TruncDate(field, tzinfo=TZ)
    rows = (EnforcementCase.objects.filter(case_kind_q(kind, start, end)).order_by().annotate(d=day)
            .values("d", "street_id").annotate(n=Count("pk")))
    objs = [DailyCaseCount(day=r["d"], street_id=r["street_id"], kind=kind, count=r["n"]) for r in rows]
    with transaction.atomic():
        DailyCaseCount.objects.filter(kind=kind, day__gte=start, day__lte=end).delete()
        DailyCaseCount.objects.bulk_create(objs, batch_size=2000)
    return len(objs)


# the inputs of a case's stage exits: its deadlines' (cases.services.stage_deadline) and its place (copied)
CASE_DEADLINE_FIELDS = ("violation_type_id", "in_progress", "rectify_due", "street_id", "community_id")


def _origin_model(origin):
    return getattr(origin, "model", None) or type(origin)


def transition_post_save(sender, instance, raw=False, **kwargs):
    if not raw:
        recompute_stage_exits([instance.case_id])


def transition_post_delete(sender, instance, origin=None, **kwargs):
    # deleted with its case: the case's rows go with it (CASCADE); writing them again would block the delete
    if origin is None or _origin_model(origin) is sender:
        recompute_stage_exits([instance.case_id])


def case_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._analytics_old = None
    if raw or instance.pk is None:
        return
    watched = {f.removesuffix("_id") for f in CASE_DEADLINE_FIELDS + CASE_CELL_FIELDS}
    if update_fields is not None and not watched & {f.removesuffix("_id") for f in update_fields}:
        return
    instance._analytics_old = sender.objects.filter(pk=instance.pk).values(
        *dict.fromkeys(CASE_DEADLINE_FIELDS + CASE_CELL_FIELDS)).first()


def case_post_save(sender, instance, created=False, raw=False, **kwargs):
    old = getattr(instance, "_analytics_old", None)
    if raw or (old is None and not created):
        return
    new = {f: getattr(instance, f) for f in CASE_DEADLINE_FIELDS + CASE_CELL_FIELDS}
    if old is not None and any(old[f] != new[f] for f in CASE_DEADLINE_FIELDS):
        recompute_stage_exits([instance.pk], recount=False)
        # the closed_late cells below are recounted whatever moved: the verdict may have changed with the inputs
        recount_case_cells(_with_late(case_cells(old) | case_cells(new)))
        return
    before = case_cells(old) if old is not None else set()
    if old is not None and old["community_id"] != new["community_id"]:  # 回潮 is judged by the community
        recount_case_cells(_with_late(before | case_cells(new)))
        return
    recount_case_cells(_with_late(before ^ case_cells(new)))


def recheck_post_save(sender, instance, raw=False, **kwargs):
    """A re-check's result feeds 回潮 (cases.indicators.recurred_q): its case's closed_recurred cell is recounted."""
    from cases.models import EnforcementCase

    if raw or not instance.result:
        return
    case = EnforcementCase.objects.filter(pk=instance.case_id).values("closed_at", "street_id").first()
    if case and case["closed_at"] is not None:
        recount_case_cells({(day_of(case["closed_at"]), case["street_id"], DailyCaseCount.CLOSED_RECURRED)})


def case_post_delete(sender, instance, **kwargs):
    recount_case_cells(_with_late(case_cells({f: getattr(instance, f) for f in CASE_CELL_FIELDS})))


def violation_type_post_save(sender, instance, raw=False, created=False, **kwargs):
    from cases.models import EnforcementCase

    if not raw and not created:
        recompute_stage_exits(EnforcementCase.objects.filter(violation_type_id=instance.pk)
                              .values_list("pk", flat=True))


def holiday_pre_save(sender, instance, raw=False, **kwargs):
    old = None if raw or instance.pk is None else sender.objects.filter(pk=instance.pk).values_list(
        "date", flat=True).first()
    instance._analytics_old_date = old


def holiday_changed(sender, instance, raw=False, **kwargs):
    from core import calendar

    if raw:
        return
    calendar.invalidate()  # the admin flushes the calendar after the save; the deadlines need the new one now
    day = min(d for d in (instance.date, getattr(instance, "_analytics_old_date", None)) if d is not None)
    recompute_stage_exits(CaseStageExit.objects.filter(deadline__gte=day).values_list("case_id", flat=True)
                          .distinct())
