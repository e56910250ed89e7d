"""What a move does besides changing the case's state: named effects, one registry beside cases.rules.REQUIREMENTS.

A move of cases.workflow names its effects (`Move.effects`); `cases.services.case_transition` runs each effect's
`before` part on the locked case before it is saved (they set fields and the transition's payload) and its `after`
part once the transition is recorded (documents, fines, referrals, complaints). Requirements have already been
checked: an effect trusts `data`, which the checks normalised (`_items`: the intended fines as penalties.Item).
"""
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.messages import text
from cases import penalties
from cases.choices import CaseState, DocumentKind, PaymentStatus, Procedure
from cases.models import Fine, PenaltyProcedure
from intake.choices import ComplaintStatus


@dataclass
class Step:
    case: object            # the locked case, saved after the `before` parts
    move: object
    actor: object
    data: dict
    payload: dict = field(default_factory=dict)
    transition: object = None   # the CaseTransition, for the `after` parts
    source: str = ""


@dataclass(frozen=True)
class Effect:
    before: object = None
    after: object = None


EFFECTS: dict[str, Effect] = {}


def effect(name: str, when: str = "before"):
    def register(function):
        current = EFFECTS.get(name, Effect())
        EFFECTS[name] = Effect(before=function if when == "before" else current.before,
                               after=function if when == "after" else current.after)
        return function
    return register


def run(step: Step, when: str):
    for name in step.move.effects:
        function = getattr(EFFECTS[name], when)
        if function is not None:
            function(step)


def _today():
    return timezone.localdate()


def procedure_of(case) -> PenaltyProcedure:
    procedure, _ = PenaltyProcedure.objects.select_for_update().get_or_create(case=case)
    return procedure


def _save(procedure: PenaltyProcedure, step: Step, reason):
    procedure._change_reason = str(reason)
    procedure._history_user = step.actor
    procedure.save()


def _issue(step: Step, kind: str, **extra):
    from cases import documents

    document = documents.document_issue(case=step.case, kind=kind, actor=step.actor, extra=extra or None,
                                        by_move=True)
    step.payload.setdefault("documents", []).append(document.number)
    return document


# --- decisions ------------------------------------------------------------------------------------------------

@effect("set_findings")
def set_findings(step: Step):
    findings = (step.data.get("findings") or "").strip()
    if findings:
        step.case.findings = findings
        step.payload["findings"] = True


@effect("set_decision")
def set_decision(step: Step):
    """A decision (or the intended penalty of a notice): its measures and text, and the findings behind it."""
    set_findings(step)
    step.case.measures = list(step.data["measures"])
    step.case.decision = step.data.get("decision", "") or step.data.get("reason", "")
    step.payload["measures"] = step.case.measures


@effect("set_rectify_due")
def set_rectify_due(step: Step):
    step.case.rectify_due = step.data["rectify_due"]
    step.payload["rectify_due"] = step.data["rectify_due"].isoformat()


@effect("measures_done")
def measures_done(step: Step):
    done = list(step.data.get("measures_done") or [])
    if done:
        step.payload["measures_done"] = done
        step.case.measures = sorted(set(step.case.measures) | set(done))


@effect("start_time_limit")
def start_time_limit(step: Step):
    step.case.decision_due = penalties.decision_due(_today())
    step.payload["decision_due"] = step.case.decision_due.isoformat()


@effect("extend_time_limit")
def extend_time_limit(step: Step):
    days = step.data["extend_days"]
    base = step.case.decision_due or penalties.decision_due(_today())
    step.case.decision_due = base + timedelta(days=days)
    step.payload.update(extend_days=days, decision_due=step.case.decision_due.isoformat())


# --- referral, closing, reopening -----------------------------------------------------------------------------

@effect("refer")
def refer_before(step: Step):
    from core.errors import ApplicationError
    from registry.models import Department

    department = step.data["department"]
    if not isinstance(department, Department):
        department = Department.objects.filter(code=department).first()
    if department is None or department.code == "CHENGGUAN":
        raise ApplicationError("请选择其他职能部门", "choose another department")
    step.case.referred_to = department
    step.payload["department"] = department.code


