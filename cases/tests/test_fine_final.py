"""处罚决定生效 on the case page and through the API: the handlers of the case make a fine final once it is
stated in an issued 行政处罚决定书 — also after the case closed, since the review and lawsuit periods outlast
most cases; on a property company's negligence case that gives the company its credit points. Tested from
every refused side: street staff, property users, an officer of another street, a fine with no decision."""
import pytest
from django.urls import reverse

from accounts.choices import Role
from cases import documents, fines
from cases.choices import DocumentKind, PaymentStatus
from cases.models import Fine
from cases.tests.test_paths import (
    add_party,
    move,
    notify_fine,
    open_case,
    penalty_row,
    serve_notice,
    to_investigating,
)
from core.errors import ApplicationError
from credit import services as credit_services
from credit.choices import DutyOutcome
from credit.models import CreditRecord
from credit.tests.helpers import check_of, filed_owner_case
from tests.personas import make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/cases/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the decisions' .docx files


def decided_with_fine(case, actor, *, party=None, amount="2000"):
    """The case decided with a fine through the procedure (notice served, waived, approved): the fine is recorded,
    not yet on a decision."""
    from accounts.models import User

    case = to_investigating(case, actor)
    if party is None:
        party = add_party(case, actor, "OWNER")
    case = notify_fine(case, actor, amount, penalty=[penalty_row(case, amount, party=party)])
    case = serve_notice(case, actor)
    case = move(case, "record_waiver", actor, reason="当事人书面放弃陈述申辩")
    case = move(case, "submit_approval", actor)
    case = move(case, "approve", User.objects.get(username="alice"))
    return case.fines.get()


def on_decision(fine, actor) -> Fine:
    documents.document_issue(case=fine.case, kind=DocumentKind.PENALTY_DECISION, actor=actor)
    return Fine.objects.get(pk=fine.pk)


@pytest.fixture
def fine(world):
    """A ¥2,000 fine on an owner's case of 曹杨 (oscar's street), stated in an issued penalty decision."""
    case = open_case(world, "COMMON_AREA_OCCUPATION")
    return on_decision(decided_with_fine(case, world.oscar), world.oscar)


@pytest.fixture
def negligence_fine(world):
    """A fine on the PROPERTY_NEGLIGENCE case that a failed duty check opened against 普安物业."""
    check = check_of(filed_owner_case(world))
    credit_services.duty_check_answer(check=check, actor=world.paul, statement="我司未发现")
    check = credit_services.duty_check_decide(check=check, actor=world.oscar, outcome=DutyOutcome.FAILED,
                                              reasons="未劝阻、未报告", failure_rule="NOT_STOPPED")
    case = check.negligence_case
    party = case.parties.get(role="PROPERTY_COMPANY")
    return on_decision(decided_with_fine(case, world.oscar, party=party, amount="5000"), world.oscar)


def page(client, case_id) -> str:
    response = client.get(reverse("cases:detail", args=[case_id]))
    assert response.status_code == 200
    return response.content.decode()


def final_url(fine) -> str:
    return reverse("cases:fine-final", args=[fine.pk])


def unchanged(fine):
    fresh = Fine.objects.get(pk=fine.pk)
    assert not fresh.is_final
    assert not fresh.history.filter(history_change_reason="处罚决定生效").exists()
    assert not CreditRecord.objects.exists()


# --- the case page ---------------------------------------------------------------------------------

def test_the_handler_makes_a_fine_final_on_the_case_page(client, world, fine):
    client.force_login(world.oscar)
    html = page(client, fine.case_id)
    assert 'data-testid="fine-final-toggle"' in html and "复议、提起行政诉讼的期限已满" in html
    assert 'data-testid="fine-final-credit"' not in html  # an owner's case gives no credit points
    response = client.post(final_url(fine))
    assert response.status_code == 302 and response["Location"].endswith("#fines")
    fresh = Fine.objects.get(pk=fine.pk)
    assert fresh.is_final
    last = fresh.history.first()
    assert last.history_change_reason == "处罚决定生效" and last.history_user == world.oscar
    html = page(client, fine.case_id)
    assert 'data-testid="fine-final"' in html and 'data-testid="fine-final-toggle"' not in html
    assert not CreditRecord.objects.exists()
    again = client.post(final_url(fine))  # a hand-made second post
    assert again.status_code == 400 and "该罚款已生效" in again.content.decode()


def test_a_negligence_fine_made_final_gives_the_company_its_points(client, world, negligence_fine):
    client.force_login(world.alice)  # a lead handles any case
    html = page(client, negligence_fine.case_id)
    assert 'data-testid="fine-final-credit"' in html and "物业未履职案件" in html
    assert client.post(final_url(negligence_fine)).status_code == 302
    records = CreditRecord.objects.filter(fine=negligence_fine)
    assert sorted(records.values_list("subject", "company")) == [
        ("COMPANY", world.company_a.pk), ("MANAGER", world.company_a.pk)]
    assert all(r.created_by == world.alice for r in records)


def test_a_fine_is_made_final_after_its_case_closed(client, world, fine):
    """Review (60 days) and lawsuit (6 months) periods outlast most cases: the button stays after closing."""
    fines.fine_record_payment(fine=fine, actor=world.oscar, status=PaymentStatus.PAID)
    move(fine.case, "close_executed", world.oscar, reason="罚款已缴纳，执行完毕", measures_done=[])
    client.force_login(world.oscar)
    html = page(client, fine.case_id)
    assert "结案" in html and 'data-testid="fine-final-toggle"' in html
    assert client.post(final_url(fine)).status_code == 302
    assert Fine.objects.get(pk=fine.pk).is_final


