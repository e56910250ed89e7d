"""Handling rules of seed 001 §二 (R3.2) as data, and the checks the workflow table names.

MEASURE_RULES says, per violation type, which measures a decision must include, which it may
only use in a situation (new vs existing illegal construction), how a case must end, and which
parties it needs. The allowed measures themselves are the catalogue's `default_measures`, which
the administrator edits.
"""
from datetime import timedelta

from django.utils import timezone

from cases.choices import CaseState, PartyRole, PaymentStatus
from core import dates
from core.errors import ApplicationError

MEASURE_RULES = {
    # 正在搭建的：一律制止、拆除，并依法予以罚款
    "ILLEGAL_CONSTRUCTION": {
        # 拆违规定第七条：正在搭建的，接报后2小时内到场 — verified the same day (stage deadlines in working days)
        "when_in_progress": {"requires": ["STOP", "DEMOLISH"], "allows": ["STOP", "DEMOLISH", "FINE"],
                             "stage_days": {"VERIFY": 0}},
        # 存量：责令恢复原状、罚款、注记、强制拆除
        "when_existing": {"allows": ["ORDER_CORRECT", "RESTORE", "FINE", "ANNOTATE", "FORCED_DEMOLITION",
                                     "DEMOLISH"]},
    },
    # 破坏房屋承重结构：一律整改恢复
    "STRUCTURE_DAMAGE": {"requires": ["ORDER_CORRECT"], "closes_with": ["RESTORE"]},
    # 电动自行车占用公共部位：一律责令改正
    "EBIKE_PARKING": {"requires": ["ORDER_CORRECT"]},
    # 群租：业主、承租人，以及房地产经纪机构或经纪人员
    "GROUP_RENTING": {"parties": [[PartyRole.OWNER], [PartyRole.TENANT], [PartyRole.AGENCY, PartyRole.AGENT]]},
    # 垃圾不分类、乱扔小包垃圾：先教育，拒不整改的才处罚
    "HOUSEHOLD_WASTE": {"education_first": True},
    "PROPERTY_NEGLIGENCE": {"parties": [[PartyRole.PROPERTY_COMPANY]]},
}

REOPEN_WINDOW = timedelta(days=90)


def tracks_in_progress(code: str) -> bool:
    """Whether a type is handled differently while the violation is being committed (正在搭建 vs 存量)."""
    return "when_in_progress" in MEASURE_RULES.get(code, {})


def stage_days(case, stage: str) -> int | None:
    """Working days the case has for `stage`: the violation type's stage_deadlines, unless its situation
    (e.g. a construction being built now) sets a shorter one."""
    if case.in_progress:
        situation = MEASURE_RULES.get(case.violation_type.code, {}).get("when_in_progress", {})
        if stage in situation.get("stage_days", {}):
            return int(situation["stage_days"][stage])
    days = (case.violation_type.stage_deadlines or {}).get(stage)
    return int(days) if days else None


def _fail(message, message_en):
    return (message, message_en)


def _labels(codes) -> str:
    """Measures named as users know them (制止、拆除), not by their codes."""
    from registry.choices import Measure

    return "、".join(str(Measure(c).label) if c in Measure.values else c for c in codes)


def allowed_measures(case) -> list[str]:
    rule = MEASURE_RULES.get(case.violation_type.code, {})
    situation = rule.get("when_in_progress" if case.in_progress else "when_existing")
    if situation and "allows" in situation:
        return situation["allows"]
    return list(case.violation_type.default_measures)


def check_measures(case, data):
    measures = data.get("measures") or []
    if not measures:
        return _fail("请选择处理措施", "choose the measures")
    allowed = allowed_measures(case)
    bad = [m for m in measures if m not in allowed]
    if bad:
        return _fail(f"该类违法行为不适用措施：{_labels(bad)}", f"measures not allowed for this type: {', '.join(bad)}")
    rule = MEASURE_RULES.get(case.violation_type.code, {})
    situation = rule.get("when_in_progress" if case.in_progress else "when_existing", {})
    required = list(rule.get("requires", [])) + list(situation.get("requires", []))
    missing = [m for m in required if m not in measures]
    if missing:
        return _fail(f"该类违法行为必须采取：{_labels(missing)}", f"this type requires: {', '.join(missing)}")
    if rule.get("education_first") and "FINE" in measures and not _educated_before(case):
        return _fail("应先教育劝导、督促整改，拒不整改的方可处罚", "educate first: a fine only after refusal")
    return None


