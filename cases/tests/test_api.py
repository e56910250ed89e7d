"""Cases API: the same scope and the same workflow rules as the pages, tested from the refused side."""
import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.choices import Role
from cases.choices import CaseState
from cases.models import EnforcementCase, Evidence, Party
from cases.tests.test_paths import FINDINGS, JPEG, complaint_for, move, open_case, photo, with_team
from tests.personas import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/cases/"


@pytest.fixture
def cases(world):
    referred = open_case(world, "COMMON_AREA_OCCUPATION", community=world.changfeng_a, actor=world.alice)
    referred = move(referred, "start_verification", world.alice)
    referred = move(referred, "refer", world.alice, department="HOUSING", reason="属房管职责")
    return {
        "caoyang": open_case(world, "GROUP_RENTING"),
        "changfeng": open_case(world, "EBIKE_PARKING", community=world.changfeng_b, actor=world.alice),
        "referred": referred,
    }


SCOPE = {
    "alice": {"caoyang", "changfeng", "referred"},
    "ada": {"caoyang", "changfeng", "referred"},
    "oscar": {"caoyang"},
    "sam": {"changfeng", "referred"},
    "hana": {"referred"},
    "paul": set(),
    "carl": set(),
}


def _post(client, url, data=None, **kwargs):
    return client.post(url, data or {}, content_type="application/json", **kwargs)


def _move(client, case, action, version=None, **data):
    return _post(client, f"{URL}{case.pk}/move/", {"action": action, "version": version or case.version, **data})


# --- scope ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", SCOPE)
def test_cases_outside_scope_are_404_and_not_listed(client, world, cases, persona):
    client.force_login(getattr(world, persona))
    for which, case in cases.items():
        expected = 200 if which in SCOPE[persona] else 404
        assert client.get(f"{URL}{case.pk}/").status_code == expected, which
    listed = {row["id"] for row in client.get(URL).json()["results"]}
    assert listed == {cases[w].pk for w in SCOPE[persona]}


@pytest.mark.parametrize(("persona", "which", "expected"), [
    ("oscar", "changfeng", 404),   # another street's case
    ("paul", "caoyang", 404),      # property users see no cases
    ("sam", "changfeng", 403),     # street staff follow cases, officers run them
    ("hana", "referred", 403),     # the department answers the referral, not the case
])
def test_writes_outside_the_users_reach_are_refused(client, world, cases, persona, which, expected):
    client.force_login(getattr(world, persona))
    case = cases[which]
    urls = [f"{URL}{case.pk}/{path}/" for path in ("move", "parties", "evidence")]
    for url in urls:
        assert _post(client, url, {"action": "start_verification", "version": case.version, "role": "OWNER",
                                   "name": "x"}).status_code == expected, url
    fresh = EnforcementCase.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version) == (case.state, case.version) and not fresh.parties.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_state_is_never_written_directly(client, world, cases, method):
    client.force_login(world.ada)
    case = cases["caoyang"]
    response = getattr(client, method)(f"{URL}{case.pk}/", {"state": "CLOSED", "version": case.version},
                                       content_type="application/json")
    assert response.status_code == 405
    assert _post(client, URL, {"state": "CLOSED"}).status_code == 405
    fresh = EnforcementCase.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version) == (CaseState.REGISTERED, case.version)


def test_anonymous_users_get_nothing(client, cases):
    assert client.get(URL).status_code in {401, 403}
    assert _move(client, cases["caoyang"], "start_verification").status_code in {401, 403}


# --- moves ---------------------------------------------------------------------------------------

def test_a_move_through_the_api_follows_the_table(client, world, cases):
    client.force_login(world.oscar)
    case = cases["caoyang"]
    detail = client.get(f"{URL}{case.pk}/").json()
    assert [m["action"] for m in detail["available_moves"]] == ["start_verification"]
    response = _move(client, case, "start_verification", version=detail["version"])
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "VERIFYING" and body["version"] == case.version + 1
    assert [m["action"] for m in body["available_moves"]] == ["file", "dismiss", "refer", "summary_penalty"]
    assert [t["action"] for t in body["transitions"]] == ["register", "start_verification"]
    assert body["transitions"][-1]["actor"] == str(world.oscar)


def test_an_illegal_move_is_400_with_its_message_and_changes_nothing(client, world, cases):
    client.force_login(world.oscar)
    case = cases["caoyang"]
    response = _move(client, case, "decide", measures=["FINE"])
    assert response.status_code == 400
    body = response.json()
    assert "不能执行" in body["detail"] and "not allowed" in body["detail_en"]
    fresh = EnforcementCase.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version, fresh.transitions.count()) == (CaseState.REGISTERED, case.version, 1)


