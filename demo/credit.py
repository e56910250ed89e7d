"""Demo of property-company accountability (seed_demo's step after the cases): a year of duty checks, their
decisions, negligence cases taken to final fines, the points, 2–3 companies on the joint punishment list, the
ranking, and disputes — every write through the real services (credit, cases, fines, documents).

How time is made: each chain (an owner case filed → the check → answer → decision → negligence case → fine →
final → points) is a generator of dated stages. All chains' stages run in date order, each through the services
at the moment of seeding, and the records each stage wrote are then dated to the stage's day (case and check
timestamps, transitions, deadlines, fines, documents, points, listings, notices); the negligence case's steps
from its filing on run at their own moments instead (time_machine), so the penalty procedure's date rules hold
(two certified officers, notice, service, the defence period or a waiver, approval, the decision served, payment
within the 15 days: demo.penalty). A stage that would fall at or
after the moment the demo is loaded (even later the same day) does not happen, so recent chains stay where they
would be now (pending checks, negligence cases under investigation, fines not yet final).

Checks come from the filed demo cases of the triggering types (demo/cases.py, when present); the chains for the
companies the story needs (three that end up listed, one close to the threshold, the demo login's company) and,
when the cases demo filed too few, a year's worth more are opened from the demo complaints. Deterministic
(random.Random with a fixed seed) and idempotent: once checks have been decided the step only opens the checks
of newly filed cases."""
import heapq
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import count

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from demo import backdate, district, penalty

SEED = district.SEED + 505
KIND_CHECKS = "履职检查 duty checks"
KIND_RECORDS = "失信记分 credit records"
KIND_LISTINGS = "联合惩戒名单 listings"
TARGET_CHECKS = 100  # a year of duty checks in the demo district
RECENT = 4  # of them filed in the last days, still waiting for the company's answer
LISTED, NEAR = 3, 1
# Checks left to chance fail at this rate, at most RANDOM_FAILURES of them and MAX_RANDOM_PER_COMPANY per company
# (so only the story's companies reach the threshold).
NORMAL_FAILURE, RANDOM_FAILURES, MAX_RANDOM_PER_COMPANY = 0.12, 45, 2
OLD_ENOUGH = 110  # days: a failure this old has had time to reach a final fine
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4

# Days after the owner case was filed (B) on which each stage happens.
ANSWER, DECIDE = 2, 8
N_VERIFY, N_INVESTIGATE, N_NOTICE, N_PAID, N_FINAL, N_CLOSE = 10, 13, 19, 40, 86, 88
O_INVESTIGATE, O_DECISION, O_REVIEW, O_CLOSE, RECTIFY_DAYS = 3, 15, 32, 34, 15
# The failures that take the story's companies over the threshold (30 by default) and near it.
LISTED_RULES = ["REFUSED_DUTY", "NOT_STOPPED", "NOT_REPORTED"]  # 18 + 6 + 6
NEAR_RULES = ["NOT_STOPPED", "NOT_REPORTED", "NOT_DISCOVERED", "NOT_STOPPED"]  # 21
# The demo login's company: 6 points standing, 3 reversed by an upheld dispute, 6 more under a dispute still open.
OWN_RULES = [("NOT_STOPPED", ""), ("NOT_DISCOVERED", "upheld")]
OWN_RECENT = ("NOT_REPORTED", "pending")

MEASURES = {
    "STRUCTURE_DAMAGE": (["ORDER_CORRECT", "RESTORE"], ["RESTORE"]),
    "HOUSEHOLD_WASTE": (["EDUCATE"], []),
    "ILLEGAL_CONSTRUCTION": (["ORDER_CORRECT", "DEMOLISH"], []),
}
DECISION_REASONS = {
    "FULFILLED": ["物业企业及时发现并劝阻，已书面报告居委会和城管中队", "物业企业巡查发现后当即劝阻，并在24小时内报告",
                  "经调取巡查记录和劝阻告知书，物业已履行发现、劝阻、报告义务"],
    "FAILED": ["违法行为持续多日，物业企业未劝阻、制止，也未报告", "物业企业知情后未采取劝阻措施，未向有关部门报告",
               "物业巡查台账无记录，逾期未提交情况说明"],
}
ANSWERS = ["我司秩序维护员巡查时发现，已当面劝阻并发放整改告知书，附劝阻照片。",
           "我司已于发现当日书面告知业主停止违法行为，并报告居委会。",
           "我司巡查未能及时发现该行为，今后加强巡查。"]


