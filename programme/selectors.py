"""Reads of the inventory, always through the user's scope: the list, one item with its history, progress to
zero per street and district, and the burn-down series.

Progress and burn-down are aggregate queries (grouped by street, kind and date), never a query per item: an
item counts as remaining on day d when it was found on or before d and not cleared by d, so the series comes
from two grouped counts, one over found_on and one over cleared_on, summed up in order.
"""
import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Max, Min, Q, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scope
from accounts.choices import Role
from accounts.scope import personal_view
from programme.choices import CLEARED, StructureKind, StructureStatus
from programme.models import IllegalStructure

REMAINING_Q = ~Q(status__in=sorted(CLEARED))
PERIODS = ("week", "month")


def overdue_q(today: date | None = None) -> Q:
    """Not cleared and past its planned date (计划完成日期)."""
    return REMAINING_Q & Q(target_date__lt=today or timezone.localdate())


def with_status(queryset, value: str):
    """A status code, or the groups "remaining" (存量 + 在办) and "cleared" (已销项)."""
    if value == "remaining":
        return queryset.filter(REMAINING_Q)
    if value == "cleared":
        return queryset.exclude(REMAINING_Q)
    return queryset.filter(status=value)


def search(queryset, value: str):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(Q(number__icontains=value) | Q(location__icontains=value) | Q(note__icontains=value)
                           | Q(community__name__icontains=value) | Q(case__number__icontains=value))


def structure_list(*, user):
    return (IllegalStructure.objects.restrict(user, "view")
            .select_related("community", "street", "case")
            .order_by("street__code", "community__name", "found_on", "pk"))


def structure_get(*, user, pk: int, action: str = "view") -> IllegalStructure:
    return get_object_or_404(
        IllegalStructure.objects.restrict(user, action).select_related("community", "street", "case"), pk=pk)




def owner_hint(user, item: IllegalStructure) -> str:
    """当事人（户） as the user may see it: parties' data is for the roles that handle cases."""
    return personal_view(user, "party").name(item.owner_hint)


def history(item: IllegalStructure) -> list[dict]:
    """The item's changes, newest first, each with who, when, why and the fields that changed."""
    records = list(item.history.select_related("history_user").order_by("-history_date", "-history_id"))
    labels = {f.name: f.verbose_name for f in IllegalStructure._meta.fields}
    hidden = {"updated_at", "created_at", "id"}
    out = []
    for record, older in zip(records, records[1:] + [None], strict=False):
        changes = []
        if older is not None:
            for change in record.diff_against(older).changes:
                if change.field in hidden:
                    continue
                changes.append({"field": str(labels.get(change.field, change.field)),
                                "old": _shown(item, change.field, change.old),
                                "new": _shown(item, change.field, change.new)})
        out.append({"at": record.history_date, "user": record.history_user, "reason": record.history_change_reason,
                    "type": record.history_type, "changes": changes})
    return out


def _shown(item, name, value):
    if value in (None, ""):
        return "—"
    field_ = IllegalStructure._meta.get_field(name)
    if field_.choices:
        return dict(field_.choices).get(value, value)
    if name == "measure":
        from registry.choices import Measure

        return Measure(value).label if value in Measure.values else value
    if field_.is_relation:
        related = field_.related_model.objects.filter(pk=value).first()
        return str(related) if related else value
    if isinstance(value, date):
        return value.isoformat()
    return value


# --- progress ------------------------------------------------------------------------------------

