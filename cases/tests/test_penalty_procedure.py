"""The Administrative Penalty Law's procedure (《行政处罚法》2021) end to end through `case_transition`: a fine case
through notice → statement and defence (accepted in part, the fine lowered) → decision → service → late payment →
催告 → court application; a hearing case through its hearing and the legal review; the summary procedure; and every
refusal the law asks for, each leaving the case as it was."""
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases import penalties, rules, services
from cases.choices import CaseState, DocumentKind, PartyRole, PaymentStatus
from cases.documents import document_issue
from cases.models import EnforcementCase, PenaltyProcedure
from cases.tests.test_paths import (
    FINDINGS,
    add_party,
    fine_case,
    move,
    notify_fine,
    open_case,
    penalty_row,
    photo,
    refused,
    serve_notice,
    to_investigating,
    with_team,
)
from core import calendar
from core.errors import ApplicationError
from registry.models import FineRange, PenaltyThreshold

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _use_change(world, *, amount="12000", actor=None):
    """擅自改变物业使用性质 (物业规定 §86: 1万–5万) under investigation, with its owner as the party."""
    case = to_investigating(open_case(world, "USE_CHANGE"), actor or world.oscar)
    add_party(case, world.oscar, PartyRole.OWNER, name="赵某", id_number="310107198001011234")
    return case


def test_a_fine_goes_from_notice_through_a_defence_to_the_court(world):
    start = timezone.localdate()
    case = _use_change(world)
    assert case.decision_due == start + timedelta(days=90)   # §60, from 立案
    case = notify_fine(case, world.oscar, "12000")
    procedure = case.penalty
    assert case.state == CaseState.NOTICE and procedure.hearing_offered   # ¥12,000 ≥ the person's ¥5,000 (待核实)
    assert case.state_due == case.decision_due                           # the 90-day limit runs through the notice
    kinds = list(case.documents.values_list("kind", flat=True))
    assert kinds == [DocumentKind.PRIOR_NOTICE, DocumentKind.HEARING_NOTICE] and procedure.notice_id
    assert case.transitions.last().payload["documents"] == list(case.documents.values_list("number", flat=True))

    case = serve_notice(case, world.oscar, served_on=start)
    assert case.state == CaseState.DEFENCE
    assert case.state_due == penalties.defence_until(start, hearing_offered=True) == calendar.add_working_days(start, 5)
    # nothing stated yet and the period still runs: no decision
    error = refused(case, "submit_approval", world.oscar, "defence_settled")
    assert "期满前不得作出决定" in error.message

    case = move(case, "record_statement", world.oscar, statement="当事人称已于次日停止经营，请求从轻处罚",
                statement_on=start)
    assert case.state == CaseState.DEFENCE   # a step that records, in the same state
    refused(case, "submit_approval", world.oscar, "defence_settled")     # not reviewed yet
    # §45: a defence never makes the penalty heavier
    error = refused(case, "review_statement", world.oscar, "defence_review", review_result="PARTLY",
                    review_text="部分采纳", penalty=[penalty_row(case, "12000.01")])
    assert "不得因当事人陈述申辩而加重处罚" in error.message
    refused(case, "review_statement", world.oscar, "defence_review", review_result="MAYBE", review_text="x")
    case = move(case, "review_statement", world.oscar, review_result="PARTLY",
                review_text="当事人已主动停止违法行为，属从轻情节，予以部分采纳", penalty=[penalty_row(case, "10000")])
    procedure = PenaltyProcedure.objects.get(case=case)
    assert procedure.proposed[0]["amount"] == "10000.00" and procedure.first_proposed[0]["amount"] == "12000.00"
    assert case.documents.filter(kind=DocumentKind.DEFENCE_REVIEW).exists()
    # lowered below the major amount, no hearing requested: straight to the leader
    assert not rules.needs_legal_review(case)
    case = move(case, "submit_approval", world.oscar)
    refused(case, "approve", world.oscar)                                 # officers do not approve
    case = move(case, "approve", world.alice)
    fine = case.fines.get()
    assert case.state == CaseState.DECIDED and fine.amount == Decimal("10000.00")
    assert fine.party.name == "赵某" and fine.fine_range.basis.article == "第八十六条"

    # service within 7 days, with the proof
    refused(case, "serve_decision", world.oscar, "decision_issued", served_on=start, manner="IN_PERSON")
    document_issue(case=case, kind=DocumentKind.PENALTY_DECISION, actor=world.oscar)
    case.refresh_from_db()
    refused(case, "serve_decision", world.oscar, "proof", served_on=start, manner="IN_PERSON")
    refused(case, "serve_decision", world.oscar, "service", served_on=start - timedelta(days=1), manner="POST",
            files=[photo("receipt.jpg")])
    case = move(case, "serve_decision", world.oscar, served_on=start, manner="POST", files=[photo("receipt.jpg")])
    fine.refresh_from_db()
    assert fine.due == start + timedelta(days=15)
    refused(case, "serve_decision", world.oscar, "decision_issued", served_on=start, manner="POST",
            files=[photo("receipt.jpg")])                                 # served once

    # late: 3 % a day, never more than the fine (§72)
    assert penalties.surcharge(fine.amount, fine.due, fine.due) == 0
    assert penalties.surcharge(fine.amount, fine.due, fine.due + timedelta(days=2)) == Decimal("600.00")
    assert penalties.surcharge(fine.amount, fine.due, fine.due + timedelta(days=40)) == fine.amount
    refused(case, "urge_payment", world.oscar, "payment_overdue")          # not overdue yet
    with time_machine.travel(at(fine.due + timedelta(days=5)), tick=False):
        case = move(case, "urge_payment", world.oscar)
        assert case.penalty.urged_on == fine.due + timedelta(days=5)
        error = refused(case, "apply_court", world.alice, "court_application")
        assert "10日后" in error.message
    with time_machine.travel(at(fine.due + timedelta(days=20)), tick=False):
        error = refused(case, "apply_court", world.alice, "court_application")   # the lawsuit period still runs
        assert "三个月内" in error.message
    first, last = penalties.court_window(start)
    assert first == penalties.add_months(start, 6) + timedelta(days=1)
    with time_machine.travel(at(last + timedelta(days=1)), tick=False):
        refused(case, "apply_court", world.alice, "court_application")            # too late
    with time_machine.travel(at(first), tick=False):
        refused(case, "apply_court", world.oscar)                                  # the leader applies
        case = move(case, "apply_court", world.alice, court="普陀区人民法院")
        assert case.state == CaseState.ENFORCING
        owed = case.transitions.last().payload["owed"]
        assert owed == [{"fine": fine.pk, "amount": "10000.00", "surcharge": "10000.00"}]
        fine.refresh_from_db()
        assert fine.status == PaymentStatus.ENFORCED
        case = move(case, "close_enforced", world.alice, reason="法院强制执行完毕")
    assert case.state == CaseState.CLOSED
    assert [t.action for t in case.transitions.all()][4:] == [
        "notify", "serve_notice", "record_statement", "review_statement", "submit_approval", "approve",
        "serve_decision", "urge_payment", "apply_court", "close_enforced"]


