"""Seed 001 §二 end to end: one full path per problem class (危及安全 / 破坏环境秩序 / 物业违规), the referral,
dismissal and reopening paths, and every move outside the workflow table refused without changing anything."""
import itertools
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.choices import Role
from cases import fines, penalties, services, workflow
from cases.choices import CaseState, PartyRole
from cases.models import EnforcementCase, Referral
from core.errors import ApplicationError
from intake.choices import Channel, ComplaintStatus
from intake.models import Complaint
from registry.models import ViolationType

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


# --- helpers shared by the other case test modules ----------------------------------------------

def photo(name="site.jpg"):
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def complaint_for(code, community, **extra):
    return Complaint.objects.create(
        channel=Channel.PATROL, received_at=extra.pop("received_at", timezone.now()), content=f"{code} 巡查发现",
        address_text="兰溪路88弄", community=community, street=community.street,
        violation_type=ViolationType.objects.get(code=code), status=extra.pop("status", ComplaintStatus.ROUTED),
        **extra)


def open_case(world, code, *, in_progress=False, community=None, actor=None):
    complaint = complaint_for(code, community or world.caoyang_a)
    case = services.case_open_from_complaint(complaint=complaint, actor=actor or world.oscar)
    if in_progress:
        EnforcementCase.objects.filter(pk=case.pk).update(in_progress=True)
        case.refresh_from_db()
    return case


def move(case, action, actor, **data):
    """One move made with the version the user saw."""
    return services.case_transition(case=case, action=action, actor=actor, version=case.version, **data)


def with_team(case, actor=None):
    """The two officers of 行政处罚法 §42: the case's officer (oscar, or owen in 长风) and a co-officer."""
    from accounts.models import User

    if case.officer_id is None or case.co_officer_id is None:
        officers = list(services.assignable_officers(case).exclude(cert_number=""))
        officer = case.officer or officers[0]
        co = next(o for o in officers if o.pk != officer.pk) if len(officers) > 1 else None
        if co is None:  # a street with one officer in the small world: a colleague joins its streets
            co = User.objects.get(username="otis")
            co.streets.add(case.street_id)
        EnforcementCase.objects.filter(pk=case.pk).update(officer=officer, co_officer=co)
        case.refresh_from_db()
    return case


def to_investigating(case, actor):
    case = move(case, "start_verification", actor)
    case = move(case, "file", actor, files=[photo()])
    return move(with_team(case), "investigate", actor)


FINDINGS = "经查：当事人在该处实施了所述违法行为，执法人员现场检查并拍照取证，当事人对上述事实无异议。"


def decide(case, actor, measures, **data):
    """A decision without a fine, on the investigation's findings."""
    data.setdefault("findings", FINDINGS)
    return move(case, "decide", actor, measures=list(measures), **data)


def penalty_row(case, amount, *, party=None, label=None, quantity=None) -> dict:
    ranges = penalties.ranges_for(case)
    fine_range = ranges.filter(label=label).first() if label else ranges.first()
    party = party or case.parties.order_by("id").first()
    return {"party": party.pk, "range": fine_range.pk, "amount": str(amount), "quantity": quantity}


def notify_fine(case, actor, amount, *, measures=("ORDER_CORRECT", "FINE"), label=None, quantity=None, **data):
    """拟作出行政处罚，事先告知: the intended fine for the case's first party."""
    data.setdefault("findings", FINDINGS)
    return move(case, "notify", actor, measures=list(measures),
                penalty=data.pop("penalty", None) or [penalty_row(case, amount, label=label, quantity=quantity)],
                reason=data.pop("reason", "违法事实清楚，拟予处罚"), **data)


def serve_notice(case, actor, served_on=None):
    return move(case, "serve_notice", actor, served_on=served_on or timezone.localdate(), manner="IN_PERSON")


def to_decision(case, world, *, actor=None):
    """From DEFENCE (the party waived) to an approved penalty decision: legal review and collective discussion when
    the case needs them."""
    from cases import rules

    actor = actor or world.oscar
    case = move(case, "record_waiver", actor, reason="当事人书面表示放弃陈述、申辩和听证")
    if rules.needs_legal_review(case):
        case = move(case, "submit_legal_review", actor)
        case = move(case, "pass_legal_review", world.lena, opinion="事实清楚，证据确凿，适用依据正确，程序合法，处罚适当")
    else:
        case = move(case, "submit_approval", actor)
    if penalties.is_major(penalties.load_items(case, case.penalty.proposed)):
        case = move(case, "record_discussion", world.alice, minutes="同意拟处罚意见", participants="局长、副局长、法制科长")
    return move(case, "approve", world.alice)


