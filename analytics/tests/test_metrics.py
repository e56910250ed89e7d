"""The metrics against hand-counted fixtures (analytics.metrics): 投诉万人比 with the population-year rule, resident
vs other channels, unmatched complaints, 应结案 denominators, on-time by stage deadlines, the 90-day recurrence
window, and scoping from the refused side; the daily aggregate moving when a complaint changes."""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from analytics import aggregates, metrics
from analytics.models import DailyComplaintCount, MonthlyComplaintCount
from analytics.periods import Period
from cases.choices import CaseState
from cases.models import CaseTransition, EnforcementCase
from intake.choices import Channel, ComplaintStatus
from intake.models import Complaint
from registry.models import StreetPopulation, ViolationType

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOV = Period.parse("2026-11")


def at(y, m, d, hh=10, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=SH)


def complaint(when, channel=Channel.HOTLINE, street=None, community=None, kind="GROUP_RENTING", **extra):
    if community is not None and street is None:
        street = community.street
    return Complaint.objects.create(channel=channel, received_at=when, content="测试诉件", street=street,
                                    community=community, violation_type=ViolationType.objects.get(code=kind), **extra)


@pytest.fixture
def complaints(world):
    """Hand-counted November 2026 (Shanghai days), 曹杨 population 2026 on record: 200,000."""
    StreetPopulation.objects.create(street=world.caoyang, year=2026, population=200_000)
    StreetPopulation.objects.create(street=world.caoyang, year=2027, population=999_999)  # after the period: unused
    a = world.caoyang_a
    for channel in (Channel.HOTLINE, Channel.HOTLINE, Channel.HOTLINE, Channel.WORKSTATION, Channel.MEDIA,
                    Channel.MANUAL):
        complaint(at(2026, 11, 5), channel, community=a)                       # 6 residents'
    first = Complaint.objects.filter(community=a).first()
    complaint(at(2026, 11, 6), community=a, status=ComplaintStatus.DUPLICATE, duplicate_of=first)  # a repeat call
    complaint(at(2026, 11, 30, 23, 30), community=a)                           # the last evening: November
    complaint(at(2026, 12, 1, 0, 10), community=a)                             # December in Shanghai
    complaint(at(2026, 10, 31, 23, 59), community=a)                           # October
    for channel in (Channel.PATROL, Channel.PATROL, Channel.PROPERTY_REPORT, Channel.SENSOR, Channel.SUPERVISION,
                    Channel.THIRD_PARTY):
        complaint(at(2026, 11, 7), channel, community=a)                       # 6 not residents'
    complaint(at(2026, 11, 8), street=world.caoyang)                           # street known, no community
    complaint(at(2026, 11, 9), community=world.changfeng_b)                    # 长风
    complaint(at(2026, 11, 10))                                                # neither
    return world


def test_per_10k_counts_residents_by_shanghai_day_with_the_population_of_the_period_year(complaints):
    w = complaints
    lines = {(u.level, u.unit_id): u for u in metrics.complaints_per_10k(w.alice, NOV, "street")}
    district = lines[("district", None)]
    # 曹杨 6 + 1 repeat + 1 last evening + 1 unmatched = 9; 长风 1; 1 with neither → district 11
    assert district.complaints == 11
    assert district.population == 200_000 + 110_000  # 曹杨 2026, 长风 2025 (latest not after 2026)
    assert district.per_10k == round(11 / 310_000 * 10_000, 2)
    caoyang = lines[("street", w.caoyang.pk)]
    assert (caoyang.complaints, caoyang.population, caoyang.per_10k) == (9, 200_000, 0.45)
    changfeng = lines[("street", w.changfeng.pk)]
    assert (changfeng.complaints, changfeng.population, changfeng.per_10k) == (1, 110_000, round(1 / 11, 2))
    communities = {u.unit_id: u for u in metrics.complaints_per_10k(w.alice, NOV, "community")[1:]}
    assert communities[w.caoyang_a.pk].complaints == 8  # the unmatched one counts for the street only
    assert communities[w.caoyang_a.pk].per_10k == 40.0  # 8 / 2,000 × 10,000
    assert communities[w.changfeng_a.pk].complaints == 0
    # the year before: 曹杨's 2025 population
    last_year = metrics.unit_rate(w.alice, NOV.year_ago(), "street", w.caoyang)
    assert last_year.population == 100_000 and last_year.complaints == 0


