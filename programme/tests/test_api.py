"""The inventory API: the same scope and services as the pages — 404 outside the scope, 403 for readers, 400 in
both languages for a refused write with nothing changed; the status only through its action."""
import pytest
from django.urls import reverse

from programme.choices import StructureStatus as S
from programme.models import IllegalStructure
from programme.tests.helpers import days_ago, item
from programme.tests.test_views import CHANGES, SEES

pytestmark = pytest.mark.django_db
LIST = "/api/v1/inventory/"


@pytest.fixture
def items(world):
    return {
        "caoyang_a": item(world, location="1号楼 屋顶", owner_hint="1号楼601室 王建华", target_date=days_ago(1)),
        "changfeng_b": item(world, community=world.changfeng_b, location="2号楼 屋顶"),
        "changfeng_a": item(world, community=world.changfeng_a, location="3号楼 天井", kind="NEW",
                            found_on=days_ago(3)),
    }


def url(a, action=""):
    return f"{LIST}{a.pk}/{action + '/' if action else ''}"


def test_the_router_has_the_inventory():
    assert reverse("inventory-list") == LIST


@pytest.mark.parametrize("persona", sorted(SEES))
def test_each_persona_lists_and_reads_exactly_its_items(client, world, items, persona):
    client.force_login(getattr(world, persona))
    listed = {row["number"] for row in client.get(LIST).json()["results"]}
    assert listed == {items[k].number for k in SEES[persona]}
    for key, a in items.items():
        assert client.get(url(a)).status_code == (200 if key in SEES[persona] else 404)


@pytest.mark.parametrize("persona", sorted(SEES))
def test_writes_by_scope_and_role(client, world, items, persona):
    client.force_login(getattr(world, persona))
    for key, a in items.items():
        expected = 200 if key in CHANGES[persona] else 403 if key in SEES[persona] else 404
        response = client.patch(url(a), {"note": "已上门"}, content_type="application/json")
        assert response.status_code == expected, (key, response.content)
        if key not in CHANGES[persona]:
            assert IllegalStructure.objects.get(pk=a.pk).note == ""


def test_anonymous_users_get_nothing(client, items):
    assert client.get(LIST).status_code in (401, 403)


def test_the_owner_is_masked_and_overdue_is_flagged(client, world, items):
    client.force_login(world.paul)
    row = client.get(url(items["caoyang_a"])).json()
    assert row["owner_hint"].startswith("1*") and row["overdue"] is True and row["status_label"] == "存量"
    client.force_login(world.alice)
    assert client.get(url(items["caoyang_a"])).json()["owner_hint"] == "1号楼601室 王建华"


def test_filters(client, world, items):
    client.force_login(world.alice)

    def numbers(**params):
        return {row["number"] for row in client.get(LIST, params).json()["results"]}

    assert numbers(kind="NEW") == {items["changfeng_a"].number}
    assert numbers(street=world.caoyang.pk) == {items["caoyang_a"].number}
    assert numbers(overdue="true") == {items["caoyang_a"].number}
    assert numbers(status="remaining") == {a.number for a in items.values()}
    assert numbers(status="cleared") == set()
    assert numbers(q="2号楼") == {items["changfeng_b"].number}


def test_create_goes_through_the_service(client, world):
    client.force_login(world.sam)
    data = {"community": world.changfeng_b.pk, "location": "5号楼 屋顶", "found_on": days_ago(5).isoformat(),
            "area_m2": "22.5", "material": "COLOUR_STEEL"}
    bad = client.post(LIST, {**data, "area_m2": "0"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["detail"] == "面积须大于0" and bad.json()["detail_en"]
    other = client.post(LIST, {**data, "community": world.caoyang_a.pk}, content_type="application/json")
    assert other.status_code == 400  # 兰溪一村 is not in sam's street
    assert not IllegalStructure.objects.exists()
    response = client.post(LIST, data, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("WJ-02-") and body["street_name"] == "长风新村街道" and body["status"] == "EXISTING"


def test_the_status_is_never_written_by_patch_but_by_its_action(client, world, items):
    a = items["caoyang_a"]
    client.force_login(world.oscar)
    response = client.patch(url(a), {"status": "DEMOLISHED"}, content_type="application/json")
    assert response.status_code == 400 and IllegalStructure.objects.get(pk=a.pk).status == S.EXISTING
    assert client.put(url(a), {}, content_type="application/json").status_code == 405
    assert client.delete(url(a)).status_code == 405
    response = client.post(url(a, "status"), {"status": "ANNOTATED"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["cleared_on"] is not None
    response = client.post(url(a, "status"), {"status": "HANDLING"}, content_type="application/json")
    assert response.status_code == 400 and "理由" in response.json()["detail"]
    response = client.post(url(a, "status"), {"status": "HANDLING", "reason": "回潮"}, content_type="application/json")
    assert response.json()["status"] == "HANDLING" and response.json()["cleared_on"] is None


def test_a_new_structure_clears_only_as_demolished(client, world, items):
    client.force_login(world.alice)
    response = client.post(url(items["changfeng_a"], "status"), {"status": "RECTIFIED"},
                           content_type="application/json")
    assert response.status_code == 400 and "一律拆除" in response.json()["detail"]


def test_open_and_link_cases(client, world, items):
    a, b = items["caoyang_a"], items["changfeng_a"]
    client.force_login(world.sam)
    assert client.post(url(b, "open-case"), {}, content_type="application/json").status_code == 400
    client.force_login(world.alice)
    response = client.post(url(b, "open-case"), {"officer": world.oscar.pk}, content_type="application/json")
    assert response.status_code == 400 and "不在本街镇" in response.json()["detail"]
    response = client.post(url(b, "open-case"), {}, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "HANDLING"
    case_number = response.json()["case_number"]
    response = client.post(url(a, "link-case"), {"case": case_number}, content_type="application/json")
    assert response.status_code == 400 and "不一致" in response.json()["detail"]
    client.force_login(world.oscar)  # the case is in 长风: oscar cannot see it
    response = client.post(url(a, "link-case"), {"case": case_number}, content_type="application/json")
    assert response.status_code == 400 and "case" in response.json()


def test_progress_endpoint(client, world, items):
    client.force_login(world.carl)
    body = client.get(f"{LIST}progress/", {"period": "week"}).json()
    assert body["district"]["all"]["total"] == 1 and [s["name"] for s in body["streets"]] == ["长风新村街道"]
    assert body["burndown"]["period"] == "week" and "district" in body["burndown"]["series"]
    client.force_login(world.alice)
    body = client.get(f"{LIST}progress/").json()
    assert body["district"]["existing"]["total"] == 2 and body["district"]["new"]["total"] == 1
    assert body["district"]["all"]["overdue"] == 1 and body["district"]["all"]["percent_cleared"] == 0.0


def test_the_list_does_not_query_per_item(client, world, items, django_assert_max_num_queries):
    for n in range(30):
        item(world, location=f"{n + 10}号楼 屋顶")
    client.force_login(world.alice)
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200