def fine_case(world, code="USE_CHANGE", amount="12000", *, actor=None, role=None, measures=("ORDER_CORRECT", "FINE"),
              **party):
    """A case decided with a fine through the general procedure (the party waived its statement), at DECIDED."""
    actor = actor or world.oscar
    case = to_investigating(open_case(world, code), actor)
    add_party(case, actor, role or PartyRole.OWNER, **party)
    case = notify_fine(case, actor, amount, measures=measures)
    case = serve_notice(case, actor)
    return to_decision(case, world, actor=actor)


def refused(case, action, actor, requirement=None, **data):
    """The move is refused with a message, and the case, its version and its history are unchanged."""
    before = (case.state, case.version, case.state_due, case.transitions.count(), list(case.measures))
    with pytest.raises(ApplicationError) as info:
        move(case, action, actor, **data)
    assert info.value.message
    if requirement:
        assert info.value.extra.get("requirement") == requirement, info.value.message
    fresh = EnforcementCase.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version, fresh.state_due, fresh.transitions.count(), list(fresh.measures)) == before
    return info.value


def rectify_and_review(case, actor):
    case = move(case, "order_rectification", actor, rectify_due=timezone.localdate() + timedelta(days=10))
    return move(case, "review", actor)


def add_party(case, actor, role, name="赵某", **extra):
    return services.party_add(case=case, actor=actor, role=role, name=name, **extra)


# --- 危及安全 ------------------------------------------------------------------------------------

def test_new_illegal_construction_is_stopped_demolished_and_fined(world):
    case = open_case(world, "ILLEGAL_CONSTRUCTION", in_progress=True)
    officer = world.oscar
    case = to_investigating(case, officer)
    add_party(case, officer, PartyRole.OWNER)
    error = refused(case, "decide", officer, "measures", measures=["FINE"], findings=FINDINGS)
    assert "制止" in error.message and "拆除" in error.message
    refused(case, "notify", officer, "measures", measures=["STOP", "DEMOLISH", "ANNOTATE", "FINE"],
            findings=FINDINGS, penalty=[penalty_row(case, "15000")])  # 注记 is for existing ones
    error = refused(case, "decide", officer, "no_fine", measures=["STOP", "DEMOLISH", "FINE"], findings=FINDINGS)
    assert "事先告知" in error.message
    case = notify_fine(case, officer, "15000", measures=["STOP", "DEMOLISH", "FINE"], reason="正在搭建，当场制止")
    assert case.state == CaseState.NOTICE and case.measures == ["STOP", "DEMOLISH", "FINE"]
    case = to_decision(serve_notice(case, officer), world)
    assert case.state == CaseState.DECIDED and case.fines.get().amount == 15000
    refused(case, "close_executed", officer, "fines_settled", reason="已拆除", measures_done=["STOP", "DEMOLISH"])
    fines.fine_record_payment(fine=case.fines.get(), actor=officer, status="PAID")
    case = move(case, "close_executed", officer, reason="已拆除，罚款已缴", measures_done=["STOP", "DEMOLISH"])
    assert case.state == CaseState.CLOSED and case.closed_at is not None
    assert [t.action for t in case.transitions.all()] == [
        "register", "start_verification", "file", "investigate", "notify", "serve_notice", "record_waiver",
        "submit_approval", "approve", "close_executed"]


def test_existing_illegal_construction_may_be_annotated_or_force_demolished_not_stopped(world):
    case = to_investigating(open_case(world, "ILLEGAL_CONSTRUCTION"), world.oscar)
    add_party(case, world.oscar, PartyRole.OWNER)
    error = refused(case, "decide", world.oscar, "measures", measures=["STOP"], findings=FINDINGS)
    assert "不适用" in error.message
    case = notify_fine(case, world.oscar, "30000", measures=["ANNOTATE", "FINE", "FORCED_DEMOLITION"])
    case = to_decision(serve_notice(case, world.oscar), world)
    assert case.state == CaseState.DECIDED
    fines.fine_record_payment(fine=case.fines.get(), actor=world.oscar, status="PAID")
    case = rectify_and_review(case, world.oscar)
    refused(case, "close_rectified", world.oscar, "review_evidence", reason="已拆除")
    case = move(case, "close_rectified", world.oscar, reason="已强制拆除", files=[photo("after.jpg")])
    assert case.state == CaseState.CLOSED
    assert case.evidence.filter(stage=CaseState.REVIEWING).count() == 1


