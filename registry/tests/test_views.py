"""Registry pages, exports, history and health: what a person and an operator rely on."""
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from registry.models import Community

pytestmark = pytest.mark.django_db


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.parametrize("name", ["registry:community-list", "registry:company-list", "registry:street-list",
                                  "registry:department-list", "registry:violationtype-list"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_registry_list_exports(client, world, name, fmt):
    client.force_login(world.alice)
    response = client.get(reverse(name), {"export": fmt})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        assert sheet.max_row >= 2
    else:
        assert body.decode("utf-8-sig").count("\n") >= 2


def test_xlsx_export_masks_contacts_for_roles_without_need(client, world):
    gina = world.gina
    client.force_login(gina)
    body = b"".join(client.get(reverse("registry:community-list"), {"export": "xlsx"}).streaming_content)
    values = [c for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True) for c in row]
    assert "13900001111" not in values and "139****1111" in values


def test_community_list_filters_by_street_grade_pilot_and_company(client, world):
    world.changfeng_a.is_pilot, world.changfeng_a.grade = True, "A"
    world.changfeng_a.save()
    client.force_login(world.alice)
    url = reverse("registry:community-list")
    assert "云岭花园" in client.get(url, {"is_pilot": "true"}).content.decode()
    assert "金沙雅苑" not in client.get(url, {"is_pilot": "true"}).content.decode()
    assert "兰溪一村" not in client.get(url, {"street": world.changfeng.pk}).content.decode()
    assert "云岭花园" in client.get(url, {"grade": "A"}).content.decode()
    by_company = client.get(url, {"property_company": world.company_b.pk}).content.decode()
    assert "金沙雅苑" in by_company and "云岭花园" not in by_company
    assert "兰溪一村" in client.get(url, {"q": "兰溪路"}).content.decode()


def test_htmx_filter_returns_only_the_table(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("registry:community-list"), {"q": "兰溪"},
                          HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    body = response.content.decode()
    assert "兰溪一村" in body and "<html" not in body


def test_admin_edit_is_kept_in_history_with_its_author(client, world):
    client.force_login(world.ada)
    community = world.caoyang_a
    url = reverse("admin:registry_community_change", args=[community.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if not isinstance(v, list)}
    data.update({"name": "兰溪一村", "street": world.caoyang.pk, "households": 812, "grade": "B",
                 "addresses-TOTAL_FORMS": 0, "addresses-INITIAL_FORMS": 0,
                 "aliases-TOTAL_FORMS": 0, "aliases-INITIAL_FORMS": 0})
    data = {k: v for k, v in data.items() if k not in {"lat", "lng", "property_company", "project_manager",
                                                        "committee", "built_year", "population"}}
    data.update({"property_company": world.company_a.pk, "committee": community.committee_id, "population": 2000})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = Community.history.filter(id=community.pk).order_by("-history_date").first()
    assert latest.households == 812 and latest.history_user == world.ada
    assert Community.history.filter(id=community.pk).count() == 2


def test_catalogue_ships_all_codes_and_marks_unverified_basis(world):
    from registry.models import Department, Regulation, ViolationBasis, ViolationType

    codes = set(ViolationType.objects.values_list("code", flat=True))
    assert len(codes) == 15 and "NON_ENFORCEMENT" in codes and "EBIKE_CHARGING" in codes
    assert set(Department.objects.values_list("code", flat=True)) == {
        "CHENGGUAN", "HOUSING", "GREENING", "PLANNING", "JUSTICE", "FIRE", "SPORTS", "POLICE", "STREET"}
    assert Regulation.objects.filter(title__contains="上海市住房租赁条例").exists()
    assert Regulation.objects.count() >= 11
    # An article LEGAL.md does not know is blank and unverified, never invented.
    for basis in ViolationBasis.objects.filter(article=""):
        assert not basis.verified
    assert ViolationType.objects.get(code="STRUCTURE_DAMAGE").problem_class == "SAFETY"
    assert ViolationType.objects.get(code="GROUP_RENTING").non_onsite
    assert ViolationType.objects.get(code="ILLEGAL_CONSTRUCTION").triggers_duty_check


def test_exported_text_never_runs_as_a_formula(world):
    from core.exports import csv_text

    class Row:
        name = "=HYPERLINK(\"http://x\")"

    assert csv_text([Row()], [("名称", "name")]).splitlines()[1].startswith("\"'=HYPERLINK")
