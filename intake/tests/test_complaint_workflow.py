"""A complaint's moves (intake.workflow) go through one service, complaint_transition: every legal move of the
table is made and recorded (who, when, from, to, why), every other one refused with nothing changed; each path
that changes a complaint's status writes exactly one row, the 12345 import one per complaint it stores; the
complaint page and the API show the timeline; and no bulk `.update()` of a status is left in the apps."""
import ast
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases import referrals
from cases import services as case_services
from cases.models import Referral
from core.errors import ApplicationError
from demo import hotline as demo_hotline
from intake import dispatch, hotline, services, workflow
from intake.choices import Channel, ComplaintStatus, HotlineResult
from intake.models import Complaint, ComplaintTransition
from registry.models import Department

pytestmark = pytest.mark.django_db
STATUSES = [workflow.RECEIVED, *ComplaintStatus.values]


def receive(content, address="兰溪路88弄", *, number="", channel=Channel.HOTLINE, reporter=None):
    return services.complaint_receive(data=services.ComplaintInput(
        channel=channel, content=content, address=address, external_no=number, received_at=timezone.now(),
        reporter=reporter))


def rows(complaint):
    return list(ComplaintTransition.objects.filter(complaint=complaint).order_by("id"))


def one_more(complaint, before: int) -> ComplaintTransition:
    """The one row the path just wrote."""
    steps = rows(complaint)
    assert len(steps) == before + 1, [(s.action, s.from_status, s.to_status) for s in steps]
    return steps[-1]


def snapshot(complaint):
    fresh = Complaint.objects.get(pk=complaint.pk)
    return fresh.status, fresh.history.count(), ComplaintTransition.objects.filter(complaint=fresh).count()


# --- the table ------------------------------------------------------------------------------------

def _complaint_in(status, world) -> Complaint:
    """A complaint in `status` (created so: the table test needs every status, and status is never updated)."""
    complaint = Complaint(channel=Channel.MANUAL, content="楼道里有人飞线充电", received_at=timezone.now(),
                          street=world.caoyang, status=status or ComplaintStatus.NEW)
    if status:
        complaint.save()
    return complaint


@pytest.mark.parametrize("action", sorted(workflow.ACTIONS))
def test_every_move_of_the_table_is_made_and_every_other_refused(world, action):
    for status in STATUSES:
        move = workflow.find(status, action)
        for target in ComplaintStatus.values:
            complaint = _complaint_in(status, world)
            if move is not None and target in move.targets:
                step = services.complaint_transition(complaint=complaint, action=action, actor=world.alice,
                                                     reason="理由", to=target)
                assert (step.from_status, step.to_status, step.actor, step.action) == (status, target, world.alice,
                                                                                       action)
                assert Complaint.objects.get(pk=complaint.pk).status == target
                assert ComplaintTransition.objects.filter(complaint=complaint).count() == 1
                if "reason" in move.needs:  # the same move without its reason is refused
                    again = _complaint_in(status, world)
                    before = snapshot(again) if status else None
                    with pytest.raises(ApplicationError) as info:
                        services.complaint_transition(complaint=again, action=action, actor=world.alice, to=target)
                    assert info.value.message == "请填写理由" and info.value.message_en
                    if status:
                        assert snapshot(again) == before
                continue
            before = snapshot(complaint) if status else None
            with pytest.raises(ApplicationError) as info:
                services.complaint_transition(complaint=complaint, action=action, actor=world.alice, reason="理由",
                                              to=target)
            assert info.value.message and info.value.message_en
            assert info.value.extra["code"] == "illegal_move"
            if status:
                assert snapshot(complaint) == before
            else:
                assert complaint.pk is None


def test_an_unknown_move_is_refused(world):
    complaint = _complaint_in(ComplaintStatus.ROUTED, world)
    with pytest.raises(ApplicationError) as info:
        services.complaint_transition(complaint=complaint, action="close", actor=world.alice,
                                      to=ComplaintStatus.CLOSED)
    assert "close" in info.value.message_en
    assert snapshot(complaint) == (ComplaintStatus.ROUTED, 1, 0)


def test_the_refusal_names_the_status_in_both_languages(world):
    complaint = _complaint_in(ComplaintStatus.CLOSED, world)
    with pytest.raises(ApplicationError) as info:
        services.complaint_transition(complaint=complaint, action="settle", actor=world.alice, reason="再办一次")
    assert info.value.message == "诉件当前状态“已办结”不能办结（未立案）"
    assert info.value.message_en == "'settle' is not allowed from CLOSED"


