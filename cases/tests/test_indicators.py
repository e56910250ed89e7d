"""不作为 / 慢作为 / 乱作为 per officer and per street: a small set of cases with one of each situation, the
counts each row must show, the user's scope, and a fixed number of queries."""
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from accounts.choices import Role
from cases import indicators
from cases.choices import CaseState
from cases.models import CaseTransition, EnforcementCase, Evidence
from cases.tests.test_paths import complaint_for
from core import calendar
from core.models import Holiday
from intake.choices import ComplaintStatus
from registry.models import ViolationType
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def clean_calendar(db):
    Holiday.objects.all().delete()
    calendar.invalidate()
    yield
    calendar.invalidate()


def _at(days_ago: int, hour: int = 10):
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


class Builder:
    def __init__(self, world):
        self.world = world
        self.type = ViolationType.objects.get(code="SMALL_ADS")
        self.count = 0

    def case(self, officer, street, state, *, due_in=None, created=1, closed=None, evidence=False):
        self.count += 1
        community = self.world.caoyang_a if street == self.world.caoyang else self.world.changfeng_b
        case = EnforcementCase.objects.create(
            number=f"T-{self.count:04d}", violation_type=self.type, community=community, street=street,
            summary="测试", officer=officer, state=state, state_entered_at=_at(created),
            state_due=None if due_in is None else timezone.localdate() + timedelta(days=due_in),
            closed_at=None if closed is None else _at(closed))
        EnforcementCase.objects.filter(pk=case.pk).update(created_at=_at(created))
        if evidence:
            Evidence.objects.create(case=case, kind="PHOTO", content_type="image/jpeg", file="evidence/x.jpg",
                                    original_name="x.jpg", size=1, sha256="0" * 64, stage=state,
                                    uploaded_by=self.world.alice)
        return case

    def step(self, case, action, from_state, to_state, days_ago):
        step = CaseTransition.objects.create(case=case, action=action, from_state=from_state, to_state=to_state,
                                             actor=self.world.alice, reason="测试")
        CaseTransition.objects.filter(pk=step.pk).update(at=_at(days_ago))


@pytest.fixture
def data(world, clean_calendar):
    b = Builder(world)
    olga = make_user("olga", Role.OFFICER, streets=[world.changfeng])
    oscar, caoyang, changfeng = world.oscar, world.caoyang, world.changfeng
    S = CaseState
    # 曹杨 / oscar
    b.case(oscar, caoyang, S.REGISTERED, due_in=-1)                       # 不作为: untouched clue
    b.case(oscar, caoyang, S.INVESTIGATING, due_in=-1)                    # 慢作为: overdue
    b.case(oscar, caoyang, S.DECIDED, due_in=1)                           # on time
    b.case(oscar, caoyang, S.CLOSED, created=8, closed=5)                 # 乱作为: closed without evidence
    escalated = b.case(oscar, caoyang, S.DECIDED, due_in=3, created=20)
    b.step(escalated, "escalate", S.REVIEWING, S.DECIDED, 3)             # 乱作为: decision reversed
    b.case(oscar, caoyang, S.CLOSED, created=100, closed=60)              # outside the period
    # 长风 / olga
    b.case(olga, changfeng, S.CLOSED, created=6, closed=2, evidence=True)  # closed properly
    reopened = b.case(olga, changfeng, S.VERIFYING, due_in=2, created=15, evidence=True)
    b.step(reopened, "dismiss", S.VERIFYING, S.CLOSED, 10)
    b.step(reopened, "reopen", S.CLOSED, S.VERIFYING, 2)                  # reopened 8 days after closing
    late_reopen = b.case(olga, changfeng, S.VERIFYING, due_in=2, created=200, evidence=True)
    b.step(late_reopen, "close_rectified", S.REVIEWING, S.CLOSED, 125)
    b.step(late_reopen, "reopen", S.CLOSED, S.VERIFYING, 5)               # reversed, but not within 90 days
    b.case(olga, changfeng, S.RECTIFYING, due_in=-3, created=25)          # 慢作为
    b.case(olga, changfeng, S.REFERRED, due_in=-3, created=4)             # referred: no longer ours to be late on
    # 长风 / nobody assigned yet
    b.case(None, changfeng, S.REGISTERED, due_in=-2, created=3)           # 不作为
    # complaints routed to the streets
    complaint_for("SMALL_ADS", world.changfeng_b, received_at=_at(10))    # 不作为: untouched for days
    complaint_for("SMALL_ADS", world.changfeng_b, received_at=_at(0))     # fresh
    complaint_for("SMALL_ADS", world.changfeng_b, received_at=_at(10), status=ComplaintStatus.NEW)
    complaint_for("SMALL_ADS", world.caoyang_a, received_at=_at(12))      # 不作为
    return olga


def _rows(rows, key):
    return {row[key]: row for row in rows}