def test_a_hearing_case_waits_for_its_hearing_and_the_legal_review(world):
    start = timezone.localdate()
    case = serve_notice(notify_fine(_use_change(world), world.oscar, "30000"), world.oscar, served_on=start)
    assert case.penalty.hearing_offered
    last = penalties.hearing_request_until(start)
    with time_machine.travel(at(last + timedelta(days=1)), tick=False):
        error = refused(case, "request_hearing", world.oscar, "hearing_request")      # §64: within 5 days
        assert "5个工作日内" in error.message
    case = move(case, "request_hearing", world.oscar, requested_on=start)
    assert case.state == CaseState.HEARING
    earliest = penalties.earliest_hearing(start)
    plan = {"hearing_at": at(earliest, 14), "hearing_place": "区城管执法局三楼听证室"}
    refused(case, "schedule_hearing", world.oscar, presider=world.alice, **plan)        # a supervisor arranges it
    error = refused(case, "schedule_hearing", world.alice, "hearing_plan", presider=world.otis, **plan)
    assert "非本案调查人员" in error.message                                          # otis investigates
    error = refused(case, "schedule_hearing", world.alice, "hearing_plan", presider=world.lena,
                    hearing_at=at(earliest - timedelta(days=1), 14), hearing_place="听证室")
    assert "7个工作日前" in error.message
    case = move(case, "schedule_hearing", world.alice, presider=world.lena, **plan)
    error = refused(case, "hold_hearing", world.oscar, "hearing_held", hearing_record="当事人到场陈述")
    assert "尚未举行" in error.message
    with time_machine.travel(at(earliest, 17), tick=False):
        refused(case, "hold_hearing", world.oscar, "hearing_held", hearing_record=" ")
        case = move(case, "hold_hearing", world.oscar, hearing_record="当事人到场陈述申辩，认可违法事实，请求减轻",
                    files=[photo("hearing-record.jpg")])
        assert case.state == CaseState.LEGAL_REVIEW
        assert rules.needs_legal_review(case)   # heard (§58(二)) and major (¥30,000 ≥ ¥20,000)
        refused(case, "pass_legal_review", world.alice)                             # the legal reviewer's move
        refused(case, "pass_legal_review", world.lena, "legal_opinion", opinion="")
        case = move(case, "pass_legal_review", world.lena, opinion="事实清楚，证据确凿，程序合法，处罚幅度适当")
        assert case.state == CaseState.APPROVAL and case.documents.filter(kind=DocumentKind.LEGAL_REVIEW).exists()
        error = refused(case, "approve", world.alice, "discussion_if_major")          # §57
        assert "集体讨论" in error.message
        case = move(case, "record_discussion", world.alice, minutes="经集体讨论，同意处罚30000元",
                    participants="局长、分管副局长、法制科长、执法大队长")
        case = move(case, "approve", world.alice)
    assert case.state == CaseState.DECIDED and case.fines.get().amount == 30000
    procedure = case.penalty
    assert procedure.hearing_held_on == earliest and procedure.hearing_presider == world.lena
    assert procedure.legal_reviewer == world.lena and procedure.approved_by == world.alice


