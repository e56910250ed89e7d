"""Issue 5's chain through the REST API (complaint, case moves, duty check, ledger, listing), and the API's scope
and refusals from the refused side. The cases API does not impose fines or issue documents yet, so the fine and
its penalty decision are made through cases.fines and cases.documents, as the case page does; the fine is made
final (生效) through the API."""
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.selectors import notifications_for
from cases import documents, fines
from cases.choices import DocumentKind
from cases.models import EnforcementCase
from cases.tests.test_paths import penalty_row
from credit.choices import NoticeKind
from credit.models import CreditPolicy, CreditRecord, DutyCheck, PunishmentListing
from credit.tests.helpers import check_of, filed_owner_case, fine_final, past_deadline, pdf, photo

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def post(client, url, data=None, status=None):
    response = client.post(f"{API}{url}", data or {}, content_type="application/json")
    if status is not None:
        assert response.status_code == status, response.content.decode()
    return response


def upload(client, url, data, status=None):
    response = client.post(f"{API}{url}", data)  # multipart
    if status is not None:
        assert response.status_code == status, response.content.decode()
    return response


def move(client, case_id, action, status=200, **data):
    version = client.get(f"{API}cases/{case_id}/").json()["version"]
    if "files" in data:
        response = upload(client, f"cases/{case_id}/move/", {"action": action, "version": version, **data}, status)
    else:
        response = post(client, f"cases/{case_id}/move/", {"action": action, "version": version, **data}, status)
    return response.json()


def file_owner_case_through_the_api(client, world, content, external_no):
    client.force_login(world.oscar)
    complaint = post(client, "intake/hotline/", {"content": content, "address": "兰溪路88弄",
                                                 "external_no": external_no}, 201).json()
    case = post(client, "cases/open-from-complaint/", {"complaint": complaint["id"]}, 201).json()
    move(client, case["id"], "start_verification")
    move(client, case["id"], "file", files=[photo()])
    return case["id"]


