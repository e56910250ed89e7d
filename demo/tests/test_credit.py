"""The credit demo on a small world: a year of complaints becomes checks, decisions, negligence cases, points and
a listing, all dated in the past and consistent with the rules; a second run adds nothing."""
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Notification
from cases import penalties
from cases.choices import DocumentKind
from cases.models import Fine
from credit import selectors
from credit.choices import DutyOutcome, Subject
from credit.models import CreditPolicy, CreditRecord, DutyCheck, PunishmentListing
from demo import credit as credit_demo
from demo.district import Tally
from intake.choices import Channel, ComplaintStatus
from intake.models import Complaint
from registry.models import Community, ProjectManager, ViolationType

pytestmark = pytest.mark.django_db
TYPES = ["ILLEGAL_CONSTRUCTION", "COMMON_AREA_OCCUPATION", "STRUCTURE_DAMAGE", "HOUSEHOLD_WASTE"]


@pytest.fixture
def year_of_complaints(world):
    # every community has its project manager, as in the demo district, so manager points do not depend on
    # which community the demo's picks (seeded by row ids) happen to land on
    manager_b = ProjectManager.objects.create(company=world.company_b, name="赵立新")
    Community.objects.filter(pk=world.changfeng_b.pk).update(project_manager=manager_b)
    Community.objects.filter(pk=world.changfeng_a.pk).update(project_manager=world.caoyang_a.project_manager)
    types = [ViolationType.objects.get(code=code) for code in TYPES]
    now = timezone.now()
    communities = [world.caoyang_a, world.changfeng_b, world.changfeng_a]
    for n in range(90):
        community = communities[n % 3]
        Complaint.objects.create(
            channel=Channel.HOTLINE, received_at=now - timedelta(days=4 * n + 3), content=f"投诉{n}",
            community=community, street=community.street, violation_type=types[n % len(types)],
            status=ComplaintStatus.ROUTED)


def run():
    tally = Tally()
    credit_demo.seed(tally=tally, progress=lambda items, label: items)
    return tally


def test_the_demo_makes_a_consistent_year_and_is_idempotent(world, year_of_complaints):
    tally = run()
    today = timezone.localdate()
    checks = DutyCheck.objects.all()
    # both companies are in the story: company B ends listed, the demo login's company disputes
    assert tally.counts[credit_demo.KIND_CHECKS]["created"] == checks.count() >= 10
    assert PunishmentListing.objects.filter(company=world.company_b).exists()
    assert checks.filter(outcome=DutyOutcome.FAILED).exists() and checks.filter(outcome=DutyOutcome.FULFILLED).exists()
    for check in checks:
        opened = timezone.localtime(check.created_at).date()
        assert opened <= today and check.answer_due > opened
        if check.decided_at:
            assert check.decided_at > check.created_at and timezone.localtime(check.decided_at).date() <= today
        if check.negligence_case_id:
            assert check.negligence_case.created_at >= check.decided_at
    records = CreditRecord.objects.all()
    assert records.filter(subject=Subject.COMPANY).exists() and records.filter(subject=Subject.MANAGER).exists()
    for record in records:
        assert record.occurred_on <= today and record.fine.is_final
        assert record.occurred_on > timezone.localtime(record.case.created_at).date()
    assert records.filter(reverses__isnull=False).exists()  # the demo login's upheld dispute
    threshold = CreditPolicy.current().threshold
    for listing in PunishmentListing.objects.all():
        assert listing.listed_on <= today
        assert listing.points == selectors.company_points(listing.company, on=listing.listed_on) >= threshold
    _notices_speak_of_their_own_day()
    _negligence_fines_went_through_the_procedure()
    snapshot = (checks.count(), records.count(), PunishmentListing.objects.count(),
                list(checks.values_list("outcome", flat=True).order_by("pk")))
    again = run()
    assert again.created == 0
    assert snapshot == (checks.count(), records.count(), PunishmentListing.objects.count(),
                        list(checks.values_list("outcome", flat=True).order_by("pk")))


def _negligence_fines_went_through_the_procedure():
    """Each company's fine: notified by two certified officers, the notice served, the defence period run out or
    waived, approved by the lead, the decision issued and served, paid after it."""
    fines = Fine.objects.filter(case__violation_type__code="PROPERTY_NEGLIGENCE").select_related(
        "case__penalty", "case__officer", "case__co_officer", "fine_range")
    assert fines.exists()
    for fine in fines:
        case, procedure = fine.case, fine.case.penalty
        assert case.officer.cert_number and case.co_officer.cert_number and case.officer != case.co_officer
        assert case.findings.startswith("经查")
        decided = timezone.localtime(procedure.approved_at).date()
        assert procedure.notice_served_on <= decided and (
            procedure.waived or decided > penalties.defence_until(procedure.notice_served_on, False))
        low, high = penalties.bounds(fine.fine_range, fine.quantity)
        assert low <= fine.amount <= high and fine.decided_at == decided
        assert decided <= procedure.decision_served_on and fine.due == penalties.payment_due(
            procedure.decision_served_on)
        assert fine.document is not None and fine.document.kind == DocumentKind.PENALTY_DECISION
        if fine.paid_at:
            assert procedure.decision_served_on <= fine.paid_at <= fine.due


def _notices_speak_of_their_own_day():
    """A back-dated notice states the deadline and listing window of its own day, not of the day the demo ran."""
    dated = 0
    for notice in Notification.objects.all():
        sent = timezone.localtime(notice.created_at).date()
        for due in re.findall(r"请于 (\d{4}-\d{2}-\d{2}) 前", notice.body):
            assert sent < date.fromisoformat(due) <= sent + timedelta(days=31), (notice.title, notice.body, sent)
            dated += 1
        window = re.search(r"至 (\d{4}-\d{2}-\d{2})（", notice.body)
        if window:
            assert date.fromisoformat(window.group(1)) == sent, (notice.title, notice.body, sent)
            dated += 1
    assert dated >= 10


def test_a_checks_opening_notice_gives_the_checks_own_answer_deadline(world, year_of_complaints, keyword_classifier):
    """Issue 10: a notice said reply by 12-11 and its check said 12-07. A check opened before the credit demo ran
    (as the cases demo's filings open them) is back-dated with its notice: both give the same day, the one rule's
    (credit.selectors.duty_answer_due of the day the check was opened)."""
    from credit.choices import NoticeKind
    from credit.tests.helpers import check_of, filed_owner_case

    early = check_of(filed_owner_case(world))
    # as the cases demo leaves it: the filing dated three weeks back, the notice written from the real today
    filed_at = timezone.now() - timedelta(days=21)
    early.case.transitions.filter(action="file").update(at=filed_at)
    run()
    early.refresh_from_db()
    notices = Notification.objects.filter(kind=NoticeKind.DUTY_CHECK_OPENED)
    assert notices.filter(link__contains=f"/duty-checks/{early.pk}/").exists()
    checked = 0
    for notice in notices:
        check = DutyCheck.objects.get(pk=int(re.search(r"/duty-checks/(\d+)/", notice.link).group(1)))
        opened = timezone.localtime(check.created_at).date()
        assert check.answer_due == selectors.duty_answer_due(opened)
        assert re.findall(r"请于 (\d{4}-\d{2}-\d{2}) 前", notice.body) == [check.answer_due.isoformat()], (
            notice.body, check.answer_due)
        assert timezone.localtime(notice.created_at).date() == opened
        checked += 1
    assert checked >= 5
    early_notice = notices.get(link__contains=f"/duty-checks/{early.pk}/")
    assert early.answer_due.isoformat() in early_notice.body