def _at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


@dataclass
class Plan:
    outcome: str | None = None   # FULFILLED, FAILED, or None (decided by chance)
    rule: str = ""
    answer: bool = False
    dispute: str = ""            # "", "pending" or "upheld"


@dataclass
class Context:
    now: datetime                # the moment the demo is loaded: no stage at or after it happens
    lead: object
    officers: dict
    rng: random.Random
    tally: object
    company_users: dict = field(default_factory=dict)
    last_notice: int = 0
    story: dict = field(default_factory=dict)
    failure_rate: float = NORMAL_FAILURE
    random_failures: dict = field(default_factory=dict)
    queue: list = field(default_factory=list)
    order: object = field(default_factory=count)

    @property
    def today(self) -> date:
        return timezone.localtime(self.now).date()

    def spawn(self, steps) -> None:
        """Schedule a chain (a generator yielding, before each stage, the latest moment that stage dates
        anything at) by its next stage, unless that moment is not before now: then the stage has not happened."""
        upcoming = next(steps, None)
        if upcoming is not None and upcoming < self.now:
            heapq.heappush(self.queue, (upcoming, next(self.order), steps))

    def run(self) -> None:
        """Every scheduled stage in time order: resuming a chain runs its stage and returns its next moment."""
        while self.queue:
            _day, _n, steps = heapq.heappop(self.queue)
            self.spawn(steps)


# --- dating what a stage wrote ----------------------------------------------------------------------------

def _date_notices(ctx: Context, when: datetime, values: dict | None = None):
    """Date the notices sent since the last call; `values` restates what the services wrote from the real today
    (a deadline `due`, the listing's `start`, `end` and `total`) as of the back-dated day."""
    from accounts.models import Notification

    notices = Notification.objects.filter(pk__gt=ctx.last_notice)
    backdate.restamp(notices, created_at=when)
    changed = [_restate(notice, values) for notice in notices] if values else []
    Notification.objects.bulk_update(changed, ["title", "body", "title_parts", "body_parts"])
    ctx.last_notice = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _restate(notice, values: dict):
    """The notice with `values` (e.g. the deadline `due`) put in place of what the services wrote."""
    from accounts.messages import plain, render

    for part in notice.title_parts + notice.body_parts:
        for key in set(part.get("v", {})) & set(values):
            part["v"][key] = plain(values[key])
    notice.title, notice.body = (render(notice.title_parts, translate=False),
                                 render(notice.body_parts, translate=False))
    return notice


def _actor(ctx: Context, street_id):
    return ctx.officers.get(street_id) or ctx.lead


# --- one chain ------------------------------------------------------------------------------------------------

def _move(case, action, actor, **data):
    from cases import services as case_services

    return case_services.case_transition(case=case, action=action, actor=actor, version=case.version, **data)


def _team(ctx: Context, case, officer):
    """The negligence case's two officers (行政处罚法 §42): its officer (the street's, when the case has none) and
    a colleague of the street as 协办, both with their certificate numbers."""
    from cases import services as case_services

    if case.officer_id is None:
        case = case_services.case_assign(case=case, officer=officer, actor=ctx.lead, version=case.version)
    if case.co_officer_id is None:
        colleague = (case_services.assignable_officers(case).exclude(pk=case.officer_id).exclude(cert_number="")
                     .order_by("username").first())
        if colleague is not None:
            case = case_services.case_set_co_officer(case=case, co_officer=colleague, actor=ctx.lead,
                                                     version=case.version)
    return case


