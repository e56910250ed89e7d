"""承办队员 and 正在搭建: who may assign, claim and reassign a case, and who may say an illegal construction is
being built right now — tested from the side of the refused user, on the service, the pages and the API."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.models import Notification
from cases import selectors, services
from cases.choices import CaseState, PartyRole
from cases.models import EnforcementCase
from cases.tests.test_paths import FINDINGS, add_party, move, open_case, photo, refused, to_investigating
from core import calendar
from core.errors import ApplicationError
from tests.personas import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


@pytest.fixture
def olga(world):
    """A second officer of 曹杨新村街道."""
    return make_user("olga", Role.OFFICER, streets=[world.caoyang], display_name="欧阳队员")


@pytest.fixture
def owen(world):
    """An officer of 长风新村街道 only."""
    return world.owen


@pytest.fixture
def unassigned(world):
    """A clue in 曹杨 registered by the lead, nobody handling it yet."""
    case = open_case(world, "ILLEGAL_CONSTRUCTION", actor=world.alice)
    assert case.officer is None
    return case


def assign(case, officer, actor, **kw):
    return services.case_assign(case=case, officer=officer, actor=actor, version=case.version, **kw)


def assign_refused(case, officer, actor, **kw) -> ApplicationError:
    """Refused with a message; the case, its version and its timeline are unchanged, nobody notified."""
    before = (case.officer_id, case.version, case.transitions.count(), Notification.objects.count())
    with pytest.raises(ApplicationError) as info:
        assign(case, officer, actor, **kw)
    assert info.value.message
    fresh = EnforcementCase.objects.get(pk=case.pk)
    assert (fresh.officer_id, fresh.version, fresh.transitions.count(), Notification.objects.count()) == before
    return info.value


# --- the service ---------------------------------------------------------------------------------

def test_the_lead_assigns_an_officer_of_the_street_who_sees_it_as_newly_assigned(world, unassigned):
    case = assign(unassigned, world.oscar, world.alice)
    assert case.officer == world.oscar and case.version == unassigned.version + 1
    step = case.transitions.last()
    assert (step.action, step.from_state, step.to_state, step.actor) == ("assign", "REGISTERED", "REGISTERED",
                                                                         world.alice)
    assert step.payload["officer"] == world.oscar.pk and step.payload["previous"] is None
    note = Notification.objects.get(user=world.oscar)
    assert case.number in note.title and note.link == reverse("cases:detail", args=[case.pk])
    assert [c.pk for c in selectors.workbench(user=world.oscar)["new"]] == [case.pk]


def test_a_reassignment_needs_its_reason_and_shows_on_the_new_officers_workbench(world, olga):
    case = open_case(world, "GROUP_RENTING")  # opened by oscar, so his
    EnforcementCase.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=10))
    error = assign_refused(case, olga, world.alice)
    assert "理由" in error.message
    case = assign(case, olga, world.alice, reason="王队员休假，由欧阳队员接办")
    step = case.transitions.last()
    assert step.payload["previous_name"] == str(world.oscar) and step.reason == "王队员休假，由欧阳队员接办"
    assert [c.pk for c in selectors.workbench(user=olga)["new"]] == [case.pk]
    assert selectors.workbench(user=world.oscar)["new"] == []


def test_an_officer_claims_an_unassigned_case_of_his_street(world, owen, unassigned):
    assert [c.pk for c in selectors.workbench(user=world.oscar)["unassigned"]] == [unassigned.pk]
    assert selectors.workbench(user=owen)["unassigned"] == []  # another street's clue
    case = assign(unassigned, world.oscar, world.oscar)
    assert selectors.workbench(user=world.oscar)["unassigned"] == []
    assert case.officer == world.oscar and case.transitions.last().action == "claim"
    assert not Notification.objects.exists()  # nobody to tell


def test_an_officer_cannot_take_a_case_someone_else_handles(world, olga, unassigned):
    case = assign(unassigned, olga, world.alice)
    error = assign_refused(case, world.oscar, world.oscar)
    assert "欧阳队员" in error.message


def test_an_officer_cannot_assign_a_colleague(world, olga, unassigned):
    assign_refused(unassigned, olga, world.oscar)


def test_an_officer_of_another_street_can_neither_claim_nor_be_assigned(world, owen, unassigned):
    assign_refused(unassigned, owen, owen)                 # not his street: outside his scope
    error = assign_refused(unassigned, owen, world.alice)  # assigned outside his streets
    assert "曹杨新村街道" in error.message


def test_street_property_and_department_users_cannot_assign(world, unassigned):
    changfeng = open_case(world, "EBIKE_PARKING", community=world.changfeng_b, actor=world.alice)
    owen = world.owen
    assign_refused(changfeng, owen, world.sam)    # street staff follow their street's cases, never run them
    assign_refused(changfeng, world.sam, world.sam)
    assign_refused(unassigned, world.oscar, world.paul)
    assign_refused(unassigned, world.oscar, world.hana)


def test_only_officers_handle_cases(world, unassigned):
    assign_refused(unassigned, world.sam, world.alice)
    assign_refused(unassigned, world.alice, world.alice)


def test_a_closed_case_is_not_reassigned(world, olga):
    case = move(move(open_case(world, "GROUP_RENTING"), "start_verification", world.oscar), "dismiss", world.oscar,
                reason="现场未发现群租")
    assign_refused(case, olga, world.alice, reason="复核")


def test_the_same_officer_again_is_refused(world):
    case = open_case(world, "GROUP_RENTING")
    assign_refused(case, world.oscar, world.alice, reason="重复")


def test_assigning_on_a_stale_version_is_refused(world, olga, unassigned):
    services.case_transition(case=unassigned, action="start_verification", actor=world.alice)
    with pytest.raises(services.StaleCase):
        services.case_assign(case=unassigned, officer=olga, actor=world.alice, version=unassigned.version)
    assert EnforcementCase.objects.get(pk=unassigned.pk).officer is None


# --- 正在搭建 ------------------------------------------------------------------------------------

def mark(case, actor, in_progress=True, reason="现场仍在施工"):
    return services.case_set_in_progress(case=case, in_progress=in_progress, actor=actor, reason=reason,
                                         version=case.version)


def mark_refused(case, actor, in_progress=True, reason="现场仍在施工") -> ApplicationError:
    before = (case.in_progress, case.version, case.state_due, case.transitions.count())
    with pytest.raises(ApplicationError) as info:
        mark(case, actor, in_progress, reason)
    fresh = EnforcementCase.objects.get(pk=case.pk)
    assert (fresh.in_progress, fresh.version, fresh.state_due, fresh.transitions.count()) == before
    return info.value


def test_a_construction_being_built_is_verified_the_same_day_and_must_be_stopped_and_demolished(world):
    case = open_case(world, "ILLEGAL_CONSTRUCTION")
    assert case.state_due == calendar.add_working_days(timezone.localdate(), 1)
    case = mark(case, world.oscar)
    assert case.in_progress and case.state_due == timezone.localdate()
    step = case.transitions.last()
    assert (step.action, step.reason, step.payload) == ("set_in_progress", "现场仍在施工", {"in_progress": True})
    case = to_investigating(case, world.oscar)
    add_party(case, world.oscar, PartyRole.OWNER)
    assert "责令改正" in refused(case, "decide", world.oscar, "measures", measures=["ORDER_CORRECT"],
                                 findings=FINDINGS).message
    assert "制止" in refused(case, "decide", world.oscar, "measures", measures=["DEMOLISH", "FINE"],
                             findings=FINDINGS).message
    case = move(case, "decide", world.oscar, measures=["STOP", "DEMOLISH"], reason="当场制止，责令立即拆除",
                findings=FINDINGS)
    mark_refused(case, world.oscar, False, "其实已建成")  # the decision is made: too late
    case = move(case, "close_executed", world.oscar, reason="已拆除", files=[photo("after.jpg")])
    assert case.state == CaseState.CLOSED
    assert [t.action for t in case.transitions.all()] == [
        "register", "set_in_progress", "start_verification", "file", "investigate", "decide", "close_executed"]


def test_clearing_it_restores_the_ordinary_deadline(world):
    case = mark(open_case(world, "ILLEGAL_CONSTRUCTION"), world.oscar)
    case = mark(case, world.alice, False, "核查发现已建成多年")
    assert not case.in_progress
    assert case.state_due == calendar.add_working_days(timezone.localdate(), 1)
    assert case.transitions.last().action == "clear_in_progress"


def test_in_progress_needs_a_reason_a_change_and_a_type_that_knows_it(world):
    case = open_case(world, "ILLEGAL_CONSTRUCTION")
    assert "理由" in mark_refused(case, world.oscar, reason="  ").message
    mark_refused(case, world.oscar, False)  # already existing
    mark_refused(open_case(world, "GROUP_RENTING"), world.oscar)


def test_in_progress_is_refused_outside_the_handlers(world, owen):
    case = open_case(world, "ILLEGAL_CONSTRUCTION", community=world.changfeng_b, actor=world.alice)
    for user in (world.sam, world.paul, world.hana, world.oscar):  # oscar: another street's case
        mark_refused(case, user)
    assert mark(case, owen).in_progress


# --- pages ---------------------------------------------------------------------------------------

def test_the_case_page_offers_claim_to_the_streets_officer_and_assignment_to_the_lead(client, world, olga, owen,
                                                                                    unassigned):
    client.force_login(world.oscar)
    html = client.get(reverse("cases:detail", args=[unassigned.pk])).content.decode()
    assert 'data-testid="claim"' in html and 'data-testid="assign-form"' not in html
    client.force_login(world.alice)
    html = client.get(reverse("cases:detail", args=[unassigned.pk])).content.decode()
    assert 'data-testid="assign-form"' in html and 'data-testid="claim"' not in html
    assert "欧阳队员" in html and "欧文队员" not in html  # only officers of the case's street are offered


def test_claiming_on_the_page_records_it_on_the_timeline(client, world, unassigned):
    client.force_login(world.oscar)
    response = client.post(reverse("cases:claim", args=[unassigned.pk]), {"version": unassigned.version})
    assert response.status_code == 302
    html = client.get(reverse("cases:detail", args=[unassigned.pk])).content.decode()
    assert "认领案件" in html and 'data-testid="claim"' not in html
    assert EnforcementCase.objects.get(pk=unassigned.pk).officer == world.oscar


def test_a_refused_assignment_keeps_the_reason_typed(client, world, unassigned):
    client.force_login(world.alice)
    case = assign(unassigned, world.oscar, world.alice)
    olga = make_user("olga", Role.OFFICER, streets=[world.caoyang])
    response = client.post(reverse("cases:assign", args=[case.pk]),
                           {"version": case.version, "officer": olga.pk, "reason": ""})
    assert response.status_code == 400
    assert "改派理由" in response.content.decode()
    response = client.post(reverse("cases:assign", args=[case.pk]),
                           {"version": case.version - 1, "officer": olga.pk, "reason": "休假"})
    assert response.status_code == 409 and "休假" in response.content.decode()
    assert EnforcementCase.objects.get(pk=case.pk).officer == world.oscar


@pytest.mark.parametrize("persona", ["sam", "paul", "hana", "owen"])
def test_posts_from_outside_the_cases_handlers_are_404(client, world, owen, unassigned, persona):
    client.force_login(owen if persona == "owen" else getattr(world, persona))
    for name, data in (("cases:claim", {}), ("cases:assign", {"officer": world.oscar.pk, "reason": "x"}),
                       ("cases:in-progress", {"in_progress": "True", "reason": "x"})):
        response = client.post(reverse(name, args=[unassigned.pk]), {"version": unassigned.version, **data})
        assert response.status_code == 404, name
    fresh = EnforcementCase.objects.get(pk=unassigned.pk)
    assert (fresh.officer, fresh.in_progress, fresh.version) == (None, False, unassigned.version)


def test_an_officer_posting_an_assignment_by_hand_is_refused(client, world, olga, unassigned):
    client.force_login(world.oscar)
    response = client.post(reverse("cases:assign", args=[unassigned.pk]),
                           {"version": unassigned.version, "officer": olga.pk, "reason": "交给她"})
    assert response.status_code == 400 and "认领" in response.content.decode()
    assert EnforcementCase.objects.get(pk=unassigned.pk).officer is None


def test_marking_in_progress_on_the_page(client, world, unassigned):
    client.force_login(world.oscar)
    url = reverse("cases:detail", args=[unassigned.pk])
    assert 'data-testid="in-progress-form"' in client.get(url).content.decode()
    response = client.post(reverse("cases:in-progress", args=[unassigned.pk]),
                           {"version": unassigned.version, "in_progress": "True", "reason": "正在浇筑地坪"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "正在搭建（新增）" in html and "认定为正在搭建" in html and "正在浇筑地坪" in html
    other = open_case(world, "GROUP_RENTING")
    assert 'data-testid="in-progress-form"' not in client.get(reverse("cases:detail", args=[other.pk])).content.decode()


def test_the_case_page_speaks_english_for_refusals_and_buttons(client, world, unassigned):
    client.force_login(world.alice)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("cases:in-progress", args=[unassigned.pk]),
                           {"version": unassigned.version, "in_progress": "False", "reason": "复核"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "already recorded as an existing construction" in html and "案件已认定为存量违建" not in html


# --- API -----------------------------------------------------------------------------------------

def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_api_assign_claim_and_in_progress(client, world, olga, unassigned):
    client.force_login(world.alice)
    officers = client.get(f"{URL}{unassigned.pk}/officers/").json()
    assert {o["username"] for o in officers} == {"oscar", "olga", "otis"}
    response = _post(client, f"{URL}{unassigned.pk}/assign/", {"officer": olga.pk, "version": unassigned.version})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["officer"] == olga.pk and body["transitions"][-1]["action"] == "assign"
    response = _post(client, f"{URL}{unassigned.pk}/in-progress/",
                     {"in_progress": True, "version": body["version"], "reason": "仍在施工"})
    assert response.status_code == 200 and response.json()["in_progress"] is True
    stale = _post(client, f"{URL}{unassigned.pk}/assign/",
                  {"officer": world.oscar.pk, "version": body["version"], "reason": "调整"})
    assert stale.status_code == 409 and stale.json()["version"] == body["version"] + 1


def test_api_claim_by_the_streets_officer(client, world, unassigned):
    client.force_login(world.oscar)
    response = _post(client, f"{URL}{unassigned.pk}/claim/", {"version": unassigned.version})
    assert response.status_code == 200 and response.json()["officer"] == world.oscar.pk
    again = _post(client, f"{URL}{unassigned.pk}/claim/", {"version": response.json()["version"]})
    assert again.status_code == 400 and again.json()["detail_en"]


@pytest.mark.parametrize(("persona", "expected"), [("sam", 404), ("paul", 404), ("hana", 404), ("owen", 404)])
def test_api_refuses_those_outside_the_cases_reach(client, world, owen, unassigned, persona, expected):
    client.force_login(owen if persona == "owen" else getattr(world, persona))
    for path, data in (("claim", {}), ("assign", {"officer": world.oscar.pk}),
                       ("in-progress", {"in_progress": True, "reason": "x"})):
        response = _post(client, f"{URL}{unassigned.pk}/{path}/", {"version": unassigned.version, **data})
        assert response.status_code == expected, path
    assert client.get(f"{URL}{unassigned.pk}/officers/").status_code == expected
    fresh = EnforcementCase.objects.get(pk=unassigned.pk)
    assert (fresh.officer, fresh.in_progress, fresh.version) == (None, False, unassigned.version)


def test_api_street_staff_see_the_case_but_cannot_assign_it(client, world, owen):
    case = open_case(world, "EBIKE_PARKING", community=world.changfeng_b, actor=world.alice)
    client.force_login(world.sam)
    assert client.get(f"{URL}{case.pk}/").status_code == 200
    response = _post(client, f"{URL}{case.pk}/assign/", {"officer": owen.pk, "version": case.version})
    assert response.status_code == 403


def test_api_assigning_an_officer_outside_the_street_is_400(client, world, owen, unassigned):
    client.force_login(world.alice)
    response = _post(client, f"{URL}{unassigned.pk}/assign/", {"officer": owen.pk, "version": unassigned.version})
    assert response.status_code == 400 and "street" in response.json()["detail_en"]
    response = _post(client, f"{URL}{unassigned.pk}/assign/", {"officer": world.sam.pk, "version": unassigned.version})
    assert response.status_code == 400 and "officer" in response.json()
