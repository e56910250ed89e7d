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
    # 垃圾不分类、乱扔小包垃圾：先教育，拒不整改的才处罚；再次违法的（此户/此人此前已有同类案件，cases.repeat）
    # 不再适用教育为先
    "HOUSEHOLD_WASTE": {"education_first": True, "when_repeated": {"education_first": False}},
    "PROPERTY_NEGLIGENCE": {"parties": [[PartyRole.PROPERTY_COMPANY]]},
}

REOPEN_WINDOW = timedelta(days=90)

# 回头看 (R3.6): days after the closing at which the site is checked again, per violation type, for a type the
# administrator has not given a cases.ReCheckRule (migration cases 0016 seeds the rules from these).
RECHECK_DEFAULTS = {
    "ILLEGAL_CONSTRUCTION": [30, 90], "STRUCTURE_DAMAGE": [30, 90], "GROUP_RENTING": [30], "USE_CHANGE": [30],
    "EBIKE_CHARGING": [7], "EBIKE_PARKING": [7], "COMMON_AREA_OCCUPATION": [14], "HOUSEHOLD_WASTE": [14],
    "CONSTRUCTION_WASTE": [14], "SMALL_ADS": [7], "GREEN_DAMAGE": [30], "FACADE_DAMAGE": [30],
    "RENOVATION_UNREGISTERED": [30], "PROPERTY_NEGLIGENCE": [30], "NON_ENFORCEMENT": [],
}
RECHECK_DEFAULT_DAYS = [30]
REOPEN_WINDOW_DAYS = 90


def _recheck_rule(violation_type):
    from cases.models import ReCheckRule

    return ReCheckRule.objects.filter(violation_type_id=violation_type.pk).first()


def recheck_intervals(violation_type) -> list[int]:
    """The days after closing at which a case of this type is re-checked (回头看)."""
    rule = _recheck_rule(violation_type)
    if rule is not None:
        return sorted({int(d) for d in rule.intervals or []})
    return list(RECHECK_DEFAULTS.get(violation_type.code, RECHECK_DEFAULT_DAYS))


def reopen_window(violation_type) -> timedelta:
    """How long after its closing a case found again (回潮) is reopened rather than followed by a new linked case."""
    rule = _recheck_rule(violation_type)
    return timedelta(days=rule.reopen_window_days if rule is not None else REOPEN_WINDOW_DAYS)


def rule_of(case) -> dict:
    """The case's type's rule, with its `when_repeated` part applied when the party or flat offended before
    (cases.repeat.is_repeat: an earlier case of the same type in the same street)."""
    rule = MEASURE_RULES.get(case.violation_type.code, {})
    if "when_repeated" in rule and case.pk is not None:
        from cases import repeat

        if repeat.is_repeat(case):
            rule = {**{k: v for k, v in rule.items() if k != "when_repeated"}, **rule["when_repeated"]}
    return rule


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
    rule = rule_of(case)
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
    refused = (case.state == CaseState.REVIEWING
               or case.transitions.filter(action__in=["escalate", "escalate_penalty"]).exists())
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
    """回潮 reopens a case within its type's window (ReCheckRule.reopen_window_days, 90 by default)."""
    window = reopen_window(case.violation_type)
    if case.closed_at and timezone.now() - case.closed_at > window:
        return _fail(f"结案已超过{window.days}日，请新立案件并关联原案",
                     f"closed over {window.days} days ago: open a new linked case")
    return None


# --- the Administrative Penalty Law's procedure (cases.penalties has the arithmetic and the periods) ---------

def _procedure(case):
    from cases.models import PenaltyProcedure

    return PenaltyProcedure.objects.filter(case=case).first()


def _today():
    return timezone.localdate()


def check_two_officers(case, data):
    """行政处罚法 §42: at least two officers holding enforcement certificates."""
    team = [u for u in (case.officer, case.co_officer) if u is not None]
    if len({u.pk for u in team}) < 2:
        return _fail("调查取证和作出决定须有两名以上执法人员：请先指派承办队员和协办队员（行政处罚法第四十二条）",
                     "two officers are required (art. 42): assign the officer and the co-officer first")
    missing = [u.display_name or u.username for u in team if not (u.cert_number or "").strip()]
    if missing:
        return _fail(f"执法人员须持有执法证：{'、'.join(missing)}尚未登记执法证号",
                     f"officers without an enforcement certificate number: {', '.join(missing)}")
    return None


def check_findings(case, data):
    if not ((data.get("findings") or "").strip() or (case.findings or "").strip()):
        return _fail("请填写调查查明的违法事实（文书“经查”部分据此制作）",
                     "write the facts the investigation found (the documents' facts paragraph)")
    return None


