"""/api/v1/metrics/…: the contract's shape, bilingual 400s, scoping (403 for property and another street)."""
import pytest

from analytics.tests.test_metrics import complaints  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/metrics/complaints-per-10k/"
NOV = {"start": "2026-11-01", "end": "2026-11-30"}


def test_per_10k_as_the_contract_says(complaints, client):  # noqa: F811
    w = complaints
    client.force_login(w.alice)
    response = client.get(URL, {**NOV, "by": "street"})
    assert response.status_code == 200
    rows = response.json()
    assert {"unit", "unit_id", "complaints", "population", "per_10k"} <= set(rows[0])
    assert rows[0]["unit_id"] is None and rows[0]["complaints"] == 11
    assert {r["unit_id"]: r["complaints"] for r in rows[1:]} == {w.caoyang.pk: 9, w.changfeng.pk: 1}
    assert len(client.get(URL, NOV).json()) == 1  # by=district by default


def test_a_street_user_gets_its_street_and_the_district_and_403_for_another(complaints, client):  # noqa: F811
    w = complaints
    client.force_login(w.sam)
    rows = client.get(URL, {**NOV, "by": "street"}).json()
    assert [r["unit_id"] for r in rows] == [None, w.changfeng.pk]
    refused = client.get(URL, {**NOV, "by": "community", "street": w.caoyang.pk})
    assert refused.status_code == 403 and " / " in refused.json()["detail"]
    assert client.get("/api/v1/metrics/effectiveness/", {**NOV, "community": w.caoyang_a.pk}).status_code == 403


def test_property_is_refused(complaints, client):  # noqa: F811
    client.force_login(complaints.paul)
    for path in (URL, "/api/v1/metrics/effectiveness/", "/api/v1/metrics/trend/"):
        assert client.get(path, NOV).status_code == 403


@pytest.mark.parametrize("params", [
    {}, {"start": "2026-11-01"}, {"start": "x", "end": "2026-11-30"}, {**NOV, "by": "planet"},
    {"start": "2026-11-30", "end": "2026-11-01"}, {"start": "1800-01-01", "end": "2026-11-30"},
    {**NOV, "street": "abc"}, {**NOV, "street": "99999999999999999999999"},
])
def test_bad_input_is_a_bilingual_400(complaints, client, params):  # noqa: F811
    client.force_login(complaints.alice)
    response = client.get(URL, params)
    assert response.status_code == 400, response.content
    assert "/" in str(response.json()) or "须" in str(response.json())


def test_effectiveness_and_trend(complaints, client):  # noqa: F811
    client.force_login(complaints.alice)
    figures = {f["code"]: f for f in client.get("/api/v1/metrics/effectiveness/", NOV).json()}
    assert figures["received"]["value"] == 17 and figures["closing_rate"]["value"] is None
    assert figures["due"]["definition"].startswith("应结案数") and figures["due"]["definition_en"]
    trend = client.get("/api/v1/metrics/trend/", {"start": "2026-10-01", "end": "2026-11-30"}).json()
    assert [(m["month"], m["complaints"]) for m in trend] == [("2026-10", 1), ("2026-11", 11)]


def test_schema_documents_the_metrics(client, world):
    client.force_login(world.alice)
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    assert "/api/v1/metrics/complaints-per-10k/" in schema and "metrics_effectiveness" in schema
