"""A complaint's life (诉件流转) as ONE table of allowed moves, like cases.workflow for cases.

Each move names the statuses it starts from, the statuses it may end in (a re-route ends where
intake.routing decides: 待分拣, 已分派 or 移交主管部门), and what it needs (a reason).
`intake.services.complaint_transition` refuses anything not in this table, under the complaint's row lock, and
records every move it makes as a ComplaintTransition (who, when, from, to, why): receipt, staff decisions,
派单纠错, referrals, the case it is handled in, the hotline's 退单.

Who may make a move is decided where it is asked for (intake.permissions, intake.dispatch, the case's own
rules, the receiving department's referral), not here: this table says what may happen to a complaint.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from intake.choices import ComplaintStatus as S

RECEIVED = ""  # the status "before" a complaint's first: its receipt is the move from here
# What intake.routing decides a complaint waits for; staff decisions and re-routes end in one of these.
ROUTED = frozenset({S.NEW, S.ROUTED, S.REFERRED})
# In the bureau's hands and not yet settled, no case yet: what staff confirm, correct and dispatch.
QUEUE = ROUTED
# A duplicate follows its original, but each 12345 order is answered (or returned) for itself.
WAITING = QUEUE | {S.DUPLICATE}
# Ended: nothing moves a complaint out of these (a case reopened reopens the case, not its complaints).
ENDED = frozenset({S.CLOSED, S.RETURNED})


@dataclass(frozen=True)
class Move:
    action: str            # stable name, stored on the transition row
    sources: frozenset     # the statuses it starts from
    targets: frozenset     # the statuses it may end in
    label: str             # the timeline's name (translatable: a gettext_lazy string, Chinese source)
    needs: tuple = ()      # "reason": a reason (or reply) must be given


MOVES = [
    # received through a form, the API or a 12345 file: routed, or a duplicate of an open complaint
    Move("receive", frozenset({RECEIVED}), ROUTED | {S.DUPLICATE}, _("受理登记")),
    # staff decisions (intake.services): the route is decided again
    Move("confirm", QUEUE, ROUTED, _("确认系统判断")),
    Move("correct_type", QUEUE, ROUTED, _("更正类型")),
    Move("correct_community", QUEUE, ROUTED, _("更正小区")),
    Move("mark_duplicate", WAITING, frozenset({S.DUPLICATE}), _("标记为重复件")),
    Move("unmark_duplicate", frozenset({S.DUPLICATE}), ROUTED, _("取消重复件标记")),
    # 派单纠错 (intake.dispatch)
    Move("reroute_street", QUEUE, ROUTED, _("改派街镇"), needs=("reason",)),
    Move("reroute_street", frozenset({S.DUPLICATE}), frozenset({S.DUPLICATE}), _("改派街镇"), needs=("reason",)),
    Move("reroute_department", QUEUE, ROUTED, _("改派部门"), needs=("reason",)),
    Move("settle", WAITING, frozenset({S.CLOSED}), _("办结（未立案）"), needs=("reason",)),
    Move("return", WAITING, frozenset({S.RETURNED}), _("退单"), needs=("reason",)),
    # a referral to the department that owns the matter ends (cases.referrals)
    Move("referral_answered", frozenset({S.REFERRED}), frozenset({S.CLOSED}), _("主管部门已反馈，办结")),
    Move("referral_returned", frozenset({S.REFERRED}), frozenset({S.NEW}), _("主管部门退回")),
    # the case it is handled in (cases.services)
    Move("open_case", WAITING, frozenset({S.IN_CASE}), _("立案办理")),
    Move("case_closed", WAITING | {S.IN_CASE}, frozenset({S.CLOSED}), _("案件结案，办结")),
]

ACTIONS = frozenset(m.action for m in MOVES)


def find(status: str, action: str) -> Move | None:
    """The move `action` from `status`, or None when the table has none."""
    return next((m for m in MOVES if m.action == action and status in m.sources), None)


def moves_from(status: str) -> list[Move]:
    return [m for m in MOVES if status in m.sources]


def label_of(action: str):
    """The timeline's name of a recorded action."""
    move = next((m for m in MOVES if m.action == action), None)
    return move.label if move is not None else action
