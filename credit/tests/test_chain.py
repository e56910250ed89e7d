"""Issue 5's whole chain through the services: an owner builds illegally → a resident complains → the case is
filed → the duty check opens → the company had not reported, answers weakly → failed → negligence case → fine
final → points on the company and its project manager → threshold passed → listed → the housing bureau is told.
And the same story where the company reported first through the property-report channel: fulfilled, no points."""
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.selectors import notifications_for
from cases import services as case_services
from cases.choices import CaseState, PartyKind, PartyRole
from core import calendar
from credit import selectors, services
from credit.choices import DutyOutcome, NoticeKind, Subject
from credit.models import CreditPolicy, CreditRecord, DutyCheck, PunishmentListing
from credit.tests.helpers import fine_final, move, pdf, photo
from intake import services as intake_services
from intake.choices import Channel

pytestmark = pytest.mark.django_db


def resident_complains(content="兰溪路88弄5号业主在阳台违章搭建彩钢棚，请城管处理", **extra):
    return intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content=content, address="兰溪路88弄", received_at=extra.pop(
            "received_at", timezone.now()), external_no=extra.pop("external_no", "2611240001"), **extra))


def company_reports(world, *, days_ago=3, content="5号业主正在阳台搭建彩钢棚，我司已劝阻、制止，现报告"):
    return intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.PROPERTY_REPORT, content=content, address="兰溪路88弄5号",
        received_at=timezone.now() - timedelta(days=days_ago), reporter=world.paul,
        reporting_company=world.company_a, community=world.caoyang_a, raw_row={"dissuaded": True}))


def file_case_from(world, complaint):
    case = case_services.case_open_from_complaint(complaint=complaint, actor=world.oscar)
    case = move(case, "start_verification", world.oscar)
    return move(case, "file", world.oscar, files=[photo()])


def titles(user):
    return [n.title for n in notifications_for(user)]


def test_company_that_did_not_report_is_found_failing_penalised_scored_and_listed(world, keyword_classifier):
    CreditPolicy.objects.update(threshold=6)  # the administrator's threshold, low enough for one failure
    complaint = resident_complains()
    assert complaint.violation_type.code == "ILLEGAL_CONSTRUCTION" and complaint.community == world.caoyang_a

    case = file_case_from(world, complaint)
    check = DutyCheck.objects.get(case=case)
    assert (check.company, check.community, check.street) == (world.company_a, world.caoyang_a, world.caoyang)
    assert check.project_manager.name == "王建国"
    assert check.prior_report is None and check.discovered is None and check.reported is None
    assert check.answer_due == calendar.add_working_days(timezone.localdate(), 5)
    assert check.outcome == DutyOutcome.PENDING
    assert any(case.number in t for t in titles(world.paul)) and not titles(world.carl)

    check = services.duty_check_answer(check=check, actor=world.paul, statement="我司巡查未发现该搭建行为。",
                                       files=[pdf()], discovered=False)
    assert check.answered_by == world.paul and check.discovered is False
    assert check.attachments.get().content_type == "application/pdf"
    assert any("已提交履职说明" in t for t in titles(world.oscar))

    check = services.duty_check_decide(check=check, actor=world.oscar, outcome=DutyOutcome.FAILED,
                                       reasons="搭建持续三日，物业未劝阻、制止，也未报告", failure_rule="NOT_STOPPED",
                                       dissuaded=False, stopped=False, reported=False)
    negligence = check.negligence_case
    assert check.outcome == DutyOutcome.FAILED and check.failure_rule.code == "NOT_STOPPED"
    assert negligence.violation_type.code == "PROPERTY_NEGLIGENCE" and negligence.state == CaseState.REGISTERED
    assert negligence.community == world.caoyang_a and negligence.officer == world.oscar
    party = negligence.parties.get()
    assert (party.kind, party.role, party.property_company, party.name) == (
        PartyKind.ORGANISATION, PartyRole.PROPERTY_COMPANY, world.company_a, world.company_a.name)
    assert negligence.transitions.get().payload["duty_check"] == check.pk
    assert not CreditRecord.objects.exists()  # a failure alone gives no points: the penalty must become final

    fine = fine_final(world, negligence)
    company, manager = (CreditRecord.objects.get(subject=Subject.COMPANY),
                        CreditRecord.objects.get(subject=Subject.MANAGER))
    assert (company.company, company.points, company.fine, company.case, company.duty_check) == (
        world.company_a, 6, fine, negligence, check)
    assert (manager.project_manager.name, manager.points) == ("王建国", 3)
    assert company.occurred_on == timezone.localdate()
    assert company.expires_on == selectors.add_months(timezone.localdate(), 24)
    assert selectors.company_points(world.company_a) == 6
    assert selectors.manager_points(check.project_manager) == 3
    assert selectors.company_points(world.company_b) == 0

    listing = PunishmentListing.objects.get(company=world.company_a, removed_on__isnull=True)
    assert listing.points == 6 and "6分" in listing.reason
    housing = notifications_for(world.hana).get(kind=NoticeKind.COMPANY_LISTED)
    assert world.company_a.name in housing.title and housing.link == f"/credit/companies/{world.company_a.pk}/"
    assert notifications_for(world.alice).filter(kind=NoticeKind.COMPANY_LISTED).exists()  # the bureau's leads
    assert not notifications_for(world.sam).filter(kind=NoticeKind.COMPANY_LISTED).exists()
    assert not notifications_for(world.carl).exists()
    assert any("列入联合信用惩戒名单" in t for t in titles(world.paul))


