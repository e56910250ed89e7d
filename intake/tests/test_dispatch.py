"""派单纠错 (R3.5): a work order sent to the wrong place is returned to the hotline (退单), sent on to the right
street, or referred to the department that owns it — by those who received it, with the reason kept, and
refused to everyone else without changing anything."""
import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from cases import services as case_services
from cases.models import Referral
from core.errors import ApplicationError
from intake import dispatch, services
from intake.choices import Channel, ComplaintStatus, CorrectionField, HotlineResult, ReferralStatus
from intake.models import Complaint, Correction, HotlineReply
from registry.models import Department

pytestmark = pytest.mark.django_db
API = "/api/v1/complaints/"


def receive(content, address, number="", channel=Channel.HOTLINE):
    return services.complaint_receive(data=services.ComplaintInput(
        channel=channel, content=content, address=address, received_at=timezone.now(), external_no=number,
        caller_name="张三", caller_phone="13700001234"))


@pytest.fixture
def changfeng_order(world, keyword_classifier):
    """A 12345 order matched to 长风新村街道 (sam's street), about a place that is in fact elsewhere."""
    complaint = receive("金沙江路1685弄有人飞线充电", "金沙江路1685弄", "12345-0001")
    assert complaint.street == world.changfeng and complaint.status == ComplaintStatus.ROUTED
    return complaint


@pytest.fixture
def caoyang_order(world, keyword_classifier):
    """A 12345 order matched to 曹杨新村街道 (oscar's street)."""
    complaint = receive("兰溪路88弄楼道有人飞线充电", "兰溪路88弄", "12345-0002")
    assert complaint.street == world.caoyang
    return complaint


def state(complaint):
    fresh = Complaint.objects.get(pk=complaint.pk)
    return (fresh.status, fresh.street_id, fresh.community_id, fresh.violation_type_id, fresh.department_id,
            fresh.history.count(), Correction.objects.filter(complaint=fresh).count(),
            HotlineReply.objects.filter(complaint=fresh).count(), Referral.objects.filter(complaint=fresh).count())


def refused(call, complaint, **kw) -> ApplicationError:
    before = state(complaint)
    with pytest.raises(ApplicationError) as info:
        call(complaint=complaint, **kw)
    assert info.value.message
    assert state(complaint) == before
    return info.value


# --- 退单 ----------------------------------------------------------------------------------------

def test_the_street_returns_a_work_order_that_is_not_theirs(world, changfeng_order):
    returned = dispatch.complaint_return(complaint=changfeng_order, actor=world.sam,
                                         reason="该地址位于长宁区，不属本区管辖")
    assert returned.status == ComplaintStatus.RETURNED
    reply = HotlineReply.objects.get(complaint=changfeng_order)
    assert reply.result == HotlineResult.RETURNED and reply.return_reason == "该地址位于长宁区，不属本区管辖"
    assert reply.replied_by == world.sam
    last = returned.history.order_by("-history_id").first()
    assert last.history_change_reason == "退单" and last.history_user == world.sam


def test_a_return_needs_its_reason(world, changfeng_order):
    error = refused(dispatch.complaint_return, changfeng_order, actor=world.sam, reason="  ")
    assert "理由" in error.message


def test_only_hotline_orders_are_returned(world, keyword_classifier):
    patrol = receive("金沙江路1685弄有人飞线充电", "金沙江路1685弄", channel=Channel.PATROL)
    refused(dispatch.complaint_return, patrol, actor=world.sam, reason="不是我们的")


def test_an_order_in_a_case_or_already_returned_is_not_returned(world, changfeng_order, caoyang_order):
    case_services.case_open_from_complaint(complaint=caoyang_order, actor=world.oscar)
    error = refused(dispatch.complaint_return, caoyang_order, actor=world.oscar, reason="不属本街")
    assert "案件" in error.message
    dispatch.complaint_return(complaint=changfeng_order, actor=world.sam, reason="外区")
    refused(dispatch.complaint_return, changfeng_order, actor=world.alice, reason="外区")


@pytest.mark.parametrize("persona", ["oscar", "paul", "carl", "hana"])
def test_those_who_did_not_receive_it_cannot_return_it(world, changfeng_order, persona):
    refused(dispatch.complaint_return, changfeng_order, actor=getattr(world, persona), reason="不是我的")


def test_returning_a_referred_order_withdraws_the_pending_referral(world, changfeng_order):
    dispatch.complaint_reroute_department(complaint=changfeng_order, actor=world.sam,
                                          department=Department.objects.get(code="HOUSING"), reason="物业服务纠纷")
    dispatch.complaint_return(complaint=changfeng_order, actor=world.alice, reason="经核实为外区小区")
    referral = Referral.objects.get(complaint=changfeng_order)
    assert referral.status == ReferralStatus.WITHDRAWN and "外区" in referral.answer