def check_no_fine(case, data):
    if "FINE" in (data.get("measures") or []):
        return _fail("罚款属于行政处罚，须先事先告知当事人并听取陈述申辩：请使用“拟作出行政处罚，事先告知”",
                     "a fine is a penalty: notify the party first (use 'notify')")
    return None


def check_penalty(case, data):
    from cases import penalties

    if "FINE" not in (data.get("measures") or []):
        return _fail("拟作出的行政处罚须包含罚款措施", "the intended penalty must include a fine")
    try:
        data["_items"] = penalties.check_items(case, data.get("penalty"))
    except ApplicationError as exc:
        return _fail(exc.message, exc.message_en)
    return None


def check_summary_penalty(case, data):
    from cases import penalties

    try:
        data["_items"] = penalties.check_items(case, data.get("penalty"), summary=True)
    except ApplicationError as exc:
        return _fail(exc.message, exc.message_en)
    return None


def check_within_time_limit(case, data):
    if case.decision_due and _today() > case.decision_due:
        return _fail(f"已超过办案期限（{case.decision_due:%Y-%m-%d}），"
                     "须经负责人批准延长后方可继续（行政处罚法第六十条）",
                     f"the 90-day limit passed on {case.decision_due}: an approved extension is needed (art. 60)")
    return None


def _date_in(data, key, label, label_en, *, not_before=None, default_today=False):
    value = data.get(key) or (_today() if default_today else None)
    if value is None:
        raise ApplicationError(f"请填写{label}", f"enter {label_en}")
    dates.date_check(value, kind=dates.PAST, label=label, label_en=label_en)
    if not_before is not None and value < not_before:
        raise ApplicationError(f"{label}不能早于{not_before:%Y-%m-%d}", f"{label_en} cannot precede {not_before}")
    return value


def check_service(case, data):
    from cases.choices import ServiceManner

    procedure = _procedure(case)
    document = procedure.notice if case.state == CaseState.NOTICE and procedure else None
    if case.state != CaseState.NOTICE:
        document = _decision_document(case)
    issued = timezone.localtime(document.issued_at).date() if document is not None else None
    try:
        data["served_on"] = _date_in(data, "served_on", "送达日期", "served_on", not_before=issued)
    except ApplicationError as exc:
        return _fail(exc.message, exc.message_en)
    if data.get("manner") not in ServiceManner.values:
        return _fail("请选择送达方式", "choose the manner of service")
    return None


def _decision_document(case):
    from cases.choices import DocumentKind

    return (case.documents.filter(kind__in=[DocumentKind.PENALTY_DECISION, DocumentKind.SUMMARY_DECISION])
            .order_by("-issued_at").first())


def check_decision_issued(case, data):
    procedure = _procedure(case)
    if procedure is None or procedure.approved_at is None:
        return _fail("本案没有经批准的行政处罚决定", "the case has no approved penalty decision")
    if procedure.decision_served_on:
        return _fail("行政处罚决定书已记录送达", "the decision was already served")
    if _decision_document(case) is None:
        return _fail("请先出具行政处罚决定书", "issue the penalty decision first")
    return None


def check_proof(case, data):
    if not data.get("files"):
        return _fail("请上传当事人签收的送达回证（或邮寄凭证、留置送达见证材料）",
                     "upload the proof of service (the signed receipt, the postal record or the witnesses)")
    return None


def check_statement(case, data):
    procedure = _procedure(case)
    if procedure is not None and procedure.waived:
        return _fail("当事人已放弃陈述申辩", "the party waived the statement")
    if procedure is not None and procedure.statement and not procedure.review_result:
        return _fail("上一次陈述申辩尚未复核", "the previous statement is not reviewed yet")
    if not (data.get("statement") or "").strip():
        return _fail("请填写当事人的陈述申辩意见", "write the party's statement and defence")
    try:
        data["statement_on"] = _date_in(data, "statement_on", "陈述申辩日期", "statement_on",
                                        not_before=procedure.notice_served_on if procedure else None,
                                        default_today=True)
    except ApplicationError as exc:
        return _fail(exc.message, exc.message_en)
    return None


def check_statement_recorded(case, data):
    procedure = _procedure(case)
    if procedure is None or not procedure.statement:
        return _fail("尚未记录当事人的陈述申辩", "no statement has been recorded")
    if procedure.review_result:
        return _fail("该陈述申辩已复核", "the statement has been reviewed already")
    return None


