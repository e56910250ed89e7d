"""Reads of the credit app, always through the user's scope (accounts.scope.duty_check_q / credit_q).

Points count in a rolling window: a record counts on day `on` when it occurred in the `window_months` before
`on` (after the window's start, up to `on` itself) and has not expired (`expires_on` after `on`). A correction
carries the dates of the record it reverses, so the two cancel out in every window."""
import calendar as _calendar
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts import scope
from accounts.policy import CREDIT_DISPUTE, DUTY_CHECK_ANSWER, DUTY_CHECK_DECIDE, may
from core import calendar
from credit.choices import DutyOutcome, Subject
from credit.models import CreditDispute, CreditPolicy, CreditRecord, CreditRule, DutyCheck, PunishmentListing

RANKING_MONTHS = 12  # checks and complaints of the ranking: the last 12 months (issue 5)


# --- dates ----------------------------------------------------------------------------------------

def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier when negative), clipped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def window_start(on: date | None = None, policy: CreditPolicy | None = None) -> date:
    """Records that occurred after this day (and by `on`) are in the rolling window."""
    policy = policy or CreditPolicy.current()
    return add_months(on or timezone.localdate(), -policy.window_months)


def _counting_q(on: date, policy: CreditPolicy, prefix: str = "") -> Q:
    start = add_months(on, -policy.window_months)
    return Q(**{f"{prefix}occurred_on__gt": start, f"{prefix}occurred_on__lte": on, f"{prefix}expires_on__gt": on})


# --- points ---------------------------------------------------------------------------------------

def company_points(company, *, on: date | None = None) -> int:
    """The company's points in the rolling window on `on` (today by default)."""
    on = on or timezone.localdate()
    policy = CreditPolicy.current()
    total = (CreditRecord.objects.filter(_counting_q(on, policy), subject=Subject.COMPANY, company=company)
             .aggregate(total=Sum("points"))["total"])
    return int(total or 0)


def manager_points(manager, *, on: date | None = None) -> int:
    """The project manager's points, in the same window as the company's."""
    on = on or timezone.localdate()
    policy = CreditPolicy.current()
    total = (CreditRecord.objects.filter(_counting_q(on, policy), subject=Subject.MANAGER, project_manager=manager)
             .aggregate(total=Sum("points"))["total"])
    return int(total or 0)


def record_counts(record: CreditRecord, *, on: date | None = None, policy: CreditPolicy | None = None) -> bool:
    """Whether the record is inside the rolling window and not expired on `on`."""
    on = on or timezone.localdate()
    policy = policy or CreditPolicy.current()
    return window_start(on, policy) < record.occurred_on <= on < record.expires_on


def duty_answer_due(opened: date, policy: CreditPolicy | None = None) -> date:
    """The last working day for the company's answer to a check opened on `opened`."""
    return calendar.add_working_days(opened, (policy or CreditPolicy.current()).duty_answer_days)


def dispute_decide_due(lodged: date, policy: CreditPolicy | None = None) -> date:
    """The last working day for deciding a dispute lodged on `lodged`."""
    return calendar.add_working_days(lodged, (policy or CreditPolicy.current()).dispute_decide_days)


def dispute_due(record: CreditRecord, policy: CreditPolicy | None = None) -> date:
    """The last working day on which the company may dispute the record."""
    return calendar.add_working_days(record.occurred_on, (policy or CreditPolicy.current()).dispute_days)


# --- lists ----------------------------------------------------------------------------------------

def ledger(*, user, company=None, manager=None):
    """失信记分台账: the records the user may see, newest first, corrections included."""
    qs = (CreditRecord.objects.restrict(user, "view")
          .select_related("company", "project_manager", "rule", "case", "fine", "duty_check", "reverses",
                          "created_by")
          .prefetch_related("disputes"))
    if company is not None:
        qs = qs.filter(company=company)
    if manager is not None:
        qs = qs.filter(project_manager=manager, subject=Subject.MANAGER)
    return qs.order_by("-occurred_on", "-pk")