# --- 改派街镇 ------------------------------------------------------------------------------------

def test_an_officer_sends_a_complaint_on_to_the_right_street_with_its_duplicates(world, keyword_classifier,
                                                                                 caoyang_order):
    duplicate = receive("兰溪路88弄楼道又有人飞线充电", "兰溪路88弄", "12345-0003")
    assert duplicate.duplicate_of == caoyang_order
    moved = dispatch.complaint_reroute_street(complaint=caoyang_order, actor=world.oscar, street=world.changfeng,
                                              reason="实为长风新村街道辖区，地址录入有误")
    assert moved.moved_with == 1
    for item in (caoyang_order, duplicate):
        fresh = Complaint.objects.get(pk=item.pk)
        assert (fresh.street, fresh.community) == (world.changfeng, None)
        correction = Correction.objects.get(complaint=fresh)
        assert correction.field == CorrectionField.COMMUNITY and "兰溪一村" in correction.old_value
        assert correction.actor == world.oscar and correction.reason.startswith("实为长风")
    assert Complaint.objects.get(pk=duplicate.pk).status == ComplaintStatus.DUPLICATE
    # it left oscar's queue and reached sam's
    assert not Complaint.objects.restrict(world.oscar, "view").filter(pk=caoyang_order.pk).exists()
    assert Complaint.objects.restrict(world.sam, "view").filter(pk=caoyang_order.pk).exists()


def test_the_lead_sends_it_to_the_exact_community(world, caoyang_order):
    moved = dispatch.complaint_reroute_street(complaint=caoyang_order, actor=world.alice,
                                              community=world.changfeng_b, reason="实为金沙雅苑")
    assert (moved.street, moved.community, moved.status) == (world.changfeng, world.changfeng_b,
                                                             ComplaintStatus.ROUTED)


def test_rerouting_to_a_street_is_for_the_bureau(world, changfeng_order):
    error = refused(dispatch.complaint_reroute_street, changfeng_order, actor=world.sam, street=world.caoyang,
                    reason="是曹杨的")
    assert "角色" in error.message


def test_an_officer_names_a_street_not_a_community_outside_his_scope(world, caoyang_order):
    refused(dispatch.complaint_reroute_street, caoyang_order, actor=world.oscar, community=world.changfeng_b,
            reason="金沙雅苑")
    refused(dispatch.complaint_reroute_street, caoyang_order, actor=world.oscar, street=world.caoyang,
            reason="同一街镇")
    refused(dispatch.complaint_reroute_street, caoyang_order, actor=world.oscar, reason="没有目的地")


def test_an_officer_of_another_street_cannot_reroute(world, changfeng_order):
    refused(dispatch.complaint_reroute_street, changfeng_order, actor=world.oscar, street=world.caoyang,
            reason="拿过来")


def test_a_duplicate_follows_its_original(world, keyword_classifier, caoyang_order):
    duplicate = receive("兰溪路88弄楼道又有人飞线充电", "兰溪路88弄", "12345-0003")
    error = refused(dispatch.complaint_reroute_street, duplicate, actor=world.oscar, street=world.changfeng,
                    reason="长风的")
    assert "原诉件" in error.message


# --- 改派部门 (移交) -----------------------------------------------------------------------------

def test_not_an_enforcement_matter_is_referred_and_a_wrong_department_corrected(world, changfeng_order):
    housing, greening = Department.objects.get(code="HOUSING"), Department.objects.get(code="GREENING")
    referred = dispatch.complaint_reroute_department(complaint=changfeng_order, actor=world.sam, department=housing,
                                                     reason="系物业服务纠纷")
    assert referred.status == ComplaintStatus.REFERRED and referred.department == housing
    assert referred.violation_type.code == "NON_ENFORCEMENT"
    first = Referral.objects.get(complaint=changfeng_order)
    assert first.department == housing and first.status == ReferralStatus.SENT
    assert set(Correction.objects.filter(complaint=changfeng_order).values_list("field", flat=True)) == {
        CorrectionField.TYPE, CorrectionField.DEPARTMENT}
    # the housing bureau's inbox has it; then it turns out to be the greening bureau's
    hana_inbox = Referral.objects.restrict(world.hana, "view").filter(status__in=[ReferralStatus.SENT])
    assert list(hana_inbox) == [first]
    dispatch.complaint_reroute_department(complaint=changfeng_order, actor=world.alice, department=greening,
                                          reason="系绿化养护问题")
    first.refresh_from_db()
    assert first.status == ReferralStatus.WITHDRAWN
    assert Referral.objects.get(complaint=changfeng_order, department=greening).status == ReferralStatus.SENT
    assert not Referral.objects.restrict(world.hana, "view").filter(status=ReferralStatus.SENT).exists()