def _negligence_fine(ctx: Context, case):
    """The company's fine: under 物业规定 第八十七条 (物业服务企业未履行义务), in the range's lower part."""
    fine = penalty.choose_fine(ctx.rng, "PROPERTY_NEGLIGENCE", "ORGANISATION", label="物业服务企业")
    fine.amount = min(max(Decimal(ctx.rng.choice(["2000", "3000", "5000", "8000"])), fine.amount), Decimal("10000"))
    return fine


def _owner_case(ctx: Context, complaint, filed: date):
    """Stage 0 of a chain from a complaint: the case opened, verified and filed (立案) — which opens the check."""
    from cases import services as case_services
    from credit.models import DutyCheck

    actor = _actor(ctx, complaint.street_id)
    marks = backdate.complaint_marks()
    case = case_services.case_open_from_complaint(complaint=complaint, actor=actor, opened_at=_at(filed, 9, 30))
    backdate.complaints_moved(None, marks, _at(filed, 9, 30))  # 立案: the complaint's move at the register
    case = _move(case, "start_verification", actor)
    case = _move(case, "file", actor, files=[_photo("现场照片.jpg")])
    case = _team(ctx, case, actor)
    backdate.case_moved(case, _at(filed, 9, 30), created=True)
    check = DutyCheck.objects.filter(case=case).first()
    if check is not None:
        ctx.tally.add(KIND_CHECKS, "created")
    return case, check


def _owner_case_rest(ctx: Context, case, filed: date):
    """The owner's case goes on as cases usually do: investigation, decision, rectification, review, closing."""
    from cases import services as case_services
    from cases.choices import PartyRole
    from cases.models import EnforcementCase

    actor = _actor(ctx, case.street_id)
    measures, done = MEASURES.get(case.violation_type.code, (["ORDER_CORRECT"], []))
    yield _at(filed + timedelta(days=O_INVESTIGATE))
    case = backdate.case_moved(_move(case, "investigate", actor), _at(filed + timedelta(days=O_INVESTIGATE)))
    decided = filed + timedelta(days=O_DECISION)
    yield _at(decided, 11)
    owner = f"{ctx.rng.choice('赵钱孙李周吴郑王')}某"
    case_services.party_add(case=case, actor=actor, role=PartyRole.OWNER, name=owner)
    found = penalty.findings(ctx.rng, case.violation_type.code, case.community, decided, owner)
    case = backdate.case_moved(_move(case, "decide", actor, measures=measures, findings=found, reason="责令限期改正"),
                               _at(decided))
    # the deadline is checked against the real today: give one, then date it from the decision
    case = _move(case, "order_rectification", actor, rectify_due=ctx.today + timedelta(days=RECTIFY_DAYS))
    backdate.restamp(EnforcementCase.objects.filter(pk=case.pk), rectify_due=decided + timedelta(days=RECTIFY_DAYS))
    case = backdate.case_moved(case, _at(decided, 11))
    yield _at(filed + timedelta(days=O_REVIEW))
    case = backdate.case_moved(_move(case, "review", actor), _at(filed + timedelta(days=O_REVIEW)))
    yield _at(filed + timedelta(days=O_CLOSE), 15)
    marks = backdate.complaint_marks()
    case = _move(case, "close_rectified", actor, reason="复查整改到位", files=[_photo("复查照片.jpg")],
                 measures_done=done)
    backdate.case_moved(case, _at(filed + timedelta(days=O_CLOSE), 15))
    backdate.complaints_moved(None, marks, _at(filed + timedelta(days=O_CLOSE), 15))  # its complaints closed with it


