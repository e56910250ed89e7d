"""Writes of the credit app (R4): duty checks on property companies, credit points when a penalty for failing
the duty becomes final, disputes and their corrections, and the joint credit-punishment list.

Chain: a case of a type whose catalogue entry says so is filed (立案) → `duty_check_open` → the company answers
(`duty_check_answer`) before its deadline → an officer decides (`duty_check_decide`); failed opens a
PROPERTY_NEGLIGENCE case against the company → its fine becomes final → `credit_award_for_fine` puts points on
the company and its project manager → `listing_evaluate` lists the company when its points in the rolling
window reach the threshold, and tells the housing bureau.

Choices made here (R4.3): records are never edited or deleted; an upheld dispute adds a correction with the
opposite points. A listed company whose points drop below the threshold (expiry, correction) stays listed until
the bureau or the housing bureau removes it with a reason (`listing_remove`): leaving the list is a decision
(信用修复), not a side effect."""
import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts import inbox
from accounts import services as account_services
from accounts.choices import InboxKind, Role
from accounts.messages import render, text, typed
from accounts.policy import CREDIT_DECIDE, CREDIT_DISPUTE, DUTY_CHECK_ANSWER, DUTY_CHECK_DECIDE, may
from accounts.scope import role_of
from cases.choices import PartyKind, PartyRole
from core.errors import ApplicationError
from core.uploads import stored_file, upload_check
from credit import selectors
from credit.choices import DisputeStatus, DutyOutcome, NoticeKind, Subject
from credit.models import (
    CreditDispute,
    CreditPolicy,
    CreditRecord,
    CreditRule,
    DutyCheck,
    DutyCheckAttachment,
    PunishmentListing,
)

log = logging.getLogger(__name__)

NEGLIGENCE_TYPE = "PROPERTY_NEGLIGENCE"
DUTIES = ("discovered", "dissuaded", "stopped", "reported")
TRUE_WORDS = {"1", "true", "yes", "y", "是", "已劝阻", "已制止", "on"}


# --- helpers ----------------------------------------------------------------------------------------

def _today():
    return timezone.localdate()


def _company_users(company):
    from accounts.models import User

    return list(User.objects.filter(role=Role.PROPERTY, property_company=company, is_active=True))


def _notify_company(company, *, kind: str, title: list, body: list | None = None, link: str = ""):
    for user in _company_users(company):
        account_services.notification_send(kind=kind, title=title, body=body, link=link, user=user)


def _notify_supervisors(*, kind: str, title: list, body: list | None = None, link: str = ""):
    """The housing bureau (房管局, as a department) and the bureau's leads (as a role)."""
    from registry.models import Department

    housing = Department.objects.filter(code="HOUSING").first()
    if housing is not None:
        account_services.notification_send(kind=kind, title=title, body=body, link=link, department=housing)
    account_services.notification_send(kind=kind, title=title, body=body, link=link, role=Role.LEAD)


def _flag(value) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in TRUE_WORDS


def _duties(values: dict) -> dict:
    unknown = set(values) - set(DUTIES)
    if unknown:
        raise ApplicationError("履职事项有误", f"unknown duties: {', '.join(sorted(unknown))}")
    return {key: _flag(value) for key, value in values.items() if value is not None}


def _rule(value) -> CreditRule | None:
    if value is None or value == "":
        return None
    if isinstance(value, CreditRule):
        rule = value
    else:
        rule = CreditRule.objects.filter(code=str(value)).first() or (
            CreditRule.objects.filter(pk=value).first() if str(value).isdigit() else None)
    if rule is None or not rule.active:
        raise ApplicationError("请选择启用的失信行为", "choose an active kind of failure (credit rule)")
    return rule


def _lock_check(check: DutyCheck) -> DutyCheck:
    return (DutyCheck.objects.select_for_update(of=("self",))
            .select_related("case", "company", "community", "case__violation_type").get(pk=check.pk))


def _save_check(check: DutyCheck, actor, reason: str):
    check._history_user = actor
    check._change_reason = reason
    check.full_clean()
    check.save()


# --- duty checks -------------------------------------------------------------------------------------

