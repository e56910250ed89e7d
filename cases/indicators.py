"""Deadline flags (临期 / 超期) and the supervision indicators of R3.3 and seed 000 §五(四):
不作为 (inaction), 慢作为 (slow action) and 乱作为 (wrongful action), per officer and per street.

Every function takes the requesting user and reads through `restrict(user, "view")`, so a street sees
its own rows only. Each table is built from three grouped queries (cases, transitions, complaints),
whatever the number of officers, streets or cases.

Definitions (a case counts for the officer it is assigned to and for its street):
- opened / closed: cases registered / closed within the period.
- open_now: cases not closed or referred, today.
- overdue (慢作为): open cases past their stage deadline (`state_due`) that someone has started working on,
  i.e. not in REGISTERED — an untouched clue counts under 不作为 instead, never twice.
- overdue_rechecks (慢作为): 回头看 re-checks still not done after their due day (cases.ReCheck), counted for the
  case's officer and street; slow_action = overdue + overdue_rechecks.
- untouched_cases (不作为): cases still REGISTERED after their verification deadline.
- untouched_complaints (不作为, per street only): complaints ROUTED to the street more than
  UNTOUCHED_COMPLAINT_DAYS working days ago with no case opened and no other decision taken.
- closed_without_evidence (乱作为): cases closed within the period with no evidence file on record.
- reversed (乱作为): decisions reversed within the period — escalations after a failed review
  (REVIEWING → DECIDED) and reopenings of closed cases.
- reopened_90 (乱作为): reopenings within the period that came within 90 days of the case's closing.
"""
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from cases.choices import TERMINAL, CaseState
from cases.models import CaseTransition, EnforcementCase, Evidence
from core import calendar

DUE_SOON_WORKING_DAYS = calendar.DUE_SOON_WORKING_DAYS  # 临期: the rule is core.calendar's (complaints use it too)
UNTOUCHED_COMPLAINT_DAYS = 3       # a routed complaint left this many working days is 不作为
REOPEN_WINDOW = timedelta(days=90)
OPEN_STATES = [s for s in CaseState.values if s not in TERMINAL]
OVERDUE, DUE_SOON = "overdue", "due_soon"

METRICS = ("opened", "open_now", "closed", "overdue", "untouched_cases", "untouched_complaints",
           "closed_without_evidence", "reversed", "reopened_90", "overdue_rechecks")


# --- 临期 / 超期 ---------------------------------------------------------------------------------

def due_soon_until(today: date | None = None) -> date:
    """The last day that still counts as 临期 (today plus DUE_SOON_WORKING_DAYS working days): core.calendar's."""
    return calendar.due_soon_until(today or timezone.localdate())


def overdue_q(today: date | None = None, prefix: str = "") -> Q:
    return Q(**{f"{prefix}state__in": OPEN_STATES, f"{prefix}state_due__lt": today or timezone.localdate()})


def due_soon_q(today: date | None = None, prefix: str = "") -> Q:
    today = today or timezone.localdate()
    return Q(**{f"{prefix}state__in": OPEN_STATES, f"{prefix}state_due__gte": today,
                f"{prefix}state_due__lte": due_soon_until(today)})


def deadline_flag(case, today: date | None = None) -> str:
    """"overdue" (超期), "due_soon" (临期) or "" for one case."""
    if case.state_due is None or case.state not in OPEN_STATES:
        return ""
    today = today or timezone.localdate()
    if case.state_due < today:
        return OVERDUE
    return DUE_SOON if case.state_due <= due_soon_until(today) else ""


def working_days_back(day: date, days: int) -> date:
    """The `days`-th working day counting back from `day` (`day` itself counts when it is a working day)."""
    current, found = day, 0
    while True:
        if calendar.is_working_day(current):
            found += 1
            if found >= days:
                return current
        current -= timedelta(days=1)


# --- the bulletins' case counts (analytics.metrics and the case list's filters share them) ---------------

def closed_in_q(start: date, end: date, prefix: str = "") -> Q:
    """结案: closed within start…end (days in Asia/Shanghai, both included)."""
    low, high = _bounds(start, end)
    return Q(**{f"{prefix}state": CaseState.CLOSED, f"{prefix}closed_at__gte": low, f"{prefix}closed_at__lt": high})


def owed_in_q(start: date, end: date, prefix: str = "") -> Q:
    """应结案: closed within start…end, or still open with its current stage deadline within it (a case referred
    to another department is neither)."""
    return closed_in_q(start, end, prefix) | Q(**{f"{prefix}state__in": OPEN_STATES, f"{prefix}state_due__gte": start,
                                                  f"{prefix}state_due__lte": end})


