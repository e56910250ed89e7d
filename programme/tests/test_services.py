"""The inventory's services: what they refuse (changing nothing) before what they do — validation, scope,
status moves, ledger numbers, linking and opening cases."""
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.choices import CaseState
from cases.models import EnforcementCase
from core.errors import ApplicationError
from programme import rules, services
from programme.choices import StructureStatus as S
from programme.models import IllegalStructure, LedgerSequence
from programme.tests.helpers import days_ago, item

pytestmark = pytest.mark.django_db


def refused(call, message_part="", **kwargs):
    """The call raises ApplicationError naming the problem, and the ledger is unchanged."""
    before = list(IllegalStructure.objects.order_by("pk").values())
    history = IllegalStructure.history.count()
    with pytest.raises(ApplicationError) as info:
        call(**kwargs)
    assert message_part in info.value.message, info.value.message
    assert info.value.message_en
    assert list(IllegalStructure.objects.order_by("pk").values()) == before
    assert IllegalStructure.history.count() == history
    return info.value


# --- create ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("values", "message"), [
    (lambda: {"area_m2": "0"}, "面积须大于0"),
    (lambda: {"area_m2": "-3"}, "面积须大于0"),
    (lambda: {"area_m2": "十平方"}, "不是数字"),
    (lambda: {"found_on": timezone.localdate() + timedelta(days=1)}, "不能晚于今天"),
    (lambda: {"location": "  "}, "具体位置"),
    (lambda: {"target_date": days_ago(200), "found_on": days_ago(100)}, "计划完成日期不能早于发现日期"),
    (lambda: {"material": "PAPER"}, "结构"),
    (lambda: {"status": S.DEMOLISHED, "cleared_on": timezone.localdate() + timedelta(days=2)}, "销项日期不能晚于今天"),
    (lambda: {"status": S.DEMOLISHED, "cleared_on": days_ago(300)}, "销项日期不能早于发现日期"),
    (lambda: {"status": S.EXISTING, "cleared_on": days_ago(3)}, "未销项的条目不能填写销项日期"),
    (lambda: {"status": S.DEMOLISHED, "measure": "ANNOTATE"}, "不符"),
    (lambda: {"kind": "NEW", "status": S.ANNOTATED}, "一律拆除"),
    (lambda: {"kind": "NEW", "measure": "ANNOTATE"}, "不适用"),
])
def test_bad_input_is_refused_and_nothing_is_written(world, values, message):
    # dates are taken when the test runs, not when it is collected: a run across midnight (Shanghai) moved them
    refused(item, message, world=world, **values())
    assert not LedgerSequence.objects.filter(last__gt=0).exists()


def test_a_community_outside_the_users_streets_is_refused(world):
    # oscar works in 曹杨; 金沙雅苑 is in 长风
    error = refused(item, "不在您的管理范围内", world=world, community=world.changfeng_b, actor=world.oscar)
    assert isinstance(error, services.OutOfScope)


@pytest.mark.parametrize("persona", ["paul", "carl", "hana"])
def test_companies_and_departments_register_nothing(world, persona):
    community = world.caoyang_a if persona == "paul" else world.changfeng_b
    refused(item, "不在您的管理范围内", world=world, community=community, actor=getattr(world, persona))


def test_the_same_structure_is_not_registered_twice(world):
    first = item(world)
    error = refused(item, first.number, world=world)
    assert error.extra["number"] == first.number


def test_an_item_is_registered_with_its_street_number_and_history(world):
    found = days_ago(30)
    a = item(world, actor=world.oscar, found_on=found, owner_hint=" 5号楼601室业主 ")
    assert a.street == world.caoyang and a.status == S.EXISTING and a.cleared_on is None
    assert a.number == f"WJ-01-{found.year}-0001"
    assert a.owner_hint == "5号楼601室业主"
    record = a.history.get()
    assert record.history_user == world.oscar and record.history_change_reason == "登记"