def check_defence_review(case, data):
    from cases import penalties
    from cases.choices import ReviewResult

    procedure = _procedure(case)
    result = data.get("review_result")
    if result not in ReviewResult.values:
        return _fail("请选择复核结果（采纳、部分采纳或不予采纳）", "choose the review result")
    if not (data.get("review_text") or "").strip():
        return _fail("请填写复核意见（对当事人提出的事实、理由和证据逐项说明）", "write the review's reasons")
    before = penalties.load_items(case, procedure.first_proposed or procedure.proposed)
    if data.get("penalty") and result != ReviewResult.REJECTED:
        try:
            after = penalties.check_items(case, data["penalty"])
        except ApplicationError as exc:
            return _fail(exc.message, exc.message_en)
    else:
        after = penalties.load_items(case, procedure.proposed)
    raised = penalties.heavier(before, after)
    if raised:
        return _fail(f"不得因当事人陈述申辩而加重处罚（行政处罚法第四十五条）：{'、'.join(raised)}的罚款高于告知时",
                     "a defence can never raise the penalty (art. 45)")
    if result == ReviewResult.REJECTED and data.get("penalty"):
        after_given = penalties.check_items(case, data["penalty"])
        if [i.as_json() for i in after_given] != [i.as_json() for i in after]:
            return _fail("不予采纳时拟处罚内容不变；如减轻处罚，请选择“部分采纳”或“采纳”",
                         "a rejected defence leaves the penalty as notified")
    data["_items"] = after
    return None


def check_no_statement(case, data):
    procedure = _procedure(case)
    if procedure is None:
        return _fail("本案尚未事先告知", "the party has not been notified")
    if procedure.statement or procedure.waived:
        return _fail("已记录陈述申辩或放弃，不能重复记录", "a statement or waiver is already recorded")
    return None


def check_hearing_request(case, data):
    from cases import penalties

    procedure = _procedure(case)
    if procedure is None or not procedure.hearing_offered:
        return _fail("本案拟作出的处罚不属于应当告知听证的情形", "this penalty does not carry the right to a hearing")
    if procedure.waived:
        return _fail("当事人已放弃听证", "the party waived the hearing")
    try:
        requested = _date_in(data, "requested_on", "申请听证日期", "requested_on",
                             not_before=procedure.notice_served_on, default_today=True)
    except ApplicationError as exc:
        return _fail(exc.message, exc.message_en)
    last = penalties.hearing_request_until(procedure.notice_served_on)
    if requested > last:
        return _fail(f"听证申请须在告知书送达后5个工作日内（{last:%Y-%m-%d}前）提出（行政处罚法第六十四条），已逾期",
                     f"a hearing must be requested within 5 working days of the notice (by {last}): too late")
    data["requested_on"] = requested
    return None


def check_hearing_plan(case, data):
    from cases import penalties

    at, place, presider = data.get("hearing_at"), (data.get("hearing_place") or "").strip(), data.get("presider")
    if at is None or not place or presider is None:
        return _fail("请填写听证时间、地点和主持人", "enter the hearing's time, place and presiding officer")
    if presider.pk in {case.officer_id, case.co_officer_id}:
        return _fail("听证由非本案调查人员主持（行政处罚法第六十四条）",
                     "the presiding officer must not be an investigator")
    earliest = penalties.earliest_hearing(_today())
    if timezone.localtime(at).date() < earliest:
        return _fail(f"须在听证7个工作日前通知当事人：听证最早安排在{earliest:%Y-%m-%d}",
                     f"the party is told 7 working days ahead: the earliest day is {earliest}")
    return None


def check_hearing_held(case, data):
    procedure = _procedure(case)
    if procedure is None or procedure.hearing_at is None:
        return _fail("请先安排听证", "schedule the hearing first")
    if procedure.hearing_at > timezone.now():
        return _fail(f"听证定于{timezone.localtime(procedure.hearing_at):%Y-%m-%d %H:%M}，尚未举行",
                     "the hearing has not taken place yet")
    if not (data.get("hearing_record") or "").strip():
        return _fail("请填写听证情况（笔录摘要）", "write the hearing record")
    return None


def check_defence_settled(case, data):
    from cases import penalties

    procedure = _procedure(case)
    if procedure is None or procedure.notice_served_on is None:
        return _fail("事先告知书尚未送达", "the notice has not been served")
    if procedure.statement and not procedure.review_result:
        return _fail("请先对当事人的陈述申辩进行复核", "review the party's statement first")
    if procedure.review_result or procedure.waived:
        return None
    last = penalties.defence_until(procedure.notice_served_on, procedure.hearing_offered)
    if _today() <= last:
        return _fail(f"陈述申辩{'及听证申请' if procedure.hearing_offered else ''}期限至{last:%Y-%m-%d}，"
                     "期满前不得作出决定（当事人书面放弃的除外）",
                     f"the party may still state a defence (until {last}); no decision before unless waived")
    return None


