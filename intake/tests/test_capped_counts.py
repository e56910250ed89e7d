"""Lists count at most CAP rows (core.paging, issue 12): beyond it the page says "more than", the API says
count_capped, and what is shown stays the first rows in the list's own order."""
import pytest
from django.urls import reverse

from core import paging
from intake.tests.fakes import keyword_classifier  # noqa: F401  (fixture)
from intake.tests.test_queue_due_and_search import orders  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of_two(monkeypatch):
    monkeypatch.setattr(paging.CappedPaginator, "cap", 2)


def test_a_count_under_the_cap_is_exact(client, world, orders):  # noqa: F811
    client.force_login(world.alice)
    page = client.get(reverse("intake:queue"), {"status": ""}).context["page"]
    assert (page.paginator.count, page.paginator.capped) == (4, False)


def test_past_the_cap_the_queue_says_more_than_and_asks_to_narrow(client, world, orders, cap_of_two):  # noqa: F811
    client.force_login(world.alice)
    response = client.get(reverse("intake:queue"), {"status": "", "sort": "received"})
    page = response.context["page"]
    assert (page.paginator.count, page.paginator.capped, page.paginator.num_pages) == (2, True, 1)
    assert "超过 2 件" in response.content.decode()
    shown = [c.external_no or c.content for c in page.object_list]
    assert shown == ["巡查发现占绿", "2026-1206-000789"]  # the newest first, the list's own order, up to the cap


def test_the_api_says_its_count_stopped(client, world, orders, cap_of_two):  # noqa: F811
    client.force_login(world.alice)
    body = client.get("/api/v1/complaints/", {"page_size": 1}).json()
    assert body["count"] == 2 and body["count_capped"] is True
    body = client.get("/api/v1/complaints/", {"q": "2026-0106-000123"}).json()
    assert (body["count"], body["count_capped"]) == (1, False)


def test_a_filter_under_the_cap_counts_exactly_again(client, world, orders, cap_of_two):  # noqa: F811
    client.force_login(world.alice)
    page = client.get(reverse("intake:queue"), {"status": "", "q": "阳光"}).context["page"]
    assert (page.paginator.count, page.paginator.capped) == (1, False)