def test_other_channels_are_shown_apart_and_repeats_counted(complaints):
    figures = metrics.effectiveness(complaints.alice, NOV, street=complaints.caoyang)
    assert figures["other_reports"].value == 6
    assert figures["received"].value == 9 + 6
    assert figures["repeated_complaints"].value == 1
    assert "channel_group=other" in figures["other_reports"].list_url


def test_change_against_baseline(complaints):
    w = complaints
    complaint(at(2026, 10, 3), community=w.caoyang_a)
    change = metrics.per_10k_change(w.alice, NOV, NOV.previous(), "community", w.caoyang_a)
    assert change["current"].complaints == 8 and change["baseline"].complaints == 2
    assert change["change_pct"] == 300.0 and change["goal_met"] is False


def test_list_urls_reproduce_the_numerators(complaints, client):
    w = complaints
    client.force_login(w.alice)
    for line in metrics.complaints_per_10k(w.alice, NOV, "community")[:2]:
        response = client.get(line.list_url)
        assert response.status_code == 200
        assert response.context["total"] == line.complaints, line.list_url


# --- scoping ---------------------------------------------------------------------------------------------

def test_a_street_user_sees_its_street_and_the_district_only(complaints):
    w = complaints
    lines = metrics.complaints_per_10k(w.sam, NOV, "street")
    assert [(u.level, u.unit_id) for u in lines] == [("district", None), ("street", w.changfeng.pk)]
    assert lines[0].complaints == 11  # the district's total, a count
    communities = metrics.complaints_per_10k(w.sam, NOV, "community")[1:]
    assert {u.unit_id for u in communities} == {w.changfeng_a.pk, w.changfeng_b.pk}
    with pytest.raises(PermissionDenied):
        metrics.complaints_per_10k(w.sam, NOV, "community", street=w.caoyang)
    with pytest.raises(PermissionDenied):
        metrics.effectiveness(w.sam, NOV, street=w.caoyang)
    with pytest.raises(PermissionDenied):
        metrics.effectiveness(w.sam, NOV, community=w.caoyang_a)
    with pytest.raises(PermissionDenied):
        metrics.by_type(w.owen, NOV, community=w.caoyang_a)
    # with no street, a street user's effectiveness is its own street's
    assert metrics.effectiveness(w.sam, NOV)["received"].value == 1


def test_property_users_get_nothing_and_system_sees_the_district(complaints):
    w = complaints
    for call in (lambda u: metrics.complaints_per_10k(u, NOV), lambda u: metrics.effectiveness(u, NOV),
                 lambda u: metrics.monthly_trend(u, NOV.start, NOV.end), lambda u: metrics.by_type(u, NOV)):
        with pytest.raises(PermissionDenied):
            call(w.paul)
    with pytest.raises(TypeError):
        metrics.complaints_per_10k(None, NOV)
    assert metrics.effectiveness(metrics.SYSTEM, NOV)["received"].value == 11 + 6
    assert metrics.complaints_per_10k(w.hana, NOV, "street")[0].complaints == 11  # a department sees all


# --- the daily aggregate -----------------------------------------------------------------------------------

def figure(world, period=NOV, **unit):
    return metrics.unit_rate(world.alice, period, **unit).complaints