def period() -> dict:
    """The last 30 days, taken when the test runs (a module-level value went stale across midnight)."""
    return {"start": timezone.localdate() - timedelta(days=30), "end": timezone.localdate()}


def _pick(row, *names):
    return {name: row[name] for name in names}


NAMES = ("opened", "open_now", "closed", "overdue", "untouched_cases", "untouched_complaints",
         "closed_without_evidence", "reversed", "reopened_90")


def test_per_officer(world, data):
    rows = _rows(indicators.officer_rows(world.alice, **period()), "officer_id")
    assert set(rows) == {world.oscar.pk, data.pk, None}
    assert _pick(rows[world.oscar.pk], *NAMES) == {
        "opened": 5, "open_now": 4, "closed": 1, "overdue": 1, "untouched_cases": 1, "untouched_complaints": 0,
        "closed_without_evidence": 1, "reversed": 1, "reopened_90": 0}
    assert _pick(rows[data.pk], *NAMES) == {
        "opened": 4, "open_now": 3, "closed": 1, "overdue": 1, "untouched_cases": 0, "untouched_complaints": 0,
        "closed_without_evidence": 0, "reversed": 2, "reopened_90": 1}
    assert _pick(rows[None], "opened", "untouched_cases", "overdue") == {
        "opened": 1, "untouched_cases": 1, "overdue": 0}
    oscar = rows[world.oscar.pk]
    assert (oscar["inaction"], oscar["slow_action"], oscar["wrongful_action"]) == (1, 1, 2)
    assert rows[world.oscar.pk]["officer"] == str(world.oscar) and rows[None]["officer"] == "（未分派）"


def test_per_street(world, data):
    rows = _rows(indicators.street_rows(world.alice, **period()), "street_id")
    assert list(rows) == [world.caoyang.pk, world.changfeng.pk]
    assert _pick(rows[world.caoyang.pk], *NAMES) == {
        "opened": 5, "open_now": 4, "closed": 1, "overdue": 1, "untouched_cases": 1, "untouched_complaints": 1,
        "closed_without_evidence": 1, "reversed": 1, "reopened_90": 0}
    assert _pick(rows[world.changfeng.pk], *NAMES) == {
        "opened": 5, "open_now": 4, "closed": 1, "overdue": 1, "untouched_cases": 1, "untouched_complaints": 1,
        "closed_without_evidence": 0, "reversed": 2, "reopened_90": 1}
    assert rows[world.changfeng.pk]["untouched"] == 2 and rows[world.changfeng.pk]["street"] == world.changfeng.name


def test_a_longer_period_counts_the_older_closing(world, data):
    rows = _rows(indicators.officer_rows(world.alice, start=timezone.localdate() - timedelta(days=90),
                                         end=timezone.localdate()), "officer_id")
    assert _pick(rows[world.oscar.pk], "opened", "closed", "closed_without_evidence") == {
        "opened": 5, "closed": 2, "closed_without_evidence": 2}


def test_rows_follow_the_users_scope(world, data):
    assert set(_rows(indicators.officer_rows(world.oscar, **period()), "officer_id")) == {world.oscar.pk}
    assert list(_rows(indicators.street_rows(world.oscar, **period()), "street_id")) == [world.caoyang.pk]
    assert set(_rows(indicators.officer_rows(world.sam, **period()), "officer_id")) == {data.pk, None}
    sam = _rows(indicators.street_rows(world.sam, **period()), "street_id")
    assert list(sam) == [world.changfeng.pk] and sam[world.changfeng.pk]["untouched_complaints"] == 1
    assert indicators.officer_rows(world.paul, **period()) == []
    # a department sees only the cases referred to it: none of these are
    hana = indicators.street_rows(world.hana, **period())
    assert all(row[name] == 0 for row in hana for name in NAMES)


def test_a_routed_complaint_is_untouched_after_more_than_three_working_days(world, clean_calendar):
    today = timezone.localdate()
    fourth_back = indicators.working_days_back(today, 4)
    tz = timezone.get_current_timezone()
    on_it = complaint_for("SMALL_ADS", world.caoyang_a,
                          received_at=datetime.combine(fourth_back, time(23, 59), tzinfo=tz))
    before = complaint_for("SMALL_ADS", world.caoyang_a,
                           received_at=datetime.combine(fourth_back, time(0, 0), tzinfo=tz) - timedelta(minutes=1))
    assert calendar.working_days_between(fourth_back, today) == 3
    from intake.models import Complaint
    untouched = set(Complaint.objects.filter(indicators.untouched_complaints_q(today)).values_list("pk", flat=True))
    assert untouched == {before.pk} and on_it.pk not in untouched


def test_indicators_take_a_fixed_number_of_queries(world, data, django_assert_max_num_queries):
    for user in (world.alice, world.sam):
        with django_assert_max_num_queries(6):
            indicators.officer_rows(user, **period())
        with django_assert_max_num_queries(6):
            indicators.street_rows(user, **period())
