"""12345 work orders: reply, result, satisfaction, 退单, and the export in the hotline's layout."""
from datetime import datetime, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases import services
from core import exports
from core.errors import ApplicationError
from intake import hotline
from intake import services as intake_services
from intake.choices import Channel, ComplaintStatus, HotlineResult, Satisfaction
from intake.models import Complaint, HotlineReply

pytestmark = pytest.mark.django_db
HEADERS = ["工单编号", "受理时间", "诉求地址", "内容描述", "小区名称", "街道", "主办单位", "答复市民要点", "办理结果",
           "满意度", "答复时间", "退单理由"]


def receive(content, *, number, address="兰溪路88弄", channel=Channel.HOTLINE, received_at=None):
    return intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=channel, content=content, address=address, external_no=number,
        received_at=received_at or timezone.now()))


@pytest.fixture
def order(world, keyword_classifier):
    return receive("楼道里停放电瓶车，堵住了楼梯", number="2025110100123")


def test_reply_result_and_satisfaction_are_recorded(world, order):
    reply = hotline.reply_record(complaint=order, actor=world.oscar, reply="已责令当事人将电瓶车移出楼道",
                                 result=HotlineResult.SOLVED)
    assert (reply.result, reply.satisfaction, reply.replied_by) == (HotlineResult.SOLVED, "", world.oscar)
    assert reply.replied_at is not None and order.reply == reply
    reply = hotline.satisfaction_record(complaint=order, satisfaction=Satisfaction.BASICALLY, actor=world.oscar)
    assert reply.satisfaction == Satisfaction.BASICALLY
    reply = hotline.reply_record(complaint=order, actor=world.alice, reply="已移出并加装提示牌",
                                 result=HotlineResult.SOLVED)
    assert reply.satisfaction == Satisfaction.BASICALLY  # an edited reply keeps what the caller said
    assert HotlineReply.objects.count() == 1
    history = list(reply.history.order_by("history_date", "history_id"))
    assert [h.history_change_reason for h in history] == ["答复", "满意度：基本满意", "修改答复"]
    assert [h.history_user for h in history] == [world.oscar, world.oscar, world.alice]
    order.refresh_from_db()
    assert order.status != ComplaintStatus.RETURNED


def test_satisfaction_given_with_the_reply(world, order):
    reply = hotline.reply_record(complaint=order, actor=world.oscar, reply="已处理", result=HotlineResult.PARTLY,
                                 satisfaction=Satisfaction.UNSATISFIED)
    assert reply.get_satisfaction_display() == "不满意" and reply.get_result_display() == "部分解决"


def test_a_return_needs_its_reason_and_marks_the_order_returned(world, order):
    with pytest.raises(ApplicationError) as info:
        hotline.reply_record(complaint=order, actor=world.oscar, reply="非本单位职责", result=HotlineResult.RETURNED)
    assert "理由" in info.value.message
    assert not HotlineReply.objects.exists()
    reply = hotline.reply_record(complaint=order, actor=world.oscar, reply="非本单位职责",
                                 result=HotlineResult.RETURNED, return_reason="系物业服务纠纷，应由房管部门办理")
    assert reply.return_reason == "系物业服务纠纷，应由房管部门办理"
    order.refresh_from_db()
    assert order.status == ComplaintStatus.RETURNED
    assert order.history.first().history_change_reason == "退单"
    with pytest.raises(ApplicationError):
        hotline.reply_record(complaint=order, actor=world.oscar, reply="又办了", result=HotlineResult.SOLVED)


def test_a_reason_is_not_kept_when_the_order_is_not_returned(world, order):
    reply = hotline.reply_record(complaint=order, actor=world.oscar, reply="已处理", result=HotlineResult.SOLVED,
                                 return_reason="写错了地方")
    assert reply.return_reason == ""


def test_an_order_in_a_case_cannot_be_returned(world, order):
    services.case_open_from_complaint(complaint=order, actor=world.oscar)
    with pytest.raises(ApplicationError) as info:
        hotline.reply_record(complaint=order, actor=world.oscar, reply="退回", result=HotlineResult.RETURNED,
                             return_reason="不属于城管")
    assert "立案" in info.value.message


@pytest.mark.parametrize("kwargs", [
    {"reply": "  ", "result": HotlineResult.SOLVED},
    {"reply": "已处理", "result": "DONE"},
    {"reply": "已处理", "result": HotlineResult.SOLVED, "satisfaction": "理解"},
    {"reply": "已处理", "result": HotlineResult.RETURNED, "return_reason": "长" * 301},
])
def test_bad_replies_are_refused(world, order, kwargs):
    with pytest.raises(ApplicationError) as info:
        hotline.reply_record(complaint=order, actor=world.oscar, **kwargs)
    assert info.value.message and info.value.message_en
    assert not HotlineReply.objects.exists()


