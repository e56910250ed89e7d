"""Who opens cases: officers and the bureau run them (cases.workflow.HANDLERS); street staff triage their
streets' clues and follow the cases, but opening one is refused with a message in both languages — by the
service whatever calls it, on the complaint page (no button, a hint) and through the API."""
import pytest
from django.urls import reverse

from accounts.choices import Role
from cases import services
from cases.models import EnforcementCase
from cases.tests.test_paths import complaint_for
from core.errors import ApplicationError
from intake.choices import ComplaintStatus
from registry.models import ViolationType
from tests.personas import make_user

pytestmark = pytest.mark.django_db
REFUSAL = "您的角色不能立案"


@pytest.fixture
def clue(world):
    """A patrol finding in 长风 (sam's street), routed there as an enforcement matter."""
    return complaint_for("EBIKE_PARKING", world.changfeng_b)


def nothing_opened(clue):
    clue.refresh_from_db()
    assert not EnforcementCase.objects.exists()
    assert clue.case_id is None and clue.status == ComplaintStatus.ROUTED


@pytest.mark.parametrize("persona", ["sam", "hana", "paul"])
def test_the_services_refuse_roles_that_do_not_handle_cases(world, clue, persona):
    user = getattr(world, persona)
    with pytest.raises(ApplicationError) as info:
        services.case_open_from_complaint(complaint=clue, actor=user)
    assert REFUSAL in info.value.message and "cannot open cases" in info.value.message_en
    with pytest.raises(ApplicationError) as info:
        services.case_open(violation_type=ViolationType.objects.get(code="EBIKE_PARKING"),
                           community=world.changfeng_b, summary="楼道停放电动自行车", actor=user)
    assert REFUSAL in info.value.message
    nothing_opened(clue)


def test_a_street_user_joining_a_duplicate_to_its_case_is_refused_too(world, clue):
    case = services.case_open_from_complaint(complaint=clue, actor=world.alice)
    duplicate = complaint_for("EBIKE_PARKING", world.changfeng_b, duplicate_of=clue)
    with pytest.raises(ApplicationError):
        services.case_open_from_complaint(complaint=duplicate, actor=world.sam)
    duplicate.refresh_from_db()
    assert duplicate.case_id is None and EnforcementCase.objects.get() == case


@pytest.mark.parametrize("persona", ["alice", "ada", "officer"])
def test_officers_and_the_bureau_open_cases(world, clue, persona):
    user = make_user("olga", Role.OFFICER, streets=[world.changfeng]) if persona == "officer" \
        else getattr(world, persona)
    case = services.case_open_from_complaint(complaint=clue, actor=user)
    assert case.complaints.get() == clue


def test_the_complaint_page_offers_street_staff_no_立案办理(client, world, clue):
    client.force_login(world.sam)
    page = client.get(reverse("intake:detail", args=[clue.pk])).content.decode()
    assert 'data-testid="open-case"' not in page and 'data-testid="open-case-hint"' in page
    assert 'data-testid="dispatch-moves"' in page  # they still triage it (退单, 改派部门 …)
    olga = make_user("olga", Role.OFFICER, streets=[world.changfeng])
    client.force_login(olga)
    page = client.get(reverse("intake:detail", args=[clue.pk])).content.decode()
    assert 'data-testid="open-case"' in page and 'data-testid="open-case-hint"' not in page


def test_a_hand_made_post_from_street_staff_is_refused_with_the_message(client, world, clue):
    client.force_login(world.sam)
    response = client.post(reverse("cases:open-from-complaint", args=[clue.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("intake:detail", args=[clue.pk])
    assert REFUSAL in response.content.decode()
    nothing_opened(clue)


def test_the_refusal_reads_in_english_for_english_readers(client, world, clue):
    client.force_login(world.sam)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("cases:open-from-complaint", args=[clue.pk]), follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "your role cannot open cases" in response.content.decode()
    nothing_opened(clue)


@pytest.mark.parametrize(("persona", "expected"), [("sam", 403), ("hana", 403), ("paul", 403)])
def test_the_api_refuses_roles_that_do_not_handle_cases(client, world, clue, persona, expected):
    client.force_login(getattr(world, persona))
    response = client.post("/api/v1/cases/open-from-complaint/", {"complaint": clue.pk},
                           content_type="application/json")
    assert response.status_code == expected
    assert "cannot open cases" in response.json()["detail"]
    nothing_opened(clue)