def test_a_legal_review_that_fails_sends_the_case_back_and_voids_the_notice(world):
    case = serve_notice(notify_fine(_use_change(world), world.oscar, "25000"), world.oscar)
    case = move(case, "record_waiver", world.oscar, reason="当事人书面放弃陈述申辩和听证")
    refused(case, "record_statement", world.oscar, "statement", statement="补充意见")   # waived
    error = refused(case, "submit_approval", world.oscar, "no_legal_review_needed")
    assert "法制审核" in error.message
    case = move(case, "submit_legal_review", world.oscar)
    case = move(case, "return_legal_review", world.lena, reason="面积测量记录缺失，补充现场勘验笔录")
    assert case.state == CaseState.INVESTIGATING and "FINE" not in case.measures
    # a new round: a new notice, the earlier one kept in the procedure's history
    case = notify_fine(case, world.oscar, "22000")
    assert case.penalty.notice_served_on is None and not case.penalty.waived
    assert case.documents.filter(kind=DocumentKind.PRIOR_NOTICE).count() == 2
    assert case.penalty.history.count() > 3


def test_fines_stay_inside_their_legal_range_and_name_who_pays(world):
    case = _use_change(world)
    error = refused(case, "notify", world.oscar, "penalty", measures=["ORDER_CORRECT", "FINE"], findings=FINDINGS,
                    penalty=[penalty_row(case, "9999999")])
    assert "超出法定幅度" in error.message and "第八十六条" in error.message and "1万元以上5万元以下" in error.message
    assert "outside the legal range" in error.message_en
    refused(case, "notify", world.oscar, "penalty", measures=["ORDER_CORRECT", "FINE"], findings=FINDINGS,
            penalty=[penalty_row(case, "9999.99")])
    refused(case, "notify", world.oscar, "penalty", measures=["ORDER_CORRECT", "FINE"], findings=FINDINGS,
            penalty=[{"range": penalty_row(case, "1")["range"], "amount": "20000"}])           # no party
    other = _use_change(world)
    refused(case, "notify", world.oscar, "penalty", measures=["ORDER_CORRECT", "FINE"], findings=FINDINGS,
            penalty=[penalty_row(other, "20000")])                                          # another case's party
    refused(case, "notify", world.oscar, "penalty", measures=["ORDER_CORRECT", "FINE"], findings=FINDINGS,
            penalty="20000")                                                                # not a list
    green = FineRange.objects.get(basis__violation_type__code="GREEN_DAMAGE", unit="M2")
    refused(case, "notify", world.oscar, "penalty", measures=["ORDER_CORRECT", "FINE"], findings=FINDINGS,
            penalty=[{"party": case.parties.get().pk, "range": green.pk, "amount": "20000"}])  # another type's range
    refused(case, "notify", world.oscar, "findings", measures=["ORDER_CORRECT", "FINE"], findings=" ",
            penalty=[penalty_row(case, "20000")])
    refused(case, "notify", world.oscar, "penalty", measures=["ORDER_CORRECT"], findings=FINDINGS,
            penalty=[penalty_row(case, "20000")])                                           # no fine among measures
    assert not PenaltyProcedure.objects.filter(case=case).exists()


