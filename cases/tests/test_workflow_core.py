"""The workflow table and the transition service: the main path, refusals, and the version check."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases import services
from cases.choices import CaseState
from cases.tests.test_paths import with_team
from core.errors import ApplicationError
from intake import services as intake_services
from intake.choices import Channel, ComplaintStatus

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def photo(name="site.jpg"):
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


@pytest.fixture
def case(world, keyword_classifier):
    complaint = intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content="楼道飞线充电", address="兰溪路88弄", received_at=timezone.now()))
    return services.case_open_from_complaint(complaint=complaint, actor=world.oscar)


def test_a_confirmed_complaint_opens_a_case_in_its_street(world, case):
    assert case.state == CaseState.REGISTERED and case.street == world.caoyang
    assert case.officer == world.oscar and case.number.startswith("AJ")
    complaint = case.complaints.get()
    assert complaint.status == ComplaintStatus.IN_CASE
    assert case.state_due is not None


def test_full_path_to_closing(world, case):
    step = lambda action, **kw: services.case_transition(case=case, action=action, actor=world.oscar, **kw)  # noqa: E731
    case = step("start_verification")
    case = services.case_transition(case=case, action="file", actor=world.oscar, files=[photo()])
    case = services.case_transition(case=with_team(case), action="investigate", actor=world.oscar)
    services.party_add(case=case, actor=world.oscar, role="OWNER", name="赵某")
    case = services.case_transition(case=case, action="decide", actor=world.oscar, measures=["ORDER_CORRECT"],
                                    findings="经查，当事人在楼道内私拉电线为电动自行车充电。")
    case = services.case_transition(case=case, action="order_rectification", actor=world.oscar,
                                    rectify_due=timezone.localdate() + timedelta(days=3))
    case = services.case_transition(case=case, action="review", actor=world.oscar)
    case = services.case_transition(case=case, action="close_rectified", actor=world.oscar,
                                    files=[photo("after.jpg")], reason="已拆除飞线")
    assert case.state == CaseState.CLOSED and case.closed_at
    assert [t.to_state for t in case.transitions.all()] == [
        "REGISTERED", "VERIFYING", "FILED", "INVESTIGATING", "DECIDED", "RECTIFYING", "REVIEWING", "CLOSED"]
    assert case.complaints.get().status == ComplaintStatus.CLOSED
    assert case.evidence.count() == 2
    with pytest.raises(ApplicationError):
        services.evidence_add(case=case, upload=photo("late.jpg"), actor=world.oscar)


def test_moves_not_in_the_table_are_refused_and_change_nothing(world, case):
    with pytest.raises(ApplicationError) as info:
        services.case_transition(case=case, action="decide", actor=world.oscar, measures=["FINE"])
    assert "不能执行" in info.value.message
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED and case.transitions.count() == 1


def test_filing_needs_evidence(world, case):
    case = services.case_transition(case=case, action="start_verification", actor=world.oscar)
    with pytest.raises(ApplicationError) as info:
        services.case_transition(case=case, action="file", actor=world.oscar)
    assert info.value.extra["requirement"] == "evidence"


def test_street_staff_cannot_move_a_case(world, case):
    with pytest.raises(ApplicationError):
        services.case_transition(case=case, action="start_verification", actor=world.sam)


def test_a_stale_version_is_told_the_case_changed(world, case):
    old_version = case.version
    services.case_transition(case=case, action="start_verification", actor=world.oscar, version=old_version)
    with pytest.raises(services.StaleCase) as info:
        services.case_transition(case=case, action="dismiss", actor=world.alice, version=old_version, reason="x")
    assert info.value.extra["code"] == "stale"


def test_fake_evidence_is_refused_by_content_not_name(world, case):
    with pytest.raises(ApplicationError):
        services.evidence_add(case=case, upload=SimpleUploadedFile("photo.jpg", b"MZ\x90\x00binary"),
                              actor=world.oscar)
    evidence = services.evidence_add(case=case, upload=SimpleUploadedFile("scan.bin", b"%PDF-1.7 rest"),
                                     actor=world.oscar)
    assert evidence.content_type == "application/pdf" and len(evidence.sha256) == 64


def test_an_officer_cannot_move_another_streets_case_even_through_the_service(world, case):
    from tests.personas import make_user

    other = make_user("olga", "OFFICER", streets=[world.changfeng])
    with pytest.raises(ApplicationError) as info:
        services.case_transition(case=case, action="start_verification", actor=other)
    assert "范围" in info.value.message
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED


def test_a_taken_case_number_is_skipped(world, case, keyword_classifier):
    from cases.models import EnforcementCase

    complaint = intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content="有人搭建阳光房", address="兰溪路88弄3号楼", received_at=timezone.now()))
    original = services.next_case_number
    numbers = iter([case.number])  # as if another request had read the same last number first

    def racing(year, **district):
        return next(numbers, None) or original(year, **district)

    services.next_case_number = racing
    try:
        second = services.case_open_from_complaint(complaint=complaint, actor=world.oscar)
    finally:
        services.next_case_number = original
    assert second.number != case.number and EnforcementCase.objects.count() == 2
