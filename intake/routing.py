"""Where a classified complaint goes (seed 000 §二, R2.2): enforcement types to the bureau and the
community's street officers; non-enforcement matters referred to the department that owns them.
One table, so the rule lives in one place."""
from dataclasses import dataclass

from intake.choices import ComplaintStatus

ENFORCEMENT_DEPARTMENT = "CHENGGUAN"
NON_ENFORCEMENT = "NON_ENFORCEMENT"
# Below this confidence a person looks before anything is routed.
TRIAGE_BELOW = 0.5


@dataclass
class Route:
    department_code: str
    status: str
    note: str


def route(*, type_code: str | None, department_code: str | None, confidence: float | None,
          has_place: bool, confirmed: bool = False) -> Route:
    if not type_code:
        return Route(department_code or "", ComplaintStatus.NEW, "待人工分拣：无法判断类型")
    if not confirmed and (confidence or 0) < TRIAGE_BELOW:
        dept = ENFORCEMENT_DEPARTMENT if type_code != NON_ENFORCEMENT else (department_code or "")
        return Route(dept, ComplaintStatus.NEW, "待人工分拣：分类置信度低")
    if type_code == NON_ENFORCEMENT:
        if not department_code or department_code == ENFORCEMENT_DEPARTMENT:
            return Route("", ComplaintStatus.NEW, "待人工分拣：非城管事项但承办部门不明")
        return Route(department_code, ComplaintStatus.REFERRED, "非城管执法事项，移交主管部门")
    if not has_place:
        return Route(ENFORCEMENT_DEPARTMENT, ComplaintStatus.NEW, "待人工分拣：地址未匹配到街镇")
    return Route(ENFORCEMENT_DEPARTMENT, ComplaintStatus.ROUTED, "城管执法事项，派至属地街镇中队")