def test_the_whole_chain_through_the_api(client, world, keyword_classifier):
    CreditPolicy.objects.update(threshold=6)
    case_id = file_owner_case_through_the_api(client, world, "5号业主在阳台违章搭建彩钢棚", "2611240101")

    client.force_login(world.paul)
    checks = client.get(f"{API}duty-checks/").json()["results"]
    assert len(checks) == 1 and checks[0]["case"] == case_id and checks[0]["can_answer"] is True
    check_id = checks[0]["id"]
    assert checks[0]["prior_report"] is None and checks[0]["company_name"] == world.company_a.name
    answered = upload(client, f"duty-checks/{check_id}/answer/",
                      {"statement": "我司保安巡查未发现", "files": [pdf(), photo()], "discovered": "false"}, 200).json()
    assert answered["discovered"] is False and len(answered["attachments"]) == 2
    assert answered["can_decide"] is False

    client.force_login(world.oscar)
    decided = post(client, f"duty-checks/{check_id}/decide/",
                   {"outcome": "FAILED", "reasons": "搭建持续多日，物业未劝阻、制止", "failure_rule": "NOT_STOPPED",
                    "stopped": False}, 200).json()
    assert decided["outcome"] == "FAILED" and decided["failure_rule"] == "NOT_STOPPED"
    negligence_id = decided["negligence_case"]
    negligence = client.get(f"{API}cases/{negligence_id}/").json()
    assert negligence["violation_type"] == "PROPERTY_NEGLIGENCE"
    assert [(p["role"], p["kind"], p["property_company"]) for p in negligence["parties"]] == [
        ("PROPERTY_COMPANY", "ORGANISATION", world.company_a.pk)]
    move(client, negligence_id, "start_verification")
    move(client, negligence_id, "file", files=[photo()])
    post(client, f"cases/{negligence_id}/co-officer/",
         {"co_officer": world.otis.pk, "version": client.get(f"{API}cases/{negligence_id}/").json()["version"]},
         status=200)
    move(client, negligence_id, "investigate")
    case = EnforcementCase.objects.get(pk=negligence_id)
    move(client, negligence_id, "notify", measures=["ORDER_CORRECT", "FINE"], reason="未履行劝阻、制止义务",
         findings="经查，该物业服务企业对业主违法搭建未劝阻、未报告。", penalty=[penalty_row(case, "5000")])
    move(client, negligence_id, "serve_notice", served_on=timezone.localdate().isoformat(), manner="IN_PERSON")
    move(client, negligence_id, "record_waiver", reason="当事人书面放弃陈述申辩")
    move(client, negligence_id, "submit_approval")
    client.force_login(world.alice)
    move(client, negligence_id, "approve")
    client.force_login(world.oscar)
    fine = case.fines.get()
    documents.document_issue(case=case, kind=DocumentKind.PENALTY_DECISION, actor=world.oscar)
    listed = client.get(f"{API}cases/{negligence_id}/").json()["fines"]
    assert [(row["id"], row["is_final"]) for row in listed] == [(fine.pk, False)]
    made = post(client, f"cases/{negligence_id}/fines/{fine.pk}/final/", status=200).json()
    assert made["is_final"] is True and made["document_number"]

    client.force_login(world.paul)
    records = client.get(f"{API}credit-records/").json()["results"]
    assert sorted((r["subject"], r["points"], r["counts"]) for r in records) == [
        ("COMPANY", 6, True), ("MANAGER", 3, True)]
    assert {r["case_number"] for r in records} == {case.number}
    ranking = client.get(f"{API}credit-ranking/").json()
    assert [(row["name"], row["points"], row["rank"], row["listed"]) for row in ranking["rows"]] == [
        (world.company_a.name, 6, 1, True)]

    client.force_login(world.hana)
    listings = client.get(f"{API}credit-listings/?open=true").json()["results"]
    assert [(row["company"], row["points"]) for row in listings] == [(world.company_a.pk, 6)]
    assert {row["name"] for row in client.get(f"{API}credit-ranking/").json()["rows"]} == {
        world.company_a.name, world.company_b.name}
    assert notifications_for(world.hana).filter(kind=NoticeKind.COMPANY_LISTED).exists()

    client.force_login(world.carl)
    assert client.get(f"{API}credit-records/").json()["results"] == []
    assert client.get(f"{API}credit-listings/").json()["results"] == []
    assert [row["name"] for row in client.get(f"{API}credit-ranking/").json()["rows"]] == [world.company_b.name]


def test_the_company_that_reported_first_through_the_api_is_fulfilled(client, world, keyword_classifier):
    client.force_login(world.paul)
    report = post(client, "intake/property-report/", {
        "content": "5号业主正在阳台搭建彩钢棚，我司已劝阻", "community": world.caoyang_a.pk,
        "received_at": (timezone.now() - timedelta(days=2)).isoformat()}, 201).json()
    case_id = file_owner_case_through_the_api(client, world, "兰溪一村5号阳台违章搭建", "2611240102")

    client.force_login(world.oscar)
    check = client.get(f"{API}duty-checks/?company={world.company_a.pk}").json()["results"][0]
    assert check["case"] == case_id and check["prior_report"] == report["id"]
    assert (check["discovered"], check["reported"]) == (True, True)
    post(client, f"duty-checks/{check['id']}/decide/", {"outcome": "FULFILLED", "reasons": "投诉前已报告"}, 200)
    assert not CreditRecord.objects.exists()
    client.force_login(world.paul)
    assert client.get(f"{API}duty-checks/{check['id']}/").json()["outcome"] == "FULFILLED"


# --- scope and refusals ---------------------------------------------------------------------------------

@pytest.fixture
def checks(world):
    return {"a": check_of(filed_owner_case(world)),
            "b": check_of(filed_owner_case(world, "STRUCTURE_DAMAGE", community=world.changfeng_b,
                                           actor=world.alice))}