def test_department_rerouting_refusals(world, changfeng_order):
    chengguan, housing = Department.objects.get(code="CHENGGUAN"), Department.objects.get(code="HOUSING")
    refused(dispatch.complaint_reroute_department, changfeng_order, actor=world.sam, department=chengguan,
            reason="x")
    refused(dispatch.complaint_reroute_department, changfeng_order, actor=world.sam, department=housing, reason="")
    for persona in ("oscar", "paul", "hana"):
        refused(dispatch.complaint_reroute_department, changfeng_order, actor=getattr(world, persona),
                department=housing, reason="物业纠纷")
    dispatch.complaint_reroute_department(complaint=changfeng_order, actor=world.sam, department=housing,
                                          reason="物业纠纷")
    error = refused(dispatch.complaint_reroute_department, changfeng_order, actor=world.sam, department=housing,
                    reason="再次")
    assert "已移交" in error.message


# --- 办结（未立案） --------------------------------------------------------------------------------

def test_an_officer_settles_a_matter_corrected_on_the_spot(world, keyword_classifier, caoyang_order):
    duplicate = receive("兰溪路88弄楼道又有人飞线充电", "兰溪路88弄", "12345-0003")
    settled = dispatch.complaint_settle(complaint=caoyang_order, actor=world.oscar, reply="经劝导，住户已拆除飞线",
                                        satisfaction="SATISFIED")
    assert settled.status == ComplaintStatus.CLOSED and "已拆除飞线" in settled.routing_note
    reply = HotlineReply.objects.get(complaint=caoyang_order)
    assert (reply.result, reply.satisfaction, reply.replied_by) == ("SOLVED", "SATISFIED", world.oscar)
    assert settled.history.order_by("-history_id").first().history_change_reason == "办结（未立案）"
    # the caller who rang again gets an answer too
    dispatch.complaint_settle(complaint=duplicate, actor=world.oscar, reply="同一事项，已劝导整改")
    assert Complaint.objects.get(pk=duplicate.pk).status == ComplaintStatus.CLOSED


def test_a_patrol_finding_settles_without_a_hotline_reply(world, keyword_classifier):
    patrol = receive("兰溪路88弄楼道有人飞线充电", "兰溪路88弄", channel=Channel.PATROL)
    settled = dispatch.complaint_settle(complaint=patrol, actor=world.oscar, reply="当场劝导拆除")
    assert settled.status == ComplaintStatus.CLOSED and not HotlineReply.objects.filter(complaint=patrol).exists()


def test_settling_refusals(world, changfeng_order, caoyang_order):
    refused(dispatch.complaint_settle, changfeng_order, actor=world.sam, reply="街镇已处理")  # the bureau verifies
    refused(dispatch.complaint_settle, changfeng_order, actor=world.oscar, reply="不是我的街")
    refused(dispatch.complaint_settle, caoyang_order, actor=world.oscar, reply="  ")
    refused(dispatch.complaint_settle, caoyang_order, actor=world.oscar, reply="退回", result="RETURNED")
    case_services.case_open_from_complaint(complaint=caoyang_order, actor=world.oscar)
    refused(dispatch.complaint_settle, caoyang_order, actor=world.oscar, reply="已处理")


# --- pages ---------------------------------------------------------------------------------------

def detail(complaint):
    return reverse("intake:detail", args=[complaint.pk])


def moves_on_page(html) -> set:
    return {m for m in ("settle", "return", "street", "department") if f'data-testid="dispatch-{m}"' in html}


def test_the_complaint_page_offers_what_each_user_may_do(client, world, changfeng_order, caoyang_order):
    client.force_login(world.sam)
    assert moves_on_page(client.get(detail(changfeng_order)).content.decode()) == {"return", "department"}
    client.force_login(world.oscar)
    assert moves_on_page(client.get(detail(caoyang_order)).content.decode()) == {
        "settle", "return", "street", "department"}
    client.force_login(world.alice)
    assert moves_on_page(client.get(detail(changfeng_order)).content.decode()) == {
        "settle", "return", "street", "department"}
    dispatch.complaint_reroute_department(complaint=changfeng_order, actor=world.sam,
                                          department=Department.objects.get(code="HOUSING"), reason="物业纠纷")
    client.force_login(world.hana)  # the department sees the referred complaint, but does not re-route it
    assert moves_on_page(client.get(detail(changfeng_order)).content.decode()) == set()


