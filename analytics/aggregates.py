"""Keeping DailyComplaintCount right (每日诉件统计).

A cell is (day, street, community, violation type, channel); its count is recounted from the complaints
whenever one of its complaints may have changed, so the table never drifts by increments:
- a complaint saved (created, or its received date, street, community, type or channel changed) or deleted:
  the signal receivers below recount its old cell and its new one, in the same transaction;
- the 12345 import writes complaints in bulk (no signals): when it saves its ImportBatch with rows created, the
  days those complaints were received on are rebuilt;
- anything else that writes in bulk (QuerySet.update, the demo's back-dating) must rebuild: `manage.py
  rebuild_aggregates [--start --end]` or `rebuild(start, end)`; seed_demo runs it as its last step.
"""
import time as _time
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate

from analytics.models import DailyComplaintCount
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


def recount_cells(cells) -> None:
    with transaction.atomic():
        for cell in {c for c in cells if c is not None}:
            recount(cell)


def rebuild(start: date | None = None, end: date | None = None) -> dict:
    """Rebuild the table for the days start…end (default: every day with a complaint or a row). Returns
    {"days": n, "rows": n, "complaints": n, "seconds": s}."""
    began = _time.perf_counter()
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
    return {"days": (end - start).days + 1, "rows": len(objs), "complaints": sum(o.count for o in objs),
            "seconds": round(_time.perf_counter() - began, 3)}


def rebuild_batch(batch_id: int) -> None:
    """The days a batch's complaints were received on (the 12345 import writes them without signals)."""
    span = Complaint.objects.filter(batch_id=batch_id).aggregate(low=Min("received_at"), high=Max("received_at"))
    if span["low"] is not None:
        rebuild(day_of(span["low"]), day_of(span["high"]))


# --- signal receivers (connected in AnalyticsConfig.ready) ---------------------------------------------

def complaint_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        instance._analytics_old_cell = None
        return
    if update_fields is not None and not {f.replace("_id", "") for f in KEY_FIELDS} & \
            {f.replace("_id", "") for f in update_fields}:
        instance._analytics_old_cell = False  # nothing counted changed
        return
    old = Complaint.objects.filter(pk=instance.pk).values(*KEY_FIELDS).first()
    instance._analytics_old_cell = cell_of(old) if old else None


def complaint_post_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    old = getattr(instance, "_analytics_old_cell", None)
    if old is False:
        return
    new = cell_of({f: getattr(instance, f) for f in KEY_FIELDS})
    if not created and old == new:
        return
    recount_cells([old, new])


def complaint_post_delete(sender, instance, **kwargs):
    recount_cells([cell_of({f: getattr(instance, f) for f in KEY_FIELDS})])


def batch_post_save(sender, instance, raw=False, **kwargs):
    if not raw and instance.created:
        rebuild_batch(instance.pk)