def test_the_figures_move_when_a_complaint_changes(complaints):
    w = complaints
    moved = complaint(at(2026, 11, 12), community=w.caoyang_a)
    assert figure(w, level="community", unit_id=w.caoyang_a) == 9
    # its community (and street)
    moved.community, moved.street = w.changfeng_b, w.changfeng
    moved.save()
    assert figure(w, level="community", unit_id=w.caoyang_a) == 8
    assert figure(w, level="community", unit_id=w.changfeng_b) == 2
    assert figure(w, level="street", unit_id=w.changfeng) == 2
    # its channel: a patrol finding is not a resident's complaint
    moved.channel = Channel.PATROL
    moved.save(update_fields=["channel"])
    assert figure(w, level="street", unit_id=w.changfeng) == 1
    moved.channel = Channel.HOTLINE
    moved.save()
    # its received date: into December
    moved.received_at = at(2026, 12, 2)
    moved.save()
    assert figure(w, level="street", unit_id=w.changfeng) == 1
    assert figure(w, Period.parse("2026-12"), level="street", unit_id=w.changfeng) == 1
    # its type
    by_type = {r["code"]: r["count"] for r in metrics.by_type(w.alice, Period.parse("2026-12"), street=w.changfeng)
               if r["count"]}
    assert by_type == {"GROUP_RENTING": 1}
    moved.violation_type = ViolationType.objects.get(code="EBIKE_CHARGING")
    moved.save()
    by_type = {r["code"]: r["count"] for r in metrics.by_type(w.alice, Period.parse("2026-12"), street=w.changfeng)
               if r["count"]}
    assert by_type == {"EBIKE_CHARGING": 1}
    # deleted
    moved.delete()
    assert figure(w, Period.parse("2026-12"), level="street", unit_id=w.changfeng) == 0
    assert sum(DailyComplaintCount.objects.values_list("count", flat=True)) == Complaint.objects.count()
    assert_months_follow_days()


def assert_months_follow_days():
    """Every monthly cell is its month's daily cells summed, and no month is missing or left over."""
    expected = {}
    for row in DailyComplaintCount.objects.all():
        key = (row.day.replace(day=1), row.street_id, row.violation_type_id, row.resident)
        expected[key] = expected.get(key, 0) + row.count
    found = {}
    for row in MonthlyComplaintCount.objects.all():
        key = (row.month, row.street_id, row.violation_type_id, row.resident)
        assert key not in found, f"two rows for {key}"
        found[key] = row.count
    assert found == expected and found


def test_the_monthly_trend_reads_the_monthly_cells(complaints):
    w = complaints
    trend = {r["month"]: r["complaints"] for r in metrics.monthly_trend(w.alice, date(2026, 9, 1), date(2026, 12, 31))}
    by_days = {}
    for row in DailyComplaintCount.objects.filter(resident=True):
        code = f"{row.day:%Y-%m}"
        by_days[code] = by_days.get(code, 0) + row.count
    assert trend == {m: by_days.get(m, 0) for m in trend} and sum(trend.values()) > 0
    months = Period.between(date(2026, 9, 1), date(2026, 12, 31)).months()
    mix = metrics.by_type_per_month(w.alice, months)
    assert sum(sum(m.values()) for m in mix) == sum(
        DailyComplaintCount.objects.filter(day__gte=date(2026, 9, 1)).values_list("count", flat=True))
    community_trend = metrics.monthly_trend(w.alice, date(2026, 9, 1), date(2026, 12, 31), community=w.caoyang_a)
    MonthlyComplaintCount.objects.all().delete()  # district and street trends are the monthly table's
    assert sum(r["complaints"] for r in metrics.monthly_trend(w.alice, date(2026, 9, 1), date(2026, 12, 31))) == 0
    assert not any(metrics.by_type_per_month(w.alice, months))
    # a community's come from its own daily cells
    assert metrics.monthly_trend(w.alice, date(2026, 9, 1), date(2026, 12, 31), community=w.caoyang_a) == \
        community_trend and sum(r["complaints"] for r in community_trend) > 0


def test_rebuild_puts_right_what_bulk_writes_bypassed(complaints):
    w = complaints
    Complaint.objects.filter(community=w.caoyang_a).update(received_at=at(2026, 9, 1))  # no signals
    assert figure(w, level="community", unit_id=w.caoyang_a) == 8  # stale until rebuilt
    call_command("rebuild_aggregates", verbosity=0)
    assert figure(w, level="community", unit_id=w.caoyang_a) == 0
    # residents' only: November's 8, December's and October's one each (the 6 findings and reports are not)
    assert figure(w, Period.parse("2026-09"), level="community", unit_id=w.caoyang_a) == 8 + 1 + 1
    assert_months_follow_days()


# --- effectiveness: 应结案, on time, recurrence ---------------------------------------------------------------

def make_case(world, number, *, state, kind="GROUP_RENTING", community=None, state_due=None, closed_at=None,
              created=None):
    community = community or world.caoyang_a
    case = EnforcementCase.objects.create(
        number=number, violation_type=ViolationType.objects.get(code=kind), community=community,
        street=community.street, summary="测试案件", state=state, state_entered_at=created or timezone.now(),
        state_due=state_due, closed_at=closed_at)
    if created:
        EnforcementCase.objects.filter(pk=case.pk).update(created_at=created)
        aggregates.rebuild_case_counts()  # a bulk write (back-dating) rebuilds what it bypassed
    return case


