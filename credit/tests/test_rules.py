"""Every refusal from the refused side (changing nothing), scope, files, idempotence, the rolling window and
expiry, disputes and corrections, listings and notifications."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts import services as account_services
from accounts.selectors import notifications_for
from cases import fines
from cases import services as case_services
from cases.choices import PartyKind, PartyRole
from cases.tests.test_paths import notify_fine, penalty_row, serve_notice, to_decision, with_team
from core.errors import ApplicationError
from credit import selectors, services
from credit.choices import DisputeStatus, DutyOutcome, NoticeKind, Subject
from credit.models import CreditPolicy, CreditRecord, CreditRule, DutyCheck, DutyCheckAttachment, PunishmentListing
from credit.tests.helpers import (
    check_of,
    filed_owner_case,
    fine_final,
    move,
    past_deadline,
    pdf,
    photo,
    to_investigating,
)
from registry.models import Community, Department, ViolationType
from tests.personas import make_user

pytestmark = pytest.mark.django_db


def state(check):
    fresh = DutyCheck.objects.get(pk=check.pk)
    return (fresh.outcome, fresh.statement, fresh.answered_at, fresh.decided_at, fresh.negligence_case_id,
            fresh.failure_rule_id, fresh.discovered, fresh.attachments.count())


def refused(fn, check, **kwargs):
    """The call is refused with a message in both languages and the check is unchanged."""
    before = state(check)
    with pytest.raises(ApplicationError) as info:
        fn(check=check, **kwargs)
    assert info.value.message and info.value.message_en
    assert state(check) == before
    return info.value


def failed_check(world, rule="NOT_STOPPED"):
    check = services.duty_check_answer(check=check_of(filed_owner_case(world)), actor=world.paul, statement="未发现")
    return services.duty_check_decide(check=check, actor=world.oscar, outcome=DutyOutcome.FAILED,
                                      reasons="未劝阻", failure_rule=rule)


@pytest.fixture
def changfeng_check(world):
    """A check on company B in 长风 (sam's street, not oscar's), filed by the lead."""
    return check_of(filed_owner_case(world, "STRUCTURE_DAMAGE", community=world.changfeng_b, actor=world.alice))


# --- when a check opens -------------------------------------------------------------------------------

def test_types_that_ask_for_no_check_and_communities_without_a_company_open_none(world):
    assert ViolationType.objects.get(code="EBIKE_PARKING").triggers_duty_check is False
    filed_owner_case(world, "EBIKE_PARKING")
    Community.objects.filter(pk=world.caoyang_a.pk).update(property_company=None, project_manager=None)
    filed_owner_case(world, "ILLEGAL_CONSTRUCTION")
    assert not DutyCheck.objects.exists()


def test_opening_is_idempotent_and_refiling_a_reopened_case_keeps_the_check(world):
    case = filed_owner_case(world)
    check = check_of(case)
    assert services.duty_check_open(case=case, actor=world.oscar) == check
    case = move(with_team(case), "investigate", world.oscar)
    assert DutyCheck.objects.count() == 1


def test_a_manager_of_another_company_is_not_named(world):
    from registry.models import ProjectManager

    stranger = ProjectManager.objects.create(company=world.company_b, name="外企经理")
    Community.objects.filter(pk=world.caoyang_a.pk).update(project_manager=stranger)
    assert check_of(filed_owner_case(world)).project_manager is None


# --- answering ---------------------------------------------------------------------------------------

def test_a_late_answer_is_refused(world):
    check = past_deadline(check_of(filed_owner_case(world)))
    error = refused(services.duty_check_answer, check, actor=world.paul, statement="我司已劝阻", files=[pdf()])
    assert "已超过说明期限" in error.message
    refused(services.duty_check_attach, check, actor=world.paul, upload=pdf())


def test_only_the_company_checked_answers(world, changfeng_check):
    check = check_of(filed_owner_case(world))
    for persona in ("carl", "oscar", "alice", "sam", "hana"):
        refused(services.duty_check_answer, check, actor=getattr(world, persona), statement="说明")
    refused(services.duty_check_answer, changfeng_check, actor=world.paul, statement="说明")
    refused(services.duty_check_answer, check, actor=world.paul, statement="   ")


def test_the_company_may_amend_its_answer_until_the_deadline(world):
    check = services.duty_check_answer(check=check_of(filed_owner_case(world)), actor=world.paul, statement="初步说明")
    check = services.duty_check_answer(check=check, actor=world.paul, statement="补充说明", files=[photo()],
                                       dissuaded=True)
    assert check.statement == "补充说明" and check.dissuaded is True and check.attachments.count() == 1
    assert check.history.filter(history_change_reason="企业补充说明").exists()


def test_files_are_checked_like_case_evidence(world):
    check = check_of(filed_owner_case(world))
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    error = refused(services.duty_check_answer, check, actor=world.paul, statement="见附件", files=[pdf(), fake])
    assert "不支持的文件类型" in error.message  # one bad file: nothing saved, not even the good one
    attachment = services.duty_check_attach(check=check, actor=world.paul, upload=photo(), description="劝阻照片")
    import hashlib

    assert attachment.sha256 == hashlib.sha256(photo().read()).hexdigest()
    assert attachment.content_type == "image/jpeg" and attachment.uploaded_by == world.paul


def test_officers_of_the_street_attach_until_the_decision(world, changfeng_check):
    check = check_of(filed_owner_case(world))
    services.duty_check_attach(check=check, actor=world.oscar, upload=photo(), description="现场照片")
    refused(services.duty_check_attach, changfeng_check, actor=world.oscar, upload=photo())  # not his street
    refused(services.duty_check_attach, changfeng_check, actor=world.sam, upload=photo())  # street staff follow
    refused(services.duty_check_attach, check, actor=world.hana, upload=photo())
    check = services.duty_check_decide(check=check, actor=world.oscar, outcome=DutyOutcome.FULFILLED, reasons="")
    refused(services.duty_check_attach, check, actor=world.oscar, upload=photo())
    refused(services.duty_check_attach, check, actor=world.paul, upload=photo())


# --- deciding ----------------------------------------------------------------------------------------

def test_who_may_decide(world, changfeng_check):
    check = services.duty_check_answer(check=check_of(filed_owner_case(world)), actor=world.paul, statement="说明")
    for persona in ("paul", "carl", "hana"):
        refused(services.duty_check_decide, check, actor=getattr(world, persona), outcome="FULFILLED", reasons="x")
    refused(services.duty_check_decide, changfeng_check, actor=world.sam, outcome="FULFILLED", reasons="x")
    refused(services.duty_check_decide, changfeng_check, actor=world.oscar, outcome="FULFILLED", reasons="x")
    assert services.duty_check_decide(check=changfeng_check, actor=world.alice, outcome="FULFILLED",
                                      reasons="").outcome == DutyOutcome.FULFILLED


def test_a_failure_needs_reasons_and_an_active_rule_and_the_companys_chance_to_answer(world):
    check = check_of(filed_owner_case(world))
    error = refused(services.duty_check_decide, check, actor=world.oscar, outcome="FAILED", reasons="未劝阻",
                    failure_rule="NOT_STOPPED")
    assert "说明期限" in error.message  # not answered and still in time
    check = past_deadline(check)
    refused(services.duty_check_decide, check, actor=world.oscar, outcome="FAILED", reasons="",
            failure_rule="NOT_STOPPED")
    refused(services.duty_check_decide, check, actor=world.oscar, outcome="FAILED", reasons="未劝阻")
    refused(services.duty_check_decide, check, actor=world.oscar, outcome="FAILED", reasons="未劝阻",
            failure_rule="NO_SUCH_RULE")
    CreditRule.objects.filter(code="NOT_REPORTED").update(active=False)
    refused(services.duty_check_decide, check, actor=world.oscar, outcome="FAILED", reasons="未报告",
            failure_rule="NOT_REPORTED")
    refused(services.duty_check_decide, check, actor=world.oscar, outcome="FULFILLED", reasons="",
            failure_rule="NOT_STOPPED")
    refused(services.duty_check_decide, check, actor=world.oscar, outcome="MAYBE", reasons="x")
    refused(services.duty_check_decide, check, actor=world.oscar, outcome="FULFILLED", reasons="x", tidy=True)
    from cases.models import EnforcementCase

    cases_before = EnforcementCase.objects.count()
    check = services.duty_check_decide(check=check, actor=world.oscar, outcome="FAILED", reasons="逾期未说明，未劝阻",
                                       failure_rule="NOT_STOPPED")
    assert EnforcementCase.objects.count() == cases_before + 1
    for outcome in ("FULFILLED", "FAILED"):
        refused(services.duty_check_decide, check, actor=world.alice, outcome=outcome, reasons="再认定",
                failure_rule="NOT_STOPPED" if outcome == "FAILED" else None)
    assert EnforcementCase.objects.count() == cases_before + 1


# --- points ------------------------------------------------------------------------------------------

def test_the_award_is_made_once_per_fine_and_once_per_case(world):
    check = failed_check(world)
    fine = fine_final(world, check.negligence_case)
    assert CreditRecord.objects.count() == 2
    assert len(services.credit_award_for_fine(fine=fine, actor=world.oscar)) == 2
    from cases.models import Fine

    # a second final fine of the same case (another party's, say): the case has already given its points
    second = Fine.objects.create(case=check.negligence_case, party=fine.party, amount=1000, is_final=True,
                                 decided_at=timezone.localdate(), document=fine.document)
    assert services.credit_award_for_fine(fine=second, actor=world.oscar) == []
    assert CreditRecord.objects.count() == 2 and selectors.company_points(world.company_a) == 6


def final(fine):
    from cases.models import Fine

    Fine.objects.filter(pk=fine.pk).update(is_final=True)
    fine.refresh_from_db()
    return fine


def test_fines_on_owner_cases_on_other_parties_or_not_final_give_no_points(world):
    owner_case = move(with_team(filed_owner_case(world, "ILLEGAL_CONSTRUCTION")), "investigate", world.oscar)
    case_services.party_add(case=owner_case, actor=world.oscar, role=PartyRole.OWNER, name="赵某")
    owner_case = to_decision(serve_notice(notify_fine(owner_case, world.oscar, "15000", measures=["ANNOTATE", "FINE"]),
                                          world.oscar), world)
    on_owner = final(owner_case.fines.get())
    assert services.credit_award_for_fine(fine=on_owner, actor=world.oscar) == []

    negligence = to_investigating(failed_check(world).negligence_case, world.oscar)
    company = negligence.parties.get()
    other = case_services.party_add(case=negligence, actor=world.oscar, role=PartyRole.OTHER, name="某装修公司",
                                    kind=PartyKind.ORGANISATION)
    negligence = notify_fine(negligence, world.oscar, "2000", measures=["ORDER_CORRECT", "FINE"], penalty=[
        penalty_row(negligence, "2000", party=company), penalty_row(negligence, "1000", party=other)])
    negligence = to_decision(serve_notice(negligence, world.oscar), world)
    pending = negligence.fines.get(party=company)
    assert services.credit_award_for_fine(fine=pending, actor=world.oscar) == []  # not final
    on_other = final(negligence.fines.get(party=other))
    assert services.credit_award_for_fine(fine=on_other, actor=world.oscar) == []
    assert not CreditRecord.objects.exists()


def test_a_negligence_case_opened_directly_uses_the_rule_it_names_or_the_default(world):
    vtype = ViolationType.objects.get(code="PROPERTY_NEGLIGENCE")

    def direct(payload):
        case = case_services.case_open(violation_type=vtype, community=world.caoyang_a, actor=world.oscar,
                                       officer=world.oscar, summary="垃圾分类管理责任人未履职", payload=payload)
        case_services.party_add(case=case, actor=world.oscar, role=PartyRole.PROPERTY_COMPANY,
                                kind=PartyKind.ORGANISATION, name=world.company_a.name,
                                property_company=world.company_a)
        fine_final(world, case)
        return CreditRecord.objects.get(case=case, subject=Subject.COMPANY)

    assert direct({"credit_rule": "WASTE_DUTY"}).points == 3
    default = direct({})
    assert default.rule == CreditPolicy.current().default_rule and default.points == 6
    assert default.duty_check is None


# --- window and expiry ---------------------------------------------------------------------------------

def test_points_count_in_the_rolling_window_and_until_they_expire(world):
    today = timezone.localdate()
    old = failed_check(world)
    fine = fine_final(world, old.negligence_case)
    CreditRecord.objects.all().delete()
    thirteen_months_ago = selectors.add_months(today, -13)
    services.credit_award_for_fine(fine=fine, actor=world.oscar, on=thirteen_months_ago)
    assert selectors.company_points(world.company_a) == 0  # outside the 12-month window
    assert selectors.company_points(world.company_a, on=thirteen_months_ago) == 6
    assert selectors.company_points(world.company_a, on=selectors.add_months(thirteen_months_ago, 12)) == 0
    assert selectors.company_points(world.company_a, on=selectors.add_months(thirteen_months_ago, 11)) == 6
    assert selectors.manager_points(old.project_manager, on=thirteen_months_ago) == 3

    CreditPolicy.objects.update(expiry_months=6)
    eight_months_ago = selectors.add_months(today, -8)
    recent = failed_check(world)
    services.credit_award_for_fine(fine=fine_final(world, recent.negligence_case), actor=world.oscar)
    CreditRecord.objects.filter(case=recent.negligence_case).update(
        occurred_on=eight_months_ago, expires_on=selectors.add_months(eight_months_ago, 6))
    assert selectors.company_points(world.company_a) == 0  # in the window, but expired
    # the day after, it counted — with the one of thirteen months ago, also in that day's window
    assert selectors.company_points(world.company_a, on=eight_months_ago + timedelta(days=1)) == 6 + 6
    CreditPolicy.objects.update(threshold=6)
    assert services.listing_evaluate(company=world.company_a) is None  # nothing counts today
    assert services.listing_evaluate(company=world.company_a, on=eight_months_ago) is not None


def test_add_months_clips_to_the_end_of_the_month():
    from datetime import date

    assert selectors.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert selectors.add_months(date(2024, 2, 29), -12) == date(2023, 2, 28)
    assert selectors.add_months(date(2026, 11, 24), -13) == date(2025, 10, 24)


# --- disputes and corrections ----------------------------------------------------------------------------

@pytest.fixture
def listed(world):
    """Company A with one award (6 + 3 points), listed under a threshold of 6."""
    CreditPolicy.objects.update(threshold=6)
    fine_final(world, failed_check(world).negligence_case)
    return CreditRecord.objects.get(subject=Subject.COMPANY)


def test_an_upheld_dispute_reverses_the_points_and_keeps_both_records(world, listed):
    dispute = services.credit_dispute_lodge(record=listed, actor=world.paul, reason="事发时我司已书面劝阻，见附件")
    assert notifications_for(world.hana).filter(kind=NoticeKind.DISPUTE_LODGED).exists()
    dispute = services.credit_dispute_decide(dispute=dispute, actor=world.hana, upheld=True,
                                             decision="经核查，企业已劝阻并报告，撤销记分")
    assert dispute.status == DisputeStatus.UPHELD and dispute.decided_by == world.hana
    correction = CreditRecord.objects.get(reverses=listed)
    assert (correction.points, correction.subject, correction.occurred_on, correction.expires_on) == (
        -6, Subject.COMPANY, listed.occurred_on, listed.expires_on)
    assert "撤销记分" in correction.note
    assert selectors.company_points(world.company_a) == 0
    assert selectors.ledger(user=world.paul, company=world.company_a).filter(subject=Subject.COMPANY).count() == 2
    # the manager's record was not disputed: it stands
    assert selectors.manager_points(listed.duty_check.project_manager) == 3
    # below the threshold now, but leaving the list is a decision of its own
    assert PunishmentListing.objects.filter(company=world.company_a, removed_on__isnull=True).exists()
    notice = notifications_for(world.paul).get(kind=NoticeKind.DISPUTE_DECIDED)
    assert "低于列入阈值" in notice.body


def test_dispute_refusals(world, listed, changfeng_check):
    for persona in ("carl", "oscar", "hana", "alice"):
        with pytest.raises(ApplicationError):
            services.credit_dispute_lodge(record=listed, actor=getattr(world, persona), reason="异议")
    with pytest.raises(ApplicationError):
        services.credit_dispute_lodge(record=listed, actor=world.paul, reason="  ")
    dispute = services.credit_dispute_lodge(record=listed, actor=world.paul, reason="异议")
    with pytest.raises(ApplicationError, match="已提出过异议"):
        services.credit_dispute_lodge(record=listed, actor=world.paul, reason="再次异议")
    for persona in ("paul", "carl", "oscar", "sam"):
        with pytest.raises(ApplicationError):
            services.credit_dispute_decide(dispute=dispute, actor=getattr(world, persona), upheld=True, decision="x")
    with pytest.raises(ApplicationError):
        services.credit_dispute_decide(dispute=dispute, actor=world.alice, upheld=True, decision="")
    services.credit_dispute_decide(dispute=dispute, actor=world.alice, upheld=False, decision="证据不足，维持记分")
    with pytest.raises(ApplicationError, match="已处理"):
        services.credit_dispute_decide(dispute=dispute, actor=world.hana, upheld=True, decision="改判")
    assert not CreditRecord.objects.filter(reverses__isnull=False).exists()
    assert selectors.company_points(world.company_a) == 6


def test_a_late_dispute_and_a_dispute_of_a_correction_are_refused(world, listed):
    CreditRecord.objects.filter(pk=listed.pk).update(occurred_on=timezone.localdate() - timedelta(days=30))
    listed.refresh_from_db()
    with pytest.raises(ApplicationError, match="异议期限"):
        services.credit_dispute_lodge(record=listed, actor=world.paul, reason="迟到的异议")
    manager_record = CreditRecord.objects.get(subject=Subject.MANAGER)
    dispute = services.credit_dispute_lodge(record=manager_record, actor=world.paul, reason="项目经理已离职")
    services.credit_dispute_decide(dispute=dispute, actor=world.hana, upheld=True, decision="经理已变更")
    correction = CreditRecord.objects.get(reverses=manager_record)
    with pytest.raises(ApplicationError, match="修正记录"):
        services.credit_dispute_lodge(record=correction, actor=world.paul, reason="异议")


# --- listings ------------------------------------------------------------------------------------------

def test_removing_a_listing_is_a_decision_with_a_reason(world, listed):
    listing = PunishmentListing.objects.get()
    for persona in ("paul", "oscar", "sam", "carl"):
        with pytest.raises(ApplicationError):
            services.listing_remove(listing=listing, actor=getattr(world, persona), reason="移出")
    with pytest.raises(ApplicationError):
        services.listing_remove(listing=listing, actor=world.hana, reason=" ")
    listing = services.listing_remove(listing=listing, actor=world.hana, reason="整改到位，信用修复")
    assert listing.removed_on == timezone.localdate() and listing.removal_reason == "整改到位，信用修复"
    with pytest.raises(ApplicationError, match="已移出"):
        services.listing_remove(listing=listing, actor=world.alice, reason="再次移出")
    # points still over the threshold: the next award lists the company again, as a new listing
    fine_final(world, failed_check(world).negligence_case)
    assert PunishmentListing.objects.filter(company=world.company_a).count() == 2
    assert PunishmentListing.objects.filter(company=world.company_a, removed_on__isnull=True).count() == 1


# --- what each persona sees ------------------------------------------------------------------------------

def test_each_persona_sees_only_its_checks_and_ledger(world, listed, changfeng_check):
    check_a = listed.duty_check
    visible = {p: set(selectors.duty_checks(user=getattr(world, p)).values_list("pk", flat=True))
               for p in ("alice", "oscar", "sam", "hana", "paul", "carl")}
    assert visible["alice"] == visible["hana"] == {check_a.pk, changfeng_check.pk}
    assert visible["oscar"] == visible["paul"] == {check_a.pk}
    assert visible["sam"] == visible["carl"] == {changfeng_check.pk}
    assert set(selectors.ledger(user=world.carl)) == set()
    assert set(selectors.ledger(user=world.paul)) == set(CreditRecord.objects.all())
    greening = world.gina
    assert not selectors.duty_checks(user=greening).exists() and not selectors.ledger(user=greening).exists()
    assert list(selectors.open_listings(user=world.carl)) == []
    assert [x.company for x in selectors.open_listings(user=world.hana)] == [world.company_a]


# --- notifications -------------------------------------------------------------------------------------

def test_notifications_reach_user_department_or_role_and_are_dismissed_per_reader(world):
    housing = Department.objects.get(code="HOUSING")
    with pytest.raises(ApplicationError):
        account_services.notification_send(kind="x", title="无人接收")
    with pytest.raises(ApplicationError):
        account_services.notification_send(kind="x", title=" ", user=world.paul)
    to_dept = account_services.notification_send(kind="x", title="致房管局", department=housing)
    to_leads = account_services.notification_send(kind="x", title="致领导", role="LEAD")
    to_paul = account_services.notification_send(kind="x", title="致物业", user=world.paul)
    other_housing = make_user("harry", "DEPARTMENT", department=housing)
    assert list(notifications_for(world.hana)) == [to_dept]
    assert list(notifications_for(world.alice)) == [to_leads]
    assert list(notifications_for(world.paul)) == [to_paul]
    with pytest.raises(ApplicationError):
        account_services.notification_dismiss(notification=to_paul, user=world.carl)
    account_services.notification_dismiss(notification=to_dept, user=world.hana)
    assert not notifications_for(world.hana).exists()
    assert list(notifications_for(world.hana, unread_only=False)) == [to_dept]
    assert list(notifications_for(other_housing)) == [to_dept]


def test_the_points_table_ships_unverified_and_reloads_after_a_flush(world):
    import importlib

    from django.apps import apps

    rules = {r.code: (r.company_points, r.manager_points, r.verified) for r in CreditRule.objects.all()}
    assert rules["REFUSED_DUTY"] == (18, 6, False) and rules["NOT_STOPPED"] == (6, 3, False)
    assert rules["NOT_DISCOVERED"] == (3, 1, False) and {"WASTE_DUTY", "SANITATION_ZONE", "NOT_REPORTED"} <= set(rules)
    assert all("待核实" in basis and "18、6、3、1" in basis for basis in CreditRule.objects.values_list("basis", flat=True))
    policy = CreditPolicy.current()
    assert (policy.window_months, policy.threshold, policy.expiry_months, policy.verified) == (12, 30, 24, False)
    assert policy.default_rule.code == "NOT_STOPPED"
    migration = importlib.import_module("credit.migrations.0002_policy_and_points_table")
    CreditPolicy.objects.update(default_rule=None)
    CreditRule.objects.filter(code="WASTE_DUTY").update(company_points=5)  # an administrator's edit is kept
    migration.load(apps, None)
    assert CreditRule.objects.get(code="WASTE_DUTY").company_points == 5
    assert CreditPolicy.objects.count() == 1 and CreditPolicy.current().default_rule.code == "NOT_STOPPED"