def clearance_rate(cleared: int, due: int) -> float | None:
    """销项率, the one definition of every page, export and API: 已销项 ÷ 应销项 in percent, one decimal, rounded
    half up (86.55 → 86.6). Like the bulletins' 结案率 (counted against 应结案, ../shared/INDICATORS.md), the
    denominator is what must be cleared: in the 清零 campaign every item registered in the ledger (存量 and 新增
    alike) is to be cleared, so 应销项 = the items registered. None when there is none."""
    if not due:
        return None
    return float((Decimal(100 * cleared) / Decimal(due)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class Tally:
    total: int = 0
    cleared: int = 0
    handling: int = 0
    overdue: int = 0
    area_total: Decimal = Decimal("0")
    area_remaining: Decimal = Decimal("0")

    @property
    def remaining(self) -> int:
        return self.total - self.cleared

    @property
    def due(self) -> int:
        """应销项: every item registered (clearance_rate)."""
        return self.total

    @property
    def percent(self) -> float | None:
        return clearance_rate(self.cleared, self.due)

    def add(self, other: "Tally") -> None:
        for name in ("total", "cleared", "handling", "overdue", "area_total", "area_remaining"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {"total": self.total, "cleared": self.cleared, "remaining": self.remaining, "handling": self.handling,
                "overdue": self.overdue, "area_total": self.area_total, "area_remaining": self.area_remaining,
                "percent_cleared": self.percent}


@dataclass
class Progress:
    """One street's (or the district's) progress, existing (存量) and new (新增/在建) apart."""

    id: int | None
    name: str
    existing: Tally = field(default_factory=Tally)
    new: Tally = field(default_factory=Tally)

    @property
    def all(self) -> Tally:
        both = Tally()
        both.add(self.existing)
        both.add(self.new)
        return both

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "all": self.all.as_dict(), "existing": self.existing.as_dict(),
                "new": self.new.as_dict()}


def progress(*, user, today: date | None = None, queryset=None) -> tuple[list[Progress], Progress]:
    """(per street, district) for the items the user sees. Streets in scope without items show zeros."""
    from registry.models import Street

    today = today or timezone.localdate()
    items = queryset if queryset is not None else IllegalStructure.objects.restrict(user, "view")
    rows = (items.order_by().values("street_id", "kind").annotate(
        total=Count("pk"),
        cleared=Count("pk", filter=~REMAINING_Q),
        handling=Count("pk", filter=Q(status=StructureStatus.HANDLING)),
        overdue=Count("pk", filter=overdue_q(today)),
        area_total=Sum("area_m2"),
        area_remaining=Sum("area_m2", filter=REMAINING_Q)))
    streets = {s.pk: Progress(s.pk, s.name) for s in Street.objects.restrict(user, "view").order_by("code", "name")}
    for row in rows:
        street = streets.setdefault(row["street_id"], Progress(row["street_id"], ""))
        tally = street.new if row["kind"] == StructureKind.NEW else street.existing
        tally.add(Tally(total=row["total"], cleared=row["cleared"], handling=row["handling"], overdue=row["overdue"],
                        area_total=row["area_total"] or Decimal("0"),
                        area_remaining=row["area_remaining"] or Decimal("0")))
    district = Progress(None, total_label(user))
    for street in streets.values():
        district.existing.add(street.existing)
        district.new.add(street.new)
    return list(streets.values()), district


# --- burn-down -----------------------------------------------------------------------------------

def _period_end(day: date, period: str) -> date:
    if period == "week":
        return day + timedelta(days=6 - day.weekday())  # Sunday
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _period_ends(first: date, last: date, period: str) -> list[date]:
    ends, day = [], _period_end(first, period)
    while True:
        ends.append(day)
        if day >= last:
            return ends
        day = _period_end(day + timedelta(days=1), period)


def total_label(user) -> str:
    """The name of the total row: the district for those who see all of it, otherwise "my scope"."""
    from accounts.scope import DISTRICT_WIDE_VIEW, role_of

    return settings.ANJU_DISTRICT_NAME if role_of(user) in DISTRICT_WIDE_VIEW else str(_("合计（本人范围）"))


def inventory_campaign(user, today: date):
    """The 清零 campaign (a Campaign of kind INVENTORY) of the user's district: the latest begun by today, else
    the next to begin; None when there is none. Its dates are no secret: every role's burn-down reads them."""
    from programme.choices import CampaignKind
    from programme.models import Campaign

    campaigns = Campaign.objects.filter(scope.campaign_in_district(user), kind=CampaignKind.INVENTORY)
    return (campaigns.filter(starts_on__lte=today).order_by("-starts_on", "-pk").first()
            or campaigns.order_by("starts_on", "pk").first())


def campaign_dates(items, today: date, user=None) -> tuple[date, date | None]:
    """(start, end) of the 清零 campaign: the inventory campaign's record; without one (or without its end),
    1 January of this year and the latest planned date."""
    campaign = inventory_campaign(user, today) if user is not None else None
    start = campaign.starts_on if campaign else date(today.year, 1, 1)
    end = (campaign.ends_on if campaign else None) or items.aggregate(end=Max("target_date"))["end"]
    return start, end


def burndown(*, user, period: str = "", today: date | None = None, queryset=None) -> dict:
    """Remaining items per period end, existing and new apart, for the district and each street, from the first
    date found to today (and on to the campaign's end, where only the target line goes), plus the target line:
    straight from the remaining count at the campaign's start to zero at its end.

    {"period", "dates": [iso…], "campaign": {"start", "end"}, "series": {key: {"name", "existing": [..],
     "new": [..], "target": [[iso, value], [iso, 0]] or []}}} — key "district" or a street id; a value is None
    for dates after today."""
    today = today or timezone.localdate()
    items = queryset if queryset is not None else IllegalStructure.objects.restrict(user, "view")
    items = items.order_by()
    bounds = items.aggregate(first=Min("found_on"))
    start, end = campaign_dates(items, today, user)
    if bounds["first"] is None:
        return {"period": period or "month", "dates": [], "campaign": {"start": start, "end": end}, "series": {}}
    first = bounds["first"]
    last = max(today, end or today)
    period = period if period in PERIODS else ("week" if (last - first).days <= 190 else "month")
    ends = _period_ends(first, last, period)
    # the period that holds today ends today, so the last real point is today's count
    points = sorted({*(d for d in ends if d < today), *([today] if today >= first else []),
                     *(d for d in ends if d > today)})

    found = items.values("street_id", "kind", "found_on").annotate(n=Count("pk"))
    cleared = items.filter(cleared_on__isnull=False).values("street_id", "kind", "cleared_on").annotate(n=Count("pk"))
    # events per (series key, kind): date → +found −cleared
    events: dict = {}
    for row in found:
        for key in ("district", row["street_id"]):
            bucket = events.setdefault((key, row["kind"]), {})
            bucket[row["found_on"]] = bucket.get(row["found_on"], 0) + row["n"]
    for row in cleared:
        for key in ("district", row["street_id"]):
            bucket = events.setdefault((key, row["kind"]), {})
            bucket[row["cleared_on"]] = bucket.get(row["cleared_on"], 0) - row["n"]

    def series_for(key, kind) -> list:
        changes = sorted(events.get((key, kind), {}).items())
        values, running, index = [], 0, 0
        for day in points:
            while index < len(changes) and changes[index][0] <= day:
                running += changes[index][1]
                index += 1
            values.append(running if day <= today else None)
        return values

    def remaining_on(key, day) -> int:
        return sum(n for kind in StructureKind.values for d, n in events.get((key, kind), {}).items() if d <= day)

    from registry.models import Street

    names = dict(Street.objects.filter(pk__in=items.values("street_id")).values_list("pk", "name"))
    series = {}
    for key in ["district", *sorted(names, key=lambda pk: names[pk])]:
        target = []
        if end and end > start:
            begin = max(start, first)
            target = [[begin.isoformat(), remaining_on(key, begin)], [end.isoformat(), 0]]
        series[str(key)] = {"name": total_label(user) if key == "district" else names[key],
                            "existing": series_for(key, StructureKind.EXISTING),
                            "new": series_for(key, StructureKind.NEW), "target": target}
    return {"period": period, "dates": [d.isoformat() for d in points],
            "campaign": {"start": start, "end": end}, "series": series}


# --- the community page's panel (registry.hooks) --------------------------------------------------------

COMMUNITY_PANEL_ROWS = 5


def community_panel(user, community) -> dict | None:
    """The community's inventory items (存量违建台账) the user sees, those still to clear first."""
    from django.db.models import Case, IntegerField, Value, When
    from django.urls import reverse

    from accounts import policy

    if not policy.may(user, policy.INVENTORY_LIST):
        return None
    today = timezone.localdate()
    items = (structure_list(user=user).filter(community=community)
             .annotate(done=Case(When(REMAINING_Q, then=Value(0)), default=Value(1), output_field=IntegerField()))
             .order_by("done", "target_date", "pk"))
    rows = []
    for item in items[:COMMUNITY_PANEL_ROWS]:
        late = not item.is_cleared and item.target_date is not None and item.target_date < today
        rows.append({"label": item.number, "text": f"{item.get_kind_display()} · {item.location}",
                     "when": item.cleared_on or item.found_on, "url": reverse("programme:structure-detail",
                                                                            args=[item.pk]),
                     "badge": item.get_status_display(), "tone": "success" if item.is_cleared else "warning",
                     "flag": "overdue" if late else ""})
    return {
        "key": "inventory", "title": _("本小区违建台账"), "icon": "bricks", "total": items.count(),
        "rows": rows, "more_url": f"{reverse('programme:inventory')}?community={community.pk}",
        "empty": _("该小区没有登记的违建"),
    }


# --- campaigns 专项行动 and their three lists ---------------------------------------------------------------

def campaign_list(*, user):
    from programme.models import Campaign

    return (Campaign.objects.restrict(user, "view").prefetch_related("phases", "streets", "violation_types")
            .order_by("-starts_on", "pk"))


def campaign_get(*, user, pk: int, action: str = "view"):
    from programme.models import Campaign

    return get_object_or_404(Campaign.objects.restrict(user, action), pk=pk)


def campaign_phase_now(campaign, today: date):
    """The phase whose dates hold today (the timeline's marker), or None."""
    return next((p for p in campaign.phases.all() if p.starts_on <= today <= p.ends_on), None)


def problem_list(*, user, campaign):
    from programme.models import Problem

    return (Problem.objects.restrict(user, "view").filter(campaign=campaign)
            .select_related("street", "community", "violation_type", "department", "campaign")
            .prefetch_related("evidence__complaint", "evidence__community", "evidence__structure",
                              "evidence__duty_check", "tasks")
            .order_by("source", "-weight", "pk"))


def task_list(*, user, campaign=None):
    from programme.models import Task

    tasks = Task.objects.restrict(user, "view")
    if campaign is not None:
        tasks = tasks.filter(campaign=campaign)
    return (tasks.select_related("campaign", "phase", "problem", "owner_department", "owner_street")
            .prefetch_related("cases").order_by("due_on", "pk"))


def task_get(*, user, pk: int, action: str = "view"):
    from programme.models import Task

    return get_object_or_404(Task.objects.restrict(user, action).select_related(
        "campaign", "phase", "problem", "owner_department", "owner_street"), pk=pk)


def open_tasks_for(user):
    """我的任务: the open tasks addressed to the user — a street's staff and officers their streets' tasks, a
    department its own, the bureau's supervisors the bureau's (区城管执法局). What a future inbox reads."""
    from programme.choices import TaskStatus
    from programme.models import Task

    role = scope.role_of(user)
    if role not in {Role.ADMIN, Role.LEAD, Role.OFFICER, Role.STREET, Role.DEPARTMENT}:
        return Task.objects.none()
    tasks = Task.objects.restrict(user, "change").exclude(status=TaskStatus.DONE)
    if role in {Role.ADMIN, Role.LEAD}:
        tasks = tasks.filter(owner_department__code="CHENGGUAN")
    return tasks.select_related("campaign", "phase", "owner_department", "owner_street").order_by("due_on", "pk")


@dataclass
class TaskTally:
    total: int = 0
    done: int = 0
    overdue: int = 0
    progress: float | None = None  # mean progress, percent

    @property
    def percent_done(self) -> float | None:
        return clearance_rate(self.done, self.total)


def task_tally(tasks, today: date) -> TaskTally:
    """How far a set of tasks has come: done, overdue (open past its due date) and the mean progress."""
    from django.db.models import Avg

    from programme.choices import TaskStatus

    row = tasks.order_by().aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE)),
                                     overdue=Count("pk", filter=~Q(status=TaskStatus.DONE) & Q(due_on__lt=today)),
                                     progress=Avg("progress"))
    mean = None if row["progress"] is None else round(float(row["progress"]), 1)
    return TaskTally(total=row["total"], done=row["done"], overdue=row["overdue"], progress=mean)


