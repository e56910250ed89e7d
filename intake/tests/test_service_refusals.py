"""The intake services refuse by themselves: the pages and the API ask accounts.policy first, but a service called
directly (a command, a later API) asks the same rule again (intake.services.check_may). For each service: the
personas the policy refuses get ApplicationError, in Chinese and English, and nothing changes (status, moves,
corrections, history, replies, referrals); the allowed persona succeeds. The system actor (None) is accepted
only by the import and a reporter-less receipt; every decision of a person needs a user."""
import csv

import pytest
from django.utils import timezone

from cases.models import Referral
from core.errors import ApplicationError
from intake import dispatch, hotline, services
from intake.choices import Channel, ComplaintStatus, HotlineResult, Satisfaction
from intake.models import Complaint, ComplaintTransition, Correction, HotlineReply, ImportBatch
from registry.models import Department

pytestmark = pytest.mark.django_db

# A complaint of 曹杨 (oscar's street): refused by role (a property user, department users) or by scope (the
# officer and the street user of 长风), and the system actor None for a decision of a person.
OUTSIDERS = ("paul", "carl", "hana", "gina", "owen", "sam", None)


def receive(content, address="兰溪路88弄", *, number="", channel=Channel.HOTLINE, reporter=None):
    return services.complaint_receive(data=services.ComplaintInput(
        channel=channel, content=content, address=address, external_no=number, received_at=timezone.now(),
        reporter=reporter))


def actor(world, name):
    return None if name is None else getattr(world, name)


def state(complaint):
    fresh = Complaint.objects.get(pk=complaint.pk)
    reply = HotlineReply.objects.filter(complaint=fresh).values_list("reply", "result", "satisfaction").first()
    return (fresh.status, fresh.type_source, fresh.violation_type_id, fresh.department_id, fresh.community_id,
            fresh.street_id, fresh.duplicate_of_id, fresh.routing_note,
            ComplaintTransition.objects.filter(complaint=fresh).count(),
            Correction.objects.filter(complaint=fresh).count(), fresh.history.count(), reply,
            Referral.objects.filter(complaint=fresh).count())


def refused(call, complaint, **kwargs) -> ApplicationError:
    before = state(complaint)
    with pytest.raises(ApplicationError) as info:
        call(complaint=complaint, **kwargs)
    assert info.value.message and info.value.message_en
    assert state(complaint) == before, kwargs.get("actor")
    return info.value


@pytest.fixture
def order(world, keyword_classifier):
    """A 12345 order matched to 曹杨, waiting in the queue."""
    complaint = receive("兰溪路88弄楼道有人飞线充电", number="12345-0101")
    assert complaint.street == world.caoyang and complaint.status == ComplaintStatus.ROUTED
    return complaint


@pytest.fixture
def other(world, keyword_classifier):
    """Another complaint of 曹杨, about another matter."""
    complaint = receive("兰溪路88弄有人搭建", number="12345-0102")
    assert complaint.street == world.caoyang and complaint.duplicate_of_id is None
    return complaint


# --- staff decisions (intake.services): policy.COMPLAINT_TRIAGE ------------------------------------------

@pytest.mark.parametrize("name", OUTSIDERS)
def test_confirm_is_refused_to_those_the_policy_refuses(world, order, name):
    refused(services.complaint_confirm, order, actor=actor(world, name))


def test_confirm_by_the_officer_of_the_street(world, order):
    confirmed = services.complaint_confirm(complaint=order, actor=world.oscar)
    assert confirmed.type_source == "STAFF"
    assert ComplaintTransition.objects.filter(complaint=order, action="confirm", actor=world.oscar).count() == 1


@pytest.mark.parametrize("name", OUTSIDERS)
def test_correcting_the_type_is_refused_to_those_the_policy_refuses(world, order, name):
    refused(services.complaint_correct_type, order, actor=actor(world, name), type_code="ILLEGAL_CONSTRUCTION",
            reason="实为搭建")


@pytest.mark.parametrize("name", ("paul", "hana", "owen", "sam", None))
def test_a_department_move_through_the_type_correction_asks_its_own_action(world, order, name):
    refused(services.complaint_correct_type, order, actor=actor(world, name), type_code="NON_ENFORCEMENT",
            department_code="HOUSING", reason="物业管理事项", action="reroute_department")


def test_an_unknown_move_through_the_type_correction_is_refused(world, order):
    refused(services.complaint_correct_type, order, actor=world.oscar, type_code="ILLEGAL_CONSTRUCTION",
            action="confirm")


