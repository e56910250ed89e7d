"""Reads of enforcement cases, always through the user's scope (`Model.objects.restrict`)."""
from datetime import timedelta
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Q, Value, When, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import policy
from accounts.policy import may
from accounts.scope import personal_view
from cases import hooks, indicators, workflow
from cases.choices import DocumentKind, ReferralStatus, SupervisionStatus
from cases.indicators import OPEN_STATES
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
from registry.choices import Measure

NEW_ASSIGNMENT_DAYS = 3
ASSIGN_EVENTS = ("assign", "claim")
UNASSIGNED_SHOWN = 20
WORKBENCH_SHOWN = 20        # cases per panel of 今日工作台; the panel counts them all and links to the list
BOARD_SHOWN_PER_STREET = 5   # overdue cases per street on 督办看板 (the most overdue); the rest on the case list
BOARD_SHOWN = 20            # open supervisions and late referrals on 督办看板 (the most urgent)
PENDING_REFERRAL = [ReferralStatus.SENT, ReferralStatus.SIGNED]
OVERDUE, SOON = "overdue", "soon"


def due_limits() -> tuple:
    """(today, the last day that counts as 临期) — the rule is cases.indicators'."""
    today = timezone.localdate()
    return today, indicators.due_soon_until(today)


def due_flag(state: str, due) -> str:
    if due is None or state not in OPEN_STATES:
        return ""
    today, soon = due_limits()
    return OVERDUE if due < today else SOON if due <= soon else ""


def with_due_flag(qs):
    today, soon = due_limits()
    return qs.annotate(due_flag=Case(
        When(state__in=OPEN_STATES, state_due__lt=today, then=Value(OVERDUE)),
        When(state__in=OPEN_STATES, state_due__lte=soon, then=Value(SOON)),
        default=Value(""), output_field=CharField()))


def overdue(qs):
    return qs.filter(indicators.overdue_q())


def due_soon(qs):
    return qs.filter(indicators.due_soon_q())


def case_list(*, user):
    return with_due_flag(
        EnforcementCase.objects.restrict(user, "view")
        .select_related("violation_type", "community", "street", "officer")
        .order_by(F("state_due").asc(nulls_last=True), "-created_at")
    )


def case_get(*, user, pk: int, action: str = "view") -> EnforcementCase:
    return get_object_or_404(
        EnforcementCase.objects.restrict(user, action).select_related(
            "violation_type", "community", "street", "officer", "co_officer", "referred_to", "reopened_from"),
        pk=pk,
    )


def can_change(user, case) -> bool:
    return EnforcementCase.objects.restrict(user, "change").filter(pk=case.pk).exists()


def handling_options(user, case, can_change: bool) -> dict:
    """Which of 指派, 认领 and 正在搭建 to offer on the case page (cases.services decides; this only hides
    what could not succeed)."""
    from cases import rules

    return {
        "assign": can_change and case.is_open and may(user, policy.CASE_ASSIGN),
        "claim": can_change and case.is_open and may(user, policy.CASE_CLAIM) and case.officer_id is None,
        # 协办队员: a supervisor, or the case's own officer (cases.services.case_set_co_officer)
        "co_officer": can_change and case.is_open and (
            may(user, policy.CASE_ASSIGN) or (may(user, policy.CASE_HANDLE) and case.officer_id == user.pk)),
        "in_progress": can_change and may(user, policy.CASE_HANDLE) and case.state in workflow.BEFORE_DECISION
        and rules.tracks_in_progress(case.violation_type.code),
    }


def measure_labels(codes) -> list[str]:
    """Measures named as users know them, as plain text in the reader's language (never lazy strings, which
    neither join nor go into a spreadsheet)."""
    return [str(Measure(c).label) if c in Measure.values else str(c) for c in codes or []]


def timeline(case):
    steps = list(case.transitions.select_related("actor").prefetch_related("evidence"))
    for step in steps:
        step.label = workflow.label_of(step.action)
        step.is_event = step.action in workflow.EVENTS
        step.measure_labels = measure_labels(step.payload.get("measures"))
        step.measures_done_labels = measure_labels(step.payload.get("measures_done"))
    return steps


