"""The case list's search box (issue 12): a part of the case number, of its summary or place, or the community's
name; on PostgreSQL narrowed by the character-pair column (core.search), with the same answers as SQLite's LIKE."""
import pytest
from django.db import connection  # noqa: F401  (the skipif condition)
from django.urls import reverse

from cases.forms import CaseFilter
from cases.models import EnforcementCase
from cases.tests.test_exports import cases_, receive  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _found(client, world, query) -> set[str]:
    client.force_login(world.alice)
    response = client.get(reverse("cases:list"), {"q": query, "state": ""})
    assert response.status_code == 200
    return {case.summary for case in response.context["page"].object_list}


@pytest.mark.parametrize("query, expected", [
    ("阳光", {"有人搭建阳光房"}),
    ("充", {"楼道飞线充电"}),                  # one character
    ("电", {"楼道飞线充电"}),                  # one character, the last of its text
    ("光阳", set()),                          # its characters are there, not in this order
    ("兰溪路", {"楼道飞线充电", "有人搭建阳光房"}),  # the place
    ("金沙江", {"有人搭建阳光房"}),
    ("楼道飞线充电兰溪", set()),               # not across the summary and the place
    ("电兰", set()),                          # two characters, the pair column alone: not across either
    ("房金", set()),
    ("飞线", {"楼道飞线充电"}),                # two characters: answered by the pair column alone
])
def test_search_finds_parts_of_the_summary_and_place(client, world, cases_, query, expected):  # noqa: F811
    assert _found(client, world, query) == expected


def test_search_finds_a_part_of_the_number_and_a_community(client, world, cases_):  # noqa: F811
    number = cases_[1].number
    assert _found(client, world, number[-4:]) >= {"有人搭建阳光房"}
    found = CaseFilter({"q": number, "state": ""}, queryset=EnforcementCase.objects.all()).qs
    assert list(found.values_list("number", flat=True)) == [number]
    community = cases_[0].community
    if community is not None:
        assert "楼道飞线充电" in _found(client, world, community.name)


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's index: SQLite searches with LIKE")
def test_the_case_search_narrows_by_the_pair_column_on_postgresql(world, cases_):  # noqa: F811
    with connection.cursor() as cursor:
        # bitmap scans only, unordered: on a table this small any index read in order would also do
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            plan = CaseFilter({"q": "搭建"}, queryset=EnforcementCase.objects.all()).qs.order_by().explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
    assert "case_search_grams" in plan