def _chain(ctx: Context, *, filed: date, plan: Plan, complaint=None, check=None):
    """The stages of one check, from the filing of the owner's case to the points: yields the day of each next
    stage and runs it when resumed."""
    from accounts.messages import render
    from cases import documents, fines, penalties
    from cases.choices import DocumentKind, PaymentStatus
    from core import calendar
    from credit import selectors, services
    from credit.choices import Subject
    from credit.models import (
        CreditDispute,
        CreditPolicy,
        CreditRecord,
        DutyCheck,
        DutyCheckAttachment,
        PunishmentListing,
    )
    from credit.selectors import add_months, company_points, window_start

    policy = CreditPolicy.current()
    yield _at(filed, 9, 30)
    if complaint is not None:
        case, check = _owner_case(ctx, complaint, filed)
        if check is None:
            return
        ctx.spawn(_owner_case_rest(ctx, case, filed))
    answer_due = selectors.duty_answer_due(filed, policy)
    backdate.restamp(DutyCheck.objects.filter(pk=check.pk), created_at=_at(filed, 9, 30), updated_at=_at(filed, 9, 30),
                                                 answer_due=answer_due)
    _date_notices(ctx, _at(filed, 9, 30), {"due": answer_due})
    check.refresh_from_db()
    user = ctx.company_users.get(check.company_id)
    outcome = plan.outcome
    if outcome is None:
        failures = ctx.random_failures.get(check.company_id, 0)
        by_chance = (not check.prior_report_id and failures < MAX_RANDOM_PER_COMPANY
                     and ctx.rng.random() < ctx.failure_rate)
        outcome = "FAILED" if by_chance else "FULFILLED"
        if by_chance:
            ctx.random_failures[check.company_id] = failures + 1
    officer = _actor(ctx, check.street_id)

    if user is not None and (plan.answer or outcome == "FULFILLED" or ctx.rng.random() < 0.5):
        answered = _at(filed + timedelta(days=ANSWER), 16)
        yield answered
        # the service checks the deadline against the real today: let the company answer now, then date it
        # (the real today, not the demo's: a load that runs past midnight would otherwise be refused)
        backdate.restamp(DutyCheck.objects.filter(pk=check.pk), answer_due=timezone.localdate())
        fulfilled = outcome == "FULFILLED"
        services.duty_check_answer(check=check, actor=user, statement=ANSWERS[0 if fulfilled else 2],
                                   files=[_photo("劝阻照片.jpg")] if fulfilled else [], dissuaded=fulfilled or None)
        backdate.restamp(DutyCheck.objects.filter(pk=check.pk), answered_at=answered, updated_at=answered,
                         answer_due=answer_due)
        backdate.restamp(DutyCheckAttachment.objects.filter(duty_check=check), uploaded_at=answered)
        _date_notices(ctx, answered)

    decide_day = max(filed + timedelta(days=DECIDE), answer_due + timedelta(days=1))
    decided_at = _at(decide_day, 11)
    yield decided_at
    check.refresh_from_db()
    if outcome == "FULFILLED":
        reasons = ("物业企业在投诉之前已通过平台报告，并劝阻、制止" if check.prior_report_id
                   else ctx.rng.choice(DECISION_REASONS["FULFILLED"]))
        services.duty_check_decide(check=check, actor=officer, outcome=outcome, reasons=reasons)
    else:
        rule = plan.rule or ctx.rng.choice(["NOT_DISCOVERED", "NOT_STOPPED", "NOT_REPORTED"])
        check = services.duty_check_decide(check=check, actor=officer, outcome=outcome, failure_rule=rule,
                                           reasons=ctx.rng.choice(DECISION_REASONS["FAILED"]))
    backdate.restamp(DutyCheck.objects.filter(pk=check.pk), decided_at=decided_at, updated_at=decided_at)
    _date_notices(ctx, decided_at)
    if outcome != "FAILED":
        return
    negligence = backdate.case_moved(check.negligence_case, decided_at, created=True)

    def day(offset):
        return decide_day + timedelta(days=offset - DECIDE)

    yield _at(day(N_VERIFY), 10)
    with time_machine.travel(_at(day(N_VERIFY), 9), tick=False):
        negligence = _move(negligence, "start_verification", officer)
    with time_machine.travel(_at(day(N_VERIFY), 10), tick=False):
        negligence = _move(negligence, "file", officer, files=[_photo("物业巡查台账.jpg")])
        negligence = _team(ctx, negligence, officer)
    yield _at(day(N_INVESTIGATE))
    with time_machine.travel(_at(day(N_INVESTIGATE)), tick=False):
        negligence = _move(negligence, "investigate", officer)
    # 行政处罚一般程序: notice, service, the company's waiver or the period running out, approval, the decision
    # and its service — each step through the workflow at its day (time_machine), as cases.workflow checks it
    fine = _negligence_fine(ctx, negligence)
    yield _at(day(N_NOTICE), 14)
    with time_machine.travel(_at(day(N_NOTICE), 14), tick=False):
        company = negligence.parties.get()
        negligence = _move(negligence, "notify", officer, measures=["ORDER_CORRECT", "FINE"],
                           findings=penalty.findings(ctx.rng, "PROPERTY_NEGLIGENCE", negligence.community,
                                                     day(N_NOTICE), company.name),
                           penalty=[fine.item(company.pk)], reason="物业未履行劝阻、制止、报告义务，拟责令改正并处罚款")
    served = calendar.add_working_days(day(N_NOTICE), 1)
    yield _at(served, 10)
    with time_machine.travel(_at(served, 10), tick=False):
        negligence = _move(negligence, "serve_notice", officer, served_on=served, manner="POST")
    waived = ctx.rng.random() < 0.5
    if waived:
        yield _at(served, 15)
        with time_machine.travel(_at(served, 15), tick=False):
            negligence = _move(negligence, "record_waiver", officer,
                               reason="物业企业书面回复对拟处罚无异议，放弃陈述、申辩权利")
    submit_day = (calendar.add_working_days(served, 1) if waived else
                  calendar.add_working_days(penalties.defence_until(served, False), 1))
    yield _at(submit_day, 14)
    with time_machine.travel(_at(submit_day, 9, 30), tick=False):
        negligence = _move(negligence, "submit_approval", officer)
    with time_machine.travel(_at(submit_day, 14), tick=False):
        negligence = _move(negligence, "approve", ctx.lead, reason="同意作出行政处罚决定")
    with time_machine.travel(_at(submit_day, 14, 5), tick=False):
        documents.document_issue(case=negligence, kind=DocumentKind.PENALTY_DECISION, actor=officer,
                                 extra={"confirm_unverified": True})
    decision_served = calendar.add_working_days(submit_day, 2)
    yield _at(decision_served, 10)
    with time_machine.travel(_at(decision_served, 10), tick=False):
        negligence = _move(negligence, "serve_decision", officer, served_on=decision_served, manner="POST",
                           files=[penalty.proof("邮寄送达回执.png")])
    fine = negligence.fines.get()
    paid = min(day(N_PAID), penalties.payment_due(decision_served) - timedelta(days=1))  # within the 15 days
    yield _at(paid)
    with time_machine.travel(_at(paid), tick=False):
        fine = fines.fine_record_payment(fine=fine, actor=officer, status=PaymentStatus.PAID)
    yield _at(day(N_FINAL), 15)
    final_day = day(N_FINAL)
    before = set(PunishmentListing.objects.values_list("pk", flat=True))
    fines.fine_make_final(fine=fine, actor=officer)  # the receiver awards the points and evaluates the listing
    records = CreditRecord.objects.filter(fine=fine)
    dispute = None
    lodged = final_day + timedelta(days=1)
    if plan.dispute and user is not None and _at(lodged, 10) < ctx.now:  # lodged while the record is new
        dispute = services.credit_dispute_lodge(
            record=records.get(subject=Subject.COMPANY), actor=user,
            reason="事发时我司秩序维护员已当面劝阻并拍照留存，因业主拒不配合未能制止，已于次日报告居委会，请予核查。")
    backdate.restamp(records, occurred_on=final_day, expires_on=add_months(final_day, policy.expiry_months),
                   created_at=_at(final_day, 15))
    restated = {}
    for record in records:
        ctx.tally.add(KIND_RECORDS, "created")
        restated["due"] = selectors.dispute_due(record, policy)
    for listing in PunishmentListing.objects.exclude(pk__in=before).select_related("company"):
        start = window_start(final_day, policy)
        points = company_points(listing.company, on=final_day)
        listing.listed_on, listing.window_start, listing.points = final_day, start, points
        backdate.restamp(
            PunishmentListing.objects.filter(pk=listing.pk),
            listed_on=final_day, window_start=start, points=points, created_at=_at(final_day, 15),
            updated_at=_at(final_day, 15),
            reason=render(services.listing_reason(listing, policy), translate=False))
        restated.update(start=start, end=final_day, total=points)
        ctx.tally.add(KIND_LISTINGS, "created")
    _date_notices(ctx, _at(final_day, 15), restated)
    if dispute is not None:
        decide_due = selectors.dispute_decide_due(lodged, policy)
        backdate.restamp(
            CreditDispute.objects.filter(pk=dispute.pk),
            created_at=_at(lodged, 10), updated_at=_at(lodged, 10), decide_due=decide_due)
        _date_notices(ctx, _at(lodged, 10), {"due": decide_due})
    yield _at(day(N_CLOSE), 16)
    with time_machine.travel(_at(day(N_CLOSE), 16), tick=False):
        negligence = _move(negligence, "close_executed", officer, reason="罚款已缴纳，已责令改正")
    if dispute is not None and plan.dispute == "upheld":
        decided = day(N_CLOSE) + timedelta(days=1)
        if _at(decided, 15) >= ctx.now:
            return  # not decided yet
        services.credit_dispute_decide(dispute=dispute, actor=ctx.officers.get("HOUSING") or ctx.lead, upheld=True,
                                       decision="经核查，企业提供的劝阻照片和报告记录属实，撤销该次记分")
        backdate.restamp(CreditDispute.objects.filter(pk=dispute.pk), decided_at=_at(decided, 15),
                         updated_at=_at(decided, 15))
        backdate.restamp(CreditRecord.objects.filter(reverses__fine=fine), created_at=_at(decided, 15))
        _date_notices(ctx, _at(decided, 15))


