"""The demo dates nothing after the moment it is loaded, at any hour of any day (a CI run at 22:41 on a Sunday
once found a case registered at 10:23 the next morning).

The planning and gating functions the runners use take `now` explicitly; they are checked here for every hour
of a Sunday, of the evening before the National Day holiday, and at the turns of the year, on generated
complaints received over the days before. Two real seeding steps then run with the clock frozen at awkward
moments (time-machine): the cases on a Sunday night, the credit chains just after midnight on a Monday and on
New Year's Eve."""
import random
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from demo import cases as case_demo
from demo import credit as credit_demo
from demo.tests.test_credit import year_of_complaints  # the credit demo's small year, as a fixture
from registry.models import ViolationType

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(*parts) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


# Every hour of a Sunday (2026-12-06, the failing run's day) and of the eve of National Day 2026 (a Wednesday
# before seven days off), the failing run's minute, just after midnight on a Monday, and the turns of the year.
MOMENTS = ([_at(2026, 12, 6, hour, 41) for hour in range(24)] + [_at(2026, 9, 30, hour, 5) for hour in range(24)]
           + [_at(2026, 12, 7, 0, 20), _at(2026, 12, 31, 23, 50), _at(2027, 1, 1, 0, 10),
              _at(2025, 12, 31, 23, 50), _at(2026, 1, 1, 0, 10), _at(2026, 10, 8, 0, 5)])
TYPES = ["ILLEGAL_CONSTRUCTION", "HOUSEHOLD_WASTE", "EBIKE_PARKING", "GROUP_RENTING", "COMMON_AREA_OCCUPATION"]