def test_the_street_street_staff_correct_the_type_of_their_streets_complaints(world, keyword_classifier):
    complaint = receive("金沙江路1685弄有人飞线充电", "金沙江路1685弄", number="12345-0103")
    assert complaint.street == world.changfeng
    corrected = services.complaint_correct_type(complaint=complaint, actor=world.sam, type_code="ILLEGAL_CONSTRUCTION",
                                                reason="实为搭建")
    assert corrected.violation_type.code == "ILLEGAL_CONSTRUCTION"
    assert Correction.objects.filter(complaint=complaint, actor=world.sam).count() == 1


@pytest.mark.parametrize("name", OUTSIDERS)
def test_correcting_the_community_is_refused_to_those_the_policy_refuses(world, order, name):
    refused(services.complaint_correct_community, order, actor=actor(world, name), community=world.caoyang_a)


def test_the_community_set_must_be_one_the_actor_sees(world, order):
    error = refused(services.complaint_correct_community, order, actor=world.oscar, community=world.changfeng_b)
    assert "小区" in error.message
    corrected = services.complaint_correct_community(complaint=order, actor=world.alice, community=world.changfeng_b)
    assert corrected.community == world.changfeng_b


@pytest.mark.parametrize("name", OUTSIDERS)
def test_marking_a_duplicate_is_refused_to_those_the_policy_refuses(world, order, other, name):
    refused(services.complaint_mark_duplicate, other, actor=actor(world, name), primary=order)


def test_the_original_must_be_one_the_actor_sees(world, order, keyword_classifier):
    elsewhere = receive("金沙江路1685弄有人飞线充电", "金沙江路1685弄", number="12345-0104")
    refused(services.complaint_mark_duplicate, order, actor=world.oscar, primary=elsewhere)


@pytest.mark.parametrize("name", OUTSIDERS)
def test_unmarking_a_duplicate_is_refused_to_those_the_policy_refuses(world, order, other, name):
    services.complaint_mark_duplicate(complaint=other, primary=order, actor=world.oscar)
    refused(services.complaint_unmark_duplicate, other, actor=actor(world, name))


def test_the_officer_marks_and_unmarks_a_duplicate(world, order, other):
    marked = services.complaint_mark_duplicate(complaint=other, primary=order, actor=world.oscar, reason="同一户")
    assert marked.status == ComplaintStatus.DUPLICATE and marked.duplicate_of == order
    unmarked = services.complaint_unmark_duplicate(complaint=other, actor=world.alice)
    assert unmarked.duplicate_of is None and unmarked.status != ComplaintStatus.DUPLICATE


# --- 派单纠错 (intake.dispatch): each move's own action -----------------------------------------------------

DEPARTMENT_ROLES = ("paul", "hana", None)  # no move is theirs


def _moves(world):
    housing = Department.objects.get(code="HOUSING")
    return {
        dispatch.RETURN: (dispatch.complaint_return, {"reason": "不属本区"}),
        dispatch.STREET: (dispatch.complaint_reroute_street, {"reason": "地址在长风", "street": world.changfeng}),
        dispatch.DEPARTMENT: (dispatch.complaint_reroute_department, {"reason": "物业管理事项",
                                                                      "department": housing}),
        dispatch.SETTLE: (dispatch.complaint_settle, {"reply": "现场已整改"}),
    }


@pytest.mark.parametrize("move", list(dispatch.DISPATCH_ACTIONS))
@pytest.mark.parametrize("name", OUTSIDERS)
def test_each_dispatch_move_is_refused_to_those_the_policy_refuses(world, order, move, name):
    call, kwargs = _moves(world)[move]
    refused(call, order, actor=actor(world, name), **kwargs)


@pytest.mark.parametrize("move", [dispatch.STREET, dispatch.SETTLE])
def test_street_staff_neither_reroute_to_a_street_nor_settle_even_in_their_street(world, move, keyword_classifier):
    complaint = receive("金沙江路1685弄有人飞线充电", "金沙江路1685弄", number="12345-0105")
    call, kwargs = _moves(world)[move]
    if move == dispatch.STREET:
        kwargs = {**kwargs, "street": world.caoyang}
    error = refused(call, complaint, actor=world.sam, **kwargs)
    assert error.message_en == "your role cannot do this"


