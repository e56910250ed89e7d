"""The API's schema and Swagger UI: for signed-in users only, and served entirely by the app (no CDN: the UI's
files come from drf-spectacular-sidecar through the static files). Every operation documents its error
responses with the error body of core.api.exception_handler."""
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href|url)\s*[=:(]\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_a_visitor_gets_neither_the_schema_nor_the_docs(client):
    schema = client.get(reverse("api-schema"))
    assert schema.status_code in (401, 403)
    assert b"openapi" not in schema.content
    assert schema["Content-Type"].startswith("application/json")  # not a YAML file the browser would download
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))


def test_the_docs_page_and_its_files_come_from_the_app(client, world):
    client.force_login(world.sam)
    docs = client.get(reverse("api-docs"))
    body = docs.content.decode()
    assert docs.status_code == 200 and "swagger-ui" in body
    assert not EXTERNAL.search(body), EXTERNAL.search(body)
    assert "cdn." not in body and "jsdelivr" not in body and "unpkg" not in body
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", body)
    scripts = [a for a in assets if a.endswith(".js")]
    assert scripts and all(a.startswith("/") for a in assets), assets
    for asset in scripts:
        response = client.get(asset)
        assert response.status_code == 200, asset


def test_every_operation_documents_its_errors(client, world):
    client.force_login(world.sam)
    schema = client.get(reverse("api-schema") + "?format=json").json()
    assert schema["components"]["schemas"]["Error"]["properties"].keys() >= {"detail", "detail_en"}
    operations = [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]
    assert len(operations) >= 60
    for path, method, op in operations:
        for code in ("401", "403", "404"):
            assert op["responses"][code]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}, (method, path, code)
        takes_input = method in ("post", "patch", "put") or any(p["in"] == "query" for p in op.get("parameters", []))
        if takes_input:
            assert op["responses"]["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}, (method, path)


def test_a_bad_id_is_a_bilingual_404_not_a_crash(client, world):
    client.force_login(world.alice)
    for url in ("/api/v1/complaints/abc/settle/", "/api/v1/cases/99999999999999999999/", "/api/v1/cases/1.5/move/",
                "/api/v1/nowhere/", "/api/v1/assessment/streets/%0A4/", "/api/v1/nowhere/%0A/"):
        response = client.post(url, {}, content_type="application/json") if "settle" in url or "move" in url \
            else client.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail_en"], url


def test_numbers_and_dates_out_of_range_are_a_clear_400(client, world):
    client.force_login(world.alice)
    for url, field in (("/api/v1/inventory/?street=99999999999999999999", "street"),
                       ("/api/v1/credit-ranking/?on=9999-12-31", "on"),
                       ("/api/v1/cases/indicators/?start=0001-01-01", "start"),
                       ("/api/v1/complaints/?received_after=9999-12-31", "received_after")):
        response = client.get(url)
        assert response.status_code == 400, url
        assert " / " in response.json()[field][0], response.json()


def test_the_community_filter_follows_the_id_rule_of_every_other_id_filter(client, world):
    """The fuzz sent ?community=0, which the schema allowed and the filter refused in Chinese only: the filter now
    takes the API's id rule, so the schema says minimum 1, an unknown id matches nothing (like an unknown street) and
    a value that is no id is a bilingual 400."""
    client.force_login(world.alice)
    schema = client.get(reverse("api-schema") + "?format=json").json()
    params = {p["name"]: p for p in schema["paths"]["/api/v1/complaints/"]["get"]["parameters"]}
    assert params["community"]["schema"]["minimum"] == 1
    response = client.get("/api/v1/complaints/?community=987654321")
    assert response.status_code == 200 and response.json()["count"] == 0
    for bad in ("0", "99999999999999999999", "abc"):
        response = client.get(f"/api/v1/complaints/?community={bad}")
        assert response.status_code == 400 and " / " in response.json()["community"][0], bad
