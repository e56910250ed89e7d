"""The demo year of cases (demo.cases): made through the workflow's own services, consistent once back-dated
(times in order and in the past, deadlines recomputed, numbers of the right year), varied, and idempotent.

A small district year (the demo registry, its logins and 500 generated 12345 orders) is seeded once for the
module inside a transaction rolled back at the end."""
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.test import override_settings
from django.utils import timezone

from accounts.choices import Role
from accounts.models import User
from cases import penalties, referrals, rules, services, workflow
from cases.choices import CaseState, DocumentKind, PaymentStatus, Procedure, ReferralStatus, ReviewResult
from cases.models import (
    CaseTransition,
    Document,
    EnforcementCase,
    Evidence,
    Fine,
    PenaltyProcedure,
    Referral,
    SupervisionOrder,
)
from core import calendar
from demo import cases as case_demo
from demo import district
from intake.choices import ComplaintStatus
from intake.models import Complaint
from registry.models import Street

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    from demo import hotline

    media = tmp_path_factory.mktemp("media")  # the demo's photos and documents, not into var/media
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=str(media)):
        with transaction.atomic():
            connection.ensure_connection()
            tally = district.Tally()
            district.load_registry(tally=tally)
            district.load_users(tally=tally)
            hotline.load_complaints(tally=tally, orders=500, patrols=40, reports=20)
            case_demo.seed(tally=tally)
            yield tally
            transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded")]


def test_every_street_has_an_officer():
    for street in Street.objects.all():
        assert User.objects.filter(role=Role.OFFICER, is_active=True, streets=street).exists(), street


def test_cases_are_varied():
    states = Counter(EnforcementCase.objects.values_list("state", flat=True))
    assert states[CaseState.CLOSED] > sum(states.values()) / 2
    assert set(states) - {CaseState.CLOSED}, "some cases are still open"
    actions = set(CaseTransition.objects.values_list("action", flat=True))
    assert {"register", "start_verification", "file", "investigate", "decide", "close_rectified",
            "close_executed"} <= actions
    assert Fine.objects.exists() and Evidence.objects.exists()
    assert Complaint.objects.filter(status=ComplaintStatus.CLOSED, case__isnull=True).exists()  # settled


def test_every_case_reads_like_its_year():
    now = timezone.now()
    events = set(workflow.EVENTS) - {"register"}
    for case in EnforcementCase.objects.select_related("violation_type"):
        steps = list(case.transitions.order_by("id"))
        times = [step.at for step in steps]
        assert times == sorted(times) and times[-1] <= now, case
        assert case.created_at == times[0]
        moved = [step for step in steps if step.action not in events]
        assert moved[-1].to_state == case.state
        entered = [step for step in steps if step.from_state != step.to_state or step.action == "register"]
        assert case.state_entered_at == entered[-1].at
        assert case.number.startswith(f"AJ{timezone.localtime(case.created_at).year}-")
        if case.state == CaseState.CLOSED:
            assert case.closed_at == entered[-1].at
        entered = timezone.localtime(case.state_entered_at).date()
        assert case.state_due == services.stage_deadline(case, case.state, entered), case
        ordered = [step for step in steps if step.action == "order_rectification"]
        if ordered:  # the timeline states the deadline the case has
            assert ordered[-1].payload["rectify_due"] == case.rectify_due.isoformat()
    for evidence in Evidence.objects.select_related("transition"):
        assert evidence.uploaded_at == evidence.transition.at
    for fine in Fine.objects.exclude(paid_at=None):
        assert fine.decided_at <= fine.paid_at <= timezone.localdate()
    for order in SupervisionOrder.objects.all():
        assert order.issued_at <= now and (order.responded_at is None or order.responded_at >= order.issued_at)
    assert not Document.objects.filter(issued_at__gt=now).exists()


def test_the_handling_rules_hold():
    for case in EnforcementCase.objects.filter(violation_type__code="ILLEGAL_CONSTRUCTION", in_progress=True,
                                               transitions__action="decide").distinct():
        assert {"STOP", "DEMOLISH"} <= set(case.measures)
    for case in EnforcementCase.objects.filter(violation_type__code="STRUCTURE_DAMAGE", state=CaseState.CLOSED,
                                               transitions__action="decide").distinct():
        assert "RESTORE" in case.measures


def test_closed_cases_closed_their_complaints():
    open_complaints = Complaint.objects.filter(case__state=CaseState.CLOSED).exclude(
        status__in=[ComplaintStatus.CLOSED, ComplaintStatus.RETURNED])
    assert not open_complaints.exists()


def test_recent_complaints_wait_in_the_queue():
    recent = Complaint.objects.filter(received_at__gte=timezone.now() - timedelta(days=1),
                                      status=ComplaintStatus.ROUTED)
    assert not recent.filter(case__isnull=False).exists()