def test_a_fine_without_a_penalty_decision_is_not_made_final(client, world):
    fine = decided_with_fine(open_case(world, "COMMON_AREA_OCCUPATION"), world.oscar)
    client.force_login(world.oscar)
    html = page(client, fine.case_id)
    assert 'data-testid="fine-awaits-decision"' in html and 'data-testid="fine-final-toggle"' not in html
    response = client.post(final_url(fine))
    assert response.status_code == 400 and "尚未载入行政处罚决定书" in response.content.decode()
    unchanged(fine)


def test_the_penalty_decision_is_offered_only_once_the_penalty_is_approved_and_until_it_is_issued(client, world):
    case = to_investigating(open_case(world, "COMMON_AREA_OCCUPATION"), world.oscar)
    add_party(case, world.oscar, "OWNER")
    case = serve_notice(notify_fine(case, world.oscar, "2000"), world.oscar)
    client.force_login(world.oscar)
    button = 'data-testid="document-PENALTY_DECISION"'
    assert button not in page(client, case.pk)           # notified, not decided: nothing to state
    case = move(case, "record_waiver", world.oscar, reason="当事人书面放弃陈述申辩")
    case = move(move(case, "submit_approval", world.oscar), "approve", world.alice)
    assert button in page(client, case.pk)
    on_decision(case.fines.get(), world.oscar)
    assert button not in page(client, case.pk)           # issued: the service would refuse a second one
    with pytest.raises(ApplicationError, match="不能直接录入"):
        fines.fine_impose(case=case, amount="500", actor=world.oscar, party=case.parties.get())


def test_a_closed_case_whose_fine_was_never_on_a_decision_offers_nothing_it_cannot_do(client, world):
    fine = decided_with_fine(open_case(world, "COMMON_AREA_OCCUPATION"), world.oscar)
    fines.fine_record_payment(fine=fine, actor=world.oscar, status=PaymentStatus.PAID)
    move(fine.case, "close_executed", world.oscar, reason="罚款已缴纳，执行完毕", measures_done=[])
    client.force_login(world.oscar)
    html = page(client, fine.case_id)
    assert 'data-testid="fine-awaits-decision"' not in html and 'data-testid="fine-final-toggle"' not in html


@pytest.mark.parametrize(("who", "expected"), [
    ("street", 403),     # street staff of the case's own street follow it; officers run it
    ("paul", 403),       # property users handle no case
    ("hana", 403),       # a department answers referrals only
    ("otto", 404),       # an officer of another street: the fine is not in his scope
])
def test_those_who_do_not_handle_the_case_are_refused(client, world, negligence_fine, who, expected):
    users = {"street": make_user("sue", Role.STREET, streets=[world.caoyang]),
             "otto": make_user("otto", Role.OFFICER, streets=[world.changfeng])}
    user = users.get(who) or getattr(world, who)
    client.force_login(user)
    case_page = client.get(reverse("cases:detail", args=[negligence_fine.case_id]))
    assert 'data-testid="fine-final-toggle"' not in case_page.content.decode()
    assert client.post(final_url(negligence_fine)).status_code == expected
    unchanged(negligence_fine)


# --- the API -------------------------------------------------------------------------------------------

def api_final(client, fine, case_id=None):
    return client.post(f"{API}{case_id or fine.case_id}/fines/{fine.pk}/final/", content_type="application/json")


def test_the_api_makes_a_fine_final_once(client, world, negligence_fine):
    client.force_login(world.oscar)
    listed = client.get(f"{API}{negligence_fine.case_id}/").json()["fines"]
    assert [(row["id"], row["amount"], row["is_final"], row["party_name"]) for row in listed] == [
        (negligence_fine.pk, "5000.00", False, world.company_a.name)]
    assert listed[0]["document_number"] == negligence_fine.document.number
    response = api_final(client, negligence_fine)
    assert response.status_code == 200, response.content
    assert response.json()["is_final"] is True
    assert CreditRecord.objects.filter(fine=negligence_fine, subject="COMPANY").count() == 1
    again = api_final(client, negligence_fine)
    assert again.status_code == 400
    assert again.json()["detail"] == "该罚款已生效" and again.json()["detail_en"] == "the fine is already final"
    assert CreditRecord.objects.filter(fine=negligence_fine).count() == 2  # company and manager, once


def test_the_api_refuses_a_fine_without_a_penalty_decision(client, world):
    fine = decided_with_fine(open_case(world, "COMMON_AREA_OCCUPATION"), world.oscar)
    client.force_login(world.oscar)
    response = api_final(client, fine)
    assert response.status_code == 400
    assert "行政处罚决定书" in response.json()["detail"] and "penalty decision" in response.json()["detail_en"]
    unchanged(fine)


@pytest.mark.parametrize(("who", "expected"), [
    ("street", 403),     # sees the case, cannot handle it
    ("paul", 404),       # property users see no case at all
    ("otto", 404),       # another street's officer
])
def test_the_api_refuses_those_who_do_not_handle_the_case(client, world, negligence_fine, who, expected):
    users = {"street": make_user("sue", Role.STREET, streets=[world.caoyang]),
             "otto": make_user("otto", Role.OFFICER, streets=[world.changfeng])}
    client.force_login(users.get(who) or getattr(world, who))
    assert api_final(client, negligence_fine).status_code == expected
    unchanged(negligence_fine)


def test_the_api_finds_a_fine_only_under_its_own_case(client, world, fine, negligence_fine):
    client.force_login(world.oscar)
    assert api_final(client, negligence_fine, case_id=fine.case_id).status_code == 404
    unchanged(negligence_fine)