def parties(user, case) -> list[dict]:
    """Parties with ID numbers and phones as this user may see them."""
    see = personal_view(user, "party")
    return [{
        "obj": p,
        "id_number": see.id_number(p.id_number),
        "phone": see.phone(p.phone),
        "masked": not see.full and bool(p.id_number or p.phone),
    } for p in case.parties.restrict(user, "view")]


def evidence_list(user, case):
    return case.evidence.restrict(user, "view").select_related("uploaded_by")


def evidence_get(*, user, pk: int) -> Evidence:
    return get_object_or_404(Evidence.objects.restrict(user, "view"), pk=pk)


def document_list(user, case):
    return case.documents.restrict(user, "view").select_related("issued_by")


def document_get(*, user, pk: int) -> Document:
    return get_object_or_404(Document.objects.restrict(user, "view"), pk=pk)


def document_kinds(case) -> list[str]:
    """The documents a page may offer on this case now (cases.documents.issuable: the kind's states, never those
    only a move issues), less those that could not succeed: a 责令改正通知书 needs a corrective measure, a
    行政处罚决定书 an approved penalty with a fine not yet on a decision, a 移交函 a receiving department, a 送达回证
    something to serve. The service still checks everything when one is issued."""
    from cases import documents

    measures = set(case.measures or [])
    procedure = PenaltyProcedure.objects.filter(case=case).first()
    wanted = {
        DocumentKind.ORDER_CORRECT: bool(measures & documents.CORRECTIVE_MEASURES),
        DocumentKind.PENALTY_DECISION: Measure.FINE in measures and procedure is not None
        and procedure.approved_at is not None and case.fines.filter(document__isnull=True).exists(),
        DocumentKind.REFERRAL_LETTER: bool(case.referred_to_id),
        DocumentKind.SERVICE_RECEIPT: case.documents.filter(kind__in=documents.SERVED).exists(),
        # the notices and the summary decision come with their moves
        DocumentKind.PRIOR_NOTICE: False, DocumentKind.HEARING_NOTICE: False, DocumentKind.SUMMARY_DECISION: False,
    }
    return [kind for kind in documents.issuable(case) if wanted.get(kind, True)]


def procedure_view(user, case) -> dict | None:
    """The penalty procedure of the case as its page and the API show it (行政处罚法): the 90-day limit, the intended
    penalty, the notice and its service, the statement and its review, the hearing, the legal review, the
    discussion, the approval, the decision's service, the 催告 and the court, and each unpaid fine's due date and
    today's surcharge. None for a case that never entered the procedure. Parties are named as on the page; their ID
    numbers and phones never appear here."""
    from cases import penalties
    from cases.choices import PaymentStatus
    from cases.models import PenaltyProcedure

    procedure = PenaltyProcedure.objects.restrict(user, "view").filter(case=case).select_related(
        "notice", "reviewed_by", "hearing_presider", "legal_reviewer", "approved_by").first()
    limited = case.state in workflow.TIME_LIMITED and case.decision_due is not None
    if procedure is None and not limited:
        return None
    today = timezone.localdate()
    out = {"decision_due": case.decision_due if limited else None,
           "decision_due_flag": due_flag(case.state, case.decision_due) if limited else "",
           "procedure": procedure, "items": [], "first_items": [], "lowered": False, "unpaid": []}
    if procedure is None:
        return out

    def rows(stored):
        return [{"party": item.party.pk, "party_name": item.party.name, "range": item.fine_range.pk,
                 "range_text": penalties.range_text(item.fine_range), "quantity": item.quantity,
                 "unit": item.fine_range.get_unit_display() if item.fine_range.unit else "", "amount": item.amount}
                for item in penalties.load_items(case, stored)]

    out["items"] = rows(procedure.proposed)
    out["first_items"] = rows(procedure.first_proposed)
    out["lowered"] = [r["amount"] for r in out["items"]] != [r["amount"] for r in out["first_items"]]
    out["total"] = sum((r["amount"] for r in out["items"]), Decimal(0))
    if procedure.notice_served_on:
        out["defence_until"] = penalties.defence_until(procedure.notice_served_on, procedure.hearing_offered)
        out["defence_open"] = today <= out["defence_until"]
        if procedure.hearing_offered:
            out["hearing_request_until"] = penalties.hearing_request_until(procedure.notice_served_on)
    if procedure.approved_at and not procedure.decision_served_on:
        out["service_due"] = penalties.service_due(timezone.localtime(procedure.approved_at).date())
    if procedure.decision_served_on and procedure.procedure == "GENERAL":
        out["court_window"] = penalties.court_window(procedure.decision_served_on)
    for fine in case.fines.restrict(user, "view").filter(status=PaymentStatus.UNPAID).select_related("party"):
        out["unpaid"].append({"fine": fine.pk, "party_name": fine.party.name if fine.party_id else "",
                              "amount": fine.amount, "due": fine.due, "overdue": bool(fine.due and fine.due < today),
                              "surcharge": penalties.surcharge(fine.amount, fine.due, today)})
    return out