@pytest.mark.parametrize("move", list(dispatch.DISPATCH_ACTIONS))
def test_the_officer_of_the_street_makes_each_move(world, order, move):
    call, kwargs = _moves(world)[move]
    moved = call(complaint=order, actor=world.oscar, **kwargs)
    assert ComplaintTransition.objects.filter(complaint=order, actor=world.oscar).exclude(action="receive").exists()
    assert moved.pk == order.pk


def test_the_pages_moves_are_the_services(world, order):
    """What the complaint page offers (dispatch.open_moves) is what the policy allows on the complaint."""
    assert dispatch.open_moves(world.oscar, order) == list(dispatch.DISPATCH_ACTIONS)
    for name in ("owen", "sam", "paul", "hana"):
        assert dispatch.open_moves(getattr(world, name), order) == []


# --- the 12345 reply (intake.hotline) -----------------------------------------------------------------------

@pytest.mark.parametrize("name", OUTSIDERS)
def test_the_reply_is_refused_to_those_the_policy_refuses(world, order, name):
    error = refused(hotline.reply_record, order, actor=actor(world, name), reply="已处理", result=HotlineResult.SOLVED)
    if name is not None:
        assert error.message_en == "you cannot answer this work order"


@pytest.mark.parametrize("name", OUTSIDERS)
def test_the_satisfaction_is_refused_to_those_the_policy_refuses(world, order, name):
    hotline.reply_record(complaint=order, actor=world.oscar, reply="已处理", result=HotlineResult.SOLVED)
    refused(hotline.satisfaction_record, order, actor=actor(world, name), satisfaction=Satisfaction.SATISFIED)


def test_the_officer_replies_and_records_the_satisfaction(world, order):
    hotline.reply_record(complaint=order, actor=world.oscar, reply="已处理", result=HotlineResult.SOLVED)
    record = hotline.satisfaction_record(complaint=order, actor=world.alice, satisfaction=Satisfaction.SATISFIED)
    assert (record.replied_by, record.satisfaction) == (world.oscar, Satisfaction.SATISFIED)


# --- receiving: the channel's policy.FILE_* action; None is the platform's feed --------------------------

@pytest.mark.parametrize(("name", "channel"), [("paul", Channel.HOTLINE), ("hana", Channel.PATROL),
                                               ("sam", Channel.SENSOR), ("oscar", Channel.PROPERTY_REPORT),
                                               ("sam", Channel.SUPERVISION)])
def test_filing_through_a_channel_the_policy_refuses(world, keyword_classifier, name, channel):
    before = (Complaint.objects.count(), ComplaintTransition.objects.count())
    with pytest.raises(ApplicationError) as info:
        receive("兰溪路88弄楼道有人飞线充电", channel=channel, reporter=getattr(world, name))
    assert info.value.message_en == "your role cannot file through this channel"
    assert (Complaint.objects.count(), ComplaintTransition.objects.count()) == before


def test_filing_through_an_allowed_channel_and_the_platforms_feed(world, keyword_classifier):
    patrol = receive("兰溪路88弄楼道有人飞线充电", channel=Channel.PATROL, reporter=world.oscar)
    assert patrol.reporter == world.oscar
    sensor = receive("兰溪路88弄有人搭建", channel=Channel.SENSOR)  # no reporter: the system actor
    assert sensor.pk and sensor.transitions.get().actor is None


# --- the 12345 import: policy.COMPLAINT_IMPORT; None is the command and the demo --------------------------

@pytest.fixture
def orders_file(tmp_path):
    path = tmp_path / "orders.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["工单编号", "受理时间", "诉求地址", "诉求内容"])
        writer.writerow(["2026-0301-000001", "2026-03-01 09:30", "兰溪路88弄", "兰溪路88弄楼道有人飞线充电"])
    return path


@pytest.mark.parametrize("name", ("paul", "hana"))
def test_the_import_is_refused_to_those_the_policy_refuses(world, keyword_classifier, orders_file, name):
    with pytest.raises(ApplicationError):
        services.import_hotline(path=orders_file, actor=getattr(world, name))
    assert not Complaint.objects.exists() and not ImportBatch.objects.exists()


@pytest.mark.parametrize("name", ("sam", None))
def test_street_staff_and_the_command_import(world, keyword_classifier, orders_file, name):
    report = services.import_hotline(path=orders_file, actor=actor(world, name))
    assert report.created == 1 and ImportBatch.objects.get().imported_by == actor(world, name)