def test_satisfaction_needs_a_reply_and_a_known_value(world, order):
    with pytest.raises(ApplicationError):
        hotline.satisfaction_record(complaint=order, satisfaction=Satisfaction.SATISFIED, actor=world.oscar)
    hotline.reply_record(complaint=order, actor=world.oscar, reply="已处理", result=HotlineResult.SOLVED)
    for bad in ("", "VERY_SATISFIED"):
        with pytest.raises(ApplicationError):
            hotline.satisfaction_record(complaint=order, satisfaction=bad, actor=world.oscar)


def test_only_those_handling_the_order_answer_it(world, order):
    for user in (world.sam, world.paul, world.hana):  # another street, the property company, a department
        with pytest.raises(ApplicationError):
            hotline.reply_record(complaint=order, actor=user, reply="已处理", result=HotlineResult.SOLVED)
    assert not HotlineReply.objects.exists()


def test_only_hotline_orders_get_a_hotline_reply(world, keyword_classifier):
    patrol = receive("巡查发现楼道停放电瓶车", number="", channel=Channel.PATROL)
    with pytest.raises(ApplicationError):
        hotline.reply_record(complaint=patrol, actor=world.oscar, reply="已处理", result=HotlineResult.SOLVED)


# --- export ---------------------------------------------------------------------------------------

def export(queryset):
    buffer = BytesIO()
    exports.write_xlsx(buffer, hotline.reply_export_rows(queryset), hotline.reply_columns())
    buffer.seek(0)
    return list(load_workbook(buffer).active.iter_rows(values_only=True))


def test_the_export_has_the_hotline_columns_in_order_and_a_row_per_order(world, keyword_classifier):
    received = timezone.make_aware(datetime(2025, 11, 3, 9, 30))
    first = receive("楼道里停放电瓶车", number="2025110300001", received_at=received)
    second = receive("小区里有人私自搭建阳光房", number="2025110300002", address="金沙江路1685弄",
                     received_at=received + timedelta(hours=1))
    third = receive("=HYPERLINK(\"http://x\")楼道飞线充电", number="2025110300003", address="兰溪路88弄",
                    received_at=received + timedelta(hours=2))
    other = receive("楼道堆物", number="2025110300004", received_at=received + timedelta(hours=3))
    hotline.reply_record(complaint=first, actor=world.oscar, reply="已责令移出", result=HotlineResult.SOLVED,
                         satisfaction=Satisfaction.SATISFIED)
    hotline.reply_record(complaint=second, actor=world.alice, reply="非本单位职责",
                         result=HotlineResult.RETURNED, return_reason="系商铺装修，不在住宅小区")

    rows = export(Complaint.objects.filter(pk__in=[third.pk, second.pk, first.pk]))
    assert list(rows[0]) == HEADERS
    assert [r[0] for r in rows[1:]] == ["2025110300001", "2025110300002", "2025110300003"]  # by 受理时间
    one = dict(zip(HEADERS, rows[1], strict=True))
    assert one["受理时间"] == datetime(2025, 11, 3, 9, 30)
    assert (one["诉求地址"], one["内容描述"]) == ("兰溪路88弄", "楼道里停放电瓶车")
    assert (one["小区名称"], one["街道"], one["主办单位"]) == ("兰溪一村", "曹杨新村街道", "区城管执法局")
    assert (one["答复市民要点"], one["办理结果"], one["满意度"]) == ("已责令移出", "解决", "满意")
    assert isinstance(one["答复时间"], datetime) and one["退单理由"] is None
    two = dict(zip(HEADERS, rows[2], strict=True))
    assert (two["小区名称"], two["街道"]) == ("金沙雅苑", "长风新村街道")
    assert (two["办理结果"], two["退单理由"]) == ("不办理退单", "系商铺装修，不在住宅小区")
    three = dict(zip(HEADERS, rows[3], strict=True))
    assert three["办理结果"] is None and three["答复市民要点"] is None  # not answered yet
    assert three["内容描述"].startswith("'=HYPERLINK")  # text, never a formula
    assert other.external_no not in [r[0] for r in rows]


def test_the_download_streams_an_xlsx(world, order):
    hotline.reply_record(complaint=order, actor=world.oscar, reply="已处理", result=HotlineResult.SOLVED)
    response = hotline.reply_xlsx_response(Complaint.objects.restrict(world.oscar))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and rows[1][0] == order.external_no


def test_reply_export_page_gives_the_hotline_layout_and_refuses_departments(client, world, keyword_classifier):
    import io

    from openpyxl import load_workbook

    from intake import services as intake_services
    from intake.choices import Channel as IntakeChannel

    complaint = intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=IntakeChannel.HOTLINE, content="楼道飞线充电", address="兰溪路88弄", external_no="R-1",
        received_at=timezone.now()))
    hotline.reply_record(complaint=complaint, actor=world.oscar, reply="已现场拆除飞线", result="SOLVED",
                         satisfaction="SATISFIED")
    client.force_login(world.hana)
    assert client.get("/cases/hotline-replies.xlsx").status_code == 403
    client.force_login(world.oscar)
    response = client.get("/cases/hotline-replies.xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][0] == "工单编号" and rows[1][0] == "R-1" and "已现场拆除飞线" in rows[1]
