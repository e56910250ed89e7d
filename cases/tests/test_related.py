"""The case page links the credit and inventory records of the case — its duty check, the check a negligence
case came from and the points it gave, its inventory items and 登记违建台账 — each only for users whose
scope opens it (tested from the side of the user who may not)."""
import pytest
from django.urls import reverse

from accounts.choices import Role
from cases import documents, fines
from cases.choices import DocumentKind
from cases.tests.test_paths import move, notify_fine, open_case, serve_notice, to_decision, to_investigating
from credit import services as credit_services
from credit.choices import DutyOutcome
from credit.tests.helpers import check_of, filed_owner_case
from programme import services as programme_services
from tests.personas import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page(client, user, case) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def failed_check(world):
    check = check_of(filed_owner_case(world))
    credit_services.duty_check_answer(check=check, actor=world.paul, statement="我司未发现")
    return credit_services.duty_check_decide(check=check, actor=world.oscar, outcome=DutyOutcome.FAILED,
                                             reasons="未劝阻、未报告", failure_rule="NOT_STOPPED")


def test_a_filed_owner_case_links_its_duty_check(client, world):
    case = filed_owner_case(world)
    check = check_of(case)
    html = page(client, world.oscar, case)
    assert 'data-testid="duty-check-link"' in html
    assert reverse("credit:duty-check", args=[check.pk]) in html and world.company_a.name in html
    assert client.get(reverse("credit:duty-check", args=[check.pk])).status_code == 200
    assert 'data-testid="negligence-of-link"' not in html and 'data-testid="credit-record"' not in html


def test_a_negligence_case_links_the_check_it_came_from_and_the_points_it_gave(client, world):
    check = failed_check(world)
    case = to_investigating(check.negligence_case, world.oscar)
    case = serve_notice(notify_fine(case, world.oscar, "5000", reason="未履行劝阻、制止义务"), world.oscar)
    case = to_decision(case, world)
    fine = case.fines.get()
    documents.document_issue(case=case, kind=DocumentKind.PENALTY_DECISION, actor=world.oscar)
    html = page(client, world.alice, case)
    assert 'data-testid="negligence-of-link"' in html and check.case.number in html
    assert reverse("credit:duty-check", args=[check.pk]) in html
    assert 'data-testid="credit-record"' not in html  # no points before the penalty is final
    fine.refresh_from_db()
    fines.fine_make_final(fine=fine, actor=world.oscar)
    html = page(client, world.alice, case)
    assert html.count('data-testid="credit-record"') == 2  # the company and its project manager
    assert reverse("credit:company", args=[world.company_a.pk]) in html and "王建国" in html
    assert client.get(reverse("credit:company", args=[world.company_a.pk])).status_code == 200


def test_a_department_following_a_referred_negligence_case_gets_no_credit_links(client, world):
    """The greening bureau sees a case referred to it, but neither duty checks nor credit (the housing
    bureau's) — so the page links neither."""
    check = failed_check(world)
    case = move(check.negligence_case, "start_verification", world.oscar)
    move(case, "refer", world.oscar, department="GREENING", reason="属绿化养护管理事项")
    gina = world.gina
    html = page(client, gina, case)
    assert 'data-testid="negligence-of-link"' not in html
    assert reverse("credit:duty-check", args=[check.pk]) not in html
    assert client.get(reverse("credit:duty-check", args=[check.pk])).status_code in {403, 404}
    assert 'data-testid="negligence-of-link"' in page(client, world.alice, case)  # the bureau sees the check


def test_an_illegal_construction_case_offers_registering_its_structure_and_links_it(client, world):
    case = open_case(world, "ILLEGAL_CONSTRUCTION")
    html = page(client, world.oscar, case)
    register = f'{reverse("programme:structure-create")}?case={case.pk}'
    assert 'data-testid="no-structure"' in html and register in html
    form = client.get(register)
    assert form.status_code == 200 and case.number in form.content.decode()
    item = programme_services.structure_from_case(case=case, actor=world.oscar, location="5号楼 屋顶",
                                                  area_m2="18", material="STEEL")
    html = page(client, world.oscar, case)
    assert 'data-testid="structure-link"' in html and item.number in html
    assert reverse("programme:structure-detail", args=[item.pk]) in html
    sue = make_user("sue", Role.STREET, streets=[world.caoyang])  # the street runs the 清零 campaign too
    html = page(client, sue, case)
    assert item.number in html and register in html


def test_no_registering_for_other_types_referred_cases_or_those_who_only_read(client, world):
    other = open_case(world, "EBIKE_PARKING")
    html = page(client, world.oscar, other)
    assert 'data-testid="related-records"' not in html and "structure-create" not in html
    referred = move(open_case(world, "ILLEGAL_CONSTRUCTION"), "start_verification", world.oscar)
    referred = move(referred, "refer", world.oscar, department="HOUSING", reason="属房屋使用管理事项")
    assert 'data-testid="structure-register"' not in page(client, world.oscar, referred)
    assert 'data-testid="structure-register"' not in page(client, world.hana, referred)
    planning = world.pete
    client.force_login(planning)
    assert client.get(reverse("programme:structure-create"), {"case": referred.pk}).status_code == 403
