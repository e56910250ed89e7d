"""The penalty procedure through the API: the move endpoint takes the procedure's inputs (same keys as the pages;
`penalty` as a list of objects, `presider` a user id, ISO dates), bad ids and shapes are 400 with the bilingual
body, the case detail shows co_officer, findings, decision_due and the `penalty` object, and the co-officer
endpoint."""
import json

import pytest
from django.utils import timezone

from cases.choices import CaseState
from cases.models import EnforcementCase
from tests import procedure as P

pytestmark = pytest.mark.django_db


def bilingual(body) -> bool:
    """The API's error body: `detail` + `detail_en`, or fields whose messages carry both languages."""
    if body.get("detail") and body.get("detail_en"):
        return True
    texts = json.dumps(body, ensure_ascii=False)
    return " / " in texts


def url(case, what=""):
    return f"/api/v1/cases/{case.pk}/{what}"


def move(client, user, case, action, **data):
    client.force_login(user)
    case = EnforcementCase.objects.get(pk=case.pk)
    return client.post(url(case, "move/"), {"action": action, "version": case.version, **data},
                       content_type="application/json")


def test_notify_with_a_penalty_list_and_the_detail_shows_the_procedure(client, world):
    case = P.investigating(world)
    party, rng = case.parties.get(), P.fine_range(case)
    response = move(client, world.oscar, case, "notify", findings="经查，电梯内停放电动自行车。",
                    measures=["ORDER_CORRECT", "FINE"],
                    penalty=[{"party": party.pk, "range": rng.pk, "amount": "300", "quantity": None}])
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == CaseState.NOTICE and body["findings"].startswith("经查")
    assert body["co_officer"] == case.co_officer_id and body["co_officer_name"]
    assert body["decision_due"] == case.decision_due.isoformat()
    penalty = body["penalty"]
    assert penalty["items"][0]["party_name"] == "赵某" and penalty["items"][0]["amount"] == "300.00"
    assert "非机动车" in penalty["items"][0]["range_text"] and penalty["hearing_offered"] is False
    assert penalty["notice_number"]
    assert "310107198001011234" not in json.dumps(penalty)   # parties by name only in the procedure


@pytest.mark.parametrize("penalty", [
    "300",                                                   # not a list
    [{"party": "x", "range": 1, "amount": "300"}],           # a bad id
    [{"party": 1}],                                          # fields missing
    [["not", "an", "object"]],
    [{"party": 99999999, "range": 99999999, "amount": "300"}],  # ids of nothing
    [{"party": 1, "range": 1, "amount": "abc"}],
])
def test_bad_penalty_shapes_are_400_with_both_languages(client, world, penalty):
    case = P.investigating(world)
    if isinstance(penalty, list) and penalty and isinstance(penalty[0], dict) and penalty[0].get("party") == 1:
        penalty[0]["party"] = case.parties.get().pk
        penalty[0]["range"] = P.fine_range(case).pk
    response = move(client, world.oscar, case, "notify", findings="x", measures=["ORDER_CORRECT", "FINE"],
                    penalty=penalty)
    assert response.status_code == 400, response.content
    assert bilingual(response.json())
    assert EnforcementCase.objects.get(pk=case.pk).state == CaseState.INVESTIGATING


def test_an_amount_outside_the_range_is_400_naming_the_range(client, world):
    case = P.investigating(world)
    response = move(client, world.oscar, case, "notify", findings="x", measures=["ORDER_CORRECT", "FINE"],
                    penalty=[{"party": case.parties.get().pk, "range": P.fine_range(case).pk, "amount": "9000"}])
    assert response.status_code == 400
    assert "超出法定幅度" in response.json()["detail"] and "outside the legal range" in response.json()["detail_en"]