def move(case, from_state, to_state, when, action="move"):
    t = CaseTransition.objects.create(case=case, from_state=from_state, to_state=to_state, action=action)
    CaseTransition.objects.filter(pk=t.pk).update(at=when)
    aggregates.recompute_stage_exits([case.pk])  # a bulk write (back-dating) recomputes what it bypassed


def test_rates_are_against_cases_due(world):
    kind = ViolationType.objects.get(code="GROUP_RENTING")
    kind.stage_deadlines = {"VERIFY": 3}
    kind.save()
    # closed in November within its deadlines: registered 2 Nov, verifying 3 Nov (3 working days: 6 Nov), closed 5 Nov
    good = make_case(world, "A1", state=CaseState.CLOSED, closed_at=at(2026, 11, 5), created=at(2026, 11, 2))
    move(good, "", CaseState.REGISTERED, at(2026, 11, 2), "register")
    move(good, CaseState.REGISTERED, CaseState.VERIFYING, at(2026, 11, 3))
    move(good, CaseState.VERIFYING, CaseState.CLOSED, at(2026, 11, 5))
    # closed in November after its verification deadline (6 Nov): closed 10 Nov
    late = make_case(world, "A2", state=CaseState.CLOSED, closed_at=at(2026, 11, 10), created=at(2026, 11, 2))
    move(late, "", CaseState.REGISTERED, at(2026, 11, 2), "register")
    move(late, CaseState.REGISTERED, CaseState.VERIFYING, at(2026, 11, 3))
    move(late, CaseState.VERIFYING, CaseState.CLOSED, at(2026, 11, 10))
    make_case(world, "B", state=CaseState.INVESTIGATING, state_due=date(2026, 11, 20))   # due, open: overdue
    make_case(world, "C", state=CaseState.VERIFYING, state_due=date(2026, 12, 10))       # due in December
    make_case(world, "D", state=CaseState.CLOSED, closed_at=at(2026, 10, 20))            # closed in October
    make_case(world, "E", state=CaseState.REFERRED, state_due=None)                      # referred: never due
    f = metrics.effectiveness(world.alice, NOV)
    assert (f["due"].value, f["closed"].value, f["on_time"].value) == (3, 2, 1)
    assert f["closing_rate"].value == round(200 / 3, 2) and f["closing_rate"].denominator == 3
    assert f["on_time_rate"].value == round(100 / 3, 2)
    assert f["overdue"].value == 1
    assert f["stage_on_time:VERIFYING"].numerator == 1 and f["stage_on_time:VERIFYING"].denominator == 2
    assert f["stage_on_time:REGISTERED"].value == 100.0
    assert metrics.overdue_cases(world.alice, NOV.end).count() == 1
    assert metrics.overdue_cases(world.alice, date(2026, 12, 31)).count() == 2


def test_case_list_urls_reproduce_the_numerators(world, client):
    make_case(world, "A", state=CaseState.CLOSED, closed_at=at(2026, 11, 5))
    make_case(world, "B", state=CaseState.INVESTIGATING, state_due=date(2026, 11, 20))
    make_case(world, "C", state=CaseState.VERIFYING, state_due=date(2026, 12, 10))
    client.force_login(world.alice)
    f = metrics.effectiveness(world.alice, NOV)
    for code in ("due", "closed", "overdue", "on_time"):
        response = client.get(f[code].list_url)
        assert response.status_code == 200 and response.context["total"] == f[code].numerator, code