def overdue_at_q(day: date, prefix: str = "") -> Q:
    """超期 at the end of `day`: open (as the case stands now) with its current stage deadline on or before it."""
    return Q(**{f"{prefix}state__in": OPEN_STATES, f"{prefix}state_due__lte": day})


def recurred_q(window: timedelta = REOPEN_WINDOW, rechecks: bool = True) -> Q:
    """回潮: a closed case after whose closing a complaint or clue of the same violation type in the same
    community came within `window` (not one of the case's own complaints), or whose 回头看 found the violation
    again (cases.ReCheck, result RECURRED: a case reopened by it counts once it is closed again; the old case of a
    new linked one counts as it stands)."""
    from cases.choices import ReCheckResult
    from cases.models import ReCheck
    from intake.models import Complaint

    again = Complaint.objects.filter(
        community_id=OuterRef("community_id"), violation_type_id=OuterRef("violation_type_id"),
        received_at__gt=OuterRef("closed_at"), received_at__lte=OuterRef("closed_at") + window,
    ).exclude(case_id=OuterRef("pk"))
    complained = Q(community__isnull=False) & Q(Exists(again))
    if not rechecks:   # a migration run before the re-checks' table exists (analytics 0004)
        return Q(state=CaseState.CLOSED) & complained
    rechecked = ReCheck.objects.filter(case_id=OuterRef("pk"), result=ReCheckResult.RECURRED)
    return Q(state=CaseState.CLOSED) & (complained | Q(Exists(rechecked)))


def recheck_overdue_q(today: date | None = None, prefix: str = "") -> Q:
    """A 回头看 not done after its due day (慢作为)."""
    from cases.choices import ReCheckStatus

    return Q(**{f"{prefix}status": ReCheckStatus.DUE, f"{prefix}due__lt": today or timezone.localdate()})


def stage_exits(case_ids) -> dict[int, list[tuple[str, date, date | None]]]:
    """case id -> [(stage left, day left, that stage's deadline)] for every move out of a state that has a
    deadline (workflow.STATE_STAGE), the deadline as cases.services.stage_deadline gives it from the day the case
    entered the state (days in Asia/Shanghai)."""
    from cases import services, workflow

    cases = {c.pk: c for c in EnforcementCase.objects.filter(pk__in=list(case_ids)).select_related("violation_type")}
    rows = (CaseTransition.objects.filter(case_id__in=list(cases)).order_by("case_id", "at", "pk")
            .values_list("case_id", "from_state", "to_state", "at"))
    out: dict[int, list] = {}
    entered: dict[int, date] = {}
    known: dict[tuple, date | None] = {}  # the deadline depends on these only (cases.services._deadline)

    def deadline_of(case, state, since):
        key = (case.violation_type_id, case.in_progress, case.rectify_due if state == CaseState.RECTIFYING else None,
               state, since)
        if key not in known:
            known[key] = services.stage_deadline(case, state, since)
        return known[key]

    for case_id, from_state, to_state, at in rows:
        day = timezone.localtime(at).date()
        if from_state != to_state and from_state in workflow.STATE_STAGE and case_id in entered:
            deadline = deadline_of(cases[case_id], from_state, entered[case_id])
            out.setdefault(case_id, []).append((from_state, day, deadline))
        if from_state != to_state or case_id not in entered:
            entered[case_id] = day
    return out


def left_late(left: date, deadline: date | None) -> bool:
    """A stage left after its deadline (the deadline day itself is on time; a stage without one never late)."""
    return deadline is not None and left > deadline


def on_time_ids(case_ids) -> set[int]:
    """按期: of these cases, those that left every stage by its deadline (that day included). The analytics
    pages read the same verdicts from their stored copy of stage_exits (analytics.models.CaseStageExit)."""
    case_ids = list(case_ids)
    exits = stage_exits(case_ids)
    return {pk for pk in case_ids
            if not any(left_late(left, deadline) for _stage, left, deadline in exits.get(pk, []))}


# --- indicators ----------------------------------------------------------------------------------

def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tzinfo=tz),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))


def _case_counts(user, key: str, start: date, end: date, today: date):
    low, high = _bounds(start, end)
    closed_in_period = Q(state=CaseState.CLOSED, closed_at__gte=low, closed_at__lt=high)
    has_evidence = Exists(Evidence.objects.filter(case_id=OuterRef("pk")))
    return (
        EnforcementCase.objects.restrict(user, "view").order_by().values(key).annotate(
            opened=Count("pk", filter=Q(created_at__gte=low, created_at__lt=high)),
            open_now=Count("pk", filter=Q(state__in=OPEN_STATES)),
            closed=Count("pk", filter=closed_in_period),
            overdue=Count("pk", filter=overdue_q(today) & ~Q(state=CaseState.REGISTERED)),
            untouched_cases=Count("pk", filter=Q(state=CaseState.REGISTERED, state_due__lt=today)),
            closed_without_evidence=Count("pk", filter=closed_in_period & ~Q(has_evidence)),
        )
    )


