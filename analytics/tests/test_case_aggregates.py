"""The stored case aggregates (analytics.models.CaseStageExit, DailyCaseCount) follow every write that changes
their inputs, so the figures read from them equal those counted from the cases: after each write below the rows
kept by the signals equal a full rebuild, and the district's figures equal the cases' own count. And the overview
costs the same number of queries whatever the number of streets."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analytics import aggregates, metrics
from analytics.models import CaseStageExit, DailyCaseCount
from analytics.periods import Period
from analytics.tests.helpers_dash import call
from cases.choices import CaseState
from cases.models import CaseTransition, EnforcementCase
from core import calendar
from core.models import Holiday
from intake.models import Complaint
from registry.models import Community, Street, StreetPopulation, ViolationType

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOV = Period.parse("2026-11")


def at(y, m, d):
    return datetime(y, m, d, 10, tzinfo=SH)


def snapshot():
    exits = sorted(CaseStageExit.objects.values_list("case_id", "street_id", "community_id", "stage", "left_on",
                                                     "deadline", "late"))
    cells = sorted(DailyCaseCount.objects.values_list("day", "street_id", "kind", "count"),
                   key=lambda r: (r[0], r[1] or 0, r[2]))
    return exits, cells


def assert_kept_as_rebuilt():
    kept = snapshot()
    aggregates.rebuild_stage_exits()
    aggregates.rebuild_case_counts()
    assert kept == snapshot()
    periods = {"nov": NOV, "dec": Period.parse("2026-12"), "year": Period.between(date(2026, 1, 1), date(2026, 12, 31))}
    assert metrics._case_counts(None, None, periods, metrics.CASE_COUNTS + ("recurred",)) == direct(periods)


def direct(periods):
    """The same counts from the cases themselves (the community path: no aggregate)."""
    out = {}
    for label, period in periods.items():
        filters = metrics._case_filters(period)
        cases = EnforcementCase.objects.all()
        row = {name: cases.filter(q).count() for name, q in filters.items()}
        row["on_time"] = row["closed"] - row.pop("late")
        out[label] = row
    return out


def move(case, from_state, to_state, when, action="move"):
    step = CaseTransition.objects.create(case=case, from_state=from_state, to_state=to_state, action=action)
    step.at = when
    step.save()  # a save, not an update: the signals see it


@pytest.fixture
def fresh_calendar():
    """The working calendar is cached in the process: the holidays this test adds must not outlive it."""
    yield
    calendar.invalidate()


def test_the_kept_rows_equal_a_rebuild_after_every_write(world, fresh_calendar):
    kind = ViolationType.objects.get(code="GROUP_RENTING")
    kind.stage_deadlines = {"VERIFY": 3}
    kind.save()
    late = EnforcementCase.objects.create(
        number="T1", violation_type=kind, community=world.caoyang_a, street=world.caoyang, summary="测试",
        state=CaseState.REGISTERED, state_entered_at=at(2026, 11, 2), state_due=date(2026, 11, 3))
    move(late, "", CaseState.REGISTERED, at(2026, 11, 2), "register")
    move(late, CaseState.REGISTERED, CaseState.VERIFYING, at(2026, 11, 3))
    assert_kept_as_rebuilt()
    late.state, late.state_due = CaseState.VERIFYING, date(2026, 11, 6)
    late.save()
    assert_kept_as_rebuilt()
    # closed on 10 Nov, after the verification deadline of 6 Nov: closed late
    move(late, CaseState.VERIFYING, CaseState.CLOSED, at(2026, 11, 10))
    late.state, late.state_due, late.closed_at = CaseState.CLOSED, None, at(2026, 11, 10)
    late.save()
    assert CaseStageExit.objects.filter(case=late, late=True).exists()
    assert metrics._case_counts(None, None, {"p": NOV})["p"]["on_time"] == 0
    assert_kept_as_rebuilt()
    # the problem comes back 10 days after the closing (回潮), then that complaint is moved to another type
    call(world.caoyang_a, date(2026, 11, 20), code="GROUP_RENTING")
    assert metrics.effectiveness(metrics.SYSTEM, NOV)["recurrence_rate"].numerator == 1
    assert_kept_as_rebuilt()
    again = Complaint.objects.get(received_at__date=date(2026, 11, 20))
    again.violation_type = ViolationType.objects.get(code="EBIKE_PARKING")
    again.save()
    assert metrics.effectiveness(metrics.SYSTEM, NOV)["recurrence_rate"].numerator == 0
    assert_kept_as_rebuilt()
    again.violation_type = kind
    again.save()
    assert_kept_as_rebuilt()
    # a longer deadline for the type: the same case is now on time
    kind.stage_deadlines = {"VERIFY": 10}
    kind.save()
    assert metrics._case_counts(None, None, {"p": NOV})["p"]["on_time"] == 1
    assert_kept_as_rebuilt()
    # days off inside the stage push its deadline (3 working days from 3 Nov: 6 Nov, then 12 Nov with 4-6 Nov off)
    kind.stage_deadlines = {"VERIFY": 3}
    kind.save()
    for day in (4, 5, 6):
        Holiday.objects.create(date=date(2026, 11, day), name="测试假日")
    assert metrics._case_counts(None, None, {"p": NOV})["p"]["on_time"] == 1
    assert_kept_as_rebuilt()
    Holiday.objects.filter(date=date(2026, 11, 5)).delete()  # a queryset delete still sends post_delete
    assert_kept_as_rebuilt()
    # an open case moving its deadline and its street, then deleted
    other = EnforcementCase.objects.create(
        number="T2", violation_type=kind, community=world.changfeng_b, street=world.changfeng, summary="测试",
        state=CaseState.INVESTIGATING, state_entered_at=timezone.now(), state_due=date(2026, 11, 20))
    assert_kept_as_rebuilt()
    other.state_due, other.street = date(2026, 12, 3), world.caoyang
    other.save()
    assert_kept_as_rebuilt()
    # the closed case put in another street's community: its figures move with it
    late.community, late.street = world.changfeng_b, world.changfeng
    late.save()
    assert metrics.effectiveness(metrics.SYSTEM, NOV, street=world.changfeng)["closed"].value == 1
    assert_kept_as_rebuilt()
    # reopened: no longer closed in November
    move(late, CaseState.CLOSED, CaseState.VERIFYING, at(2026, 12, 1), "reopen")
    late.state, late.state_due = CaseState.VERIFYING, date(2026, 12, 4)
    late.save()
    assert metrics._case_counts(None, None, {"p": NOV})["p"]["closed"] == 0
    assert_kept_as_rebuilt()
    again.delete()
    assert metrics.effectiveness(metrics.SYSTEM, NOV)["recurrence_rate"].numerator == 0
    assert_kept_as_rebuilt()
    other.delete()
    late.delete()
    assert not CaseStageExit.objects.exists() and not DailyCaseCount.objects.exists()


def test_a_community_counts_its_cases_as_the_district_sums_its_days(world):
    for n, (community, due) in enumerate([(world.caoyang_a, date(2026, 11, 5)), (world.changfeng_b, date(2026, 11, 9)),
                                          (world.changfeng_b, date(2026, 10, 1))]):
        EnforcementCase.objects.create(
            number=f"C{n}", violation_type=ViolationType.objects.get(code="GROUP_RENTING"), community=community,
            street=community.street, summary="测试", state=CaseState.INVESTIGATING, state_entered_at=at(2026, 10, 1),
            state_due=due)
    by_community = [metrics._case_counts([c.street_id], c.pk, {"p": NOV})["p"]
                    for c in (world.caoyang_a, world.changfeng_b, world.changfeng_a)]
    by_street = [metrics._case_counts([s.pk], None, {"p": NOV})["p"] for s in (world.caoyang, world.changfeng)]
    assert by_street[0] == by_community[0]
    assert by_street[1] == {k: by_community[1][k] + by_community[2][k] for k in by_street[1]}
    assert by_street[1]["due"] == 1 and by_street[1]["overdue"] == 2


def _more_streets(world, prefix, n):
    """`n` streets more, each with its population, a community, complaints of this week and an overdue case."""
    kind = ViolationType.objects.get(code="GROUP_RENTING")
    today = timezone.localdate()
    for i in range(n):
        street = Street.objects.create(district=world.district, name=f"{prefix}街道{i}", short_name=f"{prefix}{i}",
                                       code=f"{prefix}{i}")
        StreetPopulation.objects.create(street=street, year=today.year - 1, population=50_000 + i)
        community = Community.objects.create(name=f"{prefix}小区{i}", street=street, households=100, population=300,
                                             lat=31.2, lng=121.4)
        call(community, today - timedelta(days=3), 2)
        EnforcementCase.objects.create(
            number=f"{prefix}{i}", violation_type=kind, community=community, street=street, summary="测试",
            state=CaseState.INVESTIGATING, state_entered_at=timezone.now(), state_due=today - timedelta(days=1))


def _queries(client, url):
    client.get(url)  # warm: sessions, translations, the calendar's cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_overview_costs_the_same_queries_whatever_the_number_of_streets(client, world):
    _more_streets(world, "A", 1)
    url = reverse("analytics:overview")
    before = {}
    for persona in (world.alice, world.sam):   # the district's view, and a street user's (its own street)
        client.force_login(persona)
        before[persona.username] = _queries(client, url)
    _more_streets(world, "B", 4)
    assert Street.objects.count() == 7
    for persona in (world.alice, world.sam):
        client.force_login(persona)
        assert _queries(client, url) == before[persona.username]


def test_the_credit_ranking_counts_complaints_from_the_daily_counts_as_from_the_complaints(world):
    from credit import selectors as credit_selectors
    from intake.choices import Channel

    today = timezone.localdate()
    call(world.caoyang_a, today - timedelta(days=2), 3)                          # company A
    call(world.changfeng_b, today - timedelta(days=400), 2)                      # company B, before the window
    call(world.changfeng_b, today, 1)                                            # company B
    call(world.changfeng_a, today, 2, channel=Channel.PROPERTY_REPORT)          # A's own reports: not counted
    first = today - timedelta(days=365)
    assert credit_selectors._complaint_counter is aggregates.complaints_per_company   # registered by analytics
    direct = credit_selectors._count_complaints(first, today)
    assert aggregates.complaints_per_company(first, today) == direct == {world.company_a.pk: 3,
                                                                         world.company_b.pk: 1}
