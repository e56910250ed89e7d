"""派单纠错 (R3.5): a work order that reached the wrong place. Whoever received it can

- send it back to the hotline (退单) with the reason — recorded as the order's reply (`intake.hotline`);
- send it on to the right street (改派街镇) — the bureau's officers and supervisors, who know the district;
- refer it to the department that owns it when it is no enforcement matter (改派部门 → 移交, through the
  type correction of `intake.services`, which sends the referral);
- or, when verification settles it with no case needed (dissuaded and corrected on the spot, nothing found),
  answer and close it (办结（未立案）) — a 12345 order through its reply.

Each move is kept: the complaint's history names it with its reason, a re-route also as a Correction (what
the automatic routing got wrong), and a referral the matter no longer needs is withdrawn, not left pending.
Nothing is moved once a case is open: a case has its own 移交 and the hotline its reply."""
from django.db import transaction
from django.utils.translation import gettext_noop

from accounts import policy
from accounts.messages import text, typed
from accounts.scope import reroute_street_q
from core.errors import ApplicationError
from intake import hooks, hotline, routing, services
from intake.choices import Channel, ComplaintStatus, CorrectionField, DecisionSource, HotlineResult, ReferralStatus
from intake.models import Complaint, Correction

RETURN, STREET, DEPARTMENT, SETTLE = "return", "street", "department", "settle"
# Who may make each move is the policy's (accounts.policy); the complaint must be in their "change" scope.
DISPATCH_ACTIONS = {
    RETURN: policy.COMPLAINT_RETURN,
    STREET: policy.COMPLAINT_REROUTE_STREET,
    DEPARTMENT: policy.COMPLAINT_REROUTE_DEPARTMENT,
    SETTLE: policy.COMPLAINT_SETTLE,  # the bureau verifies; a matter settled needs no case
}
# Moves a duplicate may take on its own: each 12345 order is answered (or returned) for itself.
DUPLICATE_MOVES = {RETURN, SETTLE}
# No longer anybody's to move.
SETTLED = {ComplaintStatus.IN_CASE, ComplaintStatus.CLOSED, ComplaintStatus.RETURNED}
MAX_REASON = 300  # HotlineReply.return_reason; the corrections keep 200 of it


def may(user, move: str, complaint: Complaint | None = None) -> bool:
    """accounts.policy.may for the move's action (on the complaint when given): the one rule of who moves it."""
    return policy.may(user, DISPATCH_ACTIONS[move], complaint)


def open_moves(user, complaint: Complaint) -> list[str]:
    """The moves this user could make on the complaint now (the functions below decide; pages only hide
    what could not succeed)."""
    if complaint.case_id or complaint.status in SETTLED:
        return []
    moves = [m for m in DISPATCH_ACTIONS if may(user, m)]
    if complaint.channel != Channel.HOTLINE:
        moves = [m for m in moves if m != RETURN]
    if complaint.status == ComplaintStatus.DUPLICATE:
        moves = [m for m in moves if m in DUPLICATE_MOVES]
    return [m for m in moves if may(user, m, complaint)]


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写理由", "a reason is required")
    if len(reason) > MAX_REASON:
        raise ApplicationError(f"理由不超过{MAX_REASON}字", f"the reason is longer than {MAX_REASON} characters")
    return reason