@dataclass
class Matrix:
    """责任清单 as a matrix: columns (departments, then streets), rows (the standing duties, then each task),
    a cell the role (牵头 / 配合) or ""."""

    columns: list
    rows: list  # [(label, task or None, [cell…])]


def responsibility_matrix(*, user, campaign) -> Matrix:
    """Rows: the standing duties and the tasks the user sees; columns: every party named in them."""
    from programme.models import Responsibility

    visible = set(task_list(user=user, campaign=campaign).values_list("pk", flat=True))
    cells = [r for r in Responsibility.objects.filter(campaign=campaign).select_related("department", "street",
                                                                                         "task")
             if r.task_id is None or r.task_id in visible]
    departments = sorted({r.department for r in cells if r.department_id}, key=lambda d: d.pk)
    streets = sorted({r.street for r in cells if r.street_id}, key=lambda s: (s.code, s.name))
    columns = [*departments, *streets]
    index = {(type(c).__name__, c.pk): i for i, c in enumerate(columns)}
    by_row: dict = {}
    for r in cells:
        party = r.department or r.street
        row = by_row.setdefault(r.task_id, [None] * len(columns))
        row[index[(type(party).__name__, party.pk)]] = r
    rows = [(str(_("常设职责")), None, by_row[None])] if None in by_row else []
    tasks = {t.pk: t for t in task_list(user=user, campaign=campaign)}
    rows += [(t.title, t, by_row[pk]) for pk, t in tasks.items() if pk in by_row]
    return Matrix(columns=columns, rows=rows)
