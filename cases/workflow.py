"""The enforcement workflow (R3.1) as ONE table of allowed moves, like django-oscar's pipeline.

Each move names who may make it, what it needs (a reason, evidence on file, a receiving
department, measures, parties, a rectification date …) and the stage whose deadline starts when
the case arrives. `cases.services.case_transition` refuses anything not in this table.
"""
from dataclasses import dataclass

from django.utils import translation
from django.utils.text import format_lazy
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
    # What the page asks before moving (what will happen and its legal consequence), and what it says after:
    # what actually happened, never "done" for a step that has only started.
    consequence: str = ""
    done: str = ""


CLOSED_FOR_GOOD = _("结案后案件不再办理；如90日内回潮，可重新打开核查。")

MOVES = [
    Move(S.REGISTERED, S.VERIFYING, "start_verification", _("开始核查"),
         consequence=_("案件进入核查阶段，核查期限自即日起计算。"), done=_("已开始核查，案件进入核查阶段")),
    Move(S.VERIFYING, S.FILED, "file", _("立案"), needs=("evidence",),
         consequence=_("立案后即进入行政执法程序：立案期限自即日起计算，案件此后只能依法调查、作出决定或结案，不能撤回到核查。"),
         done=_("已立案")),
    Move(S.VERIFYING, S.CLOSED, "dismiss", _("不属实，结案"), needs=("reason",), style="outline-secondary",
         consequence=format_lazy("{}{}", _("线索经核查不属实，案件以“不属实”结案。"), CLOSED_FOR_GOOD),
         done=_("已结案：线索不属实")),
    Move(S.VERIFYING, S.REFERRED, "refer", _("非本部门职责，移交"), needs=("reason", "department"),
         style="outline-warning",
         consequence=_("案件移交所选部门办理，本局对本案的办理即告结束，由接收部门在期限内签收、反馈。"),
         done=_("已移交，等待接收部门签收")),
    Move(S.FILED, S.INVESTIGATING, "investigate", _("调查取证"),
         consequence=_("案件进入调查取证阶段，调查期限自即日起计算；证据齐全后方可作出处理决定。"),
         done=_("已进入调查取证阶段")),
    Move(S.INVESTIGATING, S.DECIDED, "decide", _("作出处理决定"), needs=("parties", "measures", "evidence"),
         consequence=_("处理决定对所列当事人产生法律效力：所选措施须依法告知、送达并执行，当事人可依法申请复议或提起诉讼。"),
         done=_("已作出处理决定")),
    Move(S.DECIDED, S.RECTIFYING, "order_rectification", _("责令限期整改"), needs=("rectify_due",),
         consequence=_("当事人须在所定期限内整改；期限届满后复查，整改不到位的可进一步处理。"),
         done=_("已责令限期整改，整改期限开始计算")),
    Move(S.DECIDED, S.CLOSED, "close_executed", _("执行完毕，结案"),
         needs=("reason", "closing_measures", "fines_settled"), style="outline-success",
         consequence=format_lazy("{}{}", _("处理决定已执行完毕，案件结案。"), CLOSED_FOR_GOOD),
         done=_("已结案：执行完毕")),
    Move(S.RECTIFYING, S.REVIEWING, "review", _("复查"),
         consequence=_("案件进入复查阶段，复查期限自即日起计算；复查后须认定整改到位或不到位。"),
         done=_("已进入复查阶段")),
    Move(S.REVIEWING, S.CLOSED, "close_rectified", _("整改到位，结案"), needs=("review_evidence", "closing_measures"),
         style="success", consequence=format_lazy("{}{}", _("复查认定整改到位，案件结案。"), CLOSED_FOR_GOOD),
         done=_("已结案：整改到位")),
    # 整改不到位: the further decision (e.g. a fine after education was refused) is made with this move
    Move(S.REVIEWING, S.DECIDED, "escalate", _("整改不到位，进一步处理"), needs=("reason", "measures"),
         style="outline-danger",
         consequence=_("复查认定整改不到位，案件回到处理决定阶段：新的措施对当事人产生法律效力。"),
         done=_("已认定整改不到位，案件回到处理决定阶段")),
    Move(S.CLOSED, S.VERIFYING, "reopen", _("回潮，重新核查"), roles=SUPERVISORS | {Role.OFFICER},
         needs=("reason", "within_90_days"), style="outline-danger",
         consequence=_("已结案的案件重新打开并进入核查阶段，核查期限重新计算。"),
         done=_("已重新打开案件，进入核查阶段")),
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