def test_the_source_is_the_status_in_the_database_not_the_one_in_hand(world):
    complaint = _complaint_in(ComplaintStatus.CLOSED, world)
    complaint.status = ComplaintStatus.ROUTED  # a stale or edited copy does not make the move legal
    with pytest.raises(ApplicationError):
        services.complaint_transition(complaint=complaint, action="settle", actor=world.alice, reason="已办结")
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.CLOSED


# --- each path writes exactly one row --------------------------------------------------------------

def test_receipt_through_a_form_and_its_duplicate(world, keyword_classifier):
    first = receive("兰溪路88弄楼道有人飞线充电", reporter=world.oscar, channel=Channel.PATROL)
    (step,) = rows(first)
    assert (step.action, step.from_status, step.to_status, step.actor) == ("receive", "", ComplaintStatus.ROUTED,
                                                                           world.oscar)
    again = receive("兰溪路88弄楼道有人飞线充电", number="12345-9")
    (step,) = rows(again)
    assert (step.from_status, step.to_status, step.actor) == ("", ComplaintStatus.DUPLICATE, None)


def test_confirmation_and_corrections(world, keyword_classifier):
    fee = receive("物业费涨价不合理", "金沙江路1685弄")
    services.complaint_confirm(complaint=fee, actor=world.sam)
    step = one_more(fee, 1)
    assert (step.action, step.from_status, step.to_status, step.actor) == (
        "confirm", ComplaintStatus.REFERRED, ComplaintStatus.REFERRED, world.sam)
    assert step.payload == {"referred_to": "HOUSING"} and Referral.objects.filter(complaint=fee).count() == 1

    order = receive("兰溪路88弄楼道里停电瓶车")
    services.complaint_correct_type(complaint=order, type_code="NON_ENFORCEMENT", department_code="FIRE",
                                    actor=world.oscar, reason="消防通道")
    step = one_more(order, 1)
    assert (step.action, step.from_status, step.to_status, step.reason) == (
        "correct_type", ComplaintStatus.ROUTED, ComplaintStatus.REFERRED, "消防通道")

    moved = receive("有人飞线充电", "不知道哪里")
    assert moved.status == ComplaintStatus.NEW  # no street yet: the bureau's to place (no officer's scope)
    services.complaint_correct_community(complaint=moved, community=world.caoyang_a, actor=world.alice)
    step = one_more(moved, 1)
    assert (step.action, step.from_status, step.to_status) == ("correct_community", ComplaintStatus.NEW,
                                                               ComplaintStatus.ROUTED)


def test_a_correction_outside_the_queue_keeps_the_status_and_writes_no_move(world, keyword_classifier):
    primary = receive("兰溪路88弄楼道有人飞线充电")
    duplicate = receive("兰溪路88弄楼道有人飞线充电", number="12345-2")
    services.complaint_confirm(complaint=duplicate, actor=world.oscar)
    assert Complaint.objects.get(pk=duplicate.pk).status == ComplaintStatus.DUPLICATE
    assert len(rows(duplicate)) == 1 and len(rows(primary)) == 1


def test_marking_and_unmarking_a_duplicate(world, keyword_classifier):
    primary = receive("兰溪路88弄楼道有人飞线充电")
    other = receive("兰溪路88弄有人在楼道搭建")
    services.complaint_mark_duplicate(complaint=other, primary=primary, actor=world.oscar, reason="同一户")
    step = one_more(other, 1)
    assert (step.action, step.from_status, step.to_status, step.actor) == (
        "mark_duplicate", ComplaintStatus.ROUTED, ComplaintStatus.DUPLICATE, world.oscar)
    assert step.payload == {"duplicate_of": primary.pk} and "同一户" in step.reason
    services.complaint_unmark_duplicate(complaint=other, actor=world.oscar)
    step = one_more(other, 2)
    assert (step.action, step.from_status, step.to_status) == ("unmark_duplicate", ComplaintStatus.DUPLICATE,
                                                               ComplaintStatus.ROUTED)