def test_company_that_reported_first_is_found_fulfilled_and_gets_no_points(world, keyword_classifier):
    report = company_reports(world)
    assert report.violation_type.code == "ILLEGAL_CONSTRUCTION"
    case = file_case_from(world, resident_complains())

    check = DutyCheck.objects.get(case=case)
    assert check.prior_report == report
    assert (check.discovered, check.reported, check.dissuaded) == (True, True, True)
    assert any("物业报告" in n.body for n in notifications_for(world.paul))

    check = services.duty_check_decide(check=check, actor=world.oscar, outcome=DutyOutcome.FULFILLED,
                                       reasons="物业企业在投诉前三日已通过平台报告并劝阻", stopped=True)
    assert check.outcome == DutyOutcome.FULFILLED and check.negligence_case is None and check.stopped is True
    assert not CreditRecord.objects.exists() and not PunishmentListing.objects.exists()
    assert selectors.company_points(world.company_a) == 0
    assert any("已履职" in t for t in titles(world.paul))


def test_a_case_opened_from_the_companys_own_report_counts_it_as_reported(world, keyword_classifier):
    report = company_reports(world, days_ago=0)
    case = file_case_from(world, report)
    assert DutyCheck.objects.get(case=case).prior_report == report


def test_a_report_made_after_the_residents_complaint_or_elsewhere_does_not_count(world, keyword_classifier):
    complaint = resident_complains(received_at=timezone.now() - timedelta(days=2))
    company_reports(world, days_ago=1)  # only after the resident called
    intake_services.complaint_receive(data=intake_services.ComplaintInput(  # another community of the company
        channel=Channel.PROPERTY_REPORT, content="业主正在搭建", received_at=timezone.now() - timedelta(days=5),
        reporter=world.paul, reporting_company=world.company_a, community=world.changfeng_a))
    intake_services.complaint_receive(data=intake_services.ComplaintInput(  # another type
        channel=Channel.PROPERTY_REPORT, content="楼道停放电瓶车", received_at=timezone.now() - timedelta(days=5),
        reporter=world.paul, reporting_company=world.company_a, community=world.caoyang_a))
    company_reports(world, days_ago=200)  # long before: another matter
    case = file_case_from(world, complaint)
    check = DutyCheck.objects.get(case=case)
    assert check.prior_report is None and check.reported is None


def test_points_accumulate_to_the_default_threshold_and_list_the_company_once(world):
    from credit.tests.helpers import check_of, filed_owner_case

    assert CreditPolicy.current().threshold == 30
    for number in range(5):
        check = services.duty_check_answer(check=check_of(filed_owner_case(world)), actor=world.paul,
                                           statement="未发现")
        check = services.duty_check_decide(check=check, actor=world.oscar, outcome=DutyOutcome.FAILED,
                                           reasons=f"第{number + 1}次未履职", failure_rule="NOT_STOPPED")
        fine_final(world, check.negligence_case)
        listed = PunishmentListing.objects.filter(company=world.company_a).count()
        assert listed == (1 if number == 4 else 0), number
    assert selectors.company_points(world.company_a) == 30
    assert notifications_for(world.hana).filter(kind=NoticeKind.COMPANY_LISTED).count() == 1