def test_ledger_numbers_count_per_street_and_year_and_are_never_reused(world):
    this_year = days_ago(0).replace(month=1, day=1)
    a = item(world, found_on=this_year, location="1号楼 屋顶")
    b = item(world, found_on=this_year, location="2号楼 屋顶")
    c = item(world, community=world.changfeng_b, found_on=this_year, location="3号楼 屋顶")
    older = item(world, found_on=this_year.replace(year=this_year.year - 2), location="4号楼 屋顶")
    year = this_year.year
    assert [a.number, b.number, c.number, older.number] == [
        f"WJ-01-{year}-0001", f"WJ-01-{year}-0002", f"WJ-02-{year}-0001", f"WJ-01-{year - 2}-0001"]
    b.delete()  # even a deleted item keeps its number
    d = item(world, found_on=this_year, location="5号楼 屋顶")
    assert d.number == f"WJ-01-{year}-0003"


def test_a_number_brought_by_a_file_is_kept_and_moves_the_sequence_on(world):
    year = days_ago(0).year
    brought = item(world, number=f"WJ-01-{year}-0041", found_on=days_ago(0).replace(month=1, day=1))
    assert brought.number == f"WJ-01-{year}-0041"
    after = item(world, location="9号楼 天井", found_on=days_ago(0).replace(month=1, day=2))
    assert after.number == f"WJ-01-{year}-0042"
    refused(item, "已被使用", world=world, number=brought.number, location="10号楼 天井")


def test_a_street_code_of_nine_digits_gives_its_last_three(world):
    world.caoyang.code = "310107005"
    world.caoyang.save()
    assert item(world).number.startswith("WJ-005-")


# --- status -------------------------------------------------------------------------------------------

def test_clearing_sets_cleared_on_and_the_measure_reopening_empties_it_with_a_reason(world):
    a = item(world)
    a = services.structure_update(item=a, actor=world.oscar, status=S.DEMOLISHED)
    assert (a.status, a.cleared_on, a.measure) == (S.DEMOLISHED, timezone.localdate(), "DEMOLISH")
    refused(services.structure_update, "须说明理由", item=a, actor=world.oscar, status=S.EXISTING)
    a = services.structure_update(item=a, actor=world.oscar, status=S.EXISTING, reason="违建回潮，重新搭建")
    assert (a.status, a.cleared_on) == (S.EXISTING, None)
    assert a.history.first().history_change_reason == "违建回潮，重新搭建"


def test_a_planned_measure_that_does_not_clear_gives_way_to_the_status(world):
    a = item(world, status=S.HANDLING, measure="FINE")
    a = services.structure_update(item=a, actor=world.alice, status=S.ANNOTATED, cleared_on=days_ago(2))
    assert (a.measure, a.cleared_on) == ("ANNOTATE", days_ago(2))


@pytest.mark.parametrize(("start", "to"), [(S.DEMOLISHED, S.ANNOTATED), (S.DEMOLISHED, S.RECTIFIED),
                                           (S.RECTIFIED, S.DEMOLISHED)])
def test_moves_outside_the_table_are_refused(world, start, to):
    assert to not in rules.STATUS_MOVES[start]
    a = item(world, status=start)
    refused(services.structure_update, "状态不能从", item=a, actor=world.alice, status=to, reason="改")


def test_an_annotated_structure_may_still_be_demolished(world):
    a = item(world, status=S.ANNOTATED, cleared_on=days_ago(50))
    a = services.structure_update(item=a, actor=world.alice, status=S.DEMOLISHED, measure="FORCED_DEMOLITION")
    assert (a.status, a.measure, a.cleared_on) == (S.DEMOLISHED, "FORCED_DEMOLITION", days_ago(50))


def test_nothing_changed_writes_nothing(world):
    a = item(world)
    services.structure_update(item=a, actor=world.alice, location=a.location, area_m2="12.50")
    assert a.history.count() == 1


def test_other_streets_officer_and_read_only_roles_cannot_update(world):
    a = item(world, community=world.changfeng_b)
    for persona in ("oscar", "carl", "paul", "hana"):
        refused(services.structure_update, "不在您的管理范围内", item=a, actor=getattr(world, persona), note="x")
    services.structure_update(item=a, actor=world.sam, note="街镇已上门告知")  # 长风's street staff may