def needs_legal_review(case) -> bool:
    """法制审核 (行政处罚法 §58) as data: LEGAL_REVIEW_WHEN names the cases that need it."""
    from cases import penalties

    procedure = _procedure(case)
    if procedure is None:
        return False
    items = penalties.load_items(case, procedure.proposed)
    return any(test(case, procedure, items) for test in LEGAL_REVIEW_WHEN.values())


def check_no_legal_review_needed(case, data):
    if needs_legal_review(case):
        return _fail("本案须经法制审核（经听证或属重大案件），请提交法制审核",
                     "this case needs the legal review (art. 58)")
    return None


def check_legal_opinion(case, data):
    if not (data.get("opinion") or "").strip():
        return _fail("请填写法制审核意见", "write the legal review opinion")
    return None


def check_discussion(case, data):
    if not (data.get("minutes") or "").strip() or not (data.get("participants") or "").strip():
        return _fail("请填写集体讨论的参加人和讨论记录", "enter the participants and the minutes")
    try:
        data["discussion_on"] = _date_in(data, "discussion_on", "集体讨论日期", "discussion_on", default_today=True)
    except ApplicationError as exc:
        return _fail(exc.message, exc.message_en)
    return None


def check_discussion_if_major(case, data):
    from cases import penalties

    procedure = _procedure(case)
    if procedure is None:
        return _fail("本案尚未事先告知", "the party has not been notified")
    if penalties.is_major(penalties.load_items(case, procedure.proposed)) and not procedure.discussion_on:
        return _fail("重大案件须经负责人集体讨论决定（行政处罚法第五十七条）：请先记录集体讨论",
                     "a major case is decided by collective discussion (art. 57): record it first")
    return None


def check_extension(case, data):
    days = data.get("extend_days")
    try:
        days = int(days)
    except (TypeError, ValueError):
        return _fail("请填写延长的天数", "enter the days of the extension")
    if not 1 <= days <= 90:
        return _fail("延长天数须在1至90天之间", "an extension is 1 to 90 days")
    data["extend_days"] = days
    return None


def _unpaid(case):
    return case.fines.filter(status=PaymentStatus.UNPAID)


def check_payment_overdue(case, data):
    if not _unpaid(case).filter(due__lt=_today()).exists():
        return _fail("没有逾期未缴纳的罚款（缴纳期限为决定书送达之日起15日）", "no fine is overdue")
    return None


def check_court_application(case, data):
    from cases import penalties

    procedure = _procedure(case)
    if not _unpaid(case).filter(due__lt=_today()).exists():
        return _fail("没有逾期未缴纳的罚款", "no fine is overdue")
    if procedure is None or procedure.urged_on is None:
        return _fail("申请强制执行前须书面催告当事人（行政强制法第五十四条）",
                     "the party must be urged in writing first")
    ready = procedure.urged_on + timedelta(days=penalties.URGE_WAIT_DAYS)
    if _today() < ready:
        return _fail(f"催告书送达10日后方可申请（{ready:%Y-%m-%d}起）",
                     "wait 10 days after the 催告 was served")
    first, last = penalties.court_window(procedure.decision_served_on)
    if not first <= _today() <= last:
        return _fail(f"申请人民法院强制执行的期限为{first:%Y-%m-%d}至{last:%Y-%m-%d}"
                     "（复议、诉讼期限届满之日起三个月内，行政强制法第五十三条）",
                     f"the court can be asked from {first} to {last} (after the review and lawsuit periods)")
    return None


# Which cases need the legal review before the decision (行政处罚法 §58): the rule as data.
LEGAL_REVIEW_WHEN = {
    "hearing_held": lambda case, procedure, items: procedure.hearing_held_on is not None,   # §58(二)
    "major": lambda case, procedure, items: _is_major(items),                              # §58(一)(三)
}


def _is_major(items) -> bool:
    from cases import penalties

    return penalties.is_major(items)


REQUIREMENTS = {
    "two_officers": check_two_officers,
    "findings": check_findings,
    "no_fine": check_no_fine,
    "penalty": check_penalty,
    "summary_penalty": check_summary_penalty,
    "within_time_limit": check_within_time_limit,
    "service": check_service,
    "decision_issued": check_decision_issued,
    "proof": check_proof,
    "statement": check_statement,
    "statement_recorded": check_statement_recorded,
    "defence_review": check_defence_review,
    "no_statement": check_no_statement,
    "hearing_request": check_hearing_request,
    "hearing_plan": check_hearing_plan,
    "hearing_held": check_hearing_held,
    "defence_settled": check_defence_settled,
    "no_legal_review_needed": check_no_legal_review_needed,
    "legal_opinion": check_legal_opinion,
    "discussion": check_discussion,
    "discussion_if_major": check_discussion_if_major,
    "extension": check_extension,
    "payment_overdue": check_payment_overdue,
    "court_application": check_court_application,
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