DUTY_CHECK_FILTERS = {
    "outcome": lambda v: Q(outcome=v),
    "company": lambda v: Q(company=v),
    "street": lambda v: Q(street=v),
    "community": lambda v: Q(community=v),
    "case": lambda v: Q(case=v),
    "answered": lambda v: Q(answered_at__isnull=not v),
    "has_prior_report": lambda v: Q(prior_report__isnull=not v),
    # still pending and the company's time to answer has passed
    "answer_overdue": lambda v: (Q(outcome=DutyOutcome.PENDING, answered_at__isnull=True,
                                   answer_due__lt=timezone.localdate())
                                 if v else ~Q(outcome=DutyOutcome.PENDING, answered_at__isnull=True,
                                              answer_due__lt=timezone.localdate())),
}


def duty_checks(*, user, **filters):
    """Duty checks in the user's scope; filters (None ignored): outcome, company, street, community, case,
    answered, has_prior_report, answer_overdue."""
    unknown = set(filters) - set(DUTY_CHECK_FILTERS)
    if unknown:
        raise TypeError(f"unknown duty-check filters: {', '.join(sorted(unknown))}")
    qs = (DutyCheck.objects.restrict(user, "view")
          .select_related("case", "case__violation_type", "community", "street", "company", "project_manager",
                          "prior_report", "failure_rule", "negligence_case", "answered_by", "decided_by"))
    for name, value in filters.items():
        if value is not None and value != "":
            qs = qs.filter(DUTY_CHECK_FILTERS[name](value))
    return qs


def duty_check_get(*, user, pk: int, action: str = "view") -> DutyCheck:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(duty_checks(user=user).filter(DutyCheck.scope_q(user, action)), pk=pk)


def open_listings(*, user):
    """The joint credit-punishment list as it stands: listings not removed."""
    return (PunishmentListing.objects.restrict(user, "view").filter(removed_on__isnull=True)
            .select_related("company").order_by("-listed_on", "-pk"))


def disputes(*, user, status: str | None = None):
    qs = (CreditDispute.objects.restrict(user, "view")
          .select_related("record", "record__company", "record__project_manager", "record__rule", "record__case",
                          "lodged_by", "decided_by"))
    return qs.filter(status=status) if status else qs


def rules(*, user, active_only: bool = True):
    qs = CreditRule.objects.restrict(user, "view")
    return qs.filter(active=True) if active_only else qs


# --- who may do what (for the buttons; the services check again) ----------------------------------

def can_answer(user, check: DutyCheck) -> bool:
    return (check.outcome == DutyOutcome.PENDING and timezone.localdate() <= check.answer_due
            and may(user, DUTY_CHECK_ANSWER, check))


def can_decide(user, check: DutyCheck) -> bool:
    return check.outcome == DutyOutcome.PENDING and may(user, DUTY_CHECK_DECIDE, check)


def can_attach(user, check: DutyCheck) -> bool:
    return can_answer(user, check) or can_decide(user, check)


def can_dispute(user, record: CreditRecord) -> bool:
    return (record.reverses_id is None
            and not CreditRecord.objects.filter(reverses=record).exists()
            and not record.disputes.exists()
            and timezone.localdate() <= dispute_due(record)
            and may(user, CREDIT_DISPUTE, record))


# --- ranking --------------------------------------------------------------------------------------

def visible_companies(user):
    """Companies whose credit the user may see (credit_q names the company as `company_id`)."""
    from registry.models import PropertyCompany

    return PropertyCompany.objects.annotate(company_id=F("pk")).filter(scope.credit_q(user, "view"))


def _count_complaints(first: date, last: date) -> dict[int, int]:
    """Complaints about each company's communities received first…last (Asia/Shanghai days), its own property
    reports left out: company id -> count. Counted from the complaints; a higher app may register a counter that
    reads the same from its daily aggregate (register_complaint_counter)."""
    from intake.choices import Channel
    from intake.models import Complaint

    low = timezone.make_aware(datetime.combine(first, time.min))
    high = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return dict(Complaint.objects.filter(received_at__gte=low, received_at__lt=high,
                                         community__property_company__isnull=False)
                .exclude(channel=Channel.PROPERTY_REPORT)
                .values_list("community__property_company_id").annotate(n=Count("pk"))
                .values_list("community__property_company_id", "n"))