def test_a_missing_requirement_is_400_naming_it(client, world, cases):
    client.force_login(world.oscar)
    case = move(cases["caoyang"], "start_verification", world.oscar)
    response = _move(client, case, "file")
    assert response.status_code == 400
    assert response.json()["requirement"] == "evidence" and response.json()["detail"] == "请先上传证据材料"


def test_a_stale_move_is_409_with_the_current_version(client, world, cases):
    client.force_login(world.oscar)
    case = cases["caoyang"]
    seen = case.version
    assert _move(client, case, "start_verification", version=seen).status_code == 200
    response = _move(client, case, "dismiss", version=seen, reason="不属实")
    assert response.status_code == 409
    assert response.json()["version"] == seen + 1 and response.json()["code"] == "stale"
    assert "已被他人更新" in response.json()["detail"]
    assert EnforcementCase.objects.get(pk=case.pk).state == CaseState.VERIFYING


@pytest.mark.parametrize("payload", [
    {"action": "start_verification"},                      # no version
    {"action": "fly", "version": 1},                       # no such action
    {"action": "refer", "version": 1, "department": "NOPE", "reason": "x"},
    {"action": "decide", "version": 1, "measures": ["BURN"]},
    {"action": "order_rectification", "version": 1, "rectify_due": "next week"},
])
def test_bad_input_is_400_and_changes_nothing(client, world, cases, payload):
    client.force_login(world.oscar)
    case = cases["caoyang"]
    response = _post(client, f"{URL}{case.pk}/move/", payload)
    assert response.status_code == 400
    fresh = EnforcementCase.objects.get(pk=case.pk)
    assert (fresh.state, fresh.version) == (case.state, case.version)


def test_group_renting_through_the_api_needs_all_three_parties(client, world, cases):
    client.force_login(world.oscar)
    case = cases["caoyang"]
    case = move(case, "start_verification", world.oscar)
    case = move(case, "file", world.oscar, files=[photo()])
    case = move(with_team(case), "investigate", world.oscar)
    parties = f"{URL}{case.pk}/parties/"
    assert _post(client, parties, {"role": "OWNER", "name": "孙某"}).status_code == 201
    assert _post(client, parties, {"role": "TENANT", "name": "李某"}).status_code == 201
    response = _move(client, case, "decide", measures=["ORDER_CORRECT"], findings=FINDINGS)
    assert response.status_code == 400 and response.json()["requirement"] == "parties"
    assert "经纪" in response.json()["detail"]
    assert _post(client, parties, {"role": "AGENCY", "name": "某某房产经纪有限公司",
                                   "kind": "ORGANISATION"}).status_code == 201
    response = _move(client, case, "decide", measures=["ORDER_CORRECT", "FINE"], findings=FINDINGS)
    assert response.status_code == 400 and response.json()["requirement"] == "no_fine"
    response = _move(client, case, "decide", measures=["ORDER_CORRECT"], findings=FINDINGS)
    assert response.status_code == 200 and response.json()["measures"] == ["ORDER_CORRECT"]
    assert response.json()["findings"] == FINDINGS
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = _move(client, case, "order_rectification", version=response.json()["version"], rectify_due=due)
    assert response.status_code == 200 and response.json()["state_due"] == due


def test_a_move_may_carry_its_evidence_files(client, world, cases):
    client.force_login(world.oscar)
    case = move(cases["caoyang"], "start_verification", world.oscar)
    response = client.post(f"{URL}{case.pk}/move/", {"action": "file", "version": case.version,
                                                     "files": [photo("a.jpg"), photo("b.jpg")]})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "FILED"
    assert {e["original_name"] for e in response.json()["evidence"]} == {"a.jpg", "b.jpg"}


# --- parties and personal data ------------------------------------------------------------------

ID_NUMBER, PHONE = "310107198001011234", "13812345678"


def test_party_id_numbers_and_phones_are_masked_for_roles_without_need(client, world, cases):
    client.force_login(world.alice)
    response = _post(client, f"{URL}{cases['changfeng'].pk}/parties/",
                     {"role": "OWNER", "name": "孙某", "id_number": ID_NUMBER, "phone": PHONE})
    assert response.status_code == 201
    assert (response.json()["id_number"], response.json()["phone"]) == (ID_NUMBER, PHONE)
    Party.objects.create(case=cases["referred"], role="OWNER", name="周某", id_number=ID_NUMBER, phone=PHONE)

    def seen(user, case):
        client.force_login(user)
        party = client.get(f"{URL}{case.pk}/").json()["parties"][0]
        return party["id_number"], party["phone"]

    assert seen(world.alice, cases["changfeng"]) == (ID_NUMBER, PHONE)
    assert seen(world.sam, cases["changfeng"]) == ("310***********1234", "138****5678")
    assert seen(world.hana, cases["referred"]) == ("310***********1234", "138****5678")
    assert seen(world.sam, cases["referred"])[0] != ID_NUMBER