def test_an_item_cannot_move_to_a_community_outside_the_scope(world):
    a = item(world, community=world.changfeng_a, actor=world.sam)
    refused(services.structure_update, "不在您的管理范围内", item=a, actor=world.sam, community=world.caoyang_a)


def test_unknown_fields_are_refused(world):
    a = item(world)
    refused(services.structure_update, "不能修改", item=a, actor=world.alice, number="WJ-X")


# --- cases ----------------------------------------------------------------------------------------------

def test_opening_a_case_puts_the_item_in_hand(world):
    a = item(world, kind="NEW", found_on=days_ago(1))
    case = services.structure_open_case(item=a, actor=world.oscar)
    a.refresh_from_db()
    assert (a.status, a.case) == (S.HANDLING, case)
    assert case.violation_type.code == "ILLEGAL_CONSTRUCTION" and case.state == CaseState.REGISTERED
    assert case.in_progress and case.officer == world.oscar and case.community == world.caoyang_a
    assert a.number in case.summary and case.transitions.get().payload["structure"] == a.pk
    # the status follows the case now
    refused(services.structure_update, "办理中", item=a, actor=world.oscar, status=S.DEMOLISHED)
    refused(services.structure_open_case, "已有在办案件", item=a, actor=world.oscar)


@pytest.mark.parametrize("persona", ["sam", "hana", "paul"])
def test_only_case_handlers_open_cases(world, persona):
    a = item(world, community=world.changfeng_a)
    refused(services.structure_open_case, "立案", item=a, actor=getattr(world, persona))
    assert not EnforcementCase.objects.exists()


def test_an_officer_from_another_street_is_refused(world):
    from tests.personas import make_user

    other = make_user("olga", "OFFICER", streets=[world.changfeng])
    a = item(world)
    refused(services.structure_open_case, "不在本街镇", item=a, actor=world.alice, officer=other)


def test_a_cleared_item_opens_no_case(world):
    a = item(world, status=S.RECTIFIED)
    refused(services.structure_open_case, "已销项", item=a, actor=world.alice)


def _case(world, community=None, code="ILLEGAL_CONSTRUCTION"):
    from cases import services as case_services
    from registry.models import ViolationType

    return case_services.case_open(violation_type=ViolationType.objects.get(code=code),
                                   community=community or world.caoyang_a, summary="屋顶搭建", actor=world.alice)


def test_linking_checks_type_place_and_state(world):
    a = item(world)
    refused(services.structure_link_case, "只能关联违法搭建案件", item=a, actor=world.alice,
            case=_case(world, code="EBIKE_PARKING"))
    refused(services.structure_link_case, "不一致", item=a, actor=world.alice, case=_case(world, world.changfeng_b))
    refused(services.structure_link_case, "不在您的范围内", item=a, actor=world.oscar,
            case=_case(world, world.changfeng_b))
    cleared = item(world, location="7号楼 天井", status=S.DEMOLISHED)
    refused(services.structure_link_case, "已销项", item=cleared, actor=world.alice, case=_case(world))
    case = _case(world)
    a = services.structure_link_case(item=a, case=case, actor=world.oscar)
    assert (a.status, a.case) == (S.HANDLING, case)
    refused(services.structure_link_case, "已关联", item=a, actor=world.oscar, case=case)
    refused(services.structure_link_case, "在办案件", item=a, actor=world.oscar, case=_case(world))


def test_a_new_structure_found_by_a_case_is_registered_from_it(world):
    case = _case(world)
    EnforcementCase.objects.filter(pk=case.pk).update(in_progress=True, location="3号楼 屋顶")
    case.refresh_from_db()
    a = services.structure_from_case(case=case, actor=world.oscar, area_m2="18", material="STEEL")
    assert (a.kind, a.status, a.case, a.location) == ("NEW", S.HANDLING, case, "3号楼 屋顶")
    assert a.found_on == timezone.localdate(case.created_at)