def prior_report_for(case, company, policy: CreditPolicy | None = None):
    """The company's own report (物业报告) of this matter made before the residents' complaint: same community,
    same violation type (as classified or as predicted), received no later than the case's earliest complaint
    that is not the company's own report (or than the case itself) and within `prior_report_days` before it.
    A report the case itself came from or joined wins; otherwise the latest such report."""
    from intake.choices import Channel
    from intake.models import Complaint

    if case.community_id is None:
        return None
    policy = policy or CreditPolicy.current()
    others = (case.complaints.exclude(channel=Channel.PROPERTY_REPORT, reporting_company=company)
              .aggregate(first=Min("received_at"))["first"])
    cutoff = others or case.created_at
    reports = Complaint.objects.filter(
        Q(violation_type=case.violation_type_id) | Q(predicted_type=case.violation_type_id),
        channel=Channel.PROPERTY_REPORT, reporting_company=company, community_id=case.community_id,
        received_at__lte=cutoff, received_at__gte=cutoff - timedelta(days=policy.prior_report_days))
    return (reports.filter(case=case).order_by("received_at").first()
            or reports.order_by("-received_at", "-pk").first())


@transaction.atomic
def duty_check_open(*, case, actor) -> DutyCheck | None:
    """Open the duty check of a filed owner case whose type asks for one, in a community with a property
    company; idempotent (the existing check is returned). A prior report of the company is attached as
    evidence that it discovered and reported the matter. The company's users are notified."""
    existing = DutyCheck.objects.filter(case=case).first()
    if existing is not None:
        return existing
    case = type(case).objects.select_related("violation_type", "community__property_company",
                                             "community__project_manager").get(pk=case.pk)
    community = case.community
    if not case.violation_type.triggers_duty_check or community is None or community.property_company_id is None:
        return None
    company = community.property_company
    policy = CreditPolicy.current()
    manager = community.project_manager
    if manager is not None and manager.company_id != company.pk:
        manager = None  # a manager left over from the previous company is not this company's
    check = DutyCheck(case=case, community=community, street_id=case.street_id, company=company,
                      project_manager=manager, answer_due=selectors.duty_answer_due(_today(), policy))
    prior = prior_report_for(case, company, policy)
    if prior is not None:
        raw = prior.raw_row or {}
        check.prior_report = prior
        check.discovered = check.reported = True
        check.dissuaded = _flag(raw.get("dissuaded")) or None
        check.stopped = _flag(raw.get("stopped")) or None
    _save_check(check, actor, "立案，启动物业履职检查")
    _notify_company(
        company, kind=NoticeKind.DUTY_CHECK_OPENED,
        title=text(gettext_noop("履职检查：{community} {type}（{number}）"), community=community.name,
                   type=case.violation_type.name, number=case.number),
        body=(text(gettext_noop("业主违法案件 {number} 已立案，请于 {due} 前说明贵司发现、劝阻、制止、报告的情况"
                                "并上传证明材料。"), number=case.number, due=check.answer_due)
              + (text(gettext_noop("平台已关联贵司 {day} 的物业报告。"),
                      day=timezone.localtime(prior.received_at).date()) if prior else [])),
        link=selectors.duty_check_url(check))
    # 履职检查 addressed to the company: in each of its users' inbox until they answer
    inbox.notify([user.pk for user in _company_users(company)], InboxKind.DUTY_CHECK,
                 text(gettext_noop("履职检查：{community} {type}（{number}），请于 {due} 前说明"),
                      community=community.name, type=case.violation_type.name, number=case.number,
                      due=check.answer_due),
                 selectors.duty_check_url(check), about=check)
    return check


def _attach(check: DutyCheck, upload, actor, description: str = "") -> DutyCheckAttachment:
    checked = upload_check(upload)
    return DutyCheckAttachment.objects.create(
        duty_check=check, file=stored_file(upload, checked), original_name=upload.name[:255],
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        description=(description or "")[:200], uploaded_by=actor)


def _check_company_may_answer(check: DutyCheck, actor):
    if not may(actor, DUTY_CHECK_ANSWER, check):
        raise ApplicationError("只有被检查的物业企业可以说明", "only the company checked can answer")
    if check.outcome != DutyOutcome.PENDING:
        raise ApplicationError("该履职检查已认定，不能再提交说明", "the check is already decided")
    if _today() > check.answer_due:
        raise ApplicationError(f"已超过说明期限（{check.answer_due:%Y-%m-%d}），不能再提交说明或材料",
                               f"the deadline to answer ({check.answer_due}) has passed")


