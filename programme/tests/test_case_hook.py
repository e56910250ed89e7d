"""Closing the case of an item closes the item (programme.receivers): the case is driven through
cases.services.case_transition exactly as an officer drives it."""
from datetime import timedelta

import pytest
from django.utils import timezone

from cases import fines
from cases.choices import CaseState, PartyRole
from cases.models import EnforcementCase
from cases.tests import test_paths as paths
from programme import services
from programme.choices import StructureStatus as S
from programme.models import IllegalStructure
from programme.tests.helpers import days_ago, item

pytestmark = pytest.mark.django_db


def decided(world, a, measures, **extra):
    """The item's case opened from the ledger, investigated, with a party and a decision: a fine through the
    penalty procedure (approved, then paid), anything else decided at once."""
    case = services.structure_open_case(item=a, actor=world.oscar)
    case = paths.to_investigating(case, world.oscar)
    paths.add_party(case, world.oscar, PartyRole.OWNER)
    if "FINE" not in measures:
        return paths.decide(case, world.oscar, measures, reason="处理决定", **extra)
    case = paths.notify_fine(case, world.oscar, "15000", measures=measures, reason="拟予处罚", **extra)
    case = paths.to_decision(paths.serve_notice(case, world.oscar), world)
    fines.fine_record_payment(fine=case.fines.get(), actor=world.oscar, status="PAID")
    return case


def fresh(a) -> IllegalStructure:
    return IllegalStructure.objects.get(pk=a.pk)


def test_a_case_closed_with_demolition_closes_its_item_as_demolished(world):
    a = item(world, status=S.EXISTING, target_date=timezone.localdate() + timedelta(days=30))
    case = decided(world, a, ["ORDER_CORRECT", "DEMOLISH", "FINE"])
    assert fresh(a).status == S.HANDLING and fresh(a).measure == "DEMOLISH"  # the decision names the measure
    case = paths.move(case, "order_rectification", world.oscar, rectify_due=timezone.localdate() + timedelta(days=10))
    case = paths.move(case, "review", world.oscar)
    assert fresh(a).status == S.HANDLING
    case = paths.move(case, "close_rectified", world.oscar, reason="已拆除", files=[paths.photo("after.jpg")])
    assert case.state == CaseState.CLOSED
    a = fresh(a)
    assert (a.status, a.measure, a.cleared_on) == (S.DEMOLISHED, "DEMOLISH", timezone.localdate(case.closed_at))
    assert a.history.first().history_change_reason == f"案件 {case.number} 结案"
    assert a.history.first().history_user == world.oscar


def test_a_construction_in_progress_is_stopped_demolished_and_cleared(world):
    a = item(world, kind="NEW", found_on=days_ago(0))
    case = decided(world, a, ["STOP", "DEMOLISH", "FINE"])
    assert case.in_progress
    paths.move(case, "close_executed", world.oscar, reason="当场拆除", measures_done=["STOP", "DEMOLISH"])
    assert fresh(a).status == S.DEMOLISHED


@pytest.mark.parametrize(("measures", "status", "measure"), [
    (["ANNOTATE", "FINE"], S.ANNOTATED, "ANNOTATE"),
    (["ORDER_CORRECT", "RESTORE"], S.RECTIFIED, "RESTORE"),
    (["ORDER_CORRECT"], S.RECTIFIED, "ORDER_CORRECT"),
    (["ANNOTATE", "FORCED_DEMOLITION"], S.DEMOLISHED, "FORCED_DEMOLITION"),
])
def test_the_case_measures_decide_the_closing_status(world, measures, status, measure):
    a = item(world)
    case = decided(world, a, measures)
    paths.move(case, "close_executed", world.oscar, reason="执行完毕")
    assert (fresh(a).status, fresh(a).measure) == (status, measure)


def test_a_case_dismissed_as_untrue_puts_the_item_back_on_the_books(world):
    a = item(world)
    case = services.structure_open_case(item=a, actor=world.oscar)
    case = paths.move(case, "start_verification", world.oscar)
    paths.move(case, "dismiss", world.oscar, reason="现场核查不属实")
    a = fresh(a)
    assert (a.status, a.cleared_on, a.case_id) == (S.EXISTING, None, case.pk)


def test_a_reopened_case_puts_its_item_back_in_hand_and_off_the_cleared_count(world):
    a = item(world)
    case = decided(world, a, ["DEMOLISH"])
    case = paths.move(case, "close_executed", world.oscar, reason="已拆除")
    assert fresh(a).is_cleared
    paths.move(case, "reopen", world.oscar, reason="回潮：原址重新搭建")
    a = fresh(a)
    assert (a.status, a.cleared_on) == (S.HANDLING, None)


def test_the_item_changes_with_the_case_or_not_at_all(world, monkeypatch):
    """The receiver runs inside the case's transaction: when it fails, the case does not close either."""
    a = item(world)
    case = decided(world, a, ["DEMOLISH"])

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "structures_follow_case", broken)
    with pytest.raises(RuntimeError):
        paths.move(case, "close_executed", world.oscar, reason="已拆除")
    assert EnforcementCase.objects.get(pk=case.pk).state == CaseState.DECIDED
    assert fresh(a).status == S.HANDLING


def test_linking_a_closed_case_clears_the_item_as_the_case_did(world):
    a = item(world)
    other = item(world, location="8号楼 屋顶")
    case = decided(world, other, ["ANNOTATE"])
    case = paths.move(case, "close_executed", world.oscar, reason="已注记")
    a = services.structure_link_case(item=a, case=case, actor=world.oscar)
    assert (a.status, a.cleared_on, a.case) == (S.ANNOTATED, timezone.localdate(case.closed_at), case)


def test_cases_of_other_types_leave_the_ledger_alone(world):
    a = item(world)
    case = paths.open_case(world, "EBIKE_PARKING")
    case = paths.to_investigating(case, world.oscar)
    paths.add_party(case, world.oscar, PartyRole.USER)
    case = paths.decide(case, world.oscar, ["ORDER_CORRECT"])
    paths.move(case, "close_executed", world.oscar, reason="已改正")
    assert fresh(a).status == S.EXISTING


def test_a_case_referred_to_another_department_puts_the_item_back_on_the_books(world):
    a = item(world)
    case = services.structure_open_case(item=a, actor=world.oscar)
    case = paths.move(case, "start_verification", world.oscar)
    paths.move(case, "refer", world.oscar, reason="属规划资源部门职责", department="PLANNING")
    assert fresh(a).status == S.EXISTING
    services.structure_update(item=fresh(a), actor=world.oscar, status=S.HANDLING)  # free to be handled again