def _complaints(now: datetime, types) -> list:
    """Complaints as the cases step selects them (received before now − LEAVE_RECENT): every 100 minutes over
    the nine days before that, from each channel, of each type in turn."""
    company = SimpleNamespace(name="上海普安物业管理有限公司", credit_code="91310107MA1G000011")
    community = SimpleNamespace(property_company_id=1, property_company=company)
    latest = now - case_demo.LEAVE_RECENT - timedelta(minutes=1)
    out = []
    for n in range(9 * 24 * 60 // 100):
        received = latest - timedelta(minutes=100 * n)
        for channel in ("HOTLINE", "PATROL", "PROPERTY_REPORT"):
            out.append(SimpleNamespace(
                pk=len(out) + 1, violation_type=types[len(out) % len(types)], community=community, street_id=1,
                channel=channel, content="正在施工搭建" if n % 2 else "占用楼道", received_at=received,
                external_no=f"T{n}{channel}"))
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("now", MOMENTS, ids=lambda m: m.strftime("%Y-%m-%d_%H%M"))
def test_no_planned_step_that_runs_lies_after_now(now):
    types = list(ViolationType.objects.filter(code__in=TYPES))
    officers = {1: [SimpleNamespace(pk=1), SimpleNamespace(pk=2)]}
    lead = SimpleNamespace(pk=3)
    rng = random.Random(now.isoformat())
    clock = case_demo.Clock(rng)
    today = now.date()
    for complaint in _complaints(now, types):
        plan = case_demo._plan(complaint, rng, clock, officers, lead, {"ILLEGAL_CONSTRUCTION"}, now)
        if plan is None:
            continue
        done = case_demo.performed(plan, now)
        assert all(step.at < now for step in done), (now, complaint.received_at, done)
        assert [step.at for step in done] == sorted(step.at for step in done)
        if plan.kind == "case" and done:
            assert done[0].kind == "open"
        for step in done:
            if step.kind in case_demo.REPLIES:
                assert step.at < case_demo.reply_at(step.at, now) < now
            if step.kind in {"fine", "pay"}:
                assert timezone.localtime(step.at).date() <= today

        # the non-enforcement matters' confirmation, signing and answer
        clock.rng = random.Random(f"{case_demo.SEED}:{complaint.external_no}")
        sent, signed, answered = case_demo.referral_times(complaint, clock, now)
        times = [moment for moment in (sent, signed, answered) if moment is not None]
        assert all(complaint.received_at <= moment < now for moment in times), (now, complaint.received_at, times)
        assert times == sorted(times)
        clock.rng = rng


def test_a_step_at_or_after_now_has_not_happened_nor_has_anything_after_it():
    now = _at(2026, 12, 6, 22, 41)
    steps = [case_demo.Step("open", now - timedelta(hours=1)), case_demo.Step("start_verification", now),
             case_demo.Step("dismiss", now - timedelta(minutes=1))]
    plan = case_demo.Plan(complaint=None, officer=None, opener=None, steps=steps)
    assert case_demo.performed(plan, now) == steps[:1]
    plan.steps = [case_demo.Step("open", now + timedelta(hours=12))]
    assert case_demo.performed(plan, now) == []


# --- real seeding with the clock frozen ---------------------------------------------------------------------

def _travel(moment: datetime):
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    return traveller


@pytest.fixture
def sunday_night():
    traveller = _travel(_at(2026, 12, 6, 22, 41))
    yield
    traveller.stop()


def test_cases_seeded_on_a_sunday_night_are_dated_before_it(sunday_night, world):
    """Complaints received on Friday afternoon: those not opened before Sunday 22:41 wait in the queue."""
    from accounts.models import Notification
    from cases.models import CaseTransition, EnforcementCase
    from intake.choices import Channel, ComplaintStatus
    from intake.models import Complaint, ComplaintTransition, HotlineReply

    now = timezone.now()
    types = {code: ViolationType.objects.get(code=code) for code in ("EBIKE_PARKING", "HOUSEHOLD_WASTE")}
    friday = _at(2026, 12, 4, 14, 0)
    for n in range(60):
        code = "EBIKE_PARKING" if n % 2 else "HOUSEHOLD_WASTE"
        Complaint.objects.create(
            channel=Channel.PATROL if n % 3 else Channel.HOTLINE, received_at=friday + timedelta(minutes=4 * n),
            content=f"楼道电动车{n}", community=world.caoyang_a, street=world.caoyang, violation_type=types[code],
            status=ComplaintStatus.ROUTED)
    complaints = list(Complaint.objects.select_related("violation_type", "community__property_company", "street")
                      .order_by("received_at", "pk"))
    rng = random.Random(case_demo.SEED)
    clock = case_demo.Clock(rng)
    officers = {world.caoyang.pk: [world.oscar, world.otis]}
    plans = [plan for plan in (case_demo._plan(c, rng, clock, officers, world.alice, set(), now) for c in complaints)
             if plan]
    assert any(plan.steps[0].at >= now for plan in plans), "some would open on Monday"
    runner = case_demo.Runner(lead=world.alice, departments={}, dept_users={}, now=now, clock=clock, rng=rng)
    for plan in plans:
        runner.run(plan)
    case_demo._backdate(runner)

    assert EnforcementCase.objects.exists()
    assert not EnforcementCase.objects.filter(created_at__gte=now).exists()
    assert not EnforcementCase.objects.filter(state_entered_at__gte=now).exists()
    assert not CaseTransition.objects.filter(at__gte=now).exists()
    assert not HotlineReply.objects.filter(replied_at__gte=now).exists()
    assert not Notification.objects.filter(created_at__gte=now).exists()
    assert ComplaintTransition.objects.filter(action="open_case").exists()
    assert not ComplaintTransition.objects.filter(at__gte=now).exists()
    # the test's own complaints are created after `now`; their changes the demo made are not
    assert not Complaint.history.model.objects.filter(history_type="~", history_date__gte=now).exists()
    for case in EnforcementCase.objects.all():
        assert case.number.startswith(f"AJ{timezone.localtime(case.created_at).year}-")
    opened = {plan.complaint.pk for plan in plans if plan.kind == "case" and plan.steps[0].at < now}
    assert set(Complaint.objects.filter(case__isnull=False).values_list("pk", flat=True)) == opened
    waiting = [plan.complaint.pk for plan in plans if plan.kind == "case" and plan.steps[0].at >= now]
    assert not Complaint.objects.filter(pk__in=waiting).exclude(status=ComplaintStatus.ROUTED).exists()


@pytest.fixture(params=[_at(2026, 12, 7, 0, 20), _at(2026, 12, 31, 23, 50)], ids=["monday_0020", "new_years_eve_2350"])
def awkward_moment(request):
    traveller = _travel(request.param)
    yield request.param
    traveller.stop()


@pytest.fixture
def recent_complaints(world, year_of_complaints):
    """One more complaint a day over the last four months, so that some chain has a stage on the very day."""
    from demo.tests.test_credit import TYPES
    from intake.choices import Channel, ComplaintStatus
    from intake.models import Complaint

    types = [ViolationType.objects.get(code=code) for code in TYPES]
    communities = [world.caoyang_a, world.changfeng_b, world.changfeng_a]
    now = timezone.now()
    for n in range(3, 130):
        community = communities[n % 3]
        Complaint.objects.create(
            channel=Channel.HOTLINE, received_at=now - timedelta(days=n, hours=n % 5), content=f"近期投诉{n}",
            community=community, street=community.street, violation_type=types[n % len(types)],
            status=ComplaintStatus.ROUTED)


def test_credit_chains_seeded_at_awkward_moments_are_dated_before_them(awkward_moment, recent_complaints):
    from credit.models import DutyCheck
    from demo.tests.test_credit import run

    now = timezone.now()
    run()
    assert DutyCheck.objects.exists()
    _nothing_dated_after(now)


def test_a_credit_stage_later_today_has_not_happened_yet(world):
    """Monday 00:20: a check filed on Saturday is answered on Monday at 16:00 — not yet."""
    from credit.models import DutyCheck
    from demo.district import Tally
    from intake.choices import Channel, ComplaintStatus
    from intake.models import Complaint

    with time_machine.travel(_at(2026, 12, 7, 0, 20), tick=True):
        now = timezone.now()
        complaint = Complaint.objects.create(
            channel=Channel.HOTLINE, received_at=_at(2026, 12, 4, 10), content="楼顶正在搭建违法建筑",
            community=world.caoyang_a, street=world.caoyang,
            violation_type=ViolationType.objects.get(code="ILLEGAL_CONSTRUCTION"), status=ComplaintStatus.ROUTED)
        ctx = credit_demo.Context(now=now, lead=world.alice, officers={world.caoyang.pk: world.oscar},
                                  rng=random.Random(1), tally=Tally(), company_users={world.company_a.pk: world.paul})
        ctx.spawn(credit_demo._chain(ctx, filed=_at(2026, 12, 5, 12).date(), plan=credit_demo.Plan(
            "FULFILLED", answer=True), complaint=complaint))
        ctx.run()

        check = DutyCheck.objects.get()
        assert check.answered_at is None and check.decided_at is None
        _nothing_dated_after(now)


def _nothing_dated_after(now):
    from accounts.models import Notification
    from cases.models import CaseTransition, Document, EnforcementCase, Fine
    from credit.models import CreditDispute, CreditRecord, DutyCheck, DutyCheckAttachment, PunishmentListing
    from intake.models import Complaint, ComplaintTransition

    today = timezone.localtime(now).date()
    for model, fields in [(DutyCheck, ["created_at", "updated_at", "answered_at", "decided_at"]),
                          (DutyCheckAttachment, ["uploaded_at"]), (CaseTransition, ["at"]),
                          (EnforcementCase, ["created_at", "updated_at", "state_entered_at", "closed_at"]),
                          (Document, ["issued_at"]), (CreditRecord, ["created_at"]),
                          (CreditDispute, ["created_at", "updated_at", "decided_at"]),
                          (PunishmentListing, ["created_at", "updated_at"]), (Notification, ["created_at"]),
                          (ComplaintTransition, ["at"])]:
        for name in fields:
            late = model.objects.filter(**{f"{name}__gte": now})
            assert not late.exists(), (model.__name__, name, list(late.values_list(name, flat=True)[:3]))
    # the complaints the tests create (after `now`) aside, every change of one is dated before it
    assert not Complaint.history.model.objects.filter(history_type="~", history_date__gte=now).exists()
    for model, fields in [(Fine, ["decided_at", "paid_at"]), (CreditRecord, ["occurred_on"]),
                          (PunishmentListing, ["listed_on"])]:
        for name in fields:
            assert not model.objects.filter(**{f"{name}__gt": today}).exists(), (model.__name__, name)