def test_a_per_square_metre_range_is_computed_from_the_measured_area(world):
    case = to_investigating(open_case(world, "GREEN_DAMAGE"), world.oscar)
    add_party(case, world.oscar, PartyRole.USER, name="钱某")
    label = "占用绿地（每平方米）"
    error = refused(case, "notify", world.oscar, "penalty", measures=["RESTORE", "FINE"], findings=FINDINGS,
                    penalty=[penalty_row(case, "5000", label=label)])
    assert "计罚数量" in error.message
    error = refused(case, "notify", world.oscar, "penalty", measures=["RESTORE", "FINE"], findings=FINDINGS,
                    penalty=[penalty_row(case, "30000", label=label, quantity="12.5")])   # 12.5 ㎡: 6,250–25,000
    assert "6,250.00元至25,000.00元" in error.message and "每平方米500元以上2000元以下" in error.message
    case = notify_fine(case, world.oscar, "25000", measures=["RESTORE", "FINE"], label=label, quantity="12.5")
    assert case.penalty.proposed[0]["quantity"] == "12.50"


def test_a_range_for_organisations_is_refused_for_a_person(world):
    case = to_investigating(open_case(world, "HOUSEHOLD_WASTE"), world.oscar)
    add_party(case, world.oscar, PartyRole.USER, name="吴某")
    unit_range = FineRange.objects.get(basis__violation_type__code="HOUSEHOLD_WASTE", party_kind="ORGANISATION")
    with pytest.raises(ApplicationError, match="适用于单位"):
        penalties.check_items(case, [{"party": case.parties.get().pk, "range": unit_range.pk, "amount": "5000"}])


def test_the_summary_procedure_is_for_small_fines_on_the_spot(world):
    case = with_team(move(open_case(world, "EBIKE_CHARGING"), "start_verification", world.oscar))
    add_party(case, world.oscar, PartyRole.USER, name="孙某")
    services.evidence_add(case=case, upload=photo(), actor=world.oscar)
    error = refused(case, "summary_penalty", world.oscar, "summary_penalty", findings=FINDINGS,
                    penalty=[penalty_row(case, "300", label="住宅室内充电")])   # ¥300 > ¥200 for a citizen (§51)
    assert "一般程序" in error.message
    refused(case, "summary_penalty", world.oscar, "findings", penalty=[penalty_row(case, "100", label="私拉电线充电")])
    case = move(case, "summary_penalty", world.oscar, findings="现场发现当事人从三楼窗口私拉电线为电动自行车充电",
                penalty=[penalty_row(case, "100", label="私拉电线充电")])
    fine = case.fines.get()
    assert case.state == CaseState.DECIDED and case.measures == ["FINE"] and fine.amount == 100
    assert fine.due == timezone.localdate() + timedelta(days=15)
    assert case.documents.get().kind == DocumentKind.SUMMARY_DECISION
    assert case.penalty.procedure == "SUMMARY" and case.penalty.decision_served_on == timezone.localdate()