def test_returning_on_the_page(client, world, changfeng_order):
    client.force_login(world.sam)
    url = reverse("intake:dispatch", args=[changfeng_order.pk, "return"])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and 'data-testid="dispatch-error"' in response.content.decode()
    response = client.post(url, {"reason": "该地址位于长宁区"})
    assert response.status_code == 302
    html = client.get(detail(changfeng_order)).content.decode()
    assert "不办理退单" in html and "该地址位于长宁区" in html and 'data-testid="dispatch-return"' not in html
    assert "退单" in html.split('data-testid="complaint-history"')[1]


def test_a_refused_reroute_keeps_what_was_typed(client, world, caoyang_order):
    client.force_login(world.oscar)
    response = client.post(reverse("intake:dispatch", args=[caoyang_order.pk, "street"]),
                           {"street": world.caoyang.pk, "reason": "其实是本街的另一个小区"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "其实是本街的另一个小区" in html and "已属曹杨新村街道" in html


def test_rerouting_away_leads_back_to_the_queue(client, world, caoyang_order):
    client.force_login(world.oscar)
    response = client.post(reverse("intake:dispatch", args=[caoyang_order.pk, "street"]),
                           {"street": world.changfeng.pk, "reason": "长风辖区"})
    assert response.status_code == 302 and response.url == reverse("intake:queue")
    assert client.get(detail(caoyang_order)).status_code == 404


@pytest.mark.parametrize(("persona", "move", "expected"), [
    ("oscar", "return", 404),       # another street's complaint
    ("paul", "return", 403),        # property users cannot triage at all
    ("hana", "department", 403),
    ("sam", "street", 403),         # street staff return or refer, the bureau re-routes between streets
    ("sam", "nonsense", 404),
])
def test_posts_from_the_wrong_side_change_nothing(client, world, changfeng_order, persona, move, expected):
    client.force_login(getattr(world, persona))
    before = state(changfeng_order)
    response = client.post(reverse("intake:dispatch", args=[changfeng_order.pk, move]),
                           {"reason": "x", "street": world.caoyang.pk, "department": "HOUSING"})
    assert response.status_code == expected
    assert state(changfeng_order) == before


# --- API -----------------------------------------------------------------------------------------

def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_api_return_and_reroute(client, world, changfeng_order, caoyang_order):
    client.force_login(world.sam)
    response = _post(client, f"{API}{changfeng_order.pk}/return/", {"reason": "外区地址"})
    assert response.status_code == 200 and response.json()["status"] == "RETURNED"
    again = _post(client, f"{API}{changfeng_order.pk}/return/", {"reason": "外区地址"})
    assert again.status_code == 400 and again.json()["detail_en"]
    client.force_login(world.oscar)
    response = _post(client, f"{API}{caoyang_order.pk}/reroute-street/", {"street": world.changfeng.pk,
                                                                          "reason": "长风辖区"})
    assert response.status_code == 200 and response.json()["street"] == world.changfeng.name
    client.force_login(world.sam)
    response = _post(client, f"{API}{caoyang_order.pk}/reroute-department/", {"department": "HOUSING",
                                                                              "reason": "物业纠纷"})
    assert response.status_code == 200 and response.json()["status"] == "REFERRED"


def test_api_settle(client, world, caoyang_order, changfeng_order):
    client.force_login(world.oscar)
    response = _post(client, f"{API}{caoyang_order.pk}/settle/", {"reply": "已劝导整改", "result": "SOLVED"})
    assert response.status_code == 200 and response.json()["status"] == "CLOSED"
    assert _post(client, f"{API}{caoyang_order.pk}/settle/", {"reply": "再来"}).status_code == 400
    client.force_login(world.sam)
    assert _post(client, f"{API}{changfeng_order.pk}/settle/", {"reply": "x"}).status_code == 403


def test_api_refusals(client, world, changfeng_order):
    client.force_login(world.sam)
    assert _post(client, f"{API}{changfeng_order.pk}/reroute-department/",
                 {"department": "NOPE", "reason": "x"}).status_code == 400
    assert _post(client, f"{API}{changfeng_order.pk}/return/", {}).status_code == 400
    assert _post(client, f"{API}{changfeng_order.pk}/reroute-street/",
                 {"street": world.caoyang.pk, "reason": "x"}).status_code == 403
    client.force_login(world.oscar)
    assert _post(client, f"{API}{changfeng_order.pk}/return/", {"reason": "x"}).status_code == 404
    client.force_login(world.paul)
    assert _post(client, f"{API}{changfeng_order.pk}/return/", {"reason": "x"}).status_code == 404
    other = world.owen
    client.force_login(other)
    assert _post(client, f"{API}{changfeng_order.pk}/reroute-street/",
                 {"community": world.caoyang_a.pk, "reason": "x"}).status_code == 400  # not in his scope
    assert Complaint.objects.get(pk=changfeng_order.pk).status == ComplaintStatus.ROUTED
