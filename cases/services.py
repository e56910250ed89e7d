"""Writes for enforcement cases. Every state change goes through `case_transition`, which checks
the workflow table, the role, the requirements and the version, locks the row and records the move."""
import hashlib
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.scope import role_of
from cases import calendar, rules, workflow
from cases.choices import CaseState, EvidenceKind
from cases.models import CaseTransition, EnforcementCase, Evidence, Party
from core.errors import ApplicationError
from intake.choices import ComplaintStatus

MAX_EVIDENCE_BYTES = 200 * 1024 * 1024  # a phone video of a site visit
SNIFF = [
    (b"\xff\xd8\xff", "image/jpeg", EvidenceKind.PHOTO),
    (b"\x89PNG\r\n\x1a\n", "image/png", EvidenceKind.PHOTO),
    (b"GIF8", "image/gif", EvidenceKind.PHOTO),
    (b"%PDF-", "application/pdf", EvidenceKind.PDF),
    (b"PK\x03\x04", "application/zip", EvidenceKind.OFFICE),  # docx/xlsx/pptx: checked further below
    (b"\xd0\xcf\x11\xe0", "application/msword", EvidenceKind.OFFICE),
    (b"\x1aE\xdf\xa3", "video/webm", EvidenceKind.VIDEO),
]


class StaleCase(ApplicationError):
    pass


def _deadline(case: EnforcementCase, state: str, start: date) -> date | None:
    stage = workflow.STATE_STAGE.get(state)
    if stage is None:
        return None
    if state == CaseState.RECTIFYING and case.rectify_due:
        return case.rectify_due
    days = (case.violation_type.stage_deadlines or {}).get(stage)
    return calendar.add_working_days(start, int(days)) if days else None


