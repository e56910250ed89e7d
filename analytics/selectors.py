"""Reads of the daily aggregate (analytics.models.DailyComplaintCount) for the pages and the hotspot alerts, so
they count complaints without scanning them (the next issue holds these pages at millions of complaints).
Scoped as analytics.metrics is (metrics.allowed_streets: the district, or the user's streets; PermissionDenied
for property companies)."""
from datetime import date

from django.db.models import Min, Sum
from django.utils import timezone

from analytics.metrics import _narrow, _where
from analytics.models import DailyComplaintCount
from intake.models import Complaint


def daily_resident_counts(user, start: date, end: date, street=None, community=None) -> dict[int, dict[date, int]]:
    """{community id: {day: residents' complaints}} for start…end (both included); complaints matched to no
    community are left out."""
    streets, community_id = _narrow(user, street, community)
    rows = (DailyComplaintCount.objects.filter(day__gte=start, day__lte=end, resident=True, community__isnull=False)
            .filter(_where(streets, community_id)).order_by().values_list("community_id", "day")
            .annotate(n=Sum("count")))
    out: dict[int, dict[date, int]] = {}
    for community_id_, day, n in rows:
        out.setdefault(community_id_, {})[day] = n
    return out


def first_day(user, street=None, matched: bool = False) -> date | None:
    """The first day with a resident's complaint in the user's scope (history before it is no data, not zero);
    `matched`: of a complaint matched to a community (the hotspot rule's history)."""
    streets, _ = _narrow(user, street)
    rows = DailyComplaintCount.objects.filter(resident=True).filter(_where(streets, None))
    if matched:
        rows = rows.filter(community__isnull=False)
    return rows.aggregate(first=Min("day"))["first"]


def today_counts(user, day: date, street=None) -> dict[str, int]:
    """{"all": complaints received on the day, "resident": of them residents'} (the wall's intake counter)."""
    streets, _ = _narrow(user, street)
    rows = DailyComplaintCount.objects.filter(day=day).filter(_where(streets, None))
    return {"all": rows.aggregate(n=Sum("count"))["n"] or 0,
            "resident": rows.filter(resident=True).aggregate(n=Sum("count"))["n"] or 0}


def records_since(streets=None) -> date | None:
    """The day of the platform's first complaint (any channel, the whole district; `streets`: of those street ids
    only, e.g. a district that joined the installation later): a baseline that starts before it has no figures to
    compare with (the bulletins and the assessment say so instead of printing a change)."""
    complaints = Complaint.objects.all() if streets is None else Complaint.objects.filter(street_id__in=streets)
    first = complaints.order_by("received_at").values_list("received_at", flat=True).first()
    return timezone.localdate(first) if first else None