@transaction.atomic
def duty_check_answer(*, check, actor, statement: str, files=(), discovered=None, dissuaded=None, stopped=None,
                      reported=None) -> DutyCheck:
    """The company's statement (情况说明) with its evidence, before `answer_due`; it may amend it until then.
    The duties it claims are recorded as its claims; the officer's decision sets the findings."""
    check = _lock_check(check)
    _check_company_may_answer(check, actor)
    if not (statement or "").strip():
        raise ApplicationError("请填写情况说明", "write the statement")
    claims = _duties({"discovered": discovered, "dissuaded": dissuaded, "stopped": stopped, "reported": reported})
    if check.prior_report_id:  # the platform's own record of the report stands
        claims.update(discovered=True, reported=True)
    uploads = list(files)
    for upload in uploads:  # check every file before saving any
        upload_check(upload)
    for key, value in claims.items():
        setattr(check, key, value)
    amended = check.answered_at is not None
    check.statement = statement.strip()
    check.answered_by, check.answered_at = actor, timezone.now()
    _save_check(check, actor, "企业补充说明" if amended else "企业提交说明")
    for upload in uploads:
        _attach(check, upload, actor)
    officer = check.case.officer
    if officer is not None:
        account_services.notification_send(
            kind=NoticeKind.DUTY_CHECK_ANSWERED, user=officer,
            title=text(gettext_noop("{company} 已补充履职说明（{number}）") if amended
                       else gettext_noop("{company} 已提交履职说明（{number}）"),
                       company=check.company.name, number=check.case.number),
            body=typed(check.statement[:500]), link=selectors.duty_check_url(check))
    return check


@transaction.atomic
def duty_check_attach(*, check, actor, upload, description: str = "") -> DutyCheckAttachment:
    """A file added to a pending check by the company (before its deadline) or by an officer handling it."""
    check = _lock_check(check)
    if may(actor, DUTY_CHECK_ANSWER):
        _check_company_may_answer(check, actor)
    else:
        _check_officer_may_decide(check, actor)
        if check.outcome != DutyOutcome.PENDING:
            raise ApplicationError("该履职检查已认定，材料不可更改", "the check is decided: its files are immutable")
    return _attach(check, upload, actor, description)


def _check_officer_may_decide(check: DutyCheck, actor):
    if not may(actor, DUTY_CHECK_DECIDE, check):
        raise ApplicationError("只有辖区执法队员或区局领导可以认定履职情况",
                               "only officers of the street or the bureau's leads decide duty checks")


@transaction.atomic
def duty_check_decide(*, check, actor, outcome: str, reasons: str, failure_rule=None, **duties) -> DutyCheck:
    """认定: fulfilled closes the check; failed (with reasons and the kind of failure) opens a
    PROPERTY_NEGLIGENCE case against the company, named as its party, and links it. A failure is decided only
    once the company has answered or its time to answer has passed."""
    check = _lock_check(check)
    _check_officer_may_decide(check, actor)
    if check.outcome != DutyOutcome.PENDING:
        raise ApplicationError("该履职检查已认定", "the check is already decided")
    if outcome not in {DutyOutcome.FULFILLED, DutyOutcome.FAILED}:
        raise ApplicationError("请选择认定结果：已履职或未履职", "the outcome is FULFILLED or FAILED")
    reasons = (reasons or "").strip()
    findings = _duties(duties)
    rule = None
    if outcome == DutyOutcome.FAILED:
        if not reasons:
            raise ApplicationError("认定未履职须写明理由", "a failure needs its reasons")
        rule = _rule(failure_rule)
        if rule is None:
            raise ApplicationError("认定未履职须选择失信行为", "a failure needs the kind of failure (credit rule)")
        if check.answered_at is None and _today() <= check.answer_due:
            raise ApplicationError(
                f"企业说明期限（{check.answer_due:%Y-%m-%d}）未满且尚未说明，暂不能认定未履职",
                "the company may still answer: decide a failure after its answer or its deadline")
    elif failure_rule not in (None, ""):
        raise ApplicationError("认定已履职不选择失信行为", "a fulfilled check has no kind of failure")
    for key, value in findings.items():
        setattr(check, key, value)
    check.outcome, check.reasons, check.failure_rule = outcome, reasons, rule
    check.decided_by, check.decided_at = actor, timezone.now()
    if outcome == DutyOutcome.FAILED:
        check.negligence_case = _open_negligence_case(check, rule, reasons, actor)
    _save_check(check, actor, "认定已履职" if outcome == DutyOutcome.FULFILLED else "认定未履职")
    body = typed(reasons) or text(gettext_noop("经核查，贵司已履行发现、劝阻、制止、报告义务。"))
    if check.negligence_case_id:
        body += text(gettext_noop("\n已对贵司立案（{number}，{rule}）。"), number=check.negligence_case.number,
                     rule=rule.name)
    title = (gettext_noop("履职检查认定：已履职（{number}）") if outcome == DutyOutcome.FULFILLED
             else gettext_noop("履职检查认定：未履职（{number}）"))
    _notify_company(check.company, kind=NoticeKind.DUTY_CHECK_DECIDED, title=text(title, number=check.case.number),
                    body=body, link=selectors.duty_check_url(check))
    return check