def test_a_settled_duplicate_is_not_reopened_by_unmarking_it(world, keyword_classifier):
    receive("兰溪路88弄楼道有人飞线充电")
    duplicate = receive("兰溪路88弄楼道有人飞线充电", number="12345-2")
    dispatch.complaint_settle(complaint=duplicate, actor=world.oscar, reply="已劝导整改")
    before = snapshot(duplicate)
    with pytest.raises(ApplicationError):
        services.complaint_unmark_duplicate(complaint=duplicate, actor=world.oscar)
    assert snapshot(duplicate) == before


def test_the_departments_answer_and_return(world, keyword_classifier):
    answered = receive("物业费涨价不合理", "金沙江路1685弄")
    returned = receive("小区物业费收得太高", "兰溪路88弄")
    for complaint in (answered, returned):
        services.complaint_confirm(complaint=complaint, actor=world.alice)
    first = Referral.objects.get(complaint=answered)
    referrals.referral_sign(referral=first, actor=world.hana)
    referrals.referral_answer(referral=first, actor=world.hana, answer="已约谈物业")
    step = one_more(answered, 2)
    assert (step.action, step.from_status, step.to_status, step.actor) == (
        "referral_answered", ComplaintStatus.REFERRED, ComplaintStatus.CLOSED, world.hana)
    assert step.reason == "区房管局已反馈：已约谈物业"
    referrals.referral_return(referral=Referral.objects.get(complaint=returned), actor=world.hana, reason="非本局")
    step = one_more(returned, 2)
    assert (step.action, step.from_status, step.to_status, step.reason) == (
        "referral_returned", ComplaintStatus.REFERRED, ComplaintStatus.NEW, "区房管局退回：非本局")


def test_dispatch_moves(world, keyword_classifier):
    settled = receive("兰溪路88弄楼道有人飞线充电")
    dispatch.complaint_settle(complaint=settled, actor=world.oscar, reply="已劝导当场整改")
    step = one_more(settled, 1)
    assert (step.action, step.from_status, step.to_status, step.actor, step.reason) == (
        "settle", ComplaintStatus.ROUTED, ComplaintStatus.CLOSED, world.oscar, "已劝导当场整改")

    returned = receive("金沙江路1685弄有人飞线充电", "金沙江路1685弄", number="12345-1")
    dispatch.complaint_return(complaint=returned, actor=world.sam, reason="不属本区")
    step = one_more(returned, 1)
    assert (step.action, step.from_status, step.to_status, step.actor, step.reason) == (
        "return", ComplaintStatus.ROUTED, ComplaintStatus.RETURNED, world.sam, "不属本区")

    referred = receive("兰溪路88弄楼道堆物", number="12345-3")
    dispatch.complaint_reroute_department(complaint=referred, actor=world.oscar, reason="物业纠纷",
                                          department=Department.objects.get(code="HOUSING"))
    step = one_more(referred, 1)
    assert (step.action, step.to_status, step.payload) == ("reroute_department", ComplaintStatus.REFERRED,
                                                           {"referred_to": "HOUSING"})


def test_a_street_reroute_moves_the_duplicates_each_with_its_row(world, keyword_classifier):
    primary = receive("金沙江路1685弄有人飞线充电", "金沙江路1685弄", number="12345-1")
    duplicate = receive("金沙江路1685弄有人飞线充电", "金沙江路1685弄", number="12345-2")
    dispatch.complaint_reroute_street(complaint=primary, actor=world.alice, reason="实为曹杨", street=world.caoyang)
    step = one_more(primary, 1)
    assert (step.action, step.from_status, step.to_status) == ("reroute_street", ComplaintStatus.ROUTED,
                                                               ComplaintStatus.ROUTED)
    assert step.reason == "金沙雅苑（长风新村街道） → 曹杨新村街道（小区待定）；理由：实为曹杨"
    step = one_more(duplicate, 1)
    assert (step.from_status, step.to_status) == (ComplaintStatus.DUPLICATE, ComplaintStatus.DUPLICATE)


def test_the_hotline_return_of_an_order(world, keyword_classifier):
    order = receive("兰溪路88弄楼道有人飞线充电", number="12345-1")
    hotline.reply_record(complaint=order, actor=world.oscar, reply="退回", result=HotlineResult.RETURNED,
                         return_reason="系商铺")
    step = one_more(order, 1)
    assert (step.action, step.to_status, step.actor, step.reason) == ("return", ComplaintStatus.RETURNED,
                                                                      world.oscar, "系商铺")
    hotline.reply_record(complaint=order, actor=world.oscar, reply="再次退回", result=HotlineResult.RETURNED,
                         return_reason="系商铺装修")  # the order was returned already: no second move
    assert len(rows(order)) == 2