@effect("refer", when="after")
def refer_after(step: Step):
    from cases import referrals

    referrals.referral_send(case=step.case, department=step.case.referred_to, matter=step.case.summary,
                            actor=step.actor)


@effect("close")
def close_before(step: Step):
    step.case.closed_at, step.case.closing_reason = timezone.now(), step.data.get("reason", "")[:300]


@effect("close", when="after")
def close_after(step: Step):
    """The complaints handled in the case are closed with it, each through intake's own move (a 12345 order
    returned to the hotline, or one already closed, stays as it is)."""
    from intake.models import Complaint
    from intake.services import complaint_transition

    case, actor = step.case, step.actor
    for complaint in (Complaint.objects.filter(case=case).exclude(status__in=[ComplaintStatus.RETURNED,
                                                                              ComplaintStatus.CLOSED])
                      .order_by("received_at", "pk")):
        complaint._change_reason = f"案件 {case.number} 结案"
        complaint._history_user = actor
        complaint_transition(complaint=complaint, action="case_closed", actor=actor, fields=[],
                             reason=text(gettext_noop("案件 {case} 结案"), case=case.number), payload={"case": case.pk})


@effect("reopen")
def reopen(step: Step):
    step.case.closed_at, step.case.closing_reason = None, ""


@effect("reopen", when="after")
def reopen_cancels_rechecks(step: Step):
    """The re-checks still due after the earlier closing are void: the case is being handled again, and its next
    closing schedules its own."""
    from cases.choices import ReCheckStatus
    from cases.models import ReCheck

    for recheck in ReCheck.objects.filter(case=step.case, status=ReCheckStatus.DUE):  # a few; no status in bulk
        recheck.status = ReCheckStatus.CANCELLED
        recheck.save(update_fields=["status"])


@effect("schedule_rechecks", when="after")
def schedule_rechecks(step: Step):
    """回头看 (R3.6): a closed case's site is checked again after the days its type's rule names
    (cases.rules.recheck_intervals, edited in the admin as cases.ReCheckRule)."""
    from cases import rules
    from cases.models import ReCheck

    case = step.case
    closed_on = timezone.localtime(case.closed_at).date()
    days = rules.recheck_intervals(case.violation_type)
    ReCheck.objects.bulk_create([ReCheck(case=case, closed_at=case.closed_at, round=d,
                                         due=closed_on + timedelta(days=d)) for d in days])
    if days:
        step.payload["rechecks"] = [(closed_on + timedelta(days=d)).isoformat() for d in days]


# --- the general procedure ------------------------------------------------------------------------------------

@effect("propose_penalty")
def propose_penalty(step: Step):
    """事先告知: the intended fines (checked against their ranges) and whether the notice offers a hearing."""
    items = step.data["_items"]
    procedure = procedure_of(step.case)
    # a new round after a return: the earlier round stays in the procedure's history
    for name in ("notice_served_on", "statement_on", "hearing_requested_on", "hearing_at", "hearing_held_on",
                 "legal_reviewed_at", "discussion_on", "approved_at"):
        setattr(procedure, name, None)
    for name in ("notice_service_manner", "statement", "review_result", "review_text", "hearing_place",
                 "hearing_record", "legal_opinion", "discussion_minutes", "discussion_participants"):
        setattr(procedure, name, "")
    procedure.notice = procedure.reviewed_by = procedure.hearing_presider = None
    procedure.legal_reviewer = procedure.approved_by = None
    procedure.waived = False
    procedure.procedure = Procedure.GENERAL
    procedure.proposed = procedure.first_proposed = [item.as_json() for item in items]
    procedure.hearing_offered = penalties.offers_hearing(items)
    _save(procedure, step, "事先告知")
    step.payload.update(penalty=procedure.proposed, hearing_offered=procedure.hearing_offered)