def next_case_number(year: int) -> str:
    prefix = f"AJ{year}-"
    last = (EnforcementCase.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    seq = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def _save_numbered(case: EnforcementCase, attempts: int = 5):
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
            case.number = next_case_number(timezone.localdate().year)
    raise ApplicationError("案件编号分配冲突，请重试", "could not allocate a case number: retry")


@transaction.atomic
def case_open_from_complaint(*, complaint, actor, officer=None) -> EnforcementCase:
    """A complaint confirmed as an enforcement matter opens a case — or joins the open case of its
    duplicate's original."""
    from intake.models import Complaint

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
    now = timezone.now()
    case = EnforcementCase(
        number=next_case_number(timezone.localdate().year),
        violation_type=complaint.violation_type, community=complaint.community, street_id=complaint.street_id,
        location=complaint.address_text, summary=complaint.content, officer=officer or _default_officer(actor),
        state=CaseState.REGISTERED, state_entered_at=now,
    )
    case.state_due = _deadline(case, CaseState.REGISTERED, timezone.localdate())
    _save_numbered(case)
    CaseTransition.objects.create(case=case, action="register", from_state="", to_state=CaseState.REGISTERED,
                                  actor=actor, reason=f"由诉件 {complaint} 登记", payload={"complaint": complaint.pk})
    Complaint.objects.filter(pk=complaint.pk).update(case=case, status=ComplaintStatus.IN_CASE)
    Complaint.objects.filter(duplicate_of=complaint, case__isnull=True).update(case=case)
    return case


def _default_officer(actor):
    return actor if role_of(actor) == "OFFICER" else None


def available_moves(case: EnforcementCase, user) -> list[workflow.Move]:
    """The buttons that are legal now for this user."""
    role = role_of(user)
    return [m for m in workflow.moves_from(case.state) if role in m.roles]


@transaction.atomic
def case_transition(*, case: EnforcementCase, action: str, actor, version: int | None = None, reason: str = "",
                    files=(), **data) -> EnforcementCase:
    locked = EnforcementCase.objects.select_for_update(of=("self",)).select_related("violation_type").get(pk=case.pk)
    expected = version if version is not None else case.version
    if locked.version != expected:
        raise StaleCase("案件已被他人更新，请刷新后重试", "the case changed since you opened it: reload and retry",
                        extra={"code": "stale", "version": locked.version})
    move = workflow.find(locked.state, action)
    if move is None:
        raise ApplicationError(f"当前状态“{CaseState(locked.state).label}”不能执行该操作",
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

    payload = {}
    if action in {"decide", "escalate"}:  # a decision, or the further decision after a failed review
        locked.measures = list(data["measures"])
        locked.decision = data.get("decision", "") or reason
        payload["measures"] = locked.measures
    if action == "order_rectification":
        locked.rectify_due = data["rectify_due"]
        payload["rectify_due"] = data["rectify_due"].isoformat()
    if action == "refer":
        from registry.models import Department

        department = data["department"]
        if not isinstance(department, Department):
            department = Department.objects.filter(code=department).first()
        if department is None or department.code == "CHENGGUAN":
            raise ApplicationError("请选择其他职能部门", "choose another department")
        locked.referred_to = department
        payload["department"] = department.code
    if data.get("measures_done"):
        payload["measures_done"] = list(data["measures_done"])
        locked.measures = sorted(set(locked.measures) | set(data["measures_done"]))

    now = timezone.now()
    source = locked.state
    locked.state = move.target
    locked.state_entered_at = now
    locked.state_due = _deadline(locked, move.target, timezone.localdate())
    if move.target == CaseState.CLOSED:
        locked.closed_at, locked.closing_reason = now, reason[:300]
    if action == "reopen":
        locked.closed_at, locked.closing_reason = None, ""
    locked.version = F("version") + 1
    locked._change_reason = move.label
    locked.save()
    locked.refresh_from_db()
    step = CaseTransition.objects.create(case=locked, action=action, from_state=source, to_state=move.target,
                                         actor=actor, reason=reason, payload=payload)
    for upload in data["files"]:
        evidence_add(case=locked, upload=upload, actor=actor, transition=step, stage=source, allow_closed=True)
    if action == "refer":
        from cases import referrals

        referrals.referral_send(case=locked, department=locked.referred_to, matter=locked.summary, actor=actor)
    if move.target == CaseState.CLOSED:
        _close_complaints(locked)
    return locked


def _close_complaints(case):
    from intake.models import Complaint

    Complaint.objects.filter(case=case).exclude(status=ComplaintStatus.RETURNED).update(
        status=ComplaintStatus.CLOSED)


# --- parties and evidence ----------------------------------------------------------------------

@transaction.atomic
def party_add(*, case: EnforcementCase, actor, role: str, name: str, kind: str = "PERSON", id_number: str = "",
              phone: str = "", address: str = "", property_company=None) -> Party:
    if not case.is_open:
        raise ApplicationError("案件已结案，不能再添加当事人", "the case is closed")
    party = Party(case=case, role=role, name=name.strip(), kind=kind, id_number=id_number.strip(),
                  phone=phone.strip(), address=address.strip(), property_company=property_company)
    party.full_clean()
    party.save()
    return party


def sniff(head: bytes, name: str) -> tuple[str, str]:
    """The file's real type from its first bytes, never from its name."""
    for magic, content_type, kind in SNIFF:
        if head.startswith(magic):
            if content_type == "application/zip":
                lowered = name.lower()
                if not lowered.endswith((".docx", ".xlsx", ".pptx")):
                    break
                content_type = "application/vnd.openxmlformats-officedocument"
            return content_type, kind
    if head[4:8] == b"ftyp":
        return "video/mp4", EvidenceKind.VIDEO
    if head[8:12] == b"WEBP":
        return "image/webp", EvidenceKind.PHOTO
    raise ApplicationError("不支持的文件类型（仅限照片、视频、PDF 和 Office 文件）",
                           "unsupported file type (photos, video, PDF and Office files only)")


@transaction.atomic
def evidence_add(*, case: EnforcementCase, upload, actor, description: str = "", transition=None,
                 stage: str | None = None, allow_closed: bool = False) -> Evidence:
    if not case.is_open and not allow_closed:
        raise ApplicationError("案件已结案，证据不可更改", "the case is closed: its evidence is immutable")
    if upload.size > MAX_EVIDENCE_BYTES:
        raise ApplicationError(f"文件超过 {MAX_EVIDENCE_BYTES // 1024 // 1024} MB", "file too large")
    head = upload.read(16)
    upload.seek(0)
    content_type, kind = sniff(head, upload.name)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Evidence.objects.create(
        case=case, transition=transition, kind=kind, content_type=content_type, file=upload,
        original_name=upload.name[:255], size=upload.size, sha256=digest.hexdigest(), description=description,
        stage=stage or case.state, uploaded_by=actor,
    )


# --- supervision (督办) -------------------------------------------------------------------------

@transaction.atomic
def supervision_issue(*, case: EnforcementCase, actor, instruction: str, response_days: int = 3):
    from cases.models import SupervisionOrder

    if role_of(actor) not in workflow.SUPERVISORS:
        raise ApplicationError("只有区局领导/督察可以督办", "only supervisors issue supervision orders")
    if not instruction.strip():
        raise ApplicationError("请填写督办要求", "write the instruction")
    return SupervisionOrder.objects.create(
        case=case, issued_by=actor, instruction=instruction.strip(),
        response_due=calendar.add_working_days(timezone.localdate(), response_days))


@transaction.atomic
def supervision_respond(*, order, actor, response: str):
    from cases.choices import SupervisionStatus
    from cases.models import SupervisionOrder

    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != SupervisionStatus.OPEN:
        raise ApplicationError("该督办已回复", "already answered")
    if not response.strip():
        raise ApplicationError("请填写回复内容", "write the response")
    order.response, order.responded_by, order.responded_at = response.strip(), actor, timezone.now()
    order.status = SupervisionStatus.ANSWERED
    order.save()
    return order