# --- choosing the chains ---------------------------------------------------------------------------------------

def _candidates(today: date):
    """Demo complaints of the triggering types, not yet in a case, about a community with a company."""
    from intake.choices import Channel, ComplaintStatus
    from intake.models import Complaint

    return (Complaint.objects.filter(
        violation_type__triggers_duty_check=True, community__property_company__isnull=False,
        duplicate_of__isnull=True, case__isnull=True, status=ComplaintStatus.ROUTED,
        received_at__lt=_at(today - timedelta(days=2), 0))
        .exclude(channel=Channel.PROPERTY_REPORT)
        .select_related("community", "violation_type").order_by("received_at", "pk"))


def _reported_before(complaint) -> bool:
    """Whether the company reported this matter first (its check would be fulfilled by the prior report)."""
    from intake.choices import Channel
    from intake.models import Complaint

    return Complaint.objects.filter(
        channel=Channel.PROPERTY_REPORT, community_id=complaint.community_id,
        violation_type_id=complaint.violation_type_id, received_at__lte=complaint.received_at,
        received_at__gte=complaint.received_at - timedelta(days=90)).exists()


def _filing_day(complaint) -> date:
    return timezone.localtime(complaint.received_at).date() + timedelta(days=1 + complaint.pk % 2)


@dataclass
class Item:
    """A possible chain: a check the cases demo's filing opened, or a complaint to open an owner case from."""

    day: date
    company_id: int
    complaint: object = None
    check: object = None

    @property
    def reported_first(self) -> bool:
        return bool(self.check.prior_report_id) if self.check is not None else _reported_before(self.complaint)