def test_load_bearing_damage_closes_only_when_restored(world):
    case = to_investigating(open_case(world, "STRUCTURE_DAMAGE"), world.alice)
    add_party(case, world.alice, PartyRole.OWNER)
    refused(case, "notify", world.alice, "measures", measures=["FINE"], findings=FINDINGS,
            penalty=[penalty_row(case, "20000")])  # 一律整改恢复: ORDER_CORRECT required
    # ordering the restoration is not the restoration
    case = decide(case, world.alice, ["ORDER_CORRECT", "RESTORE"])
    due = timezone.localdate() + timedelta(days=20)
    case = move(case, "order_rectification", world.alice, rectify_due=due)
    assert case.state_due == due
    case = move(case, "review", world.alice)
    error = refused(case, "close_rectified", world.alice, "closing_measures", files=[photo("after.jpg")])
    assert "恢复原状" in error.message
    case = move(case, "close_rectified", world.alice, files=[photo("after.jpg")], measures_done=["RESTORE"],
                reason="承重墙已恢复，经房屋安全鉴定合格")
    assert case.state == CaseState.CLOSED and "RESTORE" in case.measures
    assert case.transitions.last().payload["measures_done"] == ["RESTORE"]


def test_load_bearing_damage_executed_without_restoring_cannot_close(world):
    case = fine_case(world, "STRUCTURE_DAMAGE", "15000")
    fines.fine_record_payment(fine=case.fines.get(), actor=world.oscar, status="PAID")
    refused(case, "close_executed", world.oscar, "closing_measures", reason="罚款已缴")
    case = move(case, "close_executed", world.oscar, reason="罚款已缴，已恢复", measures_done=["RESTORE"])
    assert case.state == CaseState.CLOSED


def test_ebike_in_common_parts_is_always_ordered_to_correct(world):
    case = to_investigating(open_case(world, "EBIKE_PARKING"), world.oscar)
    add_party(case, world.oscar, PartyRole.USER, name="钱某")
    error = refused(case, "notify", world.oscar, "measures", measures=["FINE"], findings=FINDINGS,
                    penalty=[penalty_row(case, "300")])
    assert "责令改正" in error.message
    case = decide(case, world.oscar, ["ORDER_CORRECT"])
    case = rectify_and_review(case, world.oscar)
    case = move(case, "close_rectified", world.oscar, files=[photo("clear.jpg")], reason="楼道已清空")
    assert case.state == CaseState.CLOSED


# --- 破坏环境秩序 --------------------------------------------------------------------------------

def test_group_renting_names_owner_tenant_and_the_agency_or_agent(world):
    case = to_investigating(open_case(world, "GROUP_RENTING"), world.oscar)
    refused(case, "decide", world.oscar, "parties", measures=["ORDER_CORRECT"], findings=FINDINGS)
    add_party(case, world.oscar, PartyRole.OWNER, name="孙某", id_number="310107198001011234", phone="13800001111")
    error = refused(case, "decide", world.oscar, "parties", measures=["ORDER_CORRECT"], findings=FINDINGS)
    assert "承租人" in error.message
    add_party(case, world.oscar, PartyRole.TENANT, name="李某")
    error = refused(case, "decide", world.oscar, "parties", measures=["ORDER_CORRECT"], findings=FINDINGS)
    assert "经纪" in error.message
    add_party(case, world.oscar, PartyRole.AGENT, name="周某")
    # the penalty article of group renting is 待核实 and no range is on record: no fine can be intended
    error = refused(case, "notify", world.oscar, "penalty", measures=["ORDER_CORRECT", "FINE"], findings=FINDINGS,
                    penalty=[{"party": case.parties.first().pk, "range": 1, "amount": "5000"}])
    assert "罚款幅度尚未录入" in error.message and "待核实" in error.message
    case = decide(case, world.oscar, ["ORDER_CORRECT"])
    assert case.state == CaseState.DECIDED
    assert set(case.parties.values_list("role", flat=True)) == {"OWNER", "TENANT", "AGENT"}


