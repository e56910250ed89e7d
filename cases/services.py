"""Writes for enforcement cases. Every state change goes through `case_transition`, which checks
the workflow table, the role, the requirements and the version, locks the row and records the move."""
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts import inbox, policy
from accounts.choices import InboxKind, Role
from accounts.messages import stored, text
from accounts.policy import may
from accounts.scope import role_of
from cases import effects, penalties, rules, workflow
from cases.choices import CaseState
from cases.models import CaseTransition, EnforcementCase, Evidence, Party
from core import calendar
from core.busy import retry_when_busy
from core.errors import ApplicationError
from core.uploads import stored_file, upload_check
from intake.services import complaint_transition


class StaleCase(ApplicationError):
    pass


def _deadline(case: EnforcementCase, state: str, start: date) -> date | None:
    if state == CaseState.DEFENCE:
        procedure = getattr(case, "penalty", None)
        if procedure is not None and procedure.notice_served_on:
            return penalties.defence_until(procedure.notice_served_on, procedure.hearing_offered)
    if state in workflow.PENALTY_PENDING:
        return case.decision_due   # 行政处罚法 §60: the 90-day limit runs through the procedure
    stage = workflow.STATE_STAGE.get(state)
    if stage is None:
        return None
    if state == CaseState.RECTIFYING and case.rectify_due:
        return case.rectify_due
    days = rules.stage_days(case, stage)
    return calendar.add_working_days(start, days) if days is not None else None


def stage_deadline(case: EnforcementCase, state: str, start: date) -> date | None:
    """The deadline `case` has in `state` when it entered it on `start` (None: no deadline in that state)."""
    return _deadline(case, state, start)


def district_prefix(street_id) -> str:
    """The district part of the numbers of a street's records (registry.District.number_prefix): "" for a district
    without one (the installation's first keeps AJ2026-000001), "JA-" for 静安 (JA-AJ2026-000001). Each prefix
    has its own sequence, so every district counts from 1."""
    from registry.models import Street

    prefix = Street.objects.filter(pk=street_id).values_list("district__number_prefix", flat=True).first() or ""
    return f"{prefix}-" if prefix else ""