def _educated_before(case) -> bool:
    """A fine on education-first types needs an earlier decision with EDUCATE that was not complied with:
    the escalation after a failed review (the case is in REVIEWING while it is being made), or a later one."""
    refused = case.state == CaseState.REVIEWING or case.transitions.filter(action="escalate").exists()
    return refused and any(
        "EDUCATE" in (t.payload.get("measures") or []) for t in case.transitions.filter(action="decide")
    )


def check_parties(case, data):
    parties = list(case.parties.all())
    if not parties:
        return _fail("请先登记当事人", "add the parties first")
    groups = MEASURE_RULES.get(case.violation_type.code, {}).get("parties", [])
    roles = {p.role for p in parties}
    for group in groups:
        if not roles & set(group):
            labels = "或".join(str(PartyRole(r).label) for r in group)
            return _fail(f"该类案件须列明当事人：{labels}", f"this type needs a party: {' or '.join(group)}")
    return None


def check_evidence(case, data):
    if not case.evidence.exists() and not data.get("files"):
        return _fail("请先上传证据材料", "upload evidence first")
    return None


def check_review_evidence(case, data):
    if data.get("files") or case.evidence.filter(stage=CaseState.REVIEWING).exists():
        return None
    return _fail("结案前须上传复查照片或材料", "upload the review evidence before closing")


def check_closing_measures(case, data):
    """Measures the case must end with have to be recorded as done (measures_done, now or at an earlier move);
    a decision that orders them (责令恢复原状) is not their execution."""
    needed = MEASURE_RULES.get(case.violation_type.code, {}).get("closes_with", [])
    if not needed:
        return None
    done = set(data.get("measures_done") or [])
    for payload in case.transitions.values_list("payload", flat=True):
        done |= set((payload or {}).get("measures_done") or [])
    missing = [m for m in needed if m not in done]
    if missing:
        return _fail("损坏承重结构的案件须恢复原状后方可结案", "load-bearing damage must end restored")
    return None


def check_fines_settled(case, data):
    if case.fines.filter(status=PaymentStatus.UNPAID).exists():
        return _fail("尚有未缴纳的罚款，不能结案", "unpaid fines: the case cannot close")
    return None


def check_reason(case, data):
    if not (data.get("reason") or "").strip():
        return _fail("请填写理由", "a reason is required")
    return None


def check_department(case, data):
    if not data.get("department"):
        return _fail("请选择接收部门", "choose the receiving department")
    return None


def check_rectify_due(case, data):
    due = data.get("rectify_due")
    if not due:
        return _fail("请填写整改期限", "set the rectification deadline")
    if due < timezone.localdate():
        return _fail("整改期限不能早于今天", "the deadline cannot be in the past")
    try:
        dates.date_check(due, kind=dates.DUE, label="整改期限", label_en="rectify_due")
    except ApplicationError as exc:
        return _fail(exc.message, exc.message_en)
    return None


def check_within_90_days(case, data):
    if case.closed_at and timezone.now() - case.closed_at > REOPEN_WINDOW:
        return _fail("结案已超过90日，请新立案件并关联原案", "closed over 90 days ago: open a new linked case")
    return None


REQUIREMENTS = {
    "measures": check_measures,
    "parties": check_parties,
    "evidence": check_evidence,
    "review_evidence": check_review_evidence,
    "closing_measures": check_closing_measures,
    "fines_settled": check_fines_settled,
    "reason": check_reason,
    "department": check_department,
    "rectify_due": check_rectify_due,
    "within_90_days": check_within_90_days,
}
