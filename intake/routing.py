"""Where a classified complaint goes (seed 000 §二, R2.2): enforcement types to the bureau and the
community's street officers; non-enforcement matters referred to the department that owns them.
One table, so the rule lives in one place."""
from dataclasses import dataclass

from intake.choices import ComplaintStatus

ENFORCEMENT_DEPARTMENT = "CHENGGUAN"
NON_ENFORCEMENT = "NON_ENFORCEMENT"
# Below this confidence a person looks before anything is routed, for a complaint classified before the model
# decided review itself (intake.classifier.review_decision, stored as classification_evidence["review"]).
TRIAGE_BELOW = 0.5
# Why a person must look (the classifier's review reasons), as the routing note says it.
REVIEW_NOTES = {
    "low_confidence": "待人工分拣：分类置信度低",
    "low_margin": "待人工分拣：两类难分",
    "several_matters": "待人工分拣：一诉多事",
    "out_of_vocabulary": "待人工分拣：生词多，模型未见过",
}
_UNSET = object()


@dataclass
class Route:
    department_code: str
    status: str
    note: str


def route(*, type_code: str | None, department_code: str | None, confidence: float | None,
          has_place: bool, confirmed: bool = False, review_reason=_UNSET) -> Route:
    """`review_reason`: the classifier's decision (None: no person needed; a reason code: one is). Not given (a
    complaint stored before the model decided it), the old rule: confidence below TRIAGE_BELOW."""
    if not type_code:
        return Route(department_code or "", ComplaintStatus.NEW, "待人工分拣：无法判断类型")
    if review_reason is _UNSET:
        review_reason = "low_confidence" if (confidence or 0) < TRIAGE_BELOW else None
    if not confirmed and review_reason:
        dept = ENFORCEMENT_DEPARTMENT if type_code != NON_ENFORCEMENT else (department_code or "")
        return Route(dept, ComplaintStatus.NEW, REVIEW_NOTES.get(review_reason, REVIEW_NOTES["low_confidence"]))
    if type_code == NON_ENFORCEMENT:
        if not department_code or department_code == ENFORCEMENT_DEPARTMENT:
            return Route("", ComplaintStatus.NEW, "待人工分拣：非城管事项但承办部门不明")
        return Route(department_code, ComplaintStatus.REFERRED, "非城管执法事项，移交主管部门")
    if not has_place:
        return Route(ENFORCEMENT_DEPARTMENT, ComplaintStatus.NEW, "待人工分拣：地址未匹配到街镇")
    return Route(ENFORCEMENT_DEPARTMENT, ComplaintStatus.ROUTED, "城管执法事项，派至属地街镇中队")