def next_case_number(year: int, street_id=None) -> str:
    """AJ{year}-{seq:06d}, after the case's district prefix (district_prefix) when it has one."""
    prefix = f"{district_prefix(street_id) if street_id else ''}AJ{year}-"
    last = (EnforcementCase.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def _save_numbered(case: EnforcementCase, attempts: int = 5, year: int | None = None):
    """Two cases opened at the same moment may read the same last number: the unique constraint
    refuses the second, which takes the next number instead."""
    from django.db import IntegrityError

    for _attempt in range(attempts):
        try:
            with transaction.atomic():
                case.save()
            return
        except IntegrityError:
            if not EnforcementCase.objects.filter(number=case.number).exists():
                raise
            case.pk = None
            case.number = next_case_number(year or timezone.localdate().year, street_id=case.street_id)
    raise ApplicationError("案件编号分配冲突，请重试", "could not allocate a case number: retry")


def check_may_open(actor):
    """Cases are opened by those who run them (cases.workflow.HANDLERS: officers and the bureau); street staff
    follow their streets' cases (accounts.scope.case_q gives them no "change")."""
    if not may(actor, policy.CASE_OPEN):
        raise ApplicationError("您的角色不能立案：案件由执法队员或区局立案办理，街镇工作人员可跟踪案件进展",
                               "your role cannot open cases: officers and the bureau open and run them; "
                               "street staff follow them")


@retry_when_busy
@transaction.atomic
def case_open_from_complaint(*, complaint, actor, officer=None, opened_at=None) -> EnforcementCase:
    """A complaint confirmed as an enforcement matter opens a case — or joins the open case of its
    duplicate's original. `opened_at`: when it was opened, if earlier than now (a case recorded after the
    year turned takes its own year's number)."""
    from intake.models import Complaint

    check_may_open(actor)
    complaint = Complaint.objects.select_for_update(of=("self",)).select_related("violation_type", "community").get(
        pk=complaint.pk)
    if complaint.case_id:
        raise ApplicationError("该诉件已在办理中", "this complaint already has a case")
    primary = complaint.duplicate_of
    if primary is not None and primary.case_id and primary.case.is_open:
        complaint.case = primary.case
        complaint.save(update_fields=["case"])
        return primary.case
    if not complaint.violation_type or not complaint.is_enforcement:
        raise ApplicationError("非城管执法事项不能立案，请移交", "not an enforcement matter: refer it instead")
    if not complaint.street_id:
        raise ApplicationError("请先确定小区或街镇", "set the community or street first")
    case = _open(
        violation_type=complaint.violation_type, community=complaint.community, street_id=complaint.street_id,
        location=complaint.address_text, summary=complaint.content, officer=officer or _default_officer(actor),
        actor=actor, reason=text(gettext_noop("由诉件 {complaint} 登记"), complaint=str(complaint)),
        payload={"complaint": complaint.pk}, origin="complaint",
        complaints=[complaint], opened_at=opened_at)
    return case


@retry_when_busy
@transaction.atomic
def case_open(*, violation_type, community=None, street=None, summary: str, actor, officer=None, location: str = "",
              reason: str | list = "", origin: str = "manual", payload: dict | None = None) -> EnforcementCase:
    """A case that does not come from a complaint: a patrol finding recorded as a case, or a rule of
    another app (a failed duty check opens a PROPERTY_NEGLIGENCE case against the company). `reason`: what
    a person typed, or accounts.messages parts for a reason the platform writes."""
    check_may_open(actor)
    if not summary.strip():
        raise ApplicationError("请填写案情摘要", "write the summary")
    if not violation_type.is_enforcement:
        raise ApplicationError("非城管执法事项不能立案，请移交", "not an enforcement matter: refer it instead")
    street_id = street.pk if street is not None else (community.street_id if community is not None else None)
    if street_id is None:
        raise ApplicationError("请先确定小区或街镇", "set the community or street first")
    return _open(violation_type=violation_type, community=community, street_id=street_id, location=location,
                 summary=summary.strip(), officer=officer, actor=actor, reason=reason or text(gettext_noop("登记")),
                 payload=payload or {}, origin=origin)


def _open(*, violation_type, community, street_id, location, summary, officer, actor, reason, payload, origin,
          complaints=(), opened_at=None, reopened_from=None) -> EnforcementCase:
    from cases.signals import case_opened
    from intake.models import Complaint

    now = timezone.now()
    year = timezone.localtime(min(opened_at or now, now)).year
    case = EnforcementCase(
        number=next_case_number(year, street_id=street_id),
        violation_type=violation_type, community=community, street_id=street_id,
        location=location[:300], summary=summary, officer=officer, state=CaseState.REGISTERED, state_entered_at=now,
        reopened_from=reopened_from,
    )
    case.state_due = _deadline(case, CaseState.REGISTERED, timezone.localdate())
    _save_numbered(case, year=year)
    reason, parts = stored(reason)
    CaseTransition.objects.create(case=case, action="register", from_state="", to_state=CaseState.REGISTERED,
                                  actor=actor, reason=reason, reason_parts=parts, payload={**payload, "origin": origin})
    for complaint in complaints:
        complaint.case = case
        complaint._change_reason = f"立案 {case.number}"
        complaint_transition(complaint=complaint, action="open_case", actor=actor, fields=["case"],
                             reason=text(gettext_noop("立案 {case}"), case=case.number), payload={"case": case.pk})
        Complaint.objects.filter(duplicate_of=complaint, case__isnull=True).update(case=case)
    case_opened.send(sender=EnforcementCase, case=case, actor=actor, origin=origin)
    return case


def _default_officer(actor):
    return actor if role_of(actor) == "OFFICER" else None


def available_moves(case: EnforcementCase, user) -> list[workflow.Move]:
    """The buttons that are legal now for this user."""
    role = role_of(user)
    return [m for m in workflow.moves_from(case.state) if role in m.roles]


def _lock_at_version(case: EnforcementCase, version: int | None) -> EnforcementCase:
    """The case's row, locked until the transaction ends, provided nobody changed it since the user saw
    `version` (the case's own version when not given): two writes on one case never overwrite each other."""
    locked = EnforcementCase.objects.select_for_update(of=("self",)).select_related("violation_type").get(pk=case.pk)
    expected = version if version is not None else case.version
    if locked.version != expected:
        raise StaleCase("案件已被他人更新，请刷新后重试", "the case changed since you opened it: reload and retry",
                        extra={"code": "stale", "version": locked.version})
    return locked


@retry_when_busy
@transaction.atomic
def case_transition(*, case: EnforcementCase, action: str, actor, version: int | None = None, reason: str = "",
                    files=(), **data) -> EnforcementCase:
    locked = _lock_at_version(case, version)
    move = workflow.find(locked.state, action)
    if move is None:
        raise ApplicationError(f"当前状态“{workflow.source(CaseState(locked.state).label)}”不能执行该操作",
                               f"'{action}' is not allowed from {locked.state}")
    if role_of(actor) not in move.roles:
        raise ApplicationError("您的角色不能执行该操作", "your role cannot make this move")
    if not EnforcementCase.objects.restrict(actor, "change").filter(pk=case.pk).exists():
        raise ApplicationError("该案件不在您的办理范围内", "this case is outside your scope")
    data = {**data, "reason": reason, "files": list(files)}
    for need in move.needs:
        problem = rules.REQUIREMENTS[need](locked, data)
        if problem:
            raise ApplicationError(*problem, extra={"requirement": need})

    step = effects.Step(case=locked, move=move, actor=actor, data=data, source=locked.state)
    effects.run(step, "before")
    if not move.records_only:
        now = timezone.now()
        locked.state = move.target
        locked.state_entered_at = now
        locked.state_due = _deadline(locked, move.target, timezone.localdate())
    elif action == "extend_time_limit" and locked.state in workflow.TIME_LIMITED:
        locked.state_due = _deadline(locked, locked.state, timezone.localtime(locked.state_entered_at).date())
    locked.version = F("version") + 1
    locked._change_reason = workflow.source(move.label)
    locked.save()
    locked.refresh_from_db()
    step.case = locked
    step.transition = CaseTransition.objects.create(
        case=locked, action=action, from_state=step.source, to_state=locked.state, actor=actor, reason=reason,
        payload=_json_safe(step.payload))
    for upload in data["files"]:
        evidence_add(case=locked, upload=upload, actor=actor, transition=step.transition, stage=step.source,
                     allow_closed=True)
    effects.run(step, "after")
    if step.payload.get("documents"):  # documents the move issued are named on its timeline row
        CaseTransition.objects.filter(pk=step.transition.pk).update(payload=_json_safe(step.payload))
    from cases.signals import case_moved

    case_moved.send(sender=EnforcementCase, case=locked, move=move, source=step.source, actor=actor,
                    transition=step.transition)
    return locked


def _json_safe(payload: dict) -> dict:
    return {k: v for k, v in payload.items() if not k.startswith("_")}


# --- parties and evidence ----------------------------------------------------------------------

def _check_may_handle(case: EnforcementCase, actor):
    """Parties and evidence are the handlers' (officers and the bureau), in their scope: a legal reviewer, a street
    user or a department reads them and adds none."""
    if not may(actor, policy.CASE_HANDLE):
        raise ApplicationError("您的角色不能办理案件材料", "your role cannot change a case's parties or evidence")
    if not may(actor, policy.CASE_HANDLE, case):
        raise ApplicationError("该案件不在您的办理范围内", "this case is outside your scope")


@retry_when_busy
@transaction.atomic
def party_add(*, case: EnforcementCase, actor, role: str, name: str, kind: str = "PERSON", id_number: str = "",
              phone: str = "", address: str = "", property_company=None) -> Party:
    _check_may_handle(case, actor)
    if not case.is_open:
        raise ApplicationError("案件已结案，不能再添加当事人", "the case is closed")
    party = Party(case=case, role=role, name=name.strip(), kind=kind, id_number=id_number.strip(),
                  phone=phone.strip(), address=address.strip(), property_company=property_company)
    party.full_clean()
    party.save()
    return party


@retry_when_busy
@transaction.atomic
def evidence_add(*, case: EnforcementCase, upload, actor, description: str = "", transition=None,
                 stage: str | None = None, allow_closed: bool = False) -> Evidence:
    _check_may_handle(case, actor)
    if not case.is_open and not allow_closed:
        raise ApplicationError("案件已结案，证据不可更改", "the case is closed: its evidence is immutable")
    checked = upload_check(upload)
    return Evidence.objects.create(
        case=case, transition=transition, kind=checked.kind, content_type=checked.content_type,
        file=stored_file(upload, checked),
        original_name=upload.name[:255], size=checked.size, sha256=checked.sha256, description=description,
        stage=stage or case.state, uploaded_by=actor,
    )


# --- supervision (督办) -------------------------------------------------------------------------

SUPERVISION_RESPONSE_DAYS = 3


def supervision_response_due(issued_on: date, response_days: int = SUPERVISION_RESPONSE_DAYS) -> date:
    """The day a supervision order issued on `issued_on` must be answered by: `response_days` working days
    later (core.calendar)."""
    return calendar.add_working_days(issued_on, response_days)


@transaction.atomic
def supervision_issue(*, case: EnforcementCase, actor, instruction: str,
                      response_days: int = SUPERVISION_RESPONSE_DAYS):
    from cases.models import SupervisionOrder

    if not may(actor, policy.CASE_SUPERVISE):
        raise ApplicationError("只有区局领导/督察可以督办", "only supervisors issue supervision orders")
    if not instruction.strip():
        raise ApplicationError("请填写督办要求", "write the instruction")
    order = SupervisionOrder.objects.create(
        case=case, issued_by=actor, instruction=instruction.strip(),
        response_due=supervision_response_due(timezone.localdate(), response_days))
    _notify_supervision(order)
    return order


def _notify_supervision(order):
    """收到督办: the case's officer answers the order (accounts.policy SUPERVISION_RESPOND), so it is theirs; a
    case with no officer yet tells its street's officers."""
    from django.urls import reverse

    case = order.case
    users = [case.officer_id] if case.officer_id else list(assignable_officers(case).values_list("pk", flat=True))
    inbox.notify(users, InboxKind.SUPERVISION,
                 text(gettext_noop("督办：案件 {number}，请于 {due} 前回复"), number=case.number,
                      due=order.response_due),
                 reverse("cases:detail", args=[case.pk]), about=order)


@retry_when_busy
@transaction.atomic
def supervision_respond(*, order, actor, response: str):
    from cases.choices import SupervisionStatus
    from cases.models import SupervisionOrder

    order = SupervisionOrder.objects.select_for_update().select_related("case").get(pk=order.pk)
    if order.status != SupervisionStatus.OPEN:
        raise ApplicationError("该督办已回复", "already answered")
    if not may(actor, policy.SUPERVISION_RESPOND, order):
        raise ApplicationError("督办由案件的承办队员回复", "the case's officer answers a supervision order")
    if not response.strip():
        raise ApplicationError("请填写回复内容", "write the response")
    order.response, order.responded_by, order.responded_at = response.strip(), actor, timezone.now()
    order.status = SupervisionStatus.ANSWERED
    order.save()
    return order


# --- who handles the case (承办队员), and 正在搭建 -------------------------------------------------

def assignable_officers(case: EnforcementCase):
    """Active officers whose streets include the case's street: the only people who may handle it."""
    from accounts.models import User

    return (User.objects.filter(role=Role.OFFICER, is_active=True, streets=case.street_id)
            .order_by("display_name", "username"))


def _check_handles(case: EnforcementCase, actor):
    if not EnforcementCase.objects.restrict(actor, "change").filter(pk=case.pk).exists():
        raise ApplicationError("该案件不在您的办理范围内", "this case is outside your scope")


def _record_event(case: EnforcementCase, *, action: str, actor, reason: str, payload: dict) -> CaseTransition:
    """Save the case (its version goes up, its history names the event) and put the event on its timeline;
    the state does not change."""
    case.version = F("version") + 1
    case._change_reason = workflow.source(workflow.EVENTS[action])
    case._history_user = actor
    case.save()
    case.refresh_from_db()
    return CaseTransition.objects.create(case=case, action=action, from_state=case.state, to_state=case.state,
                                         actor=actor, reason=reason, payload=payload)


@retry_when_busy
@transaction.atomic
def case_assign(*, case: EnforcementCase, officer, actor, reason: str = "", version: int | None = None
                ) -> EnforcementCase:
    """Make `officer` the case's 承办队员. Supervisors assign or reassign any officer working in the case's
    street (a reassignment says why); an officer claims (认领) an unassigned case of his own streets by
    assigning himself. Recorded on the timeline; the new officer is notified unless he claimed it."""
    locked = _lock_at_version(case, version)
    assigner = may(actor, policy.CASE_ASSIGN)
    claim = may(actor, policy.CASE_CLAIM) and officer is not None and officer.pk == actor.pk
    if not assigner and not may(actor, policy.CASE_CLAIM):
        raise ApplicationError("您的角色不能指派承办队员", "your role cannot assign cases")
    _check_handles(locked, actor)
    if not locked.is_open:
        raise ApplicationError("案件已结案或移交，不能再指派承办队员", "the case is closed or referred")
    if officer is None:
        raise ApplicationError("请选择承办队员", "choose the officer")
    if not assigner:
        if not claim:
            raise ApplicationError("执法队员只能认领案件，指派或改派由区局领导办理",
                                   "officers claim cases for themselves; supervisors assign them")
        if locked.officer_id is not None:
            raise ApplicationError(f"该案件已由{locked.officer}承办，如需改派请联系区局领导",
                                   "the case already has an officer: ask a supervisor to reassign it")
    if not assignable_officers(locked).filter(pk=officer.pk).exists():
        raise ApplicationError(f"{officer}不是{locked.street}的执法队员，不能承办该案件",
                               "the officer does not work in the case's street")
    if locked.officer_id == officer.pk:
        raise ApplicationError(f"{officer}已是该案件的承办队员", "the officer already handles this case")
    reason = (reason or "").strip()
    if locked.officer_id is not None and not reason:
        raise ApplicationError("改派承办队员须填写理由", "a reassignment needs its reason")

    previous = locked.officer
    locked.officer = officer
    action = "claim" if claim else "assign"
    _record_event(locked, action=action, actor=actor, reason=reason, payload={
        "officer": officer.pk, "officer_name": str(officer),
        "previous": previous.pk if previous else None, "previous_name": str(previous) if previous else ""})
    if not claim:
        _notify_assigned(locked, officer=officer, actor=actor, reason=reason)
    return locked


@retry_when_busy
@transaction.atomic
def case_set_co_officer(*, case: EnforcementCase, co_officer, actor, version: int | None = None) -> EnforcementCase:
    """协办队员: the second officer the Administrative Penalty Law requires (§42), working in the case's street and
    holding an enforcement certificate. Chosen by a supervisor or by the case's own officer; recorded on the
    timeline; the co-officer is notified."""
    locked = _lock_at_version(case, version)
    own = locked.officer_id is not None and locked.officer_id == getattr(actor, "pk", None)
    if not (may(actor, policy.CASE_ASSIGN) or (may(actor, policy.CASE_HANDLE) and own)):
        raise ApplicationError("协办队员由区局领导或本案承办队员指定",
                               "a supervisor or the case's officer names the co-officer")
    _check_handles(locked, actor)
    if not locked.is_open:
        raise ApplicationError("案件已结案或移交", "the case is closed or referred")
    if co_officer is None:
        raise ApplicationError("请选择协办队员", "choose the co-officer")
    if co_officer.pk == locked.officer_id:
        raise ApplicationError("协办队员不能与承办队员为同一人", "the co-officer must differ from the officer")
    if not assignable_officers(locked).filter(pk=co_officer.pk).exists():
        raise ApplicationError(f"{co_officer}不是{locked.street}的执法队员",
                               "the officer does not work in the case's street")
    if not (co_officer.cert_number or "").strip():
        raise ApplicationError(f"{co_officer}尚未登记执法证号，不能参与调查取证",
                               "the officer has no enforcement certificate number")
    if locked.co_officer_id == co_officer.pk:
        raise ApplicationError(f"{co_officer}已是该案件的协办队员", "already the co-officer")
    previous = locked.co_officer
    locked.co_officer = co_officer
    _record_event(locked, action="co_officer", actor=actor, reason="", payload={
        "officer": co_officer.pk, "officer_name": str(co_officer),
        "previous": previous.pk if previous else None, "previous_name": str(previous) if previous else ""})
    _notify_assigned(locked, officer=co_officer, actor=actor, reason="")
    return locked


def _notify_assigned(case: EnforcementCase, *, officer, actor, reason: str):
    """新分派 in the officer's inbox (R3.8); the workbench lists the case too."""
    from django.urls import reverse

    from accounts.messages import typed
    from accounts.services import notification_send

    place = case.community.name if case.community_id else str(case.street)
    body = text(gettext_noop("{type} · {place} · 分派人 {actor}"), type=case.violation_type.name, place=place,
                actor=str(actor))
    if reason:
        body += text(gettext_noop("；理由：")) + typed(reason[:1000])
    title = text(gettext_noop("新分派案件 {number}"), number=case.number)
    link = reverse("cases:detail", args=[case.pk])
    notification_send(user=officer, kind="case_assigned", title=title, body=body, link=link)
    # the version tells this assignment from an earlier one of the same officer to the same case
    inbox.notify([officer], InboxKind.ASSIGNED, title, link, about=case,
                 key=inbox.event_key(InboxKind.ASSIGNED, case, officer.pk, case.version))


@transaction.atomic
def case_set_in_progress(*, case: EnforcementCase, in_progress: bool, actor, reason: str,
                         version: int | None = None) -> EnforcementCase:
    """正在搭建 (being built now) or 存量 (already built): the handling rules of seed 001 §二 differ
    (cases.rules.MEASURE_RULES), so it is settled before the decision, with a reason, by those who handle
    the case. A construction being built is verified the same day (拆违规定第七条)."""
    locked = _lock_at_version(case, version)
    if not may(actor, policy.CASE_HANDLE):
        raise ApplicationError("您的角色不能办理该案件", "your role cannot handle cases")
    _check_handles(locked, actor)
    if not rules.tracks_in_progress(locked.violation_type.code):
        raise ApplicationError(f"“{locked.violation_type.name}”案件不区分正在实施与存量",
                               "this type does not distinguish a violation in progress")
    if locked.state not in workflow.BEFORE_DECISION:
        raise ApplicationError("作出处理决定后不能再更改是否正在搭建",
                               "it can no longer change once the decision is made")
    in_progress = bool(in_progress)
    if locked.in_progress == in_progress:
        if in_progress:
            raise ApplicationError("案件已认定为正在搭建", "the case is already recorded as being built")
        raise ApplicationError("案件已认定为存量违建", "the case is already recorded as an existing construction")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("请填写认定理由", "a reason is required")

    locked.in_progress = in_progress
    today = timezone.localdate()
    if in_progress:   # the shorter deadline runs from now, never lengthening the one running
        due = _deadline(locked, locked.state, today)
        if due is not None and (locked.state_due is None or due < locked.state_due):
            locked.state_due = due
    else:
        locked.state_due = _deadline(locked, locked.state, timezone.localtime(locked.state_entered_at).date())
    _record_event(locked, action="set_in_progress" if in_progress else "clear_in_progress", actor=actor,
                  reason=reason, payload={"in_progress": in_progress})
    return locked


# --- 回头看 (R3.6) ----------------------------------------------------------------------------------

@retry_when_busy
@transaction.atomic
def recheck_record(*, recheck, actor, result: str, note: str, files=()):
    """Record a 回头看: photos of the site (core.uploads' checks, kept as the case's evidence) and the finding.
    回潮 within the type's window (cases.rules.reopen_window) reopens the case through the workflow's `reopen`
    move, its history kept; later it opens a new case linked to the old one (`reopened_from`). Either way the
    re-check counts in 回潮 (cases.indicators.recurred_q)."""
    from cases.choices import ReCheckResult, ReCheckStatus
    from cases.models import ReCheck

    recheck = ReCheck.objects.select_for_update(of=("self",)).select_related("case__violation_type").get(
        pk=recheck.pk)
    case = recheck.case
    if not may(actor, policy.RECHECK_RECORD):
        raise ApplicationError("您的角色不能记录回头看", "your role cannot record re-checks")
    if not may(actor, policy.RECHECK_RECORD, recheck):
        raise ApplicationError("该案件不在您的办理范围内", "this case is outside your scope")
    if recheck.status != ReCheckStatus.DUE:
        raise ApplicationError("该回头看已记录或已取消", "this re-check is already recorded or cancelled")
    if case.state != CaseState.CLOSED:
        raise ApplicationError("案件已重新打开，回头看不再进行", "the case was reopened: the re-check is void")
    if result not in ReCheckResult.values:
        raise ApplicationError("请选择回头看结果（未回潮或回潮）", "choose the result (clean or recurred)")
    note = (note or "").strip()
    files = list(files)
    if not files:
        raise ApplicationError("请上传回头看现场照片", "upload photos of the site")
    if result == ReCheckResult.RECURRED and not note:
        raise ApplicationError("请填写回潮的现场情况", "describe what was found again")
    for upload in files:
        evidence = evidence_add(case=case, upload=upload, actor=actor, description=f"回头看（结案后{recheck.round}日）",
                                stage=CaseState.CLOSED, allow_closed=True)
        evidence.recheck = recheck
        evidence.save(update_fields=["recheck"])
    recheck.status, recheck.result, recheck.note = ReCheckStatus.DONE, result, note
    recheck.done_at, recheck.done_by = timezone.now(), actor
    if result == ReCheckResult.RECURRED:
        reason = f"回头看发现回潮：{note[:500]}"   # the timeline's reason: what the officer wrote
        if rules.check_within_90_days(case, {}) is None:
            recheck.follow_up = case_transition(case=case, action="reopen", actor=actor, reason=reason)
        else:
            check_may_open(actor)
            recheck.follow_up = _open(
                violation_type=case.violation_type, community=case.community, street_id=case.street_id,
                location=case.location, summary=f"回头看发现回潮（原案 {case.number}）：{note}",
                officer=_default_officer(actor) or case.officer, actor=actor,
                reason=text(gettext_noop("回头看发现回潮，原案 {case} 已超过重新打开期限"), case=case.number),
                payload={"recheck": recheck.pk, "reopened_from": case.pk}, origin="recheck", reopened_from=case)
    recheck.save()
    return recheck
