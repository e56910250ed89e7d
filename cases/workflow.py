"""The enforcement workflow (R3.1, R3.9) as ONE table of allowed moves, like django-oscar's pipeline.

Each move names who may make it, what it needs (a reason, evidence on file, a receiving department, measures,
parties, the intended penalty, a service date …; cases.rules.REQUIREMENTS), what it does besides changing the
state (its effects; cases.effects.EFFECTS) and what the page says before and after. A move whose source is its
target records a step of the procedure (a service, a statement, a review) and keeps the case where it is.
`cases.services.case_transition` refuses anything not in this table. The Administrative Penalty Law's general
procedure runs INVESTIGATING → NOTICE → DEFENCE (→ HEARING) (→ LEGAL_REVIEW) → APPROVAL → DECIDED.
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
LEGAL_REVIEWERS = policy.roles_of(policy.CASE_LEGAL_REVIEW)
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
    effects: tuple = ()    # named effects, run by cases.effects.EFFECTS (what the move records besides the state)
    style: str = "primary"
    # What the page asks before moving (what will happen and its legal consequence), and what it says after:
    # what actually happened, never "done" for a step that has only started.
    consequence: str = ""
    done: str = ""

    @property
    def records_only(self) -> bool:
        """A step that records something (a service, a statement, a review) and keeps the case in its state."""
        return self.source == self.target


CLOSED_FOR_GOOD = _("结案后案件不再办理；如90日内回潮，可重新打开核查。")
# States of a general-procedure penalty before its decision: the 90-day limit (行政处罚法 §60) runs through them.
PENALTY_PENDING = (S.NOTICE, S.DEFENCE, S.HEARING, S.LEGAL_REVIEW, S.APPROVAL)
TIME_LIMITED = (S.FILED, S.INVESTIGATING, *PENALTY_PENDING)
# States of a decided case in which the penalty decision is served, paid, urged and enforced.
EXECUTING = (S.DECIDED, S.RECTIFYING, S.REVIEWING)

MOVES = [
    Move(S.REGISTERED, S.VERIFYING, "start_verification", _("开始核查"),
         consequence=_("案件进入核查阶段，核查期限自即日起计算。"), done=_("已开始核查，案件进入核查阶段")),
    Move(S.VERIFYING, S.FILED, "file", _("立案"), needs=("evidence",), effects=("start_time_limit",),
         consequence=_("立案后即进入行政执法程序：立案期限自即日起计算，自立案之日起90日内须作出处理决定（行政处罚法第六十条），"
                       "案件此后只能依法调查、作出决定或结案，不能撤回到核查。"),
         done=_("已立案，90日办案期限开始计算")),
    Move(S.VERIFYING, S.CLOSED, "dismiss", _("不属实，结案"), needs=("reason",), effects=("close",),
         style="outline-secondary",
         consequence=format_lazy("{}{}", _("线索经核查不属实，案件以“不属实”结案。"), CLOSED_FOR_GOOD),
         done=_("已结案：线索不属实")),
    Move(S.VERIFYING, S.REFERRED, "refer", _("非本部门职责，移交"), needs=("reason", "department"),
         effects=("refer",), style="outline-warning",
         consequence=_("案件移交所选部门办理，本局对本案的办理即告结束，由接收部门在期限内签收、反馈。"),
         done=_("已移交，等待接收部门签收")),
    # 简易程序 (行政处罚法 §51–§52): facts certain, a legal basis, a fine up to ¥200 for a citizen or ¥3,000 for an
    # organisation, decided on the spot with a 当场行政处罚决定书 — no 立案, notice or hearing.
    Move(S.VERIFYING, S.DECIDED, "summary_penalty", _("当场处罚（简易程序）"),
         needs=("two_officers", "findings", "parties", "evidence", "summary_penalty"), effects=("summary_penalty",),
         style="outline-primary",
         consequence=_("适用简易程序当场作出罚款决定（公民200元以下、单位3000元以下），当场出具并交付当场行政处罚决定书；"
                       "当事人应在15日内缴纳罚款，不服可申请复议或提起诉讼。"),
         done=_("已当场作出处罚决定，当场行政处罚决定书已出具")),
    Move(S.FILED, S.INVESTIGATING, "investigate", _("调查取证"), needs=("two_officers",),
         consequence=_("案件进入调查取证阶段，由两名以上持执法证的执法人员调查，调查期限自即日起计算；证据齐全后方可作出处理决定。"),
         done=_("已进入调查取证阶段")),
    # A decision without a penalty (责令改正, 恢复原状, 拆除, 教育 …). A fine goes through the notice below.
    Move(S.INVESTIGATING, S.DECIDED, "decide", _("作出处理决定（不予罚款）"),
         needs=("two_officers", "findings", "parties", "measures", "no_fine", "evidence"), effects=("set_decision",),
         consequence=_("处理决定对所列当事人产生法律效力：所选措施须依法告知、送达并执行，当事人可依法申请复议或提起诉讼。"),
         done=_("已作出处理决定")),
    # --- 行政处罚一般程序 ----------------------------------------------------------------------------------------
    Move(S.INVESTIGATING, S.NOTICE, "notify", _("拟作出行政处罚，事先告知"),
         needs=("two_officers", "findings", "parties", "measures", "evidence", "penalty", "within_time_limit"),
         effects=("set_decision", "propose_penalty", "issue_notice"), style="outline-danger",
         consequence=_("将出具行政处罚事先告知书，告知当事人拟作出的处罚及事实、理由、依据和陈述申辩（符合条件的还有听证）权利；"
                       "送达后进入陈述申辩期，期满或复核后方可作出决定。"),
         done=_("已出具行政处罚事先告知书，等待送达当事人")),
    Move(S.NOTICE, S.DEFENCE, "serve_notice", _("告知书已送达"), needs=("service",),
         effects=("record_notice_service",),
         consequence=_("记录事先告知书的送达日期和方式；陈述申辩期（及听证申请期）自送达之日起计算。"),
         done=_("已记录告知书送达，进入陈述申辩期")),
    Move(S.DEFENCE, S.DEFENCE, "record_statement", _("记录陈述申辩"), needs=("statement",),
         effects=("record_statement",), style="outline-primary",
         consequence=_("记录当事人的陈述、申辩意见；记录后须复核并作出书面复核意见。"),
         done=_("已记录当事人的陈述申辩，请进行复核")),
    Move(S.DEFENCE, S.DEFENCE, "review_statement", _("陈述申辩复核"), needs=("statement_recorded", "defence_review"),
         effects=("review_statement",), style="outline-primary",
         consequence=_("对当事人提出的事实、理由和证据进行复核：成立的应当采纳，拟处罚只能维持或减轻，不得因陈述申辩加重处罚"
                       "（行政处罚法第四十五条）；将出具陈述申辩复核意见书。"),
         done=_("已复核当事人的陈述申辩，复核意见书已出具")),
    Move(S.DEFENCE, S.DEFENCE, "record_waiver", _("当事人放弃陈述申辩"), needs=("reason", "no_statement"),
         effects=("record_waiver",), style="outline-secondary",
         consequence=_("记录当事人明确放弃陈述、申辩（及听证）的权利；请上传其签字确认的材料。"),
         done=_("已记录当事人放弃陈述申辩")),
    Move(S.DEFENCE, S.HEARING, "request_hearing", _("当事人申请听证"), needs=("hearing_request",),
         effects=("record_hearing_request",), style="outline-warning",
         consequence=_("当事人在告知后5日内申请听证的，应当组织听证；听证结束前不得作出处罚决定（行政处罚法第六十四条）。"),
         done=_("已受理听证申请，请安排听证")),
    Move(S.HEARING, S.HEARING, "schedule_hearing", _("安排听证"), roles=SUPERVISORS, needs=("hearing_plan",),
         effects=("schedule_hearing",), style="outline-primary",
         consequence=_("确定听证的时间、地点和主持人（非本案调查人员），并于听证7日前通知当事人。"),
         done=_("已安排听证并记录通知")),
    Move(S.HEARING, S.LEGAL_REVIEW, "hold_hearing", _("听证结束"), needs=("hearing_held",),
         effects=("record_hearing",),
         consequence=_("记录听证情况（笔录须经当事人核对签字后上传）；经听证的案件须经法制审核后方可作出决定。"),
         done=_("已记录听证，案件进入法制审核")),
    Move(S.DEFENCE, S.LEGAL_REVIEW, "submit_legal_review", _("提交法制审核"), needs=("defence_settled",),
         consequence=_("陈述申辩已处理完毕，案件提交法制审核机构审核（行政处罚法第五十八条）。"),
         done=_("已提交法制审核")),
    Move(S.DEFENCE, S.APPROVAL, "submit_approval", _("提交负责人审批"),
         needs=("defence_settled", "no_legal_review_needed"),
         consequence=_("陈述申辩已处理完毕，本案无需法制审核，提交行政机关负责人审批。"),
         done=_("已提交负责人审批")),
    Move(S.LEGAL_REVIEW, S.APPROVAL, "pass_legal_review", _("法制审核通过"), roles=LEGAL_REVIEWERS,
         needs=("legal_opinion",), effects=("record_legal_review",),
         consequence=_("法制审核认定事实清楚、证据确凿、依据正确、程序合法、处罚适当，出具法制审核意见书，案件提交负责人审批。"),
         done=_("法制审核已通过，法制审核意见书已出具，案件提交负责人审批")),
    Move(S.LEGAL_REVIEW, S.INVESTIGATING, "return_legal_review", _("法制审核退回"), roles=LEGAL_REVIEWERS,
         needs=("reason",), effects=("reset_penalty",), style="outline-danger",
         consequence=_("法制审核未通过，案件退回补充调查；原事先告知作废，补正后须重新告知。"),
         done=_("法制审核未通过，案件已退回调查取证")),
    Move(S.APPROVAL, S.APPROVAL, "record_discussion", _("记录集体讨论"), roles=SUPERVISORS,
         needs=("discussion",), effects=("record_discussion",), style="outline-primary",
         consequence=_("情节复杂或者重大违法行为给予行政处罚，行政机关负责人应当集体讨论决定（行政处罚法第五十七条）。"),
         done=_("已记录集体讨论")),
    Move(S.APPROVAL, S.DECIDED, "approve", _("批准，作出行政处罚决定"), roles=SUPERVISORS,
         needs=("discussion_if_major", "within_time_limit"), effects=("approve_penalty",), style="danger",
         consequence=_("负责人批准后，行政处罚决定对当事人产生法律效力：须制作行政处罚决定书，并在7日内送达当事人（第六十一条）。"),
         done=_("已批准并作出行政处罚决定，请出具并送达行政处罚决定书")),
    Move(S.APPROVAL, S.INVESTIGATING, "return_approval", _("不予批准，退回"), roles=SUPERVISORS,
         needs=("reason",), effects=("reset_penalty",), style="outline-danger",
         consequence=_("负责人不予批准，案件退回调查取证；原事先告知作废，补正后须重新告知。"),
         done=_("负责人未批准，案件已退回调查取证")),
    *[Move(state, state, "extend_time_limit", _("延长办案期限"), roles=SUPERVISORS,
           needs=("reason", "extension"), effects=("extend_time_limit",), style="outline-secondary",
           consequence=_("经负责人批准延长办案期限（行政处罚法第六十条），延长的天数和理由记入案卷。"),
           done=_("已延长办案期限"))
      for state in TIME_LIMITED],
    # --- after the decision: service, payment, 催告, the court ---------------------------------------------------
    *[Move(state, state, "serve_decision", _("决定书已送达"), needs=("decision_issued", "service", "proof"),
           effects=("record_decision_service",), style="outline-primary",
           consequence=_("记录行政处罚决定书的送达日期、方式和送达回证；罚款缴纳期限（15日）自送达之日起计算。"),
           done=_("已记录决定书送达，罚款缴纳期限开始计算"))
      for state in EXECUTING],
    *[Move(state, state, "urge_payment", _("催告履行"), needs=("payment_overdue",), effects=("record_urge",),
           style="outline-warning",
           consequence=_("逾期未缴纳罚款的，书面催告当事人履行；催告书送达10日后仍未履行的，方可申请人民法院强制执行"
                         "（行政强制法第五十四条）。"),
           done=_("已记录催告"))
      for state in EXECUTING],
    *[Move(state, S.ENFORCING, "apply_court", _("申请人民法院强制执行"), roles=SUPERVISORS,
           needs=("court_application",), effects=("apply_court",), style="outline-danger",
           consequence=_("当事人在法定期限内不申请复议、不提起诉讼又不履行的，自期限届满之日起三个月内申请人民法院强制执行"
                         "（行政处罚法第七十二条、行政强制法第五十三条）；未缴纳的罚款及加处罚款一并申请。"),
           done=_("已记录申请人民法院强制执行"))
      for state in EXECUTING],
    Move(S.ENFORCING, S.CLOSED, "close_enforced", _("执行完毕，结案"), needs=("reason",),
         effects=("close", "schedule_rechecks"),
         style="outline-success",
         consequence=format_lazy("{}{}", _("人民法院强制执行完毕，案件结案。"), CLOSED_FOR_GOOD),
         done=_("已结案：强制执行完毕")),
    # --- rectification and closing ---------------------------------------------------------------------------
    Move(S.DECIDED, S.RECTIFYING, "order_rectification", _("责令限期整改"), needs=("rectify_due",),
         effects=("set_rectify_due",),
         consequence=_("当事人须在所定期限内整改；期限届满后复查，整改不到位的可进一步处理。"),
         done=_("已责令限期整改，整改期限开始计算")),
    Move(S.DECIDED, S.CLOSED, "close_executed", _("执行完毕，结案"),
         needs=("reason", "closing_measures", "fines_settled"),
         effects=("measures_done", "close", "schedule_rechecks"),
         style="outline-success",
         consequence=format_lazy("{}{}", _("处理决定已执行完毕，案件结案。"), CLOSED_FOR_GOOD),
         done=_("已结案：执行完毕")),
    Move(S.RECTIFYING, S.REVIEWING, "review", _("复查"),
         consequence=_("案件进入复查阶段，复查期限自即日起计算；复查后须认定整改到位或不到位。"),
         done=_("已进入复查阶段")),
    Move(S.REVIEWING, S.CLOSED, "close_rectified", _("整改到位，结案"),
         needs=("review_evidence", "closing_measures", "fines_settled"),
         effects=("measures_done", "close", "schedule_rechecks"),
         style="success", consequence=format_lazy("{}{}", _("复查认定整改到位，案件结案。"), CLOSED_FOR_GOOD),
         done=_("已结案：整改到位")),
    # 整改不到位: a further decision without a fine is made with this move; a fine (e.g. after education was
    # refused) goes back to the investigation and through the notice.
    Move(S.REVIEWING, S.DECIDED, "escalate", _("整改不到位，进一步处理"), needs=("reason", "measures", "no_fine"),
         effects=("set_decision",), style="outline-danger",
         consequence=_("复查认定整改不到位，案件回到处理决定阶段：新的措施对当事人产生法律效力。"),
         done=_("已认定整改不到位，案件回到处理决定阶段")),
    Move(S.REVIEWING, S.INVESTIGATING, "escalate_penalty", _("整改不到位，拟予处罚"), needs=("reason",),
         effects=("reset_penalty",), style="outline-danger",
         consequence=_("复查认定拒不整改，案件回到调查取证阶段，依法履行事先告知等程序后作出行政处罚。"),
         done=_("已认定拒不整改，案件回到调查取证阶段")),
    Move(S.CLOSED, S.VERIFYING, "reopen", _("回潮，重新核查"), roles=SUPERVISORS | {Role.OFFICER},
         needs=("reason", "within_90_days"), effects=("reopen",), style="outline-danger",
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
# States whose deadline is the case's 办案期限 (decision_due) or a period of the procedure (cases.services).



# What else the timeline records besides the moves above: opening the case, who handles it, and whether
# an illegal construction is being built right now (cases.services.case_assign / case_set_in_progress).
# These rows keep the case in its state (from_state == to_state) and are never moves.
EVENTS = {
    "register": _("线索登记"),
    "assign": _("指派承办队员"),
    "claim": _("认领案件"),
    "co_officer": _("指定协办队员"),
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