def test_a_case_links_and_closes_its_complaints(world, keyword_classifier):
    primary = receive("兰溪路88弄楼道有人飞线充电", number="12345-1")
    duplicate = receive("兰溪路88弄楼道有人飞线充电", number="12345-2")
    returned = receive("兰溪路88弄楼道有人飞线充电", number="12345-3")
    dispatch.complaint_return(complaint=returned, actor=world.oscar, reason="重复来电，已告知")
    case = case_services.case_open_from_complaint(complaint=primary, actor=world.oscar)
    step = one_more(primary, 1)
    assert (step.action, step.from_status, step.to_status, step.actor, step.payload) == (
        "open_case", ComplaintStatus.ROUTED, ComplaintStatus.IN_CASE, world.oscar, {"case": case.pk})
    assert step.reason == f"立案 {case.number}"
    assert len(rows(duplicate)) == 1  # joined the case, still a duplicate
    case = case_services.case_transition(case=case, action="start_verification", actor=world.oscar)
    case_services.case_transition(case=case, action="dismiss", actor=world.oscar, reason="现场未发现")
    for complaint, source in ((primary, ComplaintStatus.IN_CASE), (duplicate, ComplaintStatus.DUPLICATE)):
        step = one_more(complaint, 2 if complaint is primary else 1)
        assert (step.action, step.from_status, step.to_status, step.actor) == (
            "case_closed", source, ComplaintStatus.CLOSED, world.oscar)
        assert step.reason == f"案件 {case.number} 结案"
    assert Complaint.objects.get(pk=returned.pk).status == ComplaintStatus.RETURNED and len(rows(returned)) == 2


def test_a_refused_path_changes_nothing(world, keyword_classifier):
    order = receive("兰溪路88弄楼道有人飞线充电", number="12345-1")
    dispatch.complaint_settle(complaint=order, actor=world.oscar, reply="已整改")
    before = snapshot(order)
    with pytest.raises(ApplicationError):
        hotline.reply_record(complaint=order, actor=world.oscar, reply="退回", result=HotlineResult.RETURNED,
                             return_reason="不属本区")  # an order already closed is not returned
    with pytest.raises(ApplicationError):
        services.complaint_mark_duplicate(complaint=order, primary=receive("兰溪路88弄有人搭建"), actor=world.oscar)
    assert snapshot(order) == before


# --- the import --------------------------------------------------------------------------------------

def test_the_import_writes_one_receipt_per_complaint(world, tmp_path):
    generated = demo_hotline.generate(40, start=date(2026, 1, 5), end=date(2026, 3, 31), seed=11,
                                      places=demo_hotline.load_places())
    generated += [dict(generated[0], 工单编号="2026-0301-990001"), dict(generated[1], 工单编号="2026-0301-990002")]
    path = demo_hotline.write_csv(tmp_path / "orders.csv", generated)
    report = services.import_hotline(path=path, actor=world.alice)
    assert report.created == 42 and report.duplicates >= 2
    steps = list(ComplaintTransition.objects.select_related("complaint"))
    assert len(steps) == 42 and len({s.complaint_id for s in steps}) == 42
    for step in steps:
        assert (step.action, step.from_status, step.to_status, step.actor_id) == (
            "receive", "", step.complaint.status, world.alice.pk)
        assert step.payload == {"batch": report.batch_id} and step.reason_parts == []
    assert services.import_hotline(path=path, actor=world.alice).created == 0
    assert ComplaintTransition.objects.count() == 42


# --- the timeline on the page and in the API -------------------------------------------------------------

def test_the_complaint_page_shows_the_timeline(client, world, keyword_classifier):
    order = receive("金沙江路1685弄有人飞线充电", "金沙江路1685弄", number="12345-1")
    dispatch.complaint_reroute_street(complaint=order, actor=world.alice, reason="实为曹杨", street=world.caoyang)
    dispatch.complaint_return(complaint=order, actor=world.oscar, reason="该地址位于长宁区")
    client.force_login(world.oscar)
    html = client.get(reverse("intake:detail", args=[order.pk])).content.decode()
    timeline = html.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert timeline.count('data-testid="timeline-step"') == 3
    assert timeline.index("受理登记") < timeline.index("改派街镇") < timeline.index("退单")
    assert "已分派 → 已退单" in timeline and "该地址位于长宁区" in timeline
    assert str(world.alice) in timeline and str(world.oscar) in timeline
    assert "系统" in timeline  # the receipt had no actor
    url = reverse("intake:detail", args=[order.pk])
    assert client.post(reverse("set_language"), {"language": "en", "next": url}).status_code == 302
    english = client.get(url).content.decode().split('data-testid="timeline"')[1].split("</ol>")[0]
    assert "Re-route to another street" in english and "; reason: 实为曹杨" in english
    assert "Assigned → Returned" in english


