"""Public rules the demo (and anyone recording a case late) relies on instead of copying them: a case opened at an
earlier moment takes the number of that moment's year; the stage deadline and the referral deadline as
functions."""
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from cases import referrals, services
from cases.tests.test_paths import complaint_for
from core import calendar
from registry.models import Department

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_case_opened_last_year_takes_last_years_number(world):
    year = timezone.localdate().year
    new_years_eve = datetime(year - 1, 12, 31, 23, 50, tzinfo=SHANGHAI)

    def opened(at=None):
        complaint = complaint_for("EBIKE_PARKING", world.caoyang_a)
        return services.case_open_from_complaint(complaint=complaint, actor=world.oscar, opened_at=at).number

    assert opened(new_years_eve) == f"AJ{year - 1}-000001"
    assert opened() == f"AJ{year}-000001"
    assert opened(new_years_eve) == f"AJ{year - 1}-000002"
    assert opened(datetime(year + 1, 1, 1, 0, 10, tzinfo=SHANGHAI)) == f"AJ{year}-000002"  # never a later year


def test_stage_deadline_is_the_deadline_the_service_sets(world):
    complaint = complaint_for("EBIKE_PARKING", world.caoyang_a)
    case = services.case_open_from_complaint(complaint=complaint, actor=world.oscar)
    case = services.case_transition(case=case, action="start_verification", actor=world.oscar, version=case.version)
    today = timezone.localdate()
    assert case.state_due is not None
    assert services.stage_deadline(case, case.state, today) == case.state_due
    assert services.stage_deadline(case, "CLOSED", today) is None


def test_a_referral_is_due_on_its_answer_due(world):
    complaint = complaint_for("EBIKE_PARKING", world.caoyang_a)
    referral = referrals.referral_send(department=Department.objects.get(code="HOUSING"), matter="楼道堆物",
                                       actor=world.alice, complaint=complaint)
    assert referral.due == referrals.answer_due(timezone.localdate())
    assert referrals.answer_due(timezone.localdate(), 2) == calendar.add_working_days(timezone.localdate(), 2)