def _open_negligence_case(check: DutyCheck, rule: CreditRule, reasons: str, actor):
    from cases import services as case_services
    from registry.models import ViolationType

    vtype = ViolationType.objects.get(code=NEGLIGENCE_TYPE)
    company = check.company
    owner_case = check.case
    officer = owner_case.officer if owner_case.officer_id else (actor if role_of(actor) == Role.OFFICER else None)
    about = f"业主违法案件 {owner_case.number}，{owner_case.violation_type.name}"
    case = case_services.case_open(
        violation_type=vtype, community=check.community, street=check.street, actor=actor, officer=officer,
        location=owner_case.location, summary=f"{company.name}{rule.name}（{about}）：{reasons}",
        reason=text(gettext_noop("履职检查认定未履职（{number}）"), number=owner_case.number), origin="duty_check",
        payload={"duty_check": check.pk, "owner_case": owner_case.number, "credit_rule": rule.code})
    case_services.party_add(case=case, actor=actor, role=PartyRole.PROPERTY_COMPANY, kind=PartyKind.ORGANISATION,
                            name=company.name, id_number=company.credit_code, phone=company.contact_phone,
                            address=company.address, property_company=company)
    return case


# --- credit points -----------------------------------------------------------------------------------

def _negligence_company(case):
    """The company a negligence case is about: the failed duty check's, or its PROPERTY_COMPANY party's."""
    check = DutyCheck.objects.filter(negligence_case=case).select_related("company", "project_manager",
                                                                          "failure_rule").first()
    if check is not None:
        return check.company, check
    party = (case.parties.filter(role=PartyRole.PROPERTY_COMPANY, property_company__isnull=False)
             .select_related("property_company").order_by("pk").first())
    return (party.property_company if party else None), None


def _case_rule(case, check, policy) -> CreditRule | None:
    """The kind of failure: the duty check's, else the one named when the case was opened, else the default."""
    if check is not None and check.failure_rule_id:
        return check.failure_rule
    payload = (case.transitions.filter(action="register").values_list("payload", flat=True).first()) or {}
    code = payload.get("credit_rule")
    if code:
        rule = CreditRule.objects.filter(code=code, active=True).first()
        if rule is not None:
            return rule
    return policy.default_rule if policy.default_rule_id and policy.default_rule.active else None


@transaction.atomic
def credit_award_for_fine(*, fine, actor, on=None) -> list[CreditRecord]:
    """失信记分 when a fine on a PROPERTY_NEGLIGENCE case against a company becomes final: the rule's points on
    the company and on its project manager, counted from `on` (today). Idempotent: once per fine, and once per
    case (one failure, one award, even when a decision carries several fines). Then evaluates the listing."""
    from cases.models import EnforcementCase, Fine

    fine = Fine.objects.select_related("case__violation_type", "case__community", "party").get(pk=fine.pk)
    case = fine.case
    if case.violation_type.code != NEGLIGENCE_TYPE or not fine.is_final:
        return []
    # two fines of one case made final at once: the second waits here, then finds the first's award
    EnforcementCase.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
    existing = list(CreditRecord.objects.filter(Q(fine=fine) | Q(case=case), reverses__isnull=True))
    if existing:
        return [r for r in existing if r.fine_id == fine.pk]
    company, check = _negligence_company(case)
    if company is None:
        return []
    party = fine.party
    if party is not None and not (party.property_company_id == company.pk
                                  or (party.role == PartyRole.PROPERTY_COMPANY and party.property_company_id is None
                                      and party.name == company.name)):
        return []  # a fine on someone else named in the case
    policy = CreditPolicy.current()
    rule = _case_rule(case, check, policy)
    if rule is None:
        log.warning("no credit rule for negligence case %s: no points", case.number)
        return []
    manager = check.project_manager if check is not None else (
        case.community.project_manager if case.community_id else None)
    if manager is not None and manager.company_id != company.pk:
        manager = None
    occurred = on or _today()
    expires = selectors.add_months(occurred, policy.expiry_months)
    decision = f"（{fine.document.number}）" if fine.document_id else ""
    note = f"{rule.name}；罚款 ¥{fine.amount:,.2f}{decision}生效"
    common = {"company": company, "rule": rule, "case": case, "fine": fine, "duty_check": check,
              "occurred_on": occurred, "expires_on": expires, "note": note[:300], "created_by": actor}
    records = [CreditRecord.objects.create(subject=Subject.COMPANY, points=rule.company_points, **common)]
    if manager is not None and rule.manager_points:
        records.append(CreditRecord.objects.create(subject=Subject.MANAGER, project_manager=manager,
                                                   points=rule.manager_points, **common))
    due = selectors.dispute_due(records[0])
    title = (text(gettext_noop("失信记分：{rule}（企业记{points}分，项目经理{manager}记{manager_points}分）"),
                  rule=rule.name, points=rule.company_points, manager=manager.name, manager_points=rule.manager_points)
             if len(records) > 1 else
             text(gettext_noop("失信记分：{rule}（企业记{points}分）"), rule=rule.name, points=rule.company_points))
    _notify_company(company, kind=NoticeKind.CREDIT_AWARDED, title=title,
                    body=text(gettext_noop("案件 {number} 的处罚决定已生效。如有异议，请于 {due} 前在平台提出。"),
                              number=case.number, due=due),
                    link=selectors.mine_url())
    listing_evaluate(company=company, on=occurred)
    return records


