"""The queue's 办理时限: a due column with 超期 / 临期 flags (core.calendar's rule, the cases' rule), sorting by
due, a filter for overdue, and a search that finds parts of numbers, texts and addresses (issue 10)."""
from datetime import timedelta

import pytest
from django.db import connection  # noqa: F401  (the skipif condition)
from django.urls import reverse
from django.utils import timezone

from core import calendar
from intake import selectors, services
from intake.choices import OPEN_STATUSES, Channel, ComplaintStatus
from intake.models import Complaint

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(world, keyword_classifier):
    today = timezone.localdate()

    def make(no, content, address, due, **extra):
        return services.complaint_receive(data=services.ComplaintInput(
            channel=Channel.HOTLINE, content=content, address=address, received_at=timezone.now(),
            caller_name="王秘密", caller_phone="13911112222", external_no=no, due_date=due, **extra))

    return {
        "late": make("2026-0106-000123", "楼道飞线充电", "兰溪路88弄", today - timedelta(days=300)),
        "soon": make("2026-1206-000456", "有人搭建阳光房", "兰溪路90弄", calendar.add_working_days(today, 1)),
        "later": make("2026-1206-000789", "楼道堆物", "兰溪路92弄", today + timedelta(days=30)),
        "none": make("", "巡查发现占绿", "兰溪路94弄", None),
    }


def _flags(user):
    return {c.external_no or c.content: c.due_flag for c in selectors.complaint_list(user=user)}


def test_due_flags_follow_the_one_rule(world, orders):
    flags = _flags(world.alice)
    assert flags["2026-0106-000123"] == selectors.OVERDUE == "overdue"
    assert flags["2026-1206-000456"] == selectors.DUE_SOON == "soon"
    assert flags["2026-1206-000789"] == "" and flags["巡查发现占绿"] == ""
    # the same rule for one row as for the list, and the same thresholds as the cases' (core.calendar)
    for complaint in selectors.complaint_list(user=world.alice):
        assert selectors.due_flag(complaint) == complaint.due_flag
    from cases import indicators

    assert indicators.due_soon_until() == calendar.due_soon_until(timezone.localdate())


def test_closed_or_answered_orders_are_not_overdue(world, orders):
    late = orders["late"]
    Complaint.objects.filter(pk=late.pk).update(status=ComplaintStatus.CLOSED)
    assert _flags(world.alice)["2026-0106-000123"] == ""
    Complaint.objects.filter(pk=late.pk).update(status=ComplaintStatus.ROUTED)
    from intake.models import HotlineReply

    HotlineReply.objects.create(complaint=late, reply="已处理", result="SOLVED", replied_by=world.alice,
                                replied_at=timezone.now())
    assert _flags(world.alice)["2026-0106-000123"] == ""


def test_queue_shows_due_column_flags_and_filters_overdue(client, world, orders):
    client.force_login(world.alice)
    html = client.get(reverse("intake:queue")).content.decode()
    assert "办理时限" in html and 'data-testid="queue-due"' in html
    assert 'data-testid="due-overdue"' in html and 'data-testid="due-soon"' in html
    assert 'data-testid="queue-overdue"' in html  # 超期 N 件, a link to the filtered list
    overdue_only = client.get(reverse("intake:queue"), {"due": "overdue"}).context["page"].object_list
    assert [c.external_no for c in overdue_only] == ["2026-0106-000123"]
    soon_only = client.get(reverse("intake:queue"), {"due": "soon"}).context["page"].object_list
    assert [c.external_no for c in soon_only] == ["2026-1206-000456"]


def test_queue_sorts_by_due_soonest_first_blank_last(client, world, orders):
    client.force_login(world.alice)
    rows = client.get(reverse("intake:queue"), {"sort": "due"}).context["page"].object_list
    assert [c.content for c in rows] == ["楼道飞线充电", "有人搭建阳光房", "楼道堆物", "巡查发现占绿"]


def test_overdue_filter_in_the_api_too(client, world, orders):
    client.force_login(world.alice)
    body = client.get("/api/v1/complaints/", {"due": "overdue"}).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [row["external_no"] for row in rows] == ["2026-0106-000123"]


@pytest.mark.parametrize("query, expected", [
    ("0106-000", {"楼道飞线充电"}),               # part of a 12345 number
    ("1206", {"有人搭建阳光房", "楼道堆物"}),
    ("阳光", {"有人搭建阳光房"}),                   # part of the text
    ("兰溪路9", {"有人搭建阳光房", "楼道堆物", "巡查发现占绿"}),  # part of the address
    ("楼道 92弄", {"楼道堆物"}),                     # every word must match, in any field
    ("曹杨", {"楼道飞线充电", "有人搭建阳光房", "楼道堆物", "巡查发现占绿"}),  # the street's name
    ("阳", {"有人搭建阳光房"}),                      # one character
    ("电", {"楼道飞线充电"}),                        # one character, the last of its text
    ("光阳", set()),                                # both pairs' characters are there, not in this order
    ("充电兰溪", set()),                            # not across two fields
    ("王秘密", set()),                               # never the caller's name or phone
    ("13911112222", set()),
])
def test_search_matches_parts_across_fields_but_not_the_caller(client, world, orders, query, expected):
    client.force_login(world.alice)
    rows = client.get(reverse("intake:queue"), {"q": query, "status": ""}).context["page"].object_list
    assert {c.content for c in rows} == expected


def test_the_queue_export_carries_the_due_date_and_its_flag(client, world, orders):
    import csv
    import io

    client.force_login(world.alice)
    body = client.get(reverse("intake:queue") + "?status=&export=csv").getvalue().decode("utf-8-sig")
    rows = {row["外部编号"]: row for row in csv.DictReader(io.StringIO(body))}
    late, soon, later = rows["2026-0106-000123"], rows["2026-1206-000456"], rows["2026-1206-000789"]
    assert late["办理时限"] == str(orders["late"].due_date) and late["期限提示"] == "超期"
    assert soon["期限提示"] == "临期" and later["期限提示"] == ""


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's index: SQLite searches with LIKE")
def test_the_search_narrows_by_the_bigram_index_on_postgresql(world, orders):
    """The query must repeat the index's expression exactly, or PostgreSQL reads every row (core.search)."""
    from django.db import connection

    with connection.cursor() as cursor:
        # bitmap scans only, unordered: on a table this small any index read in order would also do
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        try:
            plan = selectors.text_filter(Complaint.objects.order_by(), "搭建").explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
    assert "complaint_search_grams" in plan


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's plans")
@pytest.mark.parametrize("query, index", [
    (lambda qs: qs.filter(status__in=OPEN_STATUSES), "complaint_open_queue_order"),  # the queue as it opens
    (lambda qs: qs, "complaint_queue_order"),                                      # all statuses
    (lambda qs: qs.filter(selectors.overdue_q()), "complaint_open_"),               # 超期: either open index
])
def test_the_queue_reads_its_first_page_from_an_index_on_postgresql(world, orders, query, index):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
        try:
            plan = query(selectors.complaint_list(user=world.alice))[:30].explain()
        finally:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
    assert index in plan