SCOPE = {"alice": {"a", "b"}, "ada": {"a", "b"}, "hana": {"a", "b"}, "oscar": {"a"}, "sam": {"b"},
         "paul": {"a"}, "carl": {"b"}}


@pytest.mark.parametrize("persona", SCOPE)
def test_checks_outside_scope_are_404_and_not_listed(client, world, checks, persona):
    client.force_login(getattr(world, persona))
    for which, check in checks.items():
        expected = 200 if which in SCOPE[persona] else 404
        assert client.get(f"{API}duty-checks/{check.pk}/").status_code == expected, which
        for action in ("answer", "decide", "attach"):
            if which not in SCOPE[persona]:
                assert post(client, f"duty-checks/{check.pk}/{action}/", {"statement": "x"}).status_code == 404
    listed = {row["id"] for row in client.get(f"{API}duty-checks/").json()["results"]}
    assert listed == {checks[w].pk for w in SCOPE[persona]}


@pytest.mark.parametrize(("persona", "which", "action", "expected"), [
    ("sam", "b", "decide", 403),     # street staff follow checks; officers decide
    ("paul", "a", "decide", 403),    # the company does not judge itself
    ("hana", "a", "decide", 403),    # the housing bureau follows
    ("oscar", "a", "answer", 403),   # only the company answers
    ("alice", "a", "answer", 403),
    ("hana", "a", "attach", 403),
    ("carl", "a", "answer", 404),    # another company's check does not exist for it
])
def test_writes_outside_the_users_reach_are_refused(client, world, checks, persona, which, action, expected):
    client.force_login(getattr(world, persona))
    check = checks[which]
    data = {"statement": "说明", "outcome": "FULFILLED", "reasons": "x"}
    response = post(client, f"duty-checks/{check.pk}/{action}/", data) if action != "attach" else upload(
        client, f"duty-checks/{check.pk}/attach/", {"file": photo()})
    assert response.status_code == expected
    fresh = DutyCheck.objects.get(pk=check.pk)
    assert (fresh.outcome, fresh.statement, fresh.attachments.count()) == ("PENDING", "", 0)


def test_a_late_answer_is_400_with_both_languages(client, world, checks):
    past_deadline(checks["a"])
    client.force_login(world.paul)
    response = upload(client, f"duty-checks/{checks['a'].pk}/answer/", {"statement": "迟到的说明",
                                                                       "files": [pdf()]}, 400)
    body = response.json()
    assert "已超过说明期限" in body["detail"] and "deadline" in body["detail_en"]
    assert DutyCheck.objects.get(pk=checks["a"].pk).answered_at is None


def test_bad_fields_are_400(client, world, checks):
    client.force_login(world.oscar)
    url = f"duty-checks/{checks['a'].pk}/decide/"
    assert "outcome" in post(client, url, {"outcome": "MAYBE"}, 400).json()
    assert "failure_rule" in post(client, url, {"outcome": "FAILED", "reasons": "x", "failure_rule": "NOPE"},
                                  400).json()
    past_deadline(checks["a"])
    assert "理由" in post(client, url, {"outcome": "FAILED", "failure_rule": "NOT_STOPPED"}, 400).json()["detail"]
    client.force_login(world.paul)
    assert "statement" in upload(client, f"duty-checks/{checks['a'].pk}/answer/", {"statement": ""}, 400).json()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_nothing_is_written_directly(client, world, checks, method):
    client.force_login(world.alice)
    response = getattr(client, method)(f"{API}duty-checks/{checks['a'].pk}/", {"outcome": "FULFILLED"},
                                       content_type="application/json")
    assert response.status_code == 405


@pytest.fixture
def record(world):
    check = check_of(filed_owner_case(world))
    past_deadline(check)
    from credit import services

    check = services.duty_check_decide(check=check, actor=world.oscar, outcome="FAILED", reasons="逾期未说明",
                                       failure_rule="NOT_REPORTED")
    fine_final(world, check.negligence_case)
    return CreditRecord.objects.get(subject="COMPANY")