def fine_list(user, case):
    return case.fines.restrict(user, "view").select_related("party", "document").order_by("decided_at", "pk")


def fine_final_gives_credit(case) -> bool:
    """Whether a fine of this case becoming final puts credit points on a property company: the credit app's
    rule, registered through cases.hooks (credit.receivers → credit.services.credit_award_for_fine)."""
    return hooks.fine_gives_credit(case)


def fine_get(*, user, pk: int, action: str = "view") -> Fine:
    return get_object_or_404(Fine.objects.restrict(user, action).select_related("case"), pk=pk)


def supervision_list(user, case):
    return case.supervisions.restrict(user, "view").select_related("issued_by", "responded_by")


def supervision_get(*, user, pk: int, action: str = "view") -> SupervisionOrder:
    return get_object_or_404(SupervisionOrder.objects.restrict(user, action).select_related("case"), pk=pk)


def related_records(user, case) -> dict:
    """The credit and inventory records of the case that the user may open, each through its own scope; the
    apps above cases add them through cases.hooks (credit.receivers, programme.receivers)."""
    return hooks.related_records(user, case)


def linked_complaints(user, case):
    from intake.models import Complaint

    complaints = list(Complaint.objects.restrict(user, "view").filter(case=case)
                      .select_related("reply").order_by("received_at"))
    changeable = set(Complaint.objects.restrict(user, "change").filter(case=case).values_list("pk", flat=True))
    for complaint in complaints:
        complaint.can_reply = complaint.pk in changeable and complaint.channel == "HOTLINE"
    return complaints


def referral_list(user, case):
    return with_referral_flag(case.referrals.restrict(user, "view").select_related("department", "signed_by"))


def referral_overdue_q() -> Q:
    """A referral still waiting for the department past its 反馈期限. Filter with this, not with the annotation
    below: a condition on the columns reads the partial index of waiting referrals (cases 0012), the annotation's
    CASE reads every referral of the department."""
    return Q(status__in=PENDING_REFERRAL, due__lt=timezone.localdate())


def with_referral_flag(qs):
    return qs.annotate(is_overdue=Case(When(referral_overdue_q(), then=Value(True)), default=Value(False)))


# --- the officer's day, the supervisor's board, the department's inbox -------------------------

def _open_supervisions(qs):
    return qs.annotate(open_supervisions=Count("supervisions", filter=Q(supervisions__status=SupervisionStatus.OPEN)))