def test_household_waste_educates_first_and_fines_only_after_refusal(world):
    case = to_investigating(open_case(world, "HOUSEHOLD_WASTE"), world.oscar)
    add_party(case, world.oscar, PartyRole.USER, name="吴某")
    error = refused(case, "notify", world.oscar, "measures", measures=["FINE"], findings=FINDINGS,
                    penalty=[penalty_row(case, "100")])
    assert "教育" in error.message
    case = decide(case, world.oscar, ["EDUCATE"], reason="当面宣传分类要求")
    case = rectify_and_review(case, world.oscar)
    # refused to comply: a fine now, through the procedure (escalate itself never fines)
    refused(case, "escalate", world.oscar, "no_fine", reason="拒不整改", measures=["FINE"])
    refused(case, "escalate_penalty", world.oscar, "reason")
    case = move(case, "escalate_penalty", world.oscar, reason="复查仍未分类投放，拒不整改")
    assert case.state == CaseState.INVESTIGATING
    case = notify_fine(case, world.oscar, "100", measures=["FINE"], label="个人混投，经责令改正拒不改正")
    case = to_decision(serve_notice(case, world.oscar), world)
    assert case.state == CaseState.DECIDED and case.measures == ["FINE"]
    fines.fine_record_payment(fine=case.fines.get(), actor=world.oscar, status="PAID")
    case = move(case, "close_executed", world.oscar, reason="罚款已缴纳")
    assert case.state == CaseState.CLOSED


def test_household_waste_cannot_fine_at_escalation_without_earlier_education(world):
    case = to_investigating(open_case(world, "HOUSEHOLD_WASTE"), world.oscar)
    add_party(case, world.oscar, PartyRole.USER, name="吴某")
    case = decide(case, world.oscar, ["ORDER_CORRECT"])
    case = rectify_and_review(case, world.oscar)
    case = move(case, "escalate_penalty", world.oscar, reason="仍未整改")
    # never educated: a fine is still refused at the notice
    refused(case, "notify", world.oscar, "measures", measures=["FINE"], findings=FINDINGS,
            penalty=[penalty_row(case, "100")])
    case = decide(case, world.oscar, ["EDUCATE"], reason="仍未整改，先行教育")
    assert case.measures == ["EDUCATE"]


# --- 物业违规 ------------------------------------------------------------------------------------

def test_property_negligence_names_the_company(world):
    case = to_investigating(open_case(world, "PROPERTY_NEGLIGENCE"), world.oscar)
    refused(case, "decide", world.oscar, "parties", measures=["ORDER_CORRECT"], findings=FINDINGS)
    add_party(case, world.oscar, PartyRole.OWNER)
    error = refused(case, "decide", world.oscar, "parties", measures=["ORDER_CORRECT"], findings=FINDINGS)
    assert "物业服务企业" in error.message
    add_party(case, world.oscar, PartyRole.PROPERTY_COMPANY, name=world.company_a.name, kind="ORGANISATION",
              id_number=world.company_a.credit_code, property_company=world.company_a)
    case = decide(case, world.oscar, ["ORDER_CORRECT"], reason="未及时劝阻、报告业主违法搭建")
    case = rectify_and_review(case, world.oscar)
    case = move(case, "close_rectified", world.oscar, files=[photo("duty.jpg")], reason="已建立巡查报告制度")
    assert case.state == CaseState.CLOSED
    assert case.parties.get(role=PartyRole.PROPERTY_COMPANY).property_company == world.company_a


# --- referral, dismissal, reopening --------------------------------------------------------------

def test_a_matter_of_another_department_is_referred(world):
    case = move(open_case(world, "COMMON_AREA_OCCUPATION"), "start_verification", world.oscar)
    refused(case, "refer", world.oscar, "department", reason="属房管职责")
    refused(case, "refer", world.oscar, "reason", department="HOUSING")
    refused(case, "refer", world.oscar, department="CHENGGUAN", reason="x")
    assert not Referral.objects.exists()
    case = move(case, "refer", world.oscar, department="HOUSING", reason="物业服务纠纷，属房管职责")
    assert case.state == CaseState.REFERRED and case.referred_to.code == "HOUSING"
    referral = Referral.objects.get(case=case)
    assert referral.department.code == "HOUSING" and referral.street == world.caoyang and referral.due
    assert EnforcementCase.objects.restrict(world.hana).filter(pk=case.pk).exists()  # the department sees it
    assert case.state_due is None


def test_a_clue_found_untrue_is_dismissed_with_a_reason(world):
    case = move(open_case(world, "SMALL_ADS"), "start_verification", world.oscar)
    refused(case, "dismiss", world.oscar, "reason", reason="  ")
    case = move(case, "dismiss", world.oscar, reason="现场核查，未发现小广告")
    assert case.state == CaseState.CLOSED and case.closing_reason == "现场核查，未发现小广告"
    assert case.complaints.get().status == ComplaintStatus.CLOSED


