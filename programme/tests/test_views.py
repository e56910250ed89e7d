"""The inventory pages, from the side of the user who must be refused first: who sees which items (404 outside
the scope), who may change them (403 for readers), then the forms, the import page and the progress page."""
import csv
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programme.choices import StructureStatus as S
from programme.models import IllegalStructure
from programme.tests.helpers import days_ago, item

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r'data-testid="item-link">([^<]+)<')


@pytest.fixture
def items(world):
    """One item in each of the world's communities: 兰溪一村 (曹杨, company A), 金沙雅苑 (长风, company B),
    云岭花园 (长风, company A)."""
    return {
        "caoyang_a": item(world, location="1号楼 屋顶", owner_hint="1号楼601室 王建华"),
        "changfeng_b": item(world, community=world.changfeng_b, location="2号楼 屋顶"),
        "changfeng_a": item(world, community=world.changfeng_a, location="3号楼 天井"),
    }


SEES = {
    "alice": {"caoyang_a", "changfeng_b", "changfeng_a"},
    "hana": {"caoyang_a", "changfeng_b", "changfeng_a"},
    "oscar": {"caoyang_a"},
    "sam": {"changfeng_b", "changfeng_a"},
    "paul": {"caoyang_a", "changfeng_a"},
    "carl": {"changfeng_b"},
}
CHANGES = {"alice": SEES["alice"], "oscar": {"caoyang_a"}, "sam": {"changfeng_b", "changfeng_a"},
           "hana": set(), "paul": set(), "carl": set()}


def detail(a):
    return reverse("programme:structure-detail", args=[a.pk])


@pytest.mark.parametrize("persona", sorted(SEES))
def test_each_persona_lists_and_opens_exactly_its_items(client, world, items, persona):
    client.force_login(getattr(world, persona))
    listed = set(NUMBER.findall(client.get(reverse("programme:inventory")).content.decode()))
    assert listed == {items[k].number for k in SEES[persona]}
    for key, a in items.items():
        assert client.get(detail(a)).status_code == (200 if key in SEES[persona] else 404)


@pytest.mark.parametrize("persona", sorted(SEES))
def test_only_the_streets_and_the_bureau_change_items(client, world, items, persona):
    client.force_login(getattr(world, persona))
    for key, a in items.items():
        expected = 200 if key in CHANGES[persona] else 403 if key in SEES[persona] else 404
        assert client.get(reverse("programme:structure-edit", args=[a.pk])).status_code == expected
        response = client.post(reverse("programme:structure-status", args=[a.pk]), {"status": S.DEMOLISHED})
        assert response.status_code == (302 if key in CHANGES[persona] else expected)
        if key not in CHANGES[persona]:
            assert IllegalStructure.objects.get(pk=a.pk).status == S.EXISTING
        page = client.get(detail(a)).content.decode() if key in SEES[persona] else ""
        if key in SEES[persona] and key not in CHANGES[persona]:
            assert 'data-testid="read-only"' in page and 'data-testid="status-form"' not in page


@pytest.mark.parametrize("persona", ["hana", "paul", "carl"])
def test_readers_neither_register_nor_import(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("programme:structure-create")).status_code == 403
    assert client.get(reverse("programme:structure-import")).status_code == 403
    page = client.get(reverse("programme:inventory")).content.decode()
    assert 'data-testid="register"' not in page and 'data-testid="to-import"' not in page


def test_anonymous_users_are_sent_to_log_in(client, items):
    for url in (reverse("programme:inventory"), reverse("programme:progress"), detail(items["caoyang_a"])):
        assert client.get(url)["Location"].startswith(reverse("login"))


def test_the_owner_is_masked_for_roles_without_party_access(client, world, items):
    client.force_login(world.oscar)
    assert "1号楼601室 王建华" in client.get(detail(items["caoyang_a"])).content.decode()
    client.force_login(world.paul)
    page = client.get(detail(items["caoyang_a"])).content.decode()
    assert "王建华" not in page and "1*********" in page