def _transition_counts(user, key: str, start: date, end: date):
    low, high = _bounds(start, end)
    closed_before = (CaseTransition.objects.filter(case_id=OuterRef("case_id"), to_state=CaseState.CLOSED,
                                                   at__lte=OuterRef("at"))
                     .order_by("-at", "-pk").values("at")[:1])
    return (
        CaseTransition.objects.restrict(user, "view")
        .filter(action__in=["escalate", "reopen"], at__gte=low, at__lt=high)
        .annotate(closed_before=Subquery(closed_before))
        .order_by().values(f"case__{key}").annotate(
            reversed=Count("pk"),
            reopened_90=Count("pk", filter=Q(action="reopen", closed_before__gte=F("at") - REOPEN_WINDOW)),
        )
    )


def _recheck_counts(user, key: str, today: date):
    from cases.models import ReCheck

    return (ReCheck.objects.restrict(user, "view").filter(recheck_overdue_q(today))
            .order_by().values(f"case__{key}").annotate(overdue_rechecks=Count("pk")))


def untouched_complaints_q(today: date | None = None) -> Q:
    """Complaints routed to a street and left: no case, still ROUTED, received more than
    UNTOUCHED_COMPLAINT_DAYS working days ago."""
    from intake.choices import ComplaintStatus

    today = today or timezone.localdate()
    # more than N working days after the day received ⇔ received before the (N+1)-th working day back
    cutoff = working_days_back(today, UNTOUCHED_COMPLAINT_DAYS + 1)
    low, _ = _bounds(cutoff, cutoff)
    return Q(status=ComplaintStatus.ROUTED, case__isnull=True, street__isnull=False, received_at__lt=low)


def _complaint_counts(user, today: date):
    from intake.models import Complaint

    return (Complaint.objects.restrict(user, "view").filter(untouched_complaints_q(today))
            .order_by().values("street_id").annotate(untouched_complaints=Count("pk")))


def _collect(rows, key: str, table: dict):
    for row in rows:
        ident = row.pop(key)
        target = table.setdefault(ident, dict.fromkeys(METRICS, 0))
        for name, value in row.items():
            target[name] += value


def _finish(row: dict) -> dict:
    row["untouched"] = row["untouched_cases"] + row["untouched_complaints"]
    row["inaction"] = row["untouched"]                                      # 不作为
    row["slow_action"] = row["overdue"] + row["overdue_rechecks"]          # 慢作为 (re-checks late too)
    row["wrongful_action"] = row["closed_without_evidence"] + row["reversed"]  # 乱作为 (reopenings are in reversed)
    return row


def officer_rows(user, start: date, end: date, today: date | None = None) -> list[dict]:
    """One row per officer with cases in the user's scope (and one for cases without an officer)."""
    from accounts.models import User

    today = today or timezone.localdate()
    table: dict = {}
    _collect(_case_counts(user, "officer_id", start, end, today), "officer_id", table)
    _collect(_transition_counts(user, "officer_id", start, end), "case__officer_id", table)
    _collect(_recheck_counts(user, "officer_id", today), "case__officer_id", table)
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[pk for pk in table if pk])}
    rows = [_finish({"officer_id": pk, "officer": names.get(pk, "（未分派）"), **counts})
            for pk, counts in table.items()]
    return sorted(rows, key=lambda r: (r["officer_id"] is None, r["officer"]))


def street_rows(user, start: date, end: date, today: date | None = None) -> list[dict]:
    """One row per street in the user's scope, zeros included."""
    from registry.models import Street

    today = today or timezone.localdate()
    streets = list(Street.objects.restrict(user, "view").order_by("code", "name").values_list("pk", "name"))
    table: dict = {pk: dict.fromkeys(METRICS, 0) for pk, _ in streets}
    _collect(_case_counts(user, "street_id", start, end, today), "street_id", table)
    _collect(_transition_counts(user, "street_id", start, end), "case__street_id", table)
    _collect(_recheck_counts(user, "street_id", today), "case__street_id", table)
    _collect(_complaint_counts(user, today), "street_id", table)
    names = dict(streets)
    return [_finish({"street_id": pk, "street": names.get(pk, ""), **table[pk]}) for pk in
            [pk for pk, _ in streets] + [pk for pk in table if pk not in names]]
