"""Fine cases taken to each state of the Administrative Penalty Law's procedure (cases.workflow), for the page,
API, route and browser tests: one helper per stretch of the path, each through cases.services like a user."""
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cases import documents, penalties
from cases.choices import CaseState, DocumentKind, PartyRole
from cases.models import EnforcementCase, PenaltyProcedure
from cases.tests.test_paths import add_party, move, open_case, photo, to_investigating

SMALL = "300"      # EBIKE_PARKING 200–500: no hearing, no legal review
MAJOR = "20000"    # ILLEGAL_CONSTRUCTION 1万–10万 for a person: a hearing is offered, legal review and discussion


def fine_range(case, index=0):
    return list(penalties.ranges_for(case))[index]


def investigating(world, code="EBIKE_PARKING", actor=None):
    """A case in 调查取证 with its two officers and a party (the owner)."""
    actor = actor or world.oscar
    case = to_investigating(open_case(world, code, actor=actor), actor)
    add_party(case, actor, PartyRole.OWNER, name="赵某", id_number="310107198001011234", phone="13800001234")
    return EnforcementCase.objects.get(pk=case.pk)


def penalty_of(case, amount):
    party = case.parties.get()
    return [{"party": party.pk, "range": fine_range(case).pk, "amount": amount, "quantity": None}]


def measures_of(case):
    return ["ORDER_CORRECT", "FINE"] if case.violation_type.code == "EBIKE_PARKING" else ["RESTORE", "FINE"]


def notified(world, code="EBIKE_PARKING", amount=SMALL, actor=None):
    actor = actor or world.oscar
    case = investigating(world, code, actor)
    return move(case, "notify", actor, findings="经查，当事人在电梯内停放电动自行车。", measures=measures_of(case),
                penalty=penalty_of(case, amount))


def in_defence(world, code="EBIKE_PARKING", amount=SMALL, actor=None):
    actor = actor or world.oscar
    case = notified(world, code, amount, actor)
    return move(case, "serve_notice", actor, served_on=timezone.localdate(), manner="IN_PERSON")


def in_hearing(world, actor=None):
    actor = actor or world.oscar
    case = in_defence(world, "ILLEGAL_CONSTRUCTION", MAJOR, actor)
    return move(case, "request_hearing", actor, requested_on=timezone.localdate())


def hearing_scheduled(world):
    case = in_hearing(world)
    at = timezone.make_aware(timezone.datetime.combine(
        penalties.earliest_hearing(timezone.localdate()), timezone.datetime.min.time())) + timedelta(hours=9)
    return move(case, "schedule_hearing", world.alice, hearing_at=at, hearing_place="区城管执法局听证室",
                presider=world.ada)


def in_legal_review(world):
    case = hearing_scheduled(world)
    # the hearing took place (its day has come)
    PenaltyProcedure.objects.filter(case=case).update(hearing_at=timezone.now() - timedelta(hours=2))
    return move(case, "hold_hearing", world.oscar, hearing_record="当事人到场陈述，对事实无异议，请求从轻处罚。")


def in_approval(world, major=True):
    if not major:
        case = in_defence(world)
        case = move(case, "record_waiver", world.oscar, reason="当事人书面放弃陈述申辩")
        return move(case, "submit_approval", world.oscar)
    case = in_legal_review(world)
    case = move(case, "pass_legal_review", world.lena, opinion="事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。")
    return move(case, "record_discussion", world.alice, minutes="同意按拟处罚意见作出决定。", participants="局长、副局长、法制科长",
                discussion_on=timezone.localdate())


def decided(world, major=False):
    case = in_approval(world, major=major)
    return move(case, "approve", world.alice)


def decision_served(world, major=False):
    case = decided(world, major=major)
    documents.document_issue(case=case, kind=DocumentKind.PENALTY_DECISION, actor=world.oscar,
                             extra={"confirm_unverified": True})
    case.refresh_from_db()
    return move(case, "serve_decision", world.oscar, served_on=timezone.localdate(), manner="IN_PERSON",
                files=[photo("receipt.jpg")])


def overdue_fine(world):
    """Served 20 days ago: the 15 days to pay have passed (a surcharge runs)."""
    case = decision_served(world)
    served = timezone.localdate() - timedelta(days=20)
    PenaltyProcedure.objects.filter(case=case).update(decision_served_on=served)
    case.fines.update(due=penalties.payment_due(served))
    return EnforcementCase.objects.get(pk=case.pk)


STATES = {
    CaseState.INVESTIGATING: investigating,
    CaseState.NOTICE: notified,
    CaseState.DEFENCE: in_defence,
    CaseState.HEARING: hearing_scheduled,
    CaseState.LEGAL_REVIEW: in_legal_review,
    CaseState.APPROVAL: in_approval,
    CaseState.DECIDED: overdue_fine,
}


def surcharge_today(fine) -> Decimal:
    return penalties.surcharge(fine.amount, fine.due, timezone.localdate())


def fined_through_the_procedure(world, case, *, amount="5000", actor=None):
    """An investigated case (a property company's negligence case, say) notified, waived, approved and its decision
    issued: returns the fine, made final (生效), as credit's fine_final did before fines came from the procedure."""
    from cases import fines

    actor = actor or world.oscar
    case = to_investigating(case, actor)
    party = case.parties.order_by("pk").first()
    case = move(case, "notify", actor, findings="经查，物业服务企业未履行劝阻、制止、报告义务。",
                measures=["ORDER_CORRECT", "FINE"],
                penalty=[{"party": party.pk, "range": fine_range(case).pk, "amount": amount}])
    case = move(case, "serve_notice", actor, served_on=timezone.localdate(), manner="IN_PERSON")
    case = move(case, "record_waiver", actor, reason="当事人书面放弃陈述申辩")
    case = move(case, "submit_approval", actor)
    case = move(case, "approve", world.alice)
    documents.document_issue(case=case, kind=DocumentKind.PENALTY_DECISION, actor=actor,
                             extra={"confirm_unverified": True})
    fine = case.fines.get()
    return fines.fine_make_final(fine=fine, actor=actor)