@effect("issue_notice", when="after")
def issue_notice(step: Step):
    procedure = procedure_of(step.case)
    procedure.notice = _issue(step, DocumentKind.PRIOR_NOTICE)
    if procedure.hearing_offered:
        _issue(step, DocumentKind.HEARING_NOTICE)
    _save(procedure, step, "出具事先告知书")


@effect("record_notice_service")
def record_notice_service(step: Step):
    procedure = procedure_of(step.case)
    procedure.notice_served_on = step.data["served_on"]
    procedure.notice_service_manner = step.data["manner"]
    _save(procedure, step, "告知书送达")
    step.payload.update(served_on=procedure.notice_served_on.isoformat(), manner=procedure.notice_service_manner)


@effect("record_statement")
def record_statement(step: Step):
    procedure = procedure_of(step.case)
    procedure.statement = step.data["statement"].strip()
    procedure.statement_on = step.data["statement_on"]
    procedure.review_result, procedure.review_text, procedure.reviewed_by = "", "", None
    _save(procedure, step, "陈述申辩")
    step.payload["statement_on"] = procedure.statement_on.isoformat()


@effect("review_statement")
def review_statement(step: Step):
    procedure = procedure_of(step.case)
    procedure.review_result = step.data["review_result"]
    procedure.review_text = step.data["review_text"].strip()
    procedure.reviewed_by = step.actor
    procedure.proposed = [item.as_json() for item in step.data["_items"]]
    # a lower penalty may no longer reach the hearing or major amounts; the offer already made stands
    _save(procedure, step, "陈述申辩复核")
    step.payload.update(review_result=procedure.review_result, penalty=procedure.proposed)


@effect("review_statement", when="after")
def review_statement_document(step: Step):
    _issue(step, DocumentKind.DEFENCE_REVIEW)


@effect("record_waiver")
def record_waiver(step: Step):
    procedure = procedure_of(step.case)
    procedure.waived = True
    _save(procedure, step, "放弃陈述申辩")


@effect("record_hearing_request")
def record_hearing_request(step: Step):
    procedure = procedure_of(step.case)
    procedure.hearing_requested_on = step.data["requested_on"]
    _save(procedure, step, "申请听证")
    step.payload["requested_on"] = procedure.hearing_requested_on.isoformat()


@effect("schedule_hearing")
def schedule_hearing(step: Step):
    procedure = procedure_of(step.case)
    procedure.hearing_at = step.data["hearing_at"]
    procedure.hearing_place = step.data["hearing_place"].strip()
    procedure.hearing_presider = step.data["presider"]
    _save(procedure, step, "安排听证")
    step.payload.update(hearing_at=procedure.hearing_at.isoformat(), hearing_place=procedure.hearing_place,
                        presider=procedure.hearing_presider.pk)


@effect("record_hearing")
def record_hearing(step: Step):
    procedure = procedure_of(step.case)
    procedure.hearing_record = step.data["hearing_record"].strip()
    procedure.hearing_held_on = timezone.localtime(procedure.hearing_at).date()
    _save(procedure, step, "听证")


@effect("record_legal_review")
def record_legal_review(step: Step):
    procedure = procedure_of(step.case)
    procedure.legal_opinion = step.data["opinion"].strip()
    procedure.legal_reviewer = step.actor
    procedure.legal_reviewed_at = timezone.now()
    _save(procedure, step, "法制审核")


@effect("record_legal_review", when="after")
def legal_review_document(step: Step):
    _issue(step, DocumentKind.LEGAL_REVIEW)


@effect("record_discussion")
def record_discussion(step: Step):
    procedure = procedure_of(step.case)
    procedure.discussion_minutes = step.data["minutes"].strip()
    procedure.discussion_participants = step.data["participants"].strip()[:300]
    procedure.discussion_on = step.data["discussion_on"]
    _save(procedure, step, "集体讨论")


@effect("reset_penalty")
def reset_penalty(step: Step):
    """A return to the investigation voids the notice: the measures go, a new notice starts a new round."""
    if "FINE" in (step.case.measures or []):
        step.case.measures = [m for m in step.case.measures if m != "FINE"]