def test_the_export_holds_only_the_users_rows(client, world, items):
    client.force_login(world.carl)
    response = client.get(reverse("programme:inventory"), {"export": "csv"})
    rows = list(csv.reader(b"".join(response.streaming_content).decode("utf-8-sig").splitlines()))
    assert [r[0] for r in rows[1:]] == [items["changfeng_b"].number]


def test_filters_and_the_htmx_table(client, world, items):
    from programme import services

    services.structure_update(item=items["changfeng_b"], actor=world.alice, status=S.DEMOLISHED)
    services.structure_update(item=items["changfeng_a"], actor=world.alice, target_date=days_ago(1))
    client.force_login(world.alice)
    url = reverse("programme:inventory")

    def numbers(**params):
        return set(NUMBER.findall(client.get(url, params).content.decode()))

    assert numbers(status="cleared") == {items["changfeng_b"].number}
    assert numbers(status="remaining", street=world.changfeng.pk) == {items["changfeng_a"].number}
    assert numbers(overdue="true") == {items["changfeng_a"].number}
    assert numbers(q="1号楼") == {items["caoyang_a"].number}
    assert numbers(community=world.changfeng_b.pk) == {items["changfeng_b"].number}
    partial = client.get(url, {"kind": "NEW"}, headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in partial.content.decode() and "没有符合条件的台账条目" in partial.content.decode()


def test_the_list_does_not_query_per_item(client, world, items, django_assert_max_num_queries):
    for n in range(40):
        item(world, location=f"{n + 10}号楼 天井")
    client.force_login(world.alice)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("programme:inventory")).status_code == 200


def test_registering_an_item_through_the_form(client, world):
    client.force_login(world.oscar)
    url = reverse("programme:structure-create")
    data = {"community": world.caoyang_a.pk, "location": "9号楼 屋顶平台", "kind": "EXISTING",
            "found_on": days_ago(10).isoformat(), "area_m2": "40.5", "material": "BRICK", "measure": "",
            "target_date": "", "owner_hint": "", "note": "巡查发现"}
    refused = client.post(url, {**data, "community": world.changfeng_b.pk})  # not oscar's street: not offered
    assert refused.status_code == 200 and not IllegalStructure.objects.exists()
    too_small = client.post(url, {**data, "area_m2": "0"})
    assert too_small.status_code == 400 and "面积须大于0" in too_small.content.decode()
    assert "9号楼 屋顶平台" in too_small.content.decode()  # what was typed is kept
    response = client.post(url, data)
    a = IllegalStructure.objects.get()
    assert response["Location"] == detail(a) and a.note == "巡查发现" and a.history.get().history_user == world.oscar


def test_editing_and_changing_the_status_with_the_history_shown(client, world, items):
    a = items["caoyang_a"]
    client.force_login(world.oscar)
    data = {"community": a.community_id, "location": "1号楼 屋顶平台（西）", "kind": "EXISTING",
            "found_on": a.found_on.isoformat(), "area_m2": "16", "material": "STEEL", "measure": "ORDER_CORRECT",
            "target_date": "", "owner_hint": a.owner_hint, "note": ""}
    assert client.post(reverse("programme:structure-edit", args=[a.pk]), data).status_code == 302
    status_url = reverse("programme:structure-status", args=[a.pk])
    assert client.post(status_url, {"status": S.RECTIFIED, "cleared_on": days_ago(2).isoformat()}).status_code == 302
    a.refresh_from_db()
    assert (a.location, a.status, a.measure, a.cleared_on) == ("1号楼 屋顶平台（西）", S.RECTIFIED, "ORDER_CORRECT",
                                                               days_ago(2))
    reopen = client.post(status_url, {"status": S.EXISTING})
    assert reopen.status_code == 400 and "须说明理由" in reopen.content.decode()
    page = client.get(detail(a)).content.decode()
    assert "存量→已整改" in page and "1号楼 屋顶平台（西）" in page and "钢结构" in page