def _items(ctx: Context, existing: list) -> list[Item]:
    items = []
    for check in existing:
        filed = check.case.transitions.filter(action="file").order_by("at").values_list("at", flat=True).first()
        items.append(Item(timezone.localtime(filed).date() if filed else ctx.today, check.company_id, check=check))
    for complaint in _candidates(ctx.today):
        items.append(Item(_filing_day(complaint), complaint.community.property_company_id, complaint=complaint))
    return items


def _story(ctx: Context, existing: list) -> list[tuple]:
    """(filing day, plan, complaint or None, check or None) for every chain of the demo: the story's companies'
    failures and fulfilled checks (from the cases demo's checks first, else from complaints), every other check
    of the cases demo left to chance, a few filed this week, and complaints up to a year's worth of checks."""
    from registry.models import PropertyCompany

    rng, today = ctx.rng, ctx.today
    old = today - timedelta(days=OLD_ENOUGH)
    items = _items(ctx, existing)
    by_company: dict[int, list[Item]] = {}
    for item in items:
        by_company.setdefault(item.company_id, []).append(item)
    own = next(iter(ctx.company_users), None)
    big = [pk for pk, _n in sorted(((pk, len(its)) for pk, its in by_company.items() if pk != own),
                                   key=lambda pair: (-pair[1], pair[0]))[:12]]
    rng.shuffle(big)
    listed, near = big[:LISTED], big[LISTED:LISTED + NEAR]
    chosen: dict[int, Plan] = {}  # id(item) → plan

    def pick(pool, n, *, before=None, checks_first=True):
        pool = [i for i in pool if id(i) not in chosen and (before is None or i.day <= before)
                and not i.reported_first]
        checks = [i for i in pool if i.check is not None] if checks_first else []
        picked = rng.sample(checks, min(n, len(checks)))
        rest = [i for i in pool if i not in picked]
        picked += rng.sample(rest, min(n - len(picked), len(rest)))
        return sorted(picked, key=lambda i: i.day)

    def plan(items_, plans):
        for item, p in zip(items_, plans, strict=False):
            chosen[id(item)] = p

    for pk in listed:
        plan(pick(by_company.get(pk, []), len(LISTED_RULES), before=old), [Plan("FAILED", r) for r in LISTED_RULES])
    for pk in near:
        plan(pick(by_company.get(pk, []), len(NEAR_RULES), before=old), [Plan("FAILED", r) for r in NEAR_RULES])
    if own is not None:
        mine = by_company.get(own, [])
        # the recent failure's fine became final about a week ago: the company's dispute is still open
        recent_day = today - timedelta(days=N_FINAL + 6)
        recent = sorted((i for i in mine if i.day <= recent_day and not i.reported_first),
                        key=lambda i: (recent_day - i.day, i.check is None))
        if recent:
            rule, dispute = OWN_RECENT
            chosen[id(recent[0])] = Plan("FAILED", rule, answer=True, dispute=dispute)
        plan(pick(mine, len(OWN_RULES), before=old - timedelta(days=60)),
             [Plan("FAILED", rule, answer=True, dispute=dispute) for rule, dispute in OWN_RULES])
    story = set(listed) | set(near) | ({own} if own else set())
    for pk in story:  # a few fulfilled checks where the story has no check yet
        have = sum(1 for i in by_company.get(pk, []) if i.check is not None or id(i) in chosen)
        if have < 6:
            plan(pick(by_company.get(pk, []), 6 - have, checks_first=False), [Plan("FULFILLED", answer=True)] * 6)

    chains = []
    for item in items:
        if id(item) in chosen:
            chains.append((item.day, chosen[id(item)], item.complaint, item.check))
        elif item.check is not None:  # the cases demo's checks: fulfilled, or by chance failed (not the story's)
            chains.append((item.day, Plan("FULFILLED") if item.company_id in story else Plan(), None, item.check))
    others = [i for i in items if i.check is None and id(i) not in chosen and i.company_id not in story]
    this_week = [i for i in others if i.day > today - timedelta(days=DECIDE)] if not existing else []
    extra = rng.sample(this_week, min(RECENT, len(this_week)))
    missing = TARGET_CHECKS - len(chains) - len(extra)
    older = [i for i in others if i not in extra]
    extra += rng.sample(older, min(max(missing, 0), len(older)))
    chains += [(i.day, Plan(), i.complaint, None) for i in extra]
    names = dict(PropertyCompany.objects.filter(pk__in=story).values_list("pk", "name"))
    ctx.story = {"listed": [names.get(pk) for pk in listed], "near": [names.get(pk) for pk in near]}
    ctx.failure_rate = min(NORMAL_FAILURE, RANDOM_FAILURES / max(1, sum(1 for c in chains if c[1].outcome is None)))
    return sorted(chains, key=lambda chain: (chain[0], chain[2].pk if chain[2] is not None else 0,
                                             chain[3].pk if chain[3] is not None else 0))