def test_a_property_company_is_added_as_a_party_by_its_id(client, world):
    client.force_login(world.oscar)
    case = open_case(world, "PROPERTY_NEGLIGENCE")
    response = _post(client, f"{URL}{case.pk}/parties/", {"role": "PROPERTY_COMPANY",
                                                          "property_company": world.company_a.pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == world.company_a.name and body["kind"] == "ORGANISATION"
    assert body["id_number"] == world.company_a.credit_code and body["property_company"] == world.company_a.pk
    assert _post(client, f"{URL}{case.pk}/parties/", {"role": "PROPERTY_COMPANY",
                                                      "property_company": 999999}).status_code == 400
    assert _post(client, f"{URL}{case.pk}/parties/", {"role": "OWNER"}).status_code == 400
    assert _post(client, f"{URL}{case.pk}/parties/", {"role": "KING", "name": "x"}).status_code == 400
    assert case.parties.count() == 1


def test_no_party_is_added_to_a_closed_case(client, world, cases):
    client.force_login(world.oscar)
    case = move(cases["caoyang"], "start_verification", world.oscar)
    case = move(case, "dismiss", world.oscar, reason="不属实")
    response = _post(client, f"{URL}{case.pk}/parties/", {"role": "OWNER", "name": "孙某"})
    assert response.status_code == 400 and "结案" in response.json()["detail"]


# --- evidence ------------------------------------------------------------------------------------

def test_evidence_upload_records_the_hash_and_exposes_no_file_url(client, world, cases):
    client.force_login(world.oscar)
    case = cases["caoyang"]
    response = client.post(f"{URL}{case.pk}/evidence/", {"file": photo("scene.jpg"), "description": "现场"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == hashlib.sha256(JPEG).hexdigest() and body["content_type"] == "image/jpeg"
    assert body["stage"] == "REGISTERED" and body["uploaded_by"] == str(world.oscar)
    detail = client.get(f"{URL}{case.pk}/")
    assert "/media/" not in detail.content.decode() and "file" not in detail.json()["evidence"][0]
    assert "file" not in body and "url" not in body


def test_a_fake_or_missing_file_is_refused(client, world, cases):
    client.force_login(world.oscar)
    url = f"{URL}{cases['caoyang'].pk}/evidence/"
    response = client.post(url, {"file": SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable")})
    assert response.status_code == 400 and "不支持的文件类型" in response.json()["detail"]
    assert client.post(url, {}).status_code == 400
    assert not Evidence.objects.exists()


# --- opening a case from a complaint ------------------------------------------------------------

def test_open_from_complaint(client, world):
    complaint = complaint_for("EBIKE_PARKING", world.caoyang_a)
    url = f"{URL}open-from-complaint/"
    client.force_login(world.sam)  # street staff do not open cases
    assert _post(client, url, {"complaint": complaint.pk}).status_code == 403
    client.force_login(world.oscar)
    response = _post(client, url, {"complaint": complaint.pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "REGISTERED" and body["officer"] == world.oscar.pk and body["number"].startswith("AJ")
    again = _post(client, url, {"complaint": complaint.pk})
    assert again.status_code == 400 and "已在办理中" in again.json()["detail"]


def test_open_from_complaint_refuses_complaints_and_officers_out_of_reach(client, world):
    url = f"{URL}open-from-complaint/"
    elsewhere = complaint_for("EBIKE_PARKING", world.changfeng_b)
    client.force_login(world.oscar)
    assert _post(client, url, {"complaint": elsewhere.pk}).status_code == 400
    client.force_login(world.alice)
    response = _post(client, url, {"complaint": elsewhere.pk, "officer": world.oscar.pk})  # oscar works in 曹杨
    assert response.status_code == 400 and "officer" in response.json()
    olga = make_user("olga", Role.OFFICER, streets=[world.changfeng])
    response = _post(client, url, {"complaint": elsewhere.pk, "officer": olga.pk})
    assert response.status_code == 201 and response.json()["officer"] == olga.pk
    assert EnforcementCase.objects.count() == 1


def test_a_duplicate_joins_the_open_case_of_its_original(client, world):
    url = f"{URL}open-from-complaint/"
    original = complaint_for("EBIKE_PARKING", world.caoyang_a)
    earlier_duplicate = complaint_for("EBIKE_PARKING", world.caoyang_a, duplicate_of=original)
    client.force_login(world.oscar)
    first = _post(client, url, {"complaint": original.pk})
    assert first.status_code == 201
    earlier_duplicate.refresh_from_db()
    assert earlier_duplicate.case_id == first.json()["id"]  # joined when the case opened
    later_duplicate = complaint_for("EBIKE_PARKING", world.caoyang_a, duplicate_of=original)
    second = _post(client, url, {"complaint": later_duplicate.pk})
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert EnforcementCase.objects.count() == 1


# --- supervision (督办) --------------------------------------------------------------------------

def test_supervisors_supervise_and_the_handlers_answer(client, world, cases):
    case = cases["caoyang"]
    client.force_login(world.oscar)
    assert _post(client, f"{URL}{case.pk}/supervise/", {"instruction": "尽快核查"}).status_code == 403
    client.force_login(world.alice)
    assert _post(client, f"{URL}{case.pk}/supervise/", {"instruction": ""}).status_code == 400
    response = _post(client, f"{URL}{case.pk}/supervise/", {"instruction": "三日内核查并回复", "response_days": 3})
    assert response.status_code == 201 and response.json()["status"] == "OPEN"
    order = response.json()["id"]
    respond = f"{URL}{case.pk}/supervisions/{order}/respond/"
    client.force_login(world.sam)
    assert _post(client, respond, {"response": "x"}).status_code == 404  # not sam's street
    client.force_login(world.oscar)
    response = _post(client, respond, {"response": "已到场核查"})
    assert response.status_code == 200 and response.json()["status"] == "ANSWERED"
    assert response.json()["responded_by"] == str(world.oscar)
    again = _post(client, respond, {"response": "再答"})
    assert again.status_code == 400 and "已回复" in again.json()["detail"]
    other = cases["changfeng"]
    client.force_login(world.alice)
    assert _post(client, f"{URL}{other.pk}/supervisions/{order}/respond/", {"response": "x"}).status_code == 404
    assert client.get(f"{URL}{case.pk}/").json()["supervisions"][0]["response"] == "已到场核查"


# --- filters, deadlines, indicators -------------------------------------------------------------

def test_list_filters(client, world, cases):
    client.force_login(world.alice)
    today = timezone.localdate()
    EnforcementCase.objects.filter(pk=cases["caoyang"].pk).update(state_due=today - timedelta(days=1))
    EnforcementCase.objects.filter(pk=cases["changfeng"].pk).update(state_due=today)

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    pk = {name: case.pk for name, case in cases.items()}
    assert ids(state="REFERRED") == {pk["referred"]}
    assert ids(violation_type="GROUP_RENTING") == {pk["caoyang"]}
    assert ids(street=world.changfeng.pk) == {pk["changfeng"], pk["referred"]}
    assert ids(officer=world.oscar.pk) == {pk["caoyang"]}
    assert ids(overdue="true") == {pk["caoyang"]}
    assert ids(due_soon="true") == {pk["changfeng"]}
    assert ids(number=cases["caoyang"].number) == {pk["caoyang"]}
    rows = {row["id"]: row["deadline"] for row in client.get(URL).json()["results"]}
    assert rows == {pk["caoyang"]: "overdue", pk["changfeng"]: "due_soon", pk["referred"]: ""}


def test_the_list_does_not_query_per_case(client, world, django_assert_max_num_queries):
    for _ in range(12):
        open_case(world, "EBIKE_PARKING")
    client.force_login(world.oscar)
    client.get(URL)  # warm the session and the calendar cache
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.json()["count"] == 12


def test_indicators_endpoint(client, world, cases):
    client.force_login(world.sam)
    body = client.get(f"{URL}indicators/", {"by": "street"}).json()
    assert [row["street"] for row in body["rows"]] == [world.changfeng.name]
    client.force_login(world.alice)
    body = client.get(f"{URL}indicators/", {"by": "officer"}).json()
    assert {row["officer_id"] for row in body["rows"]} == {world.oscar.pk, None}
    assert sum(row["opened"] for row in body["rows"]) == 3
    assert client.get(f"{URL}indicators/", {"start": "2026-12-31", "end": "2026-01-01"}).status_code == 400
    assert client.get(f"{URL}indicators/", {"by": "moon"}).status_code == 400