def workbench(*, user) -> dict:
    """The officer's day. Each panel lists its first WORKBENCH_SHOWN cases (most urgent first) and counts them all
    (`<panel>_total`), so the page costs the same whatever the officer's backlog."""
    mine = case_list(user=user).filter(officer=user, state__in=OPEN_STATES)
    since = timezone.now() - timedelta(days=NEW_ASSIGNMENT_DAYS)
    # opened lately, or assigned to me (or claimed by me) lately, by the timeline's records
    assigned = CaseTransition.objects.filter(action__in=ASSIGN_EVENTS, at__gte=since,
                                             payload__officer=user.pk).values("case_id")
    panels = {
        "overdue": overdue(mine), "soon": due_soon(mine),
        "new": mine.filter(Q(pk__in=assigned) | Q(created_at__gte=since)).order_by("-created_at"),
        # clues of my streets nobody handles yet: mine to claim (认领)
        "unassigned": case_list(user=user).filter(officer__isnull=True, state__in=OPEN_STATES),
    }
    out = {}
    for name, qs in panels.items():
        shown = UNASSIGNED_SHOWN if name == "unassigned" else WORKBENCH_SHOWN
        out[name] = list(_open_supervisions(qs)[:shown])
        out[f"{name}_total"] = len(out[name]) if len(out[name]) < shown else qs.order_by().count()
    out["supervisions"] = list(
        SupervisionOrder.objects.restrict(user, "view")
        .filter(case__officer=user, status=SupervisionStatus.OPEN)
        .select_related("case", "issued_by").order_by("response_due"))
    out.update(recheck_panel(user=user))
    return out


def board(*, user) -> dict:
    """督办看板: every overdue case counted per street, the BOARD_SHOWN_PER_STREET most overdue of each listed (the
    rest on the case list, filtered to the street); open supervisions and late referrals counted, the BOARD_SHOWN
    most urgent listed. The cost follows what is shown, not the backlog."""
    today = timezone.localdate()
    late = overdue(case_list(user=user))
    per_street = dict(late.order_by().values_list("street_id").annotate(n=Count("pk")))
    ranked = late.annotate(rank=Window(RowNumber(), partition_by=[F("street_id")],
                                       order_by=[F("state_due").asc(), F("number").asc()]))
    shown = ranked.filter(rank__lte=BOARD_SHOWN_PER_STREET).values_list("pk", flat=True)
    cases = list(_open_supervisions(case_list(user=user).filter(pk__in=list(shown)))
                 .order_by("street__code", "street__name", "state_due", "number"))
    for case in cases:
        case.street_overdue = per_street.get(case.street_id, 0)
    supervisions = (SupervisionOrder.objects.restrict(user, "view").filter(status=SupervisionStatus.OPEN)
                    .select_related("case__street", "case__officer", "issued_by")
                    .annotate(is_late=Case(When(response_due__lt=today, then=Value(True)), default=Value(False)))
                    .order_by("response_due", "pk"))
    referrals = (Referral.objects.restrict(user, "view").filter(status__in=PENDING_REFERRAL, due__lt=today)
                 .select_related("department", "case", "complaint", "street").order_by("due", "pk"))
    out = {"overdue": cases, "overdue_total": sum(per_street.values()), "shown_per_street": BOARD_SHOWN_PER_STREET}
    for name, qs in (("supervisions", supervisions), ("referrals", referrals)):
        out[name] = list(qs[:BOARD_SHOWN])
        out[f"{name}_total"] = len(out[name]) if len(out[name]) < BOARD_SHOWN else qs.count()
    return out


def inbox(*, user):
    """Referrals addressed to the user's department, most urgent first."""
    if not may(user, policy.REFERRAL_INBOX) or not user.department_id:
        return Referral.objects.none()
    order = Case(When(status=ReferralStatus.SENT, then=Value(0)), When(status=ReferralStatus.SIGNED, then=Value(1)),
                 default=Value(2))
    return with_referral_flag(
        Referral.objects.restrict(user, "view").filter(department_id=user.department_id)
        .select_related("case", "complaint", "street", "signed_by", "answered_by", "sent_by")
        .order_by(order, "due", "pk"))