def _date_opening_notices():
    """Checks opened by the cases demo's filings told the company then: date those notices like their checks, and
    let them give the check's own answer deadline (the check was back-dated after the notice was written from the
    real today: the notice said 12-11 where the check says 12-07)."""
    import re

    from accounts.models import Notification
    from credit.choices import NoticeKind
    from credit.models import DutyCheck

    notices = Notification.objects.filter(kind=NoticeKind.DUTY_CHECK_OPENED)
    ids = {n.pk: int(m.group(1)) for n in notices if (m := re.search(r"/duty-checks/(\d+)/", n.link))}
    checks = {pk: (opened, due) for pk, opened, due in DutyCheck.objects.filter(pk__in=set(ids.values()))
              .values_list("pk", "created_at", "answer_due")}
    changed = []
    for notice in notices:
        check = checks.get(ids.get(notice.pk))
        if check is None:
            continue
        notice.created_at = check[0]
        changed.append(_restate(notice, {"due": check[1]}))
    Notification.objects.bulk_update(changed, ["created_at", "title", "body", "title_parts", "body_parts"],
                                     batch_size=500)


# --- the step -------------------------------------------------------------------------------------------------

def seed(*, tally, progress, now: datetime | None = None):
    from accounts.choices import Role
    from accounts.models import Notification, User
    from cases.models import EnforcementCase
    from credit import services
    from credit.choices import DutyOutcome, NoticeKind
    from credit.models import CreditRecord, DutyCheck

    lead = User.objects.filter(username="lead").first() or User.objects.filter(role=Role.LEAD).first()
    if lead is None:
        return
    # checks of cases filed (立案) by the cases demo, if its filing did not open them already
    filed = (EnforcementCase.objects.filter(violation_type__triggers_duty_check=True, transitions__action="file",
                                            community__property_company__isnull=False, duty_check__isnull=True)
             .distinct())
    for case in filed:
        if services.duty_check_open(case=case, actor=case.officer or lead) is not None:
            tally.add(KIND_CHECKS, "created")
    if DutyCheck.objects.exclude(outcome=DutyOutcome.PENDING).exists() or CreditRecord.objects.exists():
        from collections import Counter

        tally.counts.setdefault(KIND_CHECKS, Counter())["unchanged"] += DutyCheck.objects.count()
        return

    officers = {}
    for user in User.objects.filter(role=Role.OFFICER, is_active=True).order_by("username"):
        for street_id in user.streets.values_list("pk", flat=True):
            officers.setdefault(street_id, user)
    housing = User.objects.filter(role=Role.DEPARTMENT, department__code="HOUSING", is_active=True).first()
    if housing is not None:
        officers["HOUSING"] = housing
    company_users = {}
    for user in User.objects.filter(role=Role.PROPERTY, is_active=True, property_company__isnull=False).order_by("pk"):
        company_users.setdefault(user.property_company_id, user)
    ctx = Context(now=now or timezone.now(), lead=lead, officers=officers, rng=random.Random(SEED), tally=tally,
                  company_users=company_users,
                  last_notice=Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
    existing = list(DutyCheck.objects.filter(outcome=DutyOutcome.PENDING).select_related("case", "company"))
    chains = _story(ctx, existing)

    # every chain's stages in time order; a stage that would fall after now does not happen
    for day, plan, complaint, check in progress(chains, "履职检查 duty-check chains"):
        ctx.spawn(_chain(ctx, filed=day, plan=plan, complaint=complaint, check=check))
    ctx.run()

    _date_opening_notices()
    # old notices about checks have been read; listings and open disputes stay on the home pages
    stale = Notification.objects.filter(created_at__lt=_at(ctx.today - timedelta(days=21)), user__isnull=False,
                                        kind__in=[NoticeKind.DUTY_CHECK_OPENED, NoticeKind.DUTY_CHECK_ANSWERED,
                                                  NoticeKind.DUTY_CHECK_DECIDED, NoticeKind.CREDIT_AWARDED])
    for notice in stale.select_related("user"):
        notice.read_by.add(notice.user)
