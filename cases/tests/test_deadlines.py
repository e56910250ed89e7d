"""Deadlines in working days: weekends, holidays and 调休 make-up days from the calendar the administrator
edits; each stage's deadline from the violation type; 临期 and 超期."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import indicators, services
from cases.choices import CaseState, PartyRole
from cases.models import EnforcementCase
from cases.tests.test_paths import FINDINGS, add_party, move, open_case, photo, with_team
from core import calendar
from core.models import Holiday
from registry.models import ViolationType

pytestmark = pytest.mark.django_db

FRI, SAT, SUN, MON = date(2025, 9, 26), date(2025, 9, 27), date(2025, 9, 28), date(2025, 9, 29)


@pytest.fixture
def clean_calendar(db):
    """No holidays at all (the data migration ships the State Council's; these tests name their own)."""
    Holiday.objects.all().delete()
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture
def national_day(clean_calendar):
    """2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked instead."""
    for day in range(1, 9):
        Holiday.objects.create(date=date(2025, 10, day), name="国庆节、中秋节")
    Holiday.objects.create(date=SUN, name="国庆节调休", is_workday=True)
    Holiday.objects.create(date=date(2025, 10, 11), name="国庆节调休", is_workday=True)
    calendar.invalidate()


def test_weekends_are_not_working_days(clean_calendar):
    assert [calendar.is_working_day(d) for d in (FRI, SAT, SUN, MON)] == [True, False, False, True]
    assert calendar.add_working_days(FRI, 0) == FRI
    assert calendar.add_working_days(FRI, 1) == MON
    assert calendar.add_working_days(SAT, 1) == MON
    assert calendar.add_working_days(date(2025, 9, 22), 5) == MON  # Monday + 5 = next Monday
    assert calendar.add_working_days(FRI, 10) == date(2025, 10, 10)


def test_working_days_between_counts_after_start_up_to_end(clean_calendar):
    assert calendar.working_days_between(FRI, MON) == 1
    assert calendar.working_days_between(SAT, SUN) == 0
    assert calendar.working_days_between(FRI, FRI) == 0
    assert calendar.working_days_between(MON, FRI) == -1
    assert calendar.working_days_between(date(2025, 9, 1), date(2025, 9, 30)) == 21
    for n in range(0, 15):
        assert calendar.working_days_between(FRI, calendar.add_working_days(FRI, n)) == n


def test_holidays_are_skipped_and_make_up_days_are_worked(national_day):
    assert calendar.is_working_day(SUN)  # 调休: a Sunday worked
    assert not calendar.is_working_day(date(2025, 10, 1)) and not calendar.is_working_day(date(2025, 10, 6))
    assert calendar.is_working_day(date(2025, 10, 11))  # 调休: a Saturday worked
    assert calendar.add_working_days(FRI, 1) == SUN
    assert calendar.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert calendar.add_working_days(date(2025, 9, 30), 3) == date(2025, 10, 11)
    assert calendar.add_working_days(date(2025, 9, 30), 4) == date(2025, 10, 13)
    # 28/9, 29/9, 30/9, 9/10, 10/10, 11/10, 13/10
    assert calendar.working_days_between(FRI, date(2025, 10, 13)) == 7
    assert calendar.working_days_between(date(2025, 10, 13), FRI) == -7
    assert calendar.working_days_between(date(2025, 10, 1), date(2025, 10, 8)) == 0


def test_the_calendar_follows_the_administrators_edits(clean_calendar):
    assert calendar.add_working_days(date(2031, 1, 3), 1) == date(2031, 1, 6)
    Holiday.objects.create(date=date(2031, 1, 6), name="测试假日")
    calendar.invalidate()  # what the admin does on save (cases/admin.py)
    assert calendar.add_working_days(date(2031, 1, 3), 1) == date(2031, 1, 7)
    Holiday.objects.create(date=date(2031, 1, 4), name="测试调休", is_workday=True)
    calendar.invalidate()
    assert calendar.add_working_days(date(2031, 1, 3), 1) == date(2031, 1, 4)


def test_working_days_back(national_day):
    assert indicators.working_days_back(MON, 1) == MON
    assert indicators.working_days_back(MON, 2) == SUN  # the make-up Sunday
    assert indicators.working_days_back(date(2025, 10, 9), 2) == date(2025, 9, 30)
    assert indicators.working_days_back(date(2025, 10, 5), 1) == date(2025, 9, 30)


# --- each stage's deadline ----------------------------------------------------------------------

STAGES = {"VERIFY": 1, "FILE": 2, "INVESTIGATE": 3, "DECIDE": 4, "RECTIFY": 5, "REVIEW": 6}


def test_each_move_sets_the_deadline_of_the_stage_it_enters(world, clean_calendar):
    ViolationType.objects.filter(code="EBIKE_PARKING").update(stage_deadlines=STAGES)
    today = timezone.localdate()

    def due(days):
        return calendar.add_working_days(today, days)

    officer = world.oscar
    case = open_case(world, "EBIKE_PARKING")
    assert case.state_due == due(1)
    case = move(case, "start_verification", officer)
    assert case.state_due == due(1)
    case = move(case, "file", officer, files=[photo()])
    assert case.state_due == due(2)
    case = move(with_team(case), "investigate", officer)
    assert case.state_due == due(3)
    add_party(case, officer, PartyRole.USER)
    case = move(case, "decide", officer, measures=["ORDER_CORRECT"], findings=FINDINGS)
    assert case.state_due == due(4)
    rectify_due = today + timedelta(days=9)
    case = move(case, "order_rectification", officer, rectify_due=rectify_due)
    assert case.state_due == rectify_due  # the date set in the order, not the type's default
    case = move(case, "review", officer)
    assert case.state_due == due(6)
    case = move(case, "close_rectified", officer, files=[photo("after.jpg")])
    assert case.state == CaseState.CLOSED and case.state_due is None
    assert case.state_entered_at >= case.transitions.get(action="review").at


def test_a_stage_the_type_sets_no_deadline_for_has_none(world, clean_calendar):
    ViolationType.objects.filter(code="SMALL_ADS").update(stage_deadlines={"VERIFY": 2})
    case = open_case(world, "SMALL_ADS")
    assert case.state_due == calendar.add_working_days(timezone.localdate(), 2)
    case = move(case, "start_verification", world.oscar)
    case = move(case, "file", world.oscar, files=[photo()])
    assert case.state == CaseState.FILED and case.state_due is None


def test_stage_deadlines_skip_the_holidays_on_the_calendar(world, clean_calendar):
    today = timezone.localdate()
    for offset in range(1, 8):  # a week off right after today
        Holiday.objects.create(date=today + timedelta(days=offset), name="测试长假")
    calendar.invalidate()
    ViolationType.objects.filter(code="EBIKE_PARKING").update(stage_deadlines=STAGES)
    case = open_case(world, "EBIKE_PARKING")
    assert case.state_due > today + timedelta(days=7)
    assert calendar.is_working_day(case.state_due)
    assert calendar.working_days_between(today, case.state_due) == 1


def test_referral_and_supervision_deadlines_are_working_days(world, clean_calendar):
    today = timezone.localdate()
    case = move(open_case(world, "SMALL_ADS"), "start_verification", world.oscar)
    move(case, "refer", world.oscar, department="HOUSING", reason="属房管职责")
    assert case.referrals.get().due == calendar.add_working_days(today, 5)
    order = services.supervision_issue(case=case, actor=world.alice, instruction="三日内回复", response_days=3)
    assert order.response_due == calendar.add_working_days(today, 3)


# --- 临期 / 超期 ---------------------------------------------------------------------------------

THU = date(2025, 9, 25)


def _case_due(world, due, state=CaseState.INVESTIGATING):
    case = open_case(world, "SMALL_ADS")
    EnforcementCase.objects.filter(pk=case.pk).update(state=state, state_due=due)
    case.refresh_from_db()
    return case


def test_due_soon_is_two_working_days_and_overdue_is_past_the_day(world, clean_calendar):
    assert indicators.due_soon_until(THU) == MON  # Friday and Monday
    cases = {
        "late": _case_due(world, date(2025, 9, 24)),
        "today": _case_due(world, THU),
        "monday": _case_due(world, MON),
        "tuesday": _case_due(world, date(2025, 9, 30)),
        "closed_late": _case_due(world, date(2025, 9, 1), state=CaseState.CLOSED),
        "referred_late": _case_due(world, date(2025, 9, 1), state=CaseState.REFERRED),
        "no_deadline": _case_due(world, None),
    }
    flags = {name: indicators.deadline_flag(case, THU) for name, case in cases.items()}
    assert flags == {"late": "overdue", "today": "due_soon", "monday": "due_soon", "tuesday": "",
                     "closed_late": "", "referred_late": "", "no_deadline": ""}
    by_pk = {case.pk: name for name, case in cases.items()}
    assert {by_pk[pk] for pk in EnforcementCase.objects.filter(indicators.overdue_q(THU))
            .values_list("pk", flat=True)} == {"late"}
    assert {by_pk[pk] for pk in EnforcementCase.objects.filter(indicators.due_soon_q(THU))
            .values_list("pk", flat=True)} == {"today", "monday"}


def test_due_soon_reaches_over_the_holidays(world, national_day):
    # on Tuesday 30 September the next two working days are 9 and 10 October
    assert indicators.due_soon_until(date(2025, 9, 30)) == date(2025, 10, 10)
    case = _case_due(world, date(2025, 10, 10))
    assert indicators.deadline_flag(case, date(2025, 9, 30)) == "due_soon"
    assert indicators.deadline_flag(case, date(2025, 9, 26)) == ""
    assert indicators.deadline_flag(case, date(2025, 10, 11)) == "overdue"
