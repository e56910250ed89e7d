"""12345 work orders: the reply (答复市民要点) and result (办理结果) recorded on the complaint, the caller's
satisfaction (满意度), 退单 of an order sent here wrongly, and the replies exported in the hotline's layout."""
from django.db import transaction
from django.utils import timezone

from accounts import policy
from core import exports
from core.errors import ApplicationError
from intake.choices import Channel, ComplaintStatus, HotlineResult, Satisfaction
from intake.models import Complaint, HotlineReply
from intake.services import check_may, complaint_transition

MAX_RETURN_REASON = 300  # HotlineReply.return_reason
EXPORT_TITLE = "12345工单答复"


def _lock(complaint):
    locked = Complaint.objects.select_for_update().filter(pk=complaint.pk).first()
    if locked is None:
        raise ApplicationError("工单不存在", "no such work order")
    return locked


def _check_actor(complaint, actor):
    """Those who may handle the complaint answer its order (policy.COMPLAINT_TRIAGE on it: the bureau, and the
    officers and street staff of its street); a person, never the system actor (intake.services.check_may)."""
    check_may(actor, policy.COMPLAINT_TRIAGE, complaint,
              refusal=("您无权答复该工单", "you cannot answer this work order"))


def _check_satisfaction(satisfaction: str):
    if satisfaction and satisfaction not in Satisfaction.values:
        raise ApplicationError("满意度须为满意、基本满意或不满意", f"unknown satisfaction '{satisfaction}'")


@transaction.atomic
def reply_record(*, complaint, actor, reply: str, result: str, satisfaction: str = "",
                 return_reason: str = "") -> HotlineReply:
    """Record or update the answer to a 12345 work order. 不办理退单 needs the reason and marks the
    complaint 已退单; an order already returned keeps that result."""
    complaint = _lock(complaint)
    _check_actor(complaint, actor)
    return _record_reply(complaint, actor=actor, reply=reply, result=result, satisfaction=satisfaction,
                         return_reason=return_reason)


def _record_reply(complaint, *, actor, reply: str, result: str, satisfaction: str, return_reason: str
                  ) -> HotlineReply:
    """reply_record's work on a complaint already locked in this transaction and checked to be the actor's
    (intake.dispatch locks and checks it before answering it)."""
    if complaint.channel != Channel.HOTLINE:
        raise ApplicationError("只有12345工单需要答复", "only 12345 work orders get a hotline reply")
    reply = (reply or "").strip()
    return_reason = (return_reason or "").strip()
    if not reply:
        raise ApplicationError("请填写答复市民要点", "write the reply to the caller")
    if result not in HotlineResult.values:
        raise ApplicationError("办理结果须为解决、未解决、部分解决或不办理退单", f"unknown result '{result}'")
    _check_satisfaction(satisfaction)
    existing = HotlineReply.objects.select_for_update().filter(complaint=complaint).first()
    if existing is not None and existing.result == HotlineResult.RETURNED and result != HotlineResult.RETURNED:
        raise ApplicationError("该工单已退单，不能再改为其他办理结果", "the work order was returned to the hotline")
    if result == HotlineResult.RETURNED:
        if not return_reason:
            raise ApplicationError("退单须填写理由", "a return needs its reason")
        if len(return_reason) > MAX_RETURN_REASON:
            raise ApplicationError(f"退单理由不超过{MAX_RETURN_REASON}字", "the reason is too long")
        if complaint.case_id:
            raise ApplicationError("该工单已立案办理，不能退单", "the work order is in a case: it cannot be returned")
    else:
        return_reason = ""

    record = existing or HotlineReply(complaint=complaint)
    record.reply, record.result, record.return_reason = reply, result, return_reason
    if satisfaction or existing is None:
        record.satisfaction = satisfaction
    record.replied_by, record.replied_at = actor, timezone.now()
    record._change_reason = "修改答复" if existing else "答复"
    record._history_user = actor
    record.save()

    if result == HotlineResult.RETURNED and complaint.status != ComplaintStatus.RETURNED:
        complaint.routing_note = f"不办理退单：{return_reason}"[:200]
        complaint._change_reason = "退单"
        complaint._history_user = actor
        complaint_transition(complaint=complaint, action="return", actor=actor, reason=return_reason,
                             fields=["routing_note"])
    return record


@transaction.atomic
def satisfaction_record(*, complaint, satisfaction: str, actor) -> HotlineReply:
    """The caller's satisfaction as the hotline reports it back (回访)."""
    complaint = _lock(complaint)
    _check_actor(complaint, actor)
    if not satisfaction:
        raise ApplicationError("请选择满意度", "choose the satisfaction")
    _check_satisfaction(satisfaction)
    record = HotlineReply.objects.select_for_update().filter(complaint=complaint).first()
    if record is None:
        raise ApplicationError("该工单尚未答复", "the work order has no reply yet")
    if record.satisfaction == satisfaction:
        return record
    record.satisfaction = satisfaction
    record._change_reason = f"满意度：{Satisfaction(satisfaction).label}"
    record._history_user = actor
    record.save(update_fields=["satisfaction"])
    return record


# --- export in the hotline's layout ---------------------------------------------------------------

def _cell(value):
    """Text as text: a cell starting with = + - @ would be read as a formula by Excel (and openpyxl)."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@"}:
        return "'" + value
    return value


def _reply(complaint):
    try:
        return complaint.reply
    except HotlineReply.DoesNotExist:
        return None


def _from_reply(getter):
    def accessor(complaint):
        record = _reply(complaint)
        return _cell(getter(record)) if record is not None else ""
    return accessor


def _name(attribute):
    def accessor(complaint):
        related = getattr(complaint, attribute)
        return _cell(related.name) if related is not None else ""
    return accessor


def reply_columns() -> list[exports.Column]:
    """The hotline's reply layout, in its order."""
    return [
        ("工单编号", lambda c: _cell(c.external_no)),
        ("受理时间", "received_at"),
        ("诉求地址", lambda c: _cell(c.address_text)),
        ("内容描述", lambda c: _cell(c.content)),
        ("小区名称", _name("community")),
        ("街道", _name("street")),
        ("主办单位", _name("department")),
        ("答复市民要点", _from_reply(lambda r: r.reply)),
        ("办理结果", _from_reply(lambda r: r.get_result_display())),
        ("满意度", _from_reply(lambda r: r.get_satisfaction_display())),
        ("答复时间", _from_reply(lambda r: r.replied_at)),
        ("退单理由", _from_reply(lambda r: r.return_reason)),
    ]


def reply_export_rows(queryset):
    """The complaints of `queryset` (already restricted to the user) ready to stream: related rows joined,
    oldest first, read in chunks."""
    return (queryset.select_related("reply", "community", "street", "department")
            .order_by("received_at", "pk").iterator(chunk_size=500))


def reply_xlsx_response(queryset, filename: str = "12345工单答复"):
    """The download for a view: `reply_xlsx_response(Complaint.objects.restrict(user).filter(...))`."""
    return exports.xlsx_response(filename, reply_export_rows(queryset), reply_columns(), title=EXPORT_TITLE)