def _non_enforcement_orders():
    return Complaint.objects.filter(violation_type__code="NON_ENFORCEMENT", duplicate_of__isnull=True,
                                    received_at__lt=timezone.now() - case_demo.LEAVE_RECENT)


def test_the_bureau_refers_most_non_enforcement_matters_and_the_departments_answer():
    # referred and waiting for the department, or closed by its answer
    orders = _non_enforcement_orders().filter(
        Q(status=ComplaintStatus.REFERRED) | Q(status=ComplaintStatus.CLOSED, referrals__isnull=False)).distinct()
    referred = orders.filter(referrals__isnull=False).distinct()
    assert orders.count() > 20 and referred.count() >= 0.85 * orders.count()
    for complaint in referred.prefetch_related("referrals"):
        answered_all = all(r.status == ReferralStatus.ANSWERED for r in complaint.referrals.all())
        assert complaint.status == (ComplaintStatus.CLOSED if answered_all else ComplaintStatus.REFERRED)
    assert not orders.filter(type_source="MODEL", referrals__isnull=False).exists()  # referred once confirmed
    waiting = orders.filter(referrals__isnull=True)
    assert waiting.exists() and not waiting.exclude(type_source="MODEL").exists()  # a few still in the queue
    referrals = Referral.objects.filter(complaint__in=referred).select_related("complaint", "signed_by",
                                                                               "answered_by")
    answered = referrals.filter(status=ReferralStatus.ANSWERED)
    assert answered.count() >= 0.8 * referrals.count()
    assert not referrals.exclude(status__in=[ReferralStatus.SENT, ReferralStatus.SIGNED,
                                             ReferralStatus.ANSWERED]).exists()
    # every department has someone who signs and answers: its demo login, or a liaison who is no login
    for code in set(referrals.values_list("department__code", flat=True)):
        assert User.objects.filter(role=Role.DEPARTMENT, department__code=code, is_active=True).exists(), code


def test_referrals_read_like_their_year():
    now = timezone.now()
    overdue_since = timezone.localdate() - timedelta(days=(case_demo.PENDING_WITHIN + timedelta(days=10)).days)
    for referral in Referral.objects.filter(complaint__isnull=False, case__isnull=True,
                                            complaint__type_source="STAFF").select_related("complaint", "department"):
        complaint = referral.complaint
        if complaint.corrections.exists():
            continue  # 改派部门 of the cases step (intake.dispatch), not a confirmation
        assert complaint.department_id == referral.department_id
        assert complaint.received_at <= referral.created_at <= now
        assert referral.due == referrals.answer_due(timezone.localtime(referral.created_at).date())
        if referral.signed_at:
            assert referral.signed_by.department_id == referral.department_id
            assert referral.created_at <= referral.signed_at <= now
        if referral.answered_at:
            assert referral.signed_at <= referral.answered_at <= now and referral.answer
            assert referral.answered_by.department_id == referral.department_id
        else:
            assert referral.due >= overdue_since, referral  # only the last weeks' are still pending
        dates = list(referral.history.order_by("history_id").values_list("history_date", flat=True))
        assert dates == sorted(dates) and dates[0] == referral.created_at and dates[-1] <= now
        confirmed = complaint.history.filter(history_change_reason="确认").values_list("history_date", flat=True)
        assert list(confirmed) == [referral.created_at]


def test_a_second_run_adds_nothing(seeded):
    def counts():
        return (EnforcementCase.objects.count(), CaseTransition.objects.count(), User.objects.count(),
                Referral.objects.count(), Counter(Referral.objects.values_list("status", flat=True)),
                Counter(Complaint.objects.values_list("status", "type_source")))

    before = counts()
    tally = district.Tally()
    case_demo.seed(tally=tally)
    assert counts() == before and tally.created == 0


# --- the administrative penalty procedure (cases.workflow; demo.penalty) -----------------------------------------

def _day(moment):
    return timezone.localtime(moment).date()