def test_service_and_dates_are_iso(client, world):
    case = P.notified(world)
    assert move(client, world.oscar, case, "serve_notice", served_on="07/12/2026", manner="POST").status_code == 400
    assert move(client, world.oscar, case, "serve_notice", served_on=timezone.localdate().isoformat(),
                manner="BY_PIGEON").status_code == 400
    response = move(client, world.oscar, case, "serve_notice", served_on=timezone.localdate().isoformat(),
                    manner="POST")
    assert response.status_code == 200
    assert response.json()["penalty"]["notice_served_on"] == timezone.localdate().isoformat()
    assert response.json()["penalty"]["defence_until"]


def test_presider_is_a_user_id_in_scope_and_not_an_investigator(client, world):
    case = P.in_hearing(world)
    at = "2031-03-03T09:00:00+08:00"
    for bad in (world.oscar.pk, case.co_officer_id, 99999999, "abc"):
        response = move(client, world.alice, case, "schedule_hearing", hearing_at=at, hearing_place="听证室",
                        presider=bad)
        assert response.status_code == 400, (bad, response.content)
        assert bilingual(response.json())
    response = move(client, world.alice, case, "schedule_hearing", hearing_at=at, hearing_place="听证室",
                    presider=world.ada.pk)
    assert response.status_code == 200, response.json()
    assert response.json()["penalty"]["hearing_place"] == "听证室"


def test_the_legal_reviewer_passes_the_review_through_the_api(client, world):
    case = P.in_legal_review(world)
    assert move(client, world.oscar, case, "pass_legal_review", opinion="x").status_code == 400
    response = move(client, world.lena, case, "pass_legal_review", opinion="事实清楚，程序合法。")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == CaseState.APPROVAL
    assert response.json()["penalty"]["legal_opinion"] == "事实清楚，程序合法。"
    assert [m["action"] for m in response.json()["available_moves"]] == []


def test_extension_days_are_checked(client, world):
    case = P.in_defence(world)
    assert move(client, world.alice, case, "extend_time_limit", reason="案情复杂", extend_days=400).status_code == 400
    assert move(client, world.alice, case, "extend_time_limit", reason="案情复杂", extend_days="x").status_code == 400
    before = EnforcementCase.objects.get(pk=case.pk).decision_due
    response = move(client, world.alice, case, "extend_time_limit", reason="案情复杂", extend_days=30)
    assert response.status_code == 200
    assert (EnforcementCase.objects.get(pk=case.pk).decision_due - before).days == 30


def test_the_unpaid_fine_shows_its_due_date_and_surcharge(client, world):
    case = P.overdue_fine(world)
    client.force_login(world.oscar)
    body = client.get(url(case)).json()
    unpaid = body["penalty"]["unpaid"][0]
    fine = case.fines.get()
    assert unpaid["due"] == fine.due.isoformat() and unpaid["overdue"] is True
    assert unpaid["surcharge"] == f"{P.surcharge_today(fine):.2f}"


def test_the_co_officer_endpoint(client, world):
    from cases.tests.test_paths import open_case

    case = open_case(world, "EBIKE_PARKING")
    world.otis.streets.add(case.street_id)
    client.force_login(world.oscar)
    data = {"co_officer": world.oscar.pk, "version": case.version}
    response = client.post(url(case, "co-officer/"), data, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail_en"]
    for bad in ({"co_officer": "abc", "version": case.version}, {"co_officer": world.lena.pk, "version": case.version},
                {"version": case.version}):
        assert client.post(url(case, "co-officer/"), bad, content_type="application/json").status_code == 400
    response = client.post(url(case, "co-officer/"), {"co_officer": world.otis.pk, "version": case.version},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["co_officer"] == world.otis.pk
    response = client.post(url(case, "co-officer/"), {"co_officer": world.otis.pk, "version": case.version},
                           content_type="application/json")
    assert response.status_code == 409
    client.force_login(world.lena)
    assert client.post(url(case, "co-officer/"), {"co_officer": world.otis.pk, "version": 99},
                       content_type="application/json").status_code == 403