def test_opening_and_linking_cases_from_the_item_page(client, world, items):
    a, b = items["caoyang_a"], items["changfeng_a"]
    client.force_login(world.sam)  # street staff do not open cases
    assert 'data-testid="open-case-form"' not in client.get(detail(b)).content.decode()
    response = client.post(reverse("programme:structure-open-case", args=[b.pk]), {})
    assert response.status_code == 400 and "只有执法队员或区局可以立案" in response.content.decode()
    client.force_login(world.oscar)
    assert client.post(reverse("programme:structure-open-case", args=[a.pk]), {}).status_code == 302
    a.refresh_from_db()
    assert a.status == S.HANDLING and a.case.officer == world.oscar
    page = client.get(detail(a)).content.decode()
    assert a.case.number in page and 'data-testid="status-form"' not in page
    other = item(world, location="8号楼 天井")
    response = client.post(reverse("programme:structure-link-case", args=[other.pk]), {"case_number": "AJ-NONE"})
    assert response.status_code == 400 and "找不到案件" in response.content.decode()
    response = client.post(reverse("programme:structure-link-case", args=[other.pk]), {"case_number": a.case.number})
    assert response.status_code == 302 and IllegalStructure.objects.get(pk=other.pk).case == a.case


def test_the_import_page_reports_errors_by_line(client, world):
    client.force_login(world.oscar)
    content = ("小区,具体位置,发现日期,面积\n兰溪一村,1号楼 屋顶,2024-05-01,12\n兰溪一村,2号楼 屋顶,2024-05-01,-1\n"
               "金沙雅苑,3号楼 屋顶,2024-05-01,9\n").encode()
    response = client.post(reverse("programme:structure-import"),
                           {"file": SimpleUploadedFile("台账.csv", content, content_type="text/csv")})
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-report"' in page
    assert re.search(r'data-testid="report-created">1<', page) and re.search(r'data-testid="report-errors">2<', page)
    assert "<td>3</td>" in page and "面积须大于0" in page and "<td>4</td>" in page
    assert IllegalStructure.objects.count() == 1
    wrong = client.post(reverse("programme:structure-import"),
                        {"file": SimpleUploadedFile("台账.docx", b"PK", content_type="application/octet-stream")})
    assert wrong.status_code == 400 and "CSV 或 XLSX" in wrong.content.decode()


@pytest.mark.parametrize("persona", sorted(SEES))
def test_the_progress_page_for_everyone_with_the_chart_served_locally(client, world, items, persona):
    client.force_login(getattr(world, persona))
    page = client.get(reverse("programme:progress")).content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in page and "cdn" not in page.lower()
    assert 'id="burndown-data"' in page and 'data-testid="burndown"' in page
    rows = re.findall(r'data-testid="street-row"', page)
    assert len(rows) == {"alice": 2, "hana": 2, "oscar": 1, "sam": 1, "paul": 2, "carl": 1}[persona]


def test_registering_the_structure_a_case_found(client, world):
    from cases import services as case_services
    from cases.models import EnforcementCase
    from registry.models import ViolationType

    case = case_services.case_open(violation_type=ViolationType.objects.get(code="ILLEGAL_CONSTRUCTION"),
                                   community=world.caoyang_a, summary="正在屋顶搭建", location="6号楼 屋顶",
                                   actor=world.oscar)
    EnforcementCase.objects.filter(pk=case.pk).update(in_progress=True)
    client.force_login(world.oscar)
    url = reverse("programme:structure-create")
    page = client.get(url, {"case": case.pk}).content.decode()
    assert case.number in page and 'value="6号楼 屋顶"' in page and '<option value="NEW" selected>' in page
    data = {"case": case.pk, "community": world.caoyang_a.pk, "location": "6号楼 屋顶", "kind": "NEW",
            "found_on": days_ago(0).isoformat(), "area_m2": "25", "material": "STEEL", "measure": "STOP"}
    assert client.post(url, data).status_code == 302
    a = IllegalStructure.objects.get()
    assert (a.case, a.kind, a.status) == (case, "NEW", S.HANDLING)
    client.force_login(world.sam)  # 长风's staff cannot reach 曹杨's case
    assert client.get(url, {"case": case.pk}).status_code == 404


def test_the_progress_page_does_not_query_per_item(client, world, items, django_assert_max_num_queries):
    client.force_login(world.alice)
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("programme:progress"))
    for n in range(30):
        item(world, community=world.changfeng_b, location=f"{n + 10}号楼 屋顶", found_on=days_ago(400 - n * 9))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("programme:progress"))