@transaction.atomic
def listing_evaluate(*, company, on=None) -> PunishmentListing | None:
    """List the company (联合信用惩戒名单) when its points in the rolling window on `on` reach the threshold and
    it is not listed yet; tell the housing bureau and the bureau's leads. Returns the open listing, if any."""
    from registry.models import PropertyCompany

    PropertyCompany.objects.select_for_update().filter(pk=company.pk).first()  # one evaluation at a time
    current = PunishmentListing.objects.filter(company=company, removed_on__isnull=True).first()
    if current is not None:
        return current
    on = on or _today()
    policy = CreditPolicy.current()
    points = selectors.company_points(company, on=on)
    if points < policy.threshold:
        return None
    start = selectors.window_start(on, policy)
    listing = PunishmentListing(company=company, listed_on=on, points=points, window_start=start)
    listing.reason = render(listing_reason(listing, policy), translate=False)
    listing.full_clean()
    listing.save()
    reason = listing_reason(listing, policy)
    _notify_supervisors(kind=NoticeKind.COMPANY_LISTED,
                        title=text(gettext_noop("{company} 列入联合信用惩戒名单（{total}分）"), company=company.name,
                                   total=points),
                        body=reason, link=selectors.company_url(company))
    _notify_company(company, kind=NoticeKind.COMPANY_LISTED,
                    title=text(gettext_noop("贵司已列入联合信用惩戒名单（{total}分）"), total=points),
                    body=reason, link=selectors.mine_url())
    return listing


def listing_reason(listing, policy) -> list:
    """Why a company is listed, as accounts.messages parts (the listing keeps its Chinese rendering)."""
    return text(gettext_noop("{start} 至 {end}（{months}个月）失信记分累计{total}分，达到列入阈值{threshold}分"),
                start=listing.window_start, end=listing.listed_on, months=policy.window_months,
                total=listing.points, threshold=policy.threshold)


def _check_may_decide_credit(actor, obj):
    if not may(actor, CREDIT_DECIDE, obj):
        raise ApplicationError("只有区局领导或区房管局可以处理", "only the bureau's leads or the housing bureau decide")


@transaction.atomic
def listing_remove(*, listing, actor, reason: str) -> PunishmentListing:
    """移出名单: a decision with its reason (信用修复, a correction …), by the bureau's leads or the housing bureau."""
    listing = PunishmentListing.objects.select_for_update().select_related("company").get(pk=listing.pk)
    _check_may_decide_credit(actor, listing)
    if listing.removed_on is not None:
        raise ApplicationError("该企业已移出名单", "the listing was already removed")
    if not (reason or "").strip():
        raise ApplicationError("请填写移出理由", "write the reason for removal")
    listing.removed_on, listing.removal_reason = _today(), reason.strip()[:300]
    listing._history_user, listing._change_reason = actor, "移出名单"
    listing.full_clean()
    listing.save()
    _notify_company(listing.company, kind=NoticeKind.LISTING_REMOVED,
                    title=text(gettext_noop("贵司已移出联合信用惩戒名单")), body=typed(listing.removal_reason),
                    link=selectors.mine_url())
    return listing


