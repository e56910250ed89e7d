"""The credit deadlines as functions (used by the services and by the demo instead of a copy)."""
from django.utils import timezone

from core import calendar
from credit import selectors
from credit.models import CreditPolicy
from credit.tests.helpers import check_of, filed_owner_case


def test_a_check_is_due_on_its_duty_answer_due(world):
    check = check_of(filed_owner_case(world))
    today = timezone.localdate()
    assert check.answer_due == selectors.duty_answer_due(today)
    policy = CreditPolicy.current()
    assert selectors.dispute_decide_due(today, policy) == calendar.add_working_days(today, policy.dispute_decide_days)