@effect("approve_penalty")
def approve_penalty(step: Step):
    procedure = procedure_of(step.case)
    procedure.approved_by = step.actor
    procedure.approved_at = timezone.now()
    _save(procedure, step, "负责人审批")
    step.payload["penalty"] = procedure.proposed


@effect("approve_penalty", when="after")
def approve_penalty_fines(step: Step):
    """The approved fines, as the procedure last stated them (lowered by a review, never raised)."""
    procedure = procedure_of(step.case)
    _create_fines(step, penalties.load_items(step.case, procedure.proposed))


def _create_fines(step: Step, items):
    for item in items:
        fine = Fine(case=step.case, party=item.party, amount=item.amount, fine_range=item.fine_range,
                    quantity=item.quantity, decided_at=_today())
        fine._change_reason = "行政处罚决定"
        fine._history_user = step.actor
        fine.save()


# --- the summary procedure ------------------------------------------------------------------------------------

@effect("summary_penalty")
def summary_penalty(step: Step):
    set_findings(step)
    step.case.measures = ["FINE"]
    step.case.decision = step.data.get("decision", "") or step.data.get("reason", "")
    procedure = procedure_of(step.case)
    procedure.procedure = Procedure.SUMMARY
    procedure.proposed = procedure.first_proposed = [item.as_json() for item in step.data["_items"]]
    procedure.approved_by, procedure.approved_at = step.actor, timezone.now()
    # 当场处罚: the decision is handed over on the spot (§52)
    procedure.decision_served_on, procedure.decision_service_manner = _today(), "IN_PERSON"
    _save(procedure, step, "当场处罚")
    step.payload.update(measures=["FINE"], penalty=procedure.proposed, procedure=Procedure.SUMMARY)


@effect("summary_penalty", when="after")
def summary_penalty_fines(step: Step):
    items = step.data["_items"]
    _create_fines(step, items)
    _issue(step, DocumentKind.SUMMARY_DECISION)
    Fine.objects.filter(case=step.case, due__isnull=True).update(due=penalties.payment_due(_today()))


# --- service, payment, the court -------------------------------------------------------------------------------

@effect("record_decision_service")
def record_decision_service(step: Step):
    procedure = procedure_of(step.case)
    procedure.decision_served_on = step.data["served_on"]
    procedure.decision_service_manner = step.data["manner"]
    _save(procedure, step, "决定书送达")
    due = penalties.payment_due(procedure.decision_served_on)
    step.case.fines.filter(status=PaymentStatus.UNPAID).update(due=due)
    step.payload.update(served_on=procedure.decision_served_on.isoformat(), manner=procedure.decision_service_manner,
                        payment_due=due.isoformat())


@effect("record_urge")
def record_urge(step: Step):
    procedure = procedure_of(step.case)
    procedure.urged_on = step.data.get("served_on") or _today()
    _save(procedure, step, "催告")
    step.payload["urged_on"] = procedure.urged_on.isoformat()


@effect("apply_court")
def apply_court(step: Step):
    procedure = procedure_of(step.case)
    procedure.court_applied_on = _today()
    procedure.court = (step.data.get("court") or "").strip()[:100]
    _save(procedure, step, "申请人民法院强制执行")
    on = _today()
    owed = []
    for fine in step.case.fines.filter(status=PaymentStatus.UNPAID):
        owed.append({"fine": fine.pk, "amount": f"{fine.amount:.2f}",
                     "surcharge": f"{penalties.surcharge(fine.amount, fine.due, on):.2f}"})
        fine.status = PaymentStatus.ENFORCED
        fine._change_reason = "申请人民法院强制执行"
        fine._history_user = step.actor
        fine.save(update_fields=["status"])
    step.payload.update(court=procedure.court, owed=owed)


STATES_WITH_PROCEDURE = {CaseState.NOTICE, CaseState.DEFENCE, CaseState.HEARING, CaseState.LEGAL_REVIEW,
                         CaseState.APPROVAL}
