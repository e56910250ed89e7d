import pytest

from tests.walk.conftest import DEMO_LOGINS


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_every_demo_login_exists_and_is_active(demo_user, username):
    assert demo_user(username).is_active


def test_the_demo_shows_rechecks_done_and_due_two_recurrences_and_a_repeat_flat(demo_user):
    """回头看 in the demo district (demo.rechecks): done and due, one 回潮 reopening its case, one opening a linked
    case, and a flat with two cases; a street officer's workbench lists his due ones."""
    from django.db.models import F

    from cases import repeat
    from cases.models import EnforcementCase, ReCheck
    from demo import rechecks

    assert ReCheck.objects.filter(status="DONE", result="CLEAN").exists()
    assert ReCheck.objects.filter(status="DUE").exists()
    recurred = ReCheck.objects.filter(result="RECURRED")
    assert recurred.filter(follow_up_id=F("case_id")).exists()
    linked = recurred.exclude(follow_up_id=F("case_id")).filter(follow_up__isnull=False).get().follow_up
    assert linked.reopened_from_id is not None
    lead = demo_user("lead")
    assert linked.reopened_from_id in repeat.earlier(lead, linked)["party"]
    flat = EnforcementCase.objects.filter(location__endswith=rechecks.FLAT, violation_type__code="GROUP_RENTING",
                                          summary="巡查发现该户疑似群租")
    first, second = flat.get(parties__name="周某"), flat.get(parties__name="吴某")
    assert first.location == second.location and first.created_at < second.created_at
    assert first.pk in repeat.earlier(lead, second)["flat"]