def _locked(complaint: Complaint, actor, move: str, *, related: bool = False) -> Complaint:
    """The complaint under a row lock, after the checks every move shares (`related`: with its type, place
    and department, which re-routing reads). The actor must be allowed the move's policy action on the
    complaint (intake.services.check_may: a person, never the system actor None)."""
    services.check_may(actor, DISPATCH_ACTIONS[move], complaint)
    query = Complaint.objects.select_for_update(of=("self",))
    if related:
        query = query.select_related("violation_type", "community", "street", "department")
    locked = query.get(pk=complaint.pk)
    if locked.case_id or locked.status == ComplaintStatus.IN_CASE:
        raise ApplicationError("该诉件已立案办理，请在案件中移交或答复", "the complaint is in a case: act on the case")
    if locked.status == ComplaintStatus.RETURNED:
        raise ApplicationError("该工单已退单", "the work order was already returned")
    if locked.status == ComplaintStatus.CLOSED:
        raise ApplicationError("该诉件已办结", "the complaint is closed")
    if move not in DUPLICATE_MOVES and locked.status == ComplaintStatus.DUPLICATE:
        raise ApplicationError("重复件随原诉件办理：请改派原诉件，或先取消重复件标记",
                               "a duplicate follows its original: re-route the original or unmark it first")
    return locked


def _withdraw_referrals(complaint: Complaint, actor, reason: str, keep=None) -> int:
    """Pending referrals of the complaint to departments other than `keep` are withdrawn (cases does it, through
    intake.hooks: cases.referrals.complaint_referrals_withdraw)."""
    return hooks.referrals_withdraw(complaint=complaint, actor=actor, reason=reason, keep=keep)


@transaction.atomic
def complaint_return(*, complaint: Complaint, actor, reason: str) -> Complaint:
    """退单: the 12345 work order goes back to the hotline as 不办理退单, with the reason."""
    locked = _locked(complaint, actor, RETURN)
    if locked.channel != Channel.HOTLINE:
        raise ApplicationError("只有12345工单可以退单；其他来源的诉件请改派街镇或移交部门",
                               "only 12345 work orders are returned; re-route the others")
    reason = _reason(reason)
    _withdraw_referrals(locked, actor, f"工单已退单：{reason}")
    hotline._record_reply(locked, actor=actor, result=HotlineResult.RETURNED, return_reason=reason, satisfaction="",
                          reply=f"经核实，该工单不属于本单位办理范围，予以退单。理由：{reason}")
    return Complaint.objects.get(pk=locked.pk)


def _place(community, street) -> str:
    if community is not None:
        return f"{community.name}（{community.street.name}）"
    return f"{street.name}（小区待定）" if street is not None else ""


def _route_again(complaint: Complaint):
    """Where the complaint goes now that its place changed (intake.routing decides, as on intake)."""
    if complaint.status == ComplaintStatus.DUPLICATE:
        return
    code = complaint.violation_type.code if complaint.violation_type else None
    department = complaint.department.code if complaint.department and code == routing.NON_ENFORCEMENT else None
    decided = routing.route(type_code=code, department_code=department, confidence=complaint.confidence,
                            has_place=bool(complaint.street_id),
                            confirmed=complaint.type_source == DecisionSource.STAFF)
    from registry.models import Department

    complaint.department = Department.objects.filter(code=decided.department_code).first()
    complaint.status, complaint.routing_note = decided.status, decided.note