def _closed_case(world):
    case = move(open_case(world, "SMALL_ADS"), "start_verification", world.oscar)
    return move(case, "dismiss", world.oscar, reason="未发现")


def test_a_closed_case_reopens_within_90_days(world):
    case = _closed_case(world)
    EnforcementCase.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=89))
    case.refresh_from_db()
    refused(case, "reopen", world.oscar, "reason")
    case = move(case, "reopen", world.oscar, reason="回头看发现回潮")
    assert case.state == CaseState.VERIFYING and case.closed_at is None and case.state_due


def test_a_case_closed_over_90_days_ago_does_not_reopen(world):
    case = _closed_case(world)
    EnforcementCase.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=91))
    case.refresh_from_db()
    error = refused(case, "reopen", world.alice, "within_90_days", reason="回潮")
    assert "90" in error.message


# --- every move outside the table, and every role outside a move ---------------------------------

LEGAL = {(m.source, m.action) for m in workflow.MOVES}
ACTIONS = sorted({m.action for m in workflow.MOVES})
ILLEGAL = [(s, a) for s, a in itertools.product(CaseState.values, ACTIONS) if (s, a) not in LEGAL]


def test_the_illegal_pairs_cover_the_rest_of_the_table():
    assert len(ILLEGAL) + len(LEGAL) == len(CaseState.values) * len(ACTIONS)
    assert len(LEGAL) == len(workflow.MOVES)  # one move per (state, action)


def _in_state(world, state):
    case = open_case(world, "ILLEGAL_CONSTRUCTION")
    add_party(case, world.oscar, PartyRole.OWNER)
    services.evidence_add(case=case, upload=photo(), actor=world.oscar)
    EnforcementCase.objects.filter(pk=case.pk).update(state=state, closed_at=timezone.now())
    case.refresh_from_db()
    return with_team(case)


# Everything any move could need, so that only the table itself can refuse.
EVERYTHING = {"reason": "理由", "measures": ["ORDER_CORRECT"], "measures_done": ["RESTORE"], "department": "HOUSING",
              "files": ()}


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_move_outside_the_table_is_refused(world, state, action):
    case = _in_state(world, state)
    data = {**EVERYTHING, "rectify_due": timezone.localdate() + timedelta(days=5)}
    error = refused(case, action, world.ada, **data)
    assert "不能执行" in error.message and str(CaseState(state).label) in error.message


@pytest.mark.parametrize("persona", ["sam", "hana", "paul", "cyrus"])
@pytest.mark.parametrize("legal", workflow.MOVES, ids=lambda m: f"{m.source}-{m.action}")
def test_roles_outside_a_move_are_refused(world, persona, legal):
    case = _in_state(world, legal.source)
    user = getattr(world, persona)
    assert user.role in {Role.STREET, Role.DEPARTMENT, Role.PROPERTY, Role.CITY}
    assert services.available_moves(case, user) == []
    data = {**EVERYTHING, "rectify_due": timezone.localdate() + timedelta(days=5)}
    error = refused(case, legal.action, user, **data)
    assert "角色" in error.message


def test_handlers_see_the_moves_of_the_state(world):
    case = _in_state(world, CaseState.VERIFYING)
    assert [m.action for m in services.available_moves(case, world.oscar)] == ["file", "dismiss", "refer",
                                                                              "summary_penalty"]
    assert [m.action for m in services.available_moves(case, world.alice)] == ["file", "dismiss", "refer",
                                                                              "summary_penalty"]


@pytest.mark.parametrize("legal", workflow.MOVES, ids=lambda m: f"{m.source}-{m.action}")
def test_the_legal_reviewer_makes_only_the_legal_review_and_officers_never_it(world, legal):
    """法制审核 is the legal reviewer's, and only that: an investigator never reviews his own case (§58)."""
    case = _in_state(world, legal.source)
    data = {**EVERYTHING, "rectify_due": timezone.localdate() + timedelta(days=5)}
    if Role.LEGAL in legal.roles:
        assert world.oscar.role not in legal.roles and world.alice.role not in legal.roles
        assert "角色" in refused(case, legal.action, world.oscar, **data).message
    else:
        assert legal.action not in [m.action for m in services.available_moves(case, world.lena)]
        assert "角色" in refused(case, legal.action, world.lena, **data).message
