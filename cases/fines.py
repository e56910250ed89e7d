"""罚款: imposed on a decided case whose measures include a fine, paid or otherwise settled, and made final
(生效: the time for review and lawsuit has passed, or both upheld it). Every change is kept in the fine's
history with who made it."""
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from accounts import policy
from cases.choices import CaseState, PaymentStatus
from cases.models import EnforcementCase, Fine
from core.busy import retry_when_busy
from core.errors import ApplicationError

FINE_STATES = {CaseState.DECIDED, CaseState.RECTIFYING, CaseState.REVIEWING}
MAX_AMOUNT = Decimal("9999999999.99")  # Fine.amount: 12 digits, 2 after the point
CENT = Decimal("0.01")


def parse_amount(value) -> Decimal:
    """A fine in yuan: positive, at most two decimals. Strings and integers are accepted; floats are not
    exact and are read through their printed form."""
    if isinstance(value, bool) or value is None or (isinstance(value, str) and not value.strip()):
        raise ApplicationError("请填写罚款金额", "enter the amount")
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError("罚款金额须为数字", "the amount must be a number") from exc
    if not amount.is_finite():
        raise ApplicationError("罚款金额须为数字", "the amount must be a number")
    if amount <= 0:
        raise ApplicationError("罚款金额须大于零", "the amount must be greater than zero")
    if amount != amount.quantize(CENT):
        raise ApplicationError("罚款金额最多保留两位小数（分）", "at most two decimals (fen)")
    if amount > MAX_AMOUNT:
        raise ApplicationError("罚款金额超出范围", "the amount is too large")
    return amount.quantize(CENT)


def _check_actor(case: EnforcementCase, actor):
    if not policy.may(actor, policy.CASE_HANDLE):
        raise ApplicationError("您的角色不能办理罚款", "your role cannot handle fines")
    if not policy.may(actor, policy.CASE_HANDLE, case):
        raise ApplicationError("您无权办理该案件", "this case is outside your scope")


def _lock(fine: Fine) -> Fine:
    return Fine.objects.select_for_update().select_related("case").get(pk=fine.pk)


def fine_impose(*, case, amount, actor, party=None, document=None):
    """The direct entry of a fine that pages and the API once offered, refused: a fine is a penalty decided
    through the Administrative Penalty Law's procedure (cases.workflow: notify … approve, or summary_penalty),
    whose approval records the fines (cases.effects)."""
    raise ApplicationError(
        "罚款不能直接录入：须经行政处罚程序（“拟作出行政处罚，事先告知”、陈述申辩、听证、法制审核和负责人审批）"
        "由处罚决定产生，小额罚款可适用“当场处罚（简易程序）”",
        "fines cannot be entered directly: they come from the approved penalty procedure (notify … approve) "
        "or the summary procedure")


@retry_when_busy
@transaction.atomic
def fine_record_payment(*, fine, actor, status: str, paid_at: date | None = None) -> Fine:
    """缴纳状态: 已缴纳 needs the date it was paid (today when not given); the other statuses clear it."""
    fine = _lock(fine)
    _check_actor(fine.case, actor)
    if status not in PaymentStatus.values:
        raise ApplicationError("缴纳状态有误", f"unknown payment status '{status}'")
    if fine.case.state == CaseState.CLOSED:
        raise ApplicationError("案件已结案，罚款缴纳状态不可更改", "the case is closed: the fine is settled")
    today = timezone.localdate()
    if status == PaymentStatus.PAID:
        paid_at = paid_at or today
        if paid_at > today:
            raise ApplicationError("缴纳日期不能晚于今天", "the payment date cannot be in the future")
        if paid_at < fine.decided_at:
            raise ApplicationError("缴纳日期不能早于决定日期", "the payment date cannot precede the decision")
    else:
        paid_at = None
    if fine.status == status and fine.paid_at == paid_at:
        raise ApplicationError("缴纳状态未变化", "nothing changed")
    old = PaymentStatus(fine.status).label
    fine.status, fine.paid_at = status, paid_at
    fine._change_reason = f"缴纳状态 {old}→{PaymentStatus(status).label}"
    fine._history_user = actor
    fine.save(update_fields=["status", "paid_at"])
    return fine


@transaction.atomic
def fine_make_final(*, fine, actor) -> Fine:
    """已生效: the review and lawsuit periods have passed, or review or the court upheld the decision.
    Only a fine stated in an issued 行政处罚决定书 can become final."""
    fine = _lock(fine)
    _check_actor(fine.case, actor)
    if fine.is_final:
        raise ApplicationError("该罚款已生效", "the fine is already final")
    if fine.document_id is None:
        raise ApplicationError("该罚款尚未载入行政处罚决定书", "the fine is not on an issued penalty decision")
    fine.is_final = True
    fine._change_reason = "处罚决定生效"
    fine._history_user = actor
    fine.save(update_fields=["is_final"])
    from cases.signals import fine_became_final

    fine_became_final.send(sender=Fine, fine=fine, actor=actor)
    return fine