def test_every_fine_went_through_an_approved_procedure():
    fined = EnforcementCase.objects.filter(fines__isnull=False).distinct().select_related(
        "penalty", "officer", "co_officer", "violation_type")
    assert fined.count() >= 10
    procedures = Counter()
    for case in fined:
        procedure = case.penalty
        procedures[procedure.procedure] += 1
        assert procedure.approved_at is not None, case
        decided = _day(procedure.approved_at)
        for fine in case.fines.select_related("fine_range", "party"):
            assert fine.fine_range_id is not None and fine.party_id is not None, fine
            low, high = penalties.bounds(fine.fine_range, fine.quantity)
            assert low <= fine.amount <= high, (case, fine.amount, low, high)
            assert fine.fine_range.basis.violation_type_id == case.violation_type_id
            assert fine.decided_at == decided
            assert fine.due is not None and fine.due == penalties.payment_due(procedure.decision_served_on)
            if fine.paid_at:
                assert decided <= fine.paid_at <= timezone.localdate()
        if procedure.procedure == Procedure.SUMMARY:
            assert not case.transitions.filter(action="file").exists()
            assert all(fine.amount <= 200 for fine in case.fines.all())  # the demo's parties are people
            assert case.documents.filter(kind=DocumentKind.SUMMARY_DECISION).exists()
            continue
        # two officers holding certificates investigated and proposed (行政处罚法 §42)
        assert case.officer_id and case.co_officer_id and case.officer_id != case.co_officer_id, case
        assert case.officer.cert_number and case.co_officer.cert_number
        assert case.findings.startswith("经查"), case
        # the notice was issued, then served, before the decision; the decision served after its document
        notice = procedure.notice
        assert notice is not None and notice.kind == DocumentKind.PRIOR_NOTICE
        assert _day(notice.issued_at) <= procedure.notice_served_on <= decided, case
        document = case.documents.filter(kind=DocumentKind.PENALTY_DECISION).order_by("issued_at").first()
        assert document is not None and _day(document.issued_at) == decided
        assert decided <= procedure.decision_served_on <= penalties.service_due(decided)
        assert case.evidence.filter(transition__action="serve_decision").exists()  # the 送达回证
        # the defence: a statement (reviewed), a waiver, or the period ran out before the decision went on
        if not (procedure.review_result or procedure.waived or procedure.hearing_held_on):
            submitted = case.transitions.filter(action__in=["submit_legal_review", "submit_approval"]).latest("at")
            assert _day(submitted.at) > penalties.defence_until(procedure.notice_served_on, procedure.hearing_offered)
        assert not penalties.heavier(penalties.load_items(case, procedure.first_proposed),
                                     penalties.load_items(case, procedure.proposed))
        # legal review for major and heard cases, collective discussion for major ones
        if rules.needs_legal_review(case):
            assert procedure.legal_reviewer is not None and procedure.legal_reviewer.role == Role.LEGAL
        if penalties.is_major(penalties.load_items(case, procedure.proposed)):
            assert procedure.discussion_on is not None and procedure.discussion_on <= decided
        # decided within 90 days of 立案, or after an approved extension (行政处罚法 §60)
        approve = case.transitions.filter(action="approve").latest("at")
        filed = case.transitions.filter(action="file", at__lt=approve.at).latest("at")
        extended = sum(t.payload.get("extend_days", 0) for t in case.transitions.filter(
            action="extend_time_limit", at__gt=filed.at, at__lt=approve.at))
        assert decided <= penalties.decision_due(_day(filed.at), extended), case
    assert procedures[Procedure.GENERAL] and procedures[Procedure.SUMMARY]


def test_no_decision_without_the_procedure_fines():
    for row in CaseTransition.objects.filter(action__in=["decide", "escalate"]).values_list("payload", flat=True):
        assert "FINE" not in (row.get("measures") or [])
    assert not Fine.objects.filter(case__violation_type__code__in=["GROUP_RENTING", "CONSTRUCTION_WASTE"]).exists()
    for case in EnforcementCase.objects.filter(violation_type__code="HOUSEHOLD_WASTE", fines__isnull=False).distinct():
        assert case.transitions.filter(action="escalate_penalty").exists(), case  # education first


def test_the_procedure_shows_its_variety():
    procedures = PenaltyProcedure.objects.all()
    assert procedures.filter(review_result=ReviewResult.PARTLY).exists()
    assert procedures.filter(review_result=ReviewResult.REJECTED).exists()
    assert procedures.filter(waived=True).exists()
    lowered = [p for p in procedures.filter(review_result=ReviewResult.PARTLY)
               if sum(Decimal(i["amount"]) for i in p.proposed) < sum(Decimal(i["amount"]) for i in p.first_proposed)]
    assert lowered
    actions = set(CaseTransition.objects.values_list("action", flat=True))
    assert {"co_officer", "notify", "serve_notice", "record_statement", "review_statement", "record_waiver",
            "submit_approval", "submit_legal_review", "pass_legal_review", "record_discussion", "approve",
            "serve_decision", "summary_penalty", "request_hearing"} <= actions, actions - set()


def test_cases_wait_in_each_state_of_the_procedure():
    states = Counter(EnforcementCase.objects.values_list("state", flat=True))
    for state, wanted in case_demo.WAITING.items():
        assert states[state] >= wanted, (state, states)
    for case in EnforcementCase.objects.filter(state__in=list(case_demo.WAITING)).select_related("penalty"):
        assert case.penalty.proposed, case
        assert case.state_due is not None or case.state == CaseState.ENFORCING  # the court has no deadline here
    # overdue fines: urged, unpaid, a surcharge running
    today = timezone.localdate()
    overdue = Fine.objects.filter(status=PaymentStatus.UNPAID, due__lt=today)
    assert overdue.exists()
    for fine in overdue.select_related("case__penalty"):
        assert penalties.surcharge(fine.amount, fine.due, today) > 0