_complaint_counter = _count_complaints


def register_complaint_counter(counter) -> None:
    """analytics (above credit) registers its daily complaint aggregate here (AnalyticsConfig.ready), so the
    ranking's complaint counts cost a year's aggregate rows, not a year's complaints; same signature and rule
    as _count_complaints, which stays the default (credit never imports analytics)."""
    global _complaint_counter
    _complaint_counter = counter or _count_complaints


def company_ranking(*, user, on: date | None = None) -> list[dict]:
    """Every company ranked by its points in the rolling window (rank 1 = most points; ties share a rank),
    with failed and all duty checks and complaints about its communities in the last 12 months, households
    it manages and complaints per 1,000 households. Computed over all companies, so a company sees its true
    rank; the rows returned are those the user may see (a company: its own). A handful of queries."""
    from registry.models import Community, PropertyCompany

    on = on or timezone.localdate()
    policy = CreditPolicy.current()
    since = add_months(on, -RANKING_MONTHS)
    since_dt = timezone.make_aware(datetime.combine(since + timedelta(days=1), time.min))
    until_dt = timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))

    companies = list(PropertyCompany.objects.order_by("name").values("pk", "name", "credit_code"))
    points = dict(CreditRecord.objects.filter(_counting_q(on, policy), subject=Subject.COMPANY)
                  .values_list("company_id").annotate(total=Sum("points")).values_list("company_id", "total"))
    checks = {row["company_id"]: row for row in
              DutyCheck.objects.filter(created_at__gte=since_dt, created_at__lt=until_dt).values("company_id")
              .annotate(checks=Count("pk"), failed=Count("pk", filter=Q(outcome=DutyOutcome.FAILED)))}
    complaints = _complaint_counter(since + timedelta(days=1), on)
    managed = {row["property_company_id"]: row for row in
               Community.objects.filter(property_company__isnull=False).values("property_company_id")
               .annotate(households=Sum("households"), communities=Count("pk"))}
    listed = set(PunishmentListing.objects.filter(removed_on__isnull=True).values_list("company_id", flat=True))

    rows = []
    for company in companies:
        pk = company["pk"]
        households = (managed.get(pk) or {}).get("households") or 0
        n_complaints = complaints.get(pk, 0)
        rows.append({
            "company_id": pk, "name": company["name"], "credit_code": company["credit_code"],
            "points": int(points.get(pk) or 0),
            "failed_checks": (checks.get(pk) or {}).get("failed", 0),
            "checks": (checks.get(pk) or {}).get("checks", 0),
            "complaints": n_complaints,
            "communities": (managed.get(pk) or {}).get("communities", 0),
            "households": households,
            "complaints_per_1000_households": round(n_complaints * 1000 / households, 2) if households else None,
            "listed": pk in listed,
        })
    rows.sort(key=lambda r: (-r["points"], -r["failed_checks"], -(r["complaints_per_1000_households"] or 0),
                             r["name"]))
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        key = (row["points"], row["failed_checks"])
        if key != previous:
            rank, previous = position, key
        row["rank"] = rank
        row["of"] = len(rows)
    visible = set(visible_companies(user).values_list("pk", flat=True))
    return [row for row in rows if row["company_id"] in visible]


# --- links (notifications point at the credit pages) ----------------------------------------------

def _url(name: str, fallback: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def duty_check_url(check) -> str:
    return _url("credit:duty-check", f"/credit/duty-checks/{check.pk}/", check.pk)


def company_url(company) -> str:
    return _url("credit:company", f"/credit/companies/{company.pk}/", company.pk)


def disputes_url() -> str:
    return _url("credit:disputes", "/credit/disputes/")


def mine_url() -> str:
    return _url("credit:mine", "/credit/mine/")