def test_recurrence_is_the_same_community_and_type_within_90_days_of_closing(world):
    closed = at(2026, 8, 1)
    again = make_case(world, "R1", state=CaseState.CLOSED, closed_at=closed)
    make_case(world, "R2", state=CaseState.CLOSED, closed_at=closed, community=world.changfeng_b)
    make_case(world, "R3", state=CaseState.CLOSED, closed_at=closed, community=world.changfeng_a)
    complaint(closed + timedelta(days=60), community=world.caoyang_a)                     # R1 recurs
    complaint(closed + timedelta(days=100), community=world.changfeng_b)                  # too late for R2
    complaint(closed + timedelta(days=10), community=world.changfeng_a, kind="EBIKE_CHARGING")  # another type
    complaint(closed - timedelta(days=1), community=world.changfeng_a)                    # before the closing
    f = metrics.effectiveness(world.alice, Period.parse("2026-08"))
    assert (f["recurrence_rate"].numerator, f["recurrence_rate"].denominator) == (1, 3)
    assert "recurred=true" in f["recurrence_rate"].list_url
    assert again.pk


def test_trend_and_ranking(complaints):
    w = complaints
    trend = metrics.monthly_trend(w.alice, date(2026, 10, 1), date(2026, 11, 30))
    assert [(r["month"], r["complaints"]) for r in trend] == [("2026-10", 1), ("2026-11", 11)]
    ranked = metrics.streets_ranked(w.alice, NOV)
    assert [r["street_id"] for r in ranked] == [w.caoyang.pk, w.changfeng.pk]  # 0.45 then 0.09
    assert [r["street_id"] for r in metrics.streets_ranked(w.sam, NOV)] == [w.changfeng.pk]


def test_referrals_answered_on_time_per_street_and_department(world):
    from cases.models import Referral
    from registry.models import Department

    housing, greening = Department.objects.get(code="HOUSING"), Department.objects.get(code="GREENING")
    due = date(2026, 11, 10)

    def referral(department, answered, status="ANSWERED", street=None):
        return Referral.objects.create(department=department, street=street or world.caoyang, matter="移交", due=due,
                                       status=status, answered_at=answered)

    referral(housing, at(2026, 11, 10, 23, 0))                       # on the due day, Shanghai time: on time
    referral(housing, at(2026, 11, 11, 0, 30))                       # the next day: late
    referral(housing, at(2026, 11, 9), status="RETURNED")            # returned in time counts as answered
    referral(greening, None, status="SENT", street=world.changfeng)  # never answered
    referral(greening, None, status="WITHDRAWN")                     # withdrawn: left out
    f = metrics.effectiveness(world.alice, NOV)["referral_on_time_rate"]
    assert (f.numerator, f.denominator) == (2, 4)
    assert metrics.effectiveness(world.sam, NOV)["referral_on_time_rate"].denominator == 1
    by_department = metrics.referral_on_time_by_department(metrics.SYSTEM, NOV)
    assert (by_department[housing.pk].numerator, by_department[housing.pk].denominator) == (2, 3)
    assert by_department[greening.pk].value == 0.0
    with pytest.raises(PermissionDenied):
        metrics.referral_on_time_by_department(world.sam, NOV)


def test_reopened_cases_link_and_lists_show_the_figure_filters(world, client):
    case = make_case(world, "RW", state=CaseState.VERIFYING, state_due=date(2026, 12, 20))
    move(case, CaseState.CLOSED, CaseState.VERIFYING, at(2026, 11, 15), "reopen")
    f = metrics.effectiveness(world.alice, NOV)
    assert f["rework"].value == 1
    client.force_login(world.alice)
    response = client.get(f["rework"].list_url)
    assert response.context["total"] == 1
    assert 'data-testid="figure-filters"' in response.content.decode()
    page = client.get(metrics.complaint_list_url(NOV, group="resident")).content.decode()
    assert 'name="channel_group" value="resident"' in page and 'name="received_after" value="2026-11-01"' in page


def test_selectors_read_the_aggregate_in_scope(complaints):
    from analytics import selectors

    w = complaints
    counts = selectors.daily_resident_counts(w.alice, NOV.start, NOV.end)
    assert sum(counts[w.caoyang_a.pk].values()) == 8 and sum(counts[w.changfeng_b.pk].values()) == 1
    assert set(selectors.daily_resident_counts(w.sam, NOV.start, NOV.end)) == {w.changfeng_b.pk}
    assert selectors.first_day(w.alice) == date(2026, 10, 31)
    assert selectors.today_counts(w.alice, date(2026, 11, 7)) == {"all": 6, "resident": 0}
    with pytest.raises(PermissionDenied):
        selectors.daily_resident_counts(w.sam, NOV.start, NOV.end, street=w.caoyang)
