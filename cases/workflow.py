"""The enforcement workflow (R3.1) as ONE table of allowed moves, like django-oscar's pipeline.

Each move names who may make it, what it needs (a reason, evidence on file, a receiving
department, measures, parties, a rectification date …) and the stage whose deadline starts when
the case arrives. `cases.services.case_transition` refuses anything not in this table.
"""
from dataclasses import dataclass

from accounts.choices import Role
from cases.choices import CaseState as S

HANDLERS = frozenset({Role.OFFICER, Role.LEAD, Role.ADMIN})
SUPERVISORS = frozenset({Role.LEAD, Role.ADMIN})


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    action: str            # stable name used by pages and the API
    label: str             # the button
    roles: frozenset = HANDLERS
    needs: tuple = ()      # named requirements, checked by cases.rules.REQUIREMENTS
    style: str = "primary"


MOVES = [
    Move(S.REGISTERED, S.VERIFYING, "start_verification", "开始核查"),
    Move(S.VERIFYING, S.FILED, "file", "立案", needs=("evidence",)),
    Move(S.VERIFYING, S.CLOSED, "dismiss", "不属实，结案", needs=("reason",), style="outline-secondary"),
    Move(S.VERIFYING, S.REFERRED, "refer", "非本部门职责，移交", needs=("reason", "department"),
         style="outline-warning"),
    Move(S.FILED, S.INVESTIGATING, "investigate", "调查取证"),
    Move(S.INVESTIGATING, S.DECIDED, "decide", "作出处理决定", needs=("parties", "measures", "evidence")),
    Move(S.DECIDED, S.RECTIFYING, "order_rectification", "责令限期整改", needs=("rectify_due",)),
    Move(S.DECIDED, S.CLOSED, "close_executed", "执行完毕，结案", needs=("reason", "closing_measures", "fines_settled"),
         style="outline-success"),
    Move(S.RECTIFYING, S.REVIEWING, "review", "复查"),
    Move(S.REVIEWING, S.CLOSED, "close_rectified", "整改到位，结案", needs=("review_evidence", "closing_measures"),
         style="success"),
    # 整改不到位: the further decision (e.g. a fine after education was refused) is made with this move
    Move(S.REVIEWING, S.DECIDED, "escalate", "整改不到位，进一步处理", needs=("reason", "measures"),
         style="outline-danger"),
    Move(S.CLOSED, S.VERIFYING, "reopen", "回潮，重新核查", roles=SUPERVISORS | {Role.OFFICER},
         needs=("reason", "within_90_days"), style="outline-danger"),
]

# The deadline that starts when a case enters a state: the violation type's stage_deadlines[key].
STATE_STAGE = {
    S.REGISTERED: "VERIFY",
    S.VERIFYING: "VERIFY",
    S.FILED: "FILE",
    S.INVESTIGATING: "INVESTIGATE",
    S.DECIDED: "DECIDE",
    S.RECTIFYING: "RECTIFY",
    S.REVIEWING: "REVIEW",
}


def moves_from(state: str) -> list[Move]:
    return [m for m in MOVES if m.source == state]


def find(state: str, action: str) -> Move | None:
    return next((m for m in MOVES if m.source == state and m.action == action), None)