def test_two_certified_officers_investigate(world):
    case = move(open_case(world, "USE_CHANGE"), "start_verification", world.oscar)
    case = move(case, "file", world.oscar, files=[photo()])
    error = refused(case, "investigate", world.oscar, "two_officers")
    assert "两名以上执法人员" in error.message
    with pytest.raises(Exception, match="同一人"):
        services.case_set_co_officer(case=case, co_officer=case.officer, actor=world.oscar)
    world.otis.cert_number = ""
    world.otis.save()
    with pytest.raises(Exception, match="执法证号"):
        services.case_set_co_officer(case=case, co_officer=world.otis, actor=world.oscar)
    with pytest.raises(Exception, match="不是"):
        services.case_set_co_officer(case=case, co_officer=world.owen, actor=world.alice)   # owen works in 长风
    world.otis.cert_number = "31010700999"
    world.otis.save()
    with pytest.raises(Exception, match="协办队员由"):
        services.case_set_co_officer(case=case, co_officer=world.otis, actor=world.sam)
    case = services.case_set_co_officer(case=case, co_officer=world.otis, actor=world.oscar)
    assert case.co_officer == world.otis and case.transitions.last().action == "co_officer"
    world.oscar.cert_number = ""
    world.oscar.save()
    error = refused(EnforcementCase.objects.get(pk=case.pk), "investigate", world.alice, "two_officers")
    assert "oscar" in error.message and "执法证号" in error.message


def test_the_ninety_day_limit_stops_the_procedure_until_the_leader_extends_it(world):
    case = _use_change(world)
    with time_machine.travel(at(case.decision_due + timedelta(days=1)), tick=False):
        error = refused(case, "notify", world.oscar, "within_time_limit", measures=["ORDER_CORRECT", "FINE"],
                        findings=FINDINGS, penalty=[penalty_row(case, "15000")])
        assert "第六十条" in error.message
        refused(case, "extend_time_limit", world.oscar, reason="案情复杂", extend_days=30)   # the leader's
        refused(case, "extend_time_limit", world.alice, "extension", reason="案情复杂", extend_days=0)
        old = case.decision_due
        case = move(case, "extend_time_limit", world.alice, reason="需补充鉴定，经负责人批准延长", extend_days=30)
        assert case.decision_due == old + timedelta(days=30) and case.state == CaseState.INVESTIGATING
        case = notify_fine(case, world.oscar, "15000")
        assert case.state == CaseState.NOTICE and case.state_due == case.decision_due


def test_the_amounts_are_data_the_bureau_maintains(world):
    """较大数额 is Shanghai's to set: shipped 待核实, changed by the administrator, read at the notice."""
    assert not PenaltyThreshold.objects.filter(verified=True).exists()
    PenaltyThreshold.objects.filter(kind="HEARING", party_kind="PERSON").update(amount=20000)
    case = notify_fine(_use_change(world), world.oscar, "12000")
    assert not case.penalty.hearing_offered
    assert list(case.documents.values_list("kind", flat=True)) == [DocumentKind.PRIOR_NOTICE]
    case = serve_notice(case, world.oscar)
    refused(case, "request_hearing", world.oscar, "hearing_request")


def test_a_fined_case_helper_reaches_the_decision(world):
    case = fine_case(world, "COMMON_AREA_OCCUPATION", "3000")
    assert case.state == CaseState.DECIDED and case.fines.get().amount == 3000
    with_team(case)


def test_the_defence_steps_refuse_what_is_out_of_order(world):
    case = notify_fine(_use_change(world), world.oscar, "12000")
    refused(case, "serve_notice", world.oscar, "service", served_on=timezone.localdate())            # no manner
    refused(case, "serve_notice", world.oscar, "service", served_on=timezone.localdate() + timedelta(days=1),
            manner="POST")                                                                              # future
    case = serve_notice(case, world.oscar)
    refused(case, "review_statement", world.oscar, "statement_recorded", review_result="REJECTED", review_text="x")
    refused(case, "record_statement", world.oscar, "statement", statement="  ")
    case = move(case, "record_statement", world.oscar, statement="当事人对面积有异议")
    refused(case, "record_statement", world.oscar, "statement", statement="再次陈述")   # the first is not reviewed
    refused(case, "record_waiver", world.oscar, "no_statement", reason="放弃")          # a statement is on record
    case = move(case, "review_statement", world.oscar, review_result="REJECTED", review_text="经复测，面积无误，不予采纳")
    assert case.penalty.proposed == case.penalty.first_proposed
    refused(case, "review_statement", world.oscar, "statement_recorded", review_result="REJECTED", review_text="x")
    case = move(case, "submit_approval", world.oscar)
    refused(case, "record_discussion", world.alice, "discussion", minutes="同意", participants=" ")
    case = move(case, "approve", world.alice)   # ¥12,000 is not major: no discussion needed
    assert case.fines.get().amount == 12000