def test_disputes_and_listings_through_the_api(client, world, record):
    CreditPolicy.objects.update(threshold=6)
    from credit import services

    services.listing_evaluate(company=world.company_a)
    listing = PunishmentListing.objects.get()

    client.force_login(world.carl)
    assert post(client, f"credit-records/{record.pk}/dispute/", {"reason": "异议"}).status_code == 404
    client.force_login(world.oscar)
    assert post(client, f"credit-records/{record.pk}/dispute/", {"reason": "异议"}).status_code == 403
    client.force_login(world.paul)
    assert post(client, f"credit-records/{record.pk}/dispute/", {"reason": ""}).status_code == 400
    dispute = post(client, f"credit-records/{record.pk}/dispute/", {"reason": "我司已于事发当日报告"}, 201).json()
    assert post(client, f"credit-records/{record.pk}/dispute/", {"reason": "再次"}).status_code == 400
    assert post(client, f"credit-disputes/{dispute['id']}/decide/", {"upheld": True, "decision": "x"}).status_code \
        == 403
    assert post(client, f"credit-listings/{listing.pk}/remove/", {"reason": "x"}).status_code == 403

    client.force_login(world.oscar)  # officers read the ledger, they do not decide on it
    assert post(client, f"credit-disputes/{dispute['id']}/decide/", {"upheld": True, "decision": "x"}).status_code \
        == 403
    client.force_login(world.hana)
    decided = post(client, f"credit-disputes/{dispute['id']}/decide/",
                   {"upheld": True, "decision": "报告属实，撤销记分"}, 200).json()
    assert decided["status"] == "UPHELD"
    rows = client.get(f"{API}credit-records/?company={world.company_a.pk}&subject=COMPANY").json()["results"]
    assert sorted(r["points"] for r in rows) == [-6, 6]
    assert {r["corrected"] for r in rows if r["points"] == 6} == {True}
    removed = post(client, f"credit-listings/{listing.pk}/remove/", {"reason": "记分已修正，移出名单"}, 200).json()
    assert removed["is_open"] is False
    assert client.get(f"{API}credit-listings/?open=true").json()["results"] == []


def test_the_points_table_is_read_by_everyone_signed_in(client, world):
    client.force_login(world.carl)
    rules = client.get(f"{API}credit-rules/").json()
    assert {r["code"] for r in rules} >= {"NOT_DISCOVERED", "NOT_STOPPED", "NOT_REPORTED", "WASTE_DUTY",
                                           "SANITATION_ZONE"}
    assert {r["status_label"] for r in rules} == {"待核实"}
    assert client.post(f"{API}credit-rules/", {"code": "X"}).status_code == 405
    client.logout()
    assert client.get(f"{API}credit-rules/").status_code in (401, 403)


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_lists_take_the_same_number_of_queries_for_more_rows(client, world):
    from credit import services

    CreditPolicy.objects.update(threshold=1000)

    def failure():
        check = past_deadline(check_of(filed_owner_case(world)))
        check = services.duty_check_decide(check=check, actor=world.oscar, outcome="FAILED", reasons="未劝阻",
                                           failure_rule="NOT_STOPPED")
        fine_final(world, check.negligence_case)

    failure()
    client.force_login(world.paul)
    urls = [f"{API}duty-checks/", f"{API}credit-records/", f"{API}credit-ranking/"]
    few = [_queries(client, url) for url in urls]
    for _ in range(3):
        failure()
    assert [_queries(client, url) for url in urls] == few


def test_pending_is_not_a_decision(client, world, checks):
    client.force_login(world.oscar)
    body = post(client, f"duty-checks/{checks['a'].pk}/decide/", {"outcome": "PENDING", "reasons": "x"}, 400).json()
    assert "认定结果" in body["detail"]
    assert DutyCheck.objects.get(pk=checks["a"].pk).decided_at is None