@transaction.atomic
def complaint_reroute_street(*, complaint: Complaint, actor, reason: str, street=None, community=None
                             ) -> Complaint:
    """改派街镇: the complaint belongs to another street (or another community): it goes to that street's
    queue, and the duplicates attached to it go with it. A community must be one the actor may see; a street
    any of the district's (accounts.scope.reroute_street_q)."""
    from registry.models import Community, Street

    locked = _locked(complaint, actor, STREET, related=True)
    reason = _reason(reason)
    if community is not None:
        if not Community.objects.restrict(actor, "view").filter(pk=community.pk).exists():
            raise ApplicationError("该小区不在您的范围内，请选择街镇",
                                   "that community is outside your scope: choose the street")
        street = community.street
    if street is None:
        raise ApplicationError("请选择改派的街镇或小区", "choose the street or community")
    if not Street.objects.filter(reroute_street_q(actor)).filter(pk=street.pk).exists():
        raise ApplicationError("不能改派至该街镇", "you cannot send it to that street")
    if street.pk == locked.street_id and (community is None or community.pk == locked.community_id):
        raise ApplicationError(f"该诉件已属{street.name}", "the complaint is already there")

    moved = [locked] + list(Complaint.objects.select_for_update(of=("self",))
                            .filter(duplicate_of=locked, case__isnull=True).exclude(status__in=SETTLED)
                            .select_related("community__street", "street", "violation_type", "department"))
    before = _place(locked.community, locked.street)
    after = _place(community, street)
    for item in moved:
        old = _place(item.community, item.street)
        item.street, item.community = street, community
        item.community_source = DecisionSource.STAFF
        item.match_score = 1.0 if community is not None else None
        _route_again(item)
        Correction.objects.create(complaint=item, field=CorrectionField.COMMUNITY, old_value=old[:100],
                                  new_value=after[:100], reason=reason[:200], actor=actor)
        item._change_reason = f"改派街镇 {old or '未匹配'}→{after}：{reason}"[:100]
        item._history_user = actor
        services.complaint_transition(
            complaint=item, action="reroute_street", actor=actor, to=item.status,
            reason=text(gettext_noop("{before} → {after}；理由："), before=old or "未匹配", after=after)
            + typed(reason),
            payload={"street": street.pk, "community": community.pk if community is not None else None})
    locked.moved_with = len(moved) - 1
    locked.previous_place = before
    return locked


@transaction.atomic
def complaint_reroute_department(*, complaint: Complaint, actor, department, reason: str) -> Complaint:
    """改派部门: not an enforcement matter — it is referred (移交) to the department that owns it, through the
    type correction of intake (its Correction rows feed the classifier's retraining); referrals to other
    departments still pending are withdrawn."""
    locked = _locked(complaint, actor, DEPARTMENT, related=True)
    reason = _reason(reason)
    if department is None or department.code == routing.ENFORCEMENT_DEPARTMENT:
        raise ApplicationError("请选择城管以外的主管部门", "choose the department that owns the matter")
    if locked.referrals.filter(department=department, status__in=[ReferralStatus.SENT, ReferralStatus.SIGNED]
                               ).exists():
        raise ApplicationError(f"该诉件已移交{department.name}",
                               f"already referred to {department.name_en or department.name}")
    _withdraw_referrals(locked, actor, f"改派{department.name}：{reason}", keep=department)
    return services.complaint_correct_type(complaint=locked, type_code=routing.NON_ENFORCEMENT,
                                           department_code=department.code, actor=actor, reason=reason,
                                           action="reroute_department")


@transaction.atomic
def complaint_settle(*, complaint: Complaint, actor, reply: str, result: str = "SOLVED", satisfaction: str = ""
                     ) -> Complaint:
    """办结（未立案）: verified and settled without a case — the party corrected it on the spot after
    dissuasion, or nothing was found. A 12345 order gets the reply and result (and the caller's satisfaction
    when known); the complaint is closed with the reply as its note."""
    locked = _locked(complaint, actor, SETTLE)
    reply = (reply or "").strip()
    if not reply:
        raise ApplicationError("请填写办理情况（答复市民要点）", "write what was done (the reply)")
    if result not in HotlineResult.values or result == HotlineResult.RETURNED:
        raise ApplicationError("办理结果须为解决、部分解决或未解决；退单请用“退单”", f"unknown result '{result}'")
    if locked.channel == Channel.HOTLINE:  # locked and checked above
        hotline._record_reply(locked, actor=actor, reply=reply, result=result, satisfaction=satisfaction,
                              return_reason="")
    _withdraw_referrals(locked, actor, f"已办结：{reply}")
    locked.routing_note = f"未立案办结：{reply}"[:200]
    locked._change_reason = "办结（未立案）"
    locked._history_user = actor
    services.complaint_transition(complaint=locked, action="settle", actor=actor, reason=typed(reply),
                                  fields=["routing_note"], payload={"result": result} if result else None)
    return locked