def test_the_api_gives_the_transitions_of_a_complaint_in_scope(client, world, keyword_classifier):
    order = receive("兰溪路88弄楼道有人飞线充电", number="12345-1")
    dispatch.complaint_settle(complaint=order, actor=world.oscar, reply="已劝导整改")
    client.force_login(world.oscar)
    body = client.get(f"/api/v1/complaints/{order.pk}/").json()
    assert [(t["action"], t["from_status"], t["to_status"]) for t in body["transitions"]] == [
        ("receive", "", "ROUTED"), ("settle", "ROUTED", "CLOSED")]
    assert body["transitions"][1]["actor"] == str(world.oscar) and body["transitions"][1]["reason"] == "已劝导整改"
    assert "transitions" not in client.get("/api/v1/complaints/").json()["results"][0]
    client.force_login(world.sam)  # another street's officer: not in scope
    assert client.get(f"/api/v1/complaints/{order.pk}/").status_code == 404


# --- no status written in bulk -------------------------------------------------------------------------------

def _app_sources():
    root = Path(settings.BASE_DIR)
    for apps_py in root.glob("*/apps.py"):
        for path in apps_py.parent.rglob("*.py"):
            if not {"tests", "migrations"} & set(path.relative_to(root).parts):
                yield path


def _bulk_status_updates(path: Path) -> list[int]:
    """Lines of `….update(status=…)` (or `**{"status": …}`) calls, other than on a local dict."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    dicts = {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
             and (isinstance(node.value, ast.Dict) or (isinstance(node.value, ast.Call)
                                                       and getattr(node.value.func, "id", "") == "dict"))
             for target in node.targets if isinstance(target, ast.Name)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update"):
            continue
        keys = {k.arg for k in node.keywords if k.arg} | {
            key.value for k in node.keywords if k.arg is None and isinstance(k.value, ast.Dict)
            for key in k.value.keys if isinstance(key, ast.Constant)}
        if any(str(key).split("__")[0] == "status" for key in keys):
            if not (isinstance(node.func.value, ast.Name) and node.func.value.id in dicts):
                found.append(node.lineno)
    return found


def test_no_status_is_written_in_bulk():
    sources = list(_app_sources())
    assert any(p.parts[-2:] == ("intake", "services.py") for p in sources)
    offenders = {str(p): lines for p in sources if (lines := _bulk_status_updates(p))}
    assert offenders == {}


def test_the_guard_finds_a_bulk_status_update(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("Complaint.objects.filter(case=case).update(status='CLOSED')\n"
                      "qs.update(**{'status': 'NEW'})\nrow = {}\nrow.update(status='EXISTING')\n", encoding="utf-8")
    assert _bulk_status_updates(sample) == [1, 2]


def test_the_page_offers_only_the_moves_the_status_allows(client, world, keyword_classifier):
    """A settled complaint shows no 确认/更正/标记重复 form (the table would refuse each); a waiting one shows them."""
    waiting = receive("兰溪路88弄3号楼楼道有人飞线充电", number="12345-7")
    settled = receive("兰溪路88弄5号楼楼道有人飞线充电", number="12345-8")
    dispatch.complaint_settle(complaint=settled, actor=world.oscar, reply="已现场劝离", result=HotlineResult.SOLVED)
    client.force_login(world.oscar)
    forms = ('data-testid="confirm"', "correct-type", "correct-community", "mark-duplicate")

    def offered(complaint):
        html = client.get(reverse("intake:detail", args=[complaint.pk])).content.decode()
        return [form for form in forms if form in html]

    assert Complaint.objects.get(pk=settled.pk).status == ComplaintStatus.CLOSED
    assert offered(settled) == []
    assert offered(waiting)[1:] == list(forms[1:])  # 确认 shows while the type is the system's