def inbox_summary(*, user, shown: int = 8) -> dict:
    """The department's open referrals for its home page: how many wait, how many are overdue, the most urgent
    (overdue first, then by due date)."""
    pending = inbox(user=user).filter(status__in=PENDING_REFERRAL)
    return {"pending": pending.count(), "overdue": pending.filter(referral_overdue_q()).count(),
            "urgent": list(pending.order_by("-is_overdue", "due", "pk")[:shown])}


def referral_get(*, user, pk: int) -> Referral:
    return get_object_or_404(
        inbox(user=user).select_related("department"), pk=pk)


# --- the community page's panel (registry.hooks) --------------------------------------------------------

COMMUNITY_PANEL_ROWS = 5


def community_panel(user, community) -> dict | None:
    """The community's cases the user sees, newest first, with their stage deadline's 超期 / 临期 flag."""
    from django.urls import reverse

    if not may(user, policy.CASE_LIST):
        return None
    cases = case_list(user=user).filter(community=community).order_by("-created_at", "-pk")
    return {
        "key": "cases", "title": _("本小区执法案件"), "icon": "folder2-open", "total": cases.count(),
        "rows": [{"label": c.number, "text": f"{c.violation_type.name} · {c.summary}" if c.summary
                  else c.violation_type.name, "when": c.created_at, "url": reverse("cases:detail", args=[c.pk]),
                  "badge": c.get_state_display(), "tone": "success" if c.state == "CLOSED" else "primary",
                  "flag": c.due_flag} for c in cases[:COMMUNITY_PANEL_ROWS]],
        "more_url": f"{reverse('cases:list')}?community={community.pk}",
        "empty": _("该小区没有执法案件"),
    }


# --- 回头看 (R3.6) and repeat offenders ---------------------------------------------------------------

RECHECK_SHOWN = 20   # re-checks on 今日工作台 (the most urgent); the rest on the 回头看 list


def rechecks(*, user, show: str = "", mine: bool = False):
    """The re-checks in the user's scope: `show` = "due" (not done yet), "overdue" (not done after the due day),
    "done", "" (every one); `mine`: of the user's own cases."""
    from cases.choices import ReCheckStatus
    from cases.models import ReCheck

    qs = (ReCheck.objects.restrict(user, "view")
          .select_related("case", "case__violation_type", "case__community", "case__street", "case__officer",
                          "done_by", "follow_up"))
    if show == "due":
        qs = qs.filter(status=ReCheckStatus.DUE)
    elif show == "overdue":
        qs = qs.filter(indicators.recheck_overdue_q())
    elif show == "done":
        qs = qs.filter(status=ReCheckStatus.DONE).order_by("-done_at", "-pk")
    if mine:
        qs = qs.filter(case__officer=user)
    return qs


def recheck_get(*, user, pk: int, action: str = "view"):
    from cases.models import ReCheck

    return get_object_or_404(ReCheck.objects.restrict(user, action).select_related(
        "case", "case__violation_type", "case__community", "case__street", "done_by", "follow_up"), pk=pk)


def recheck_panel(*, user) -> dict:
    """今日工作台's 回头看: the officer's re-checks due by 临期 (overdue first), counted all."""
    from cases.choices import ReCheckStatus

    _today, until = due_limits()
    qs = rechecks(user=user, show="due", mine=True).filter(due__lte=until).order_by("due", "pk")
    shown = list(qs[:RECHECK_SHOWN])
    total = len(shown) if len(shown) < RECHECK_SHOWN else qs.order_by().count()
    for item in shown:
        item.late = item.status == ReCheckStatus.DUE and item.due < _today
    return {"rechecks": shown, "rechecks_total": total}


def case_rechecks(user, case):
    from cases.models import ReCheck

    return (ReCheck.objects.restrict(user, "view").filter(case=case)
            .select_related("done_by", "follow_up").prefetch_related("evidence").order_by("closed_at", "due"))


def repeat_offences(user, case) -> dict:
    """此户/此人：此前 N 起案件 — only cases and complaints in the user's scope (cases.repeat)."""
    from cases import repeat

    return repeat.earlier(user, case)