# --- disputes (异议) and corrections (修正) -------------------------------------------------------------

@transaction.atomic
def credit_dispute_lodge(*, record, actor, reason: str) -> CreditDispute:
    """The company disputes one of its records within `dispute_days` working days of it; once per record."""
    record = CreditRecord.objects.select_for_update().select_related("company").get(pk=record.pk)
    if not may(actor, CREDIT_DISPUTE, record):
        raise ApplicationError("只有被记分的物业企业可以提出异议", "only the company recorded can dispute")
    if record.reverses_id is not None:
        raise ApplicationError("修正记录不能提出异议", "a correction cannot be disputed")
    if CreditRecord.objects.filter(reverses=record).exists():
        raise ApplicationError("该记录已修正", "the record was already corrected")
    if record.disputes.exists():
        raise ApplicationError("该记录已提出过异议", "the record was already disputed")
    due = selectors.dispute_due(record)
    if _today() > due:
        raise ApplicationError(f"已超过异议期限（{due:%Y-%m-%d}）", f"the time to dispute ended on {due}")
    if not (reason or "").strip():
        raise ApplicationError("请填写异议理由", "write the reason")
    policy = CreditPolicy.current()
    dispute = CreditDispute(record=record, reason=reason.strip(), lodged_by=actor,
                            decide_due=selectors.dispute_decide_due(_today(), policy))
    dispute._history_user = actor
    dispute.full_clean()
    dispute.save()
    _notify_supervisors(kind=NoticeKind.DISPUTE_LODGED,
                        title=text(gettext_noop("{company} 对失信记分提出异议（{points:+d}分）"),
                                   company=record.company.name, points=record.points),
                        body=typed(dispute.reason[:300]) + text(gettext_noop("\n请于 {due} 前处理。"),
                                                                 due=dispute.decide_due),
                        link=selectors.disputes_url())
    return dispute


@transaction.atomic
def credit_dispute_decide(*, dispute, actor, upheld: bool, decision: str) -> CreditDispute:
    """The bureau's leads or the housing bureau decide. Upheld: a correction record with the opposite points,
    the same dates and `reverses` set, so both stay in the ledger. A listing is not removed here (see the
    module's docstring); the decision tells whether the company is now below the threshold."""
    dispute = (CreditDispute.objects.select_for_update(of=("self",))
               .select_related("record", "record__company", "record__rule").get(pk=dispute.pk))
    _check_may_decide_credit(actor, dispute)
    if dispute.status != DisputeStatus.LODGED:
        raise ApplicationError("该异议已处理", "the dispute was already decided")
    if not (decision or "").strip():
        raise ApplicationError("请填写处理意见", "write the decision")
    record = dispute.record
    if upheld and CreditRecord.objects.filter(reverses=record).exists():
        raise ApplicationError("该记录已修正", "the record was already corrected")
    dispute.status = DisputeStatus.UPHELD if upheld else DisputeStatus.REJECTED
    dispute.decision, dispute.decided_by, dispute.decided_at = decision.strip(), actor, timezone.now()
    dispute._history_user, dispute._change_reason = actor, dispute.get_status_display()
    dispute.save()
    if upheld:
        CreditRecord.objects.create(
            subject=record.subject, company=record.company, project_manager=record.project_manager,
            rule=record.rule, points=-record.points, case=record.case, fine=record.fine,
            duty_check=record.duty_check, occurred_on=record.occurred_on, expires_on=record.expires_on,
            reverses=record, note=f"异议成立，修正：{dispute.decision}"[:300], created_by=actor)
    company = record.company
    body = typed(dispute.decision)
    listing = PunishmentListing.objects.filter(company=company, removed_on__isnull=True).first()
    if listing is not None:
        points = selectors.company_points(company)
        threshold = CreditPolicy.current().threshold
        if points < threshold:
            body += text(gettext_noop("\n企业当前记分{points}分，已低于列入阈值{threshold}分，可依程序决定移出名单。"),
                         points=points, threshold=threshold)
    title = (gettext_noop("异议处理结果：异议成立，已修正") if upheld else gettext_noop("异议处理结果：异议不成立"))
    _notify_company(company, kind=NoticeKind.DISPUTE_DECIDED, title=text(title), body=body,
                    link=selectors.mine_url())
    if listing is not None and upheld:
        _notify_supervisors(kind=NoticeKind.DISPUTE_DECIDED,
                            title=text(gettext_noop("{company} 异议成立，记分已修正"), company=company.name),
                            body=body, link=selectors.company_url(company))
    return dispute
