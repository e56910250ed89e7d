"""The enforcement workflow (R3.1) as ONE table of allowed moves, like django-oscar's pipeline.

Each move names who may make it, what it needs (a reason, evidence on file, a receiving
department, measures, parties, a rectification date …) and the stage whose deadline starts when
the case arrives. `cases.services.case_transition` refuses anything not in this table.
"""
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.choices import Role
from cases.choices import CaseState as S

# Who runs cases is the policy's (accounts.policy): the moves below name these roles.
HANDLERS = policy.roles_of(policy.CASE_HANDLE)
SUPERVISORS = policy.roles_of(policy.CASE_SUPERVISE)
# 承办队员: the bureau's supervisors assign (or reassign) any officer working in the case's street; an
# officer may claim (认领) an unassigned case of his own streets.
ASSIGNERS = policy.roles_of(policy.CASE_ASSIGN)
CLAIMERS = policy.roles_of(policy.CASE_CLAIM)
# 正在搭建 or 存量 decides the measures (cases.rules), so it can be changed only before the decision.
BEFORE_DECISION = frozenset({S.REGISTERED, S.VERIFYING, S.FILED, S.INVESTIGATING})


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    action: str            # stable name used by pages and the API
    label: str             # the button (translatable: a gettext_lazy string, Chinese source)
    roles: frozenset = HANDLERS
    needs: tuple = ()      # named requirements, checked by cases.rules.REQUIREMENTS
    style: str = "primary"


MOVES = [
    Move(S.REGISTERED, S.VERIFYING, "start_verification", _("开始核查")),
    Move(S.VERIFYING, S.FILED, "file", _("立案"), needs=("evidence",)),
    Move(S.VERIFYING, S.CLOSED, "dismiss", _("不属实，结案"), needs=("reason",), style="outline-secondary"),
    Move(S.VERIFYING, S.REFERRED, "refer", _("非本部门职责，移交"), needs=("reason", "department"),
         style="outline-warning"),
    Move(S.FILED, S.INVESTIGATING, "investigate", _("调查取证")),
    Move(S.INVESTIGATING, S.DECIDED, "decide", _("作出处理决定"), needs=("parties", "measures", "evidence")),
    Move(S.DECIDED, S.RECTIFYING, "order_rectification", _("责令限期整改"), needs=("rectify_due",)),
    Move(S.DECIDED, S.CLOSED, "close_executed", _("执行完毕，结案"),
         needs=("reason", "closing_measures", "fines_settled"), style="outline-success"),
    Move(S.RECTIFYING, S.REVIEWING, "review", _("复查")),
    Move(S.REVIEWING, S.CLOSED, "close_rectified", _("整改到位，结案"), needs=("review_evidence", "closing_measures"),
         style="success"),
    # 整改不到位: the further decision (e.g. a fine after education was refused) is made with this move
    Move(S.REVIEWING, S.DECIDED, "escalate", _("整改不到位，进一步处理"), needs=("reason", "measures"),
         style="outline-danger"),
    Move(S.CLOSED, S.VERIFYING, "reopen", _("回潮，重新核查"), roles=SUPERVISORS | {Role.OFFICER},
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


# What else the timeline records besides the moves above: opening the case, who handles it, and whether
# an illegal construction is being built right now (cases.services.case_assign / case_set_in_progress).
# These rows keep the case in its state (from_state == to_state) and are never moves.
EVENTS = {
    "register": _("线索登记"),
    "assign": _("指派承办队员"),
    "claim": _("认领案件"),
    "set_in_progress": _("认定为正在搭建"),
    "clear_in_progress": _("认定为存量违建"),
}


def label_of(action: str):
    """The timeline's name of a recorded action: a move's button label or an event's name."""
    move = next((m for m in MOVES if m.action == action), None)
    return move.label if move is not None else EVENTS.get(action, action)


def source(text) -> str:
    """The Chinese source of a translatable label, for records (history reasons) that must read the same
    whatever the language of the user who caused them."""
    with translation.override(None):
        return str(text)


def moves_from(state: str) -> list[Move]:
    return [m for m in MOVES if m.source == state]


def find(state: str, action: str) -> Move | None:
    return next((m for m in MOVES if m.source == state and m.action == action), None)
