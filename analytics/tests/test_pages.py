"""The dashboards from the side of those who must be refused first: property companies 403, another street's or
community's page 404; then what the pages show (the goals with their definitions, the figures as links that open
their lists, the period picker and its refusals, the map's points) and the wall's JSON."""
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from analytics import forms, metrics
from analytics.tests.helpers_dash import call, weekly_history

pytestmark = pytest.mark.django_db
LINK = re.compile(r'href="([^"]+)"[^>]*data-testid="figure-link"')


def pages(world):
    return {
        "overview": reverse("analytics:overview"),
        "caoyang": reverse("analytics:street", args=[world.caoyang.pk]),
        "changfeng": reverse("analytics:street", args=[world.changfeng.pk]),
        "caoyang_a": reverse("analytics:community", args=[world.caoyang_a.pk]),
        "changfeng_b": reverse("analytics:community", args=[world.changfeng_b.pk]),
        "wall": reverse("analytics:wall"),
        "wall_data": reverse("analytics:wall-data"),
    }


ANSWERS = {  # persona: {page: status}
    "alice": dict.fromkeys(("overview", "caoyang", "changfeng", "caoyang_a", "changfeng_b", "wall", "wall_data"), 200),
    "ada": dict.fromkeys(("overview", "caoyang", "changfeng", "caoyang_a", "changfeng_b", "wall", "wall_data"), 200),
    "sam": {"overview": 200, "changfeng": 200, "changfeng_b": 200, "caoyang": 404, "caoyang_a": 404, "wall": 403,
            "wall_data": 403},
    "oscar": {"overview": 200, "caoyang": 200, "caoyang_a": 200, "changfeng": 404, "changfeng_b": 404, "wall": 403,
              "wall_data": 403},
    "hana": {"overview": 200, "caoyang": 200, "changfeng": 200, "caoyang_a": 200, "changfeng_b": 200, "wall": 403,
             "wall_data": 403},
    "paul": dict.fromkeys(("overview", "caoyang", "changfeng", "caoyang_a", "changfeng_b", "wall", "wall_data"), 403),
}


@pytest.mark.parametrize("persona", list(ANSWERS))
def test_each_page_opens_or_refuses_as_the_policy_says(client, world, persona):
    client.force_login(getattr(world, persona))
    urls = pages(world)
    got = {name: client.get(urls[name]).status_code for name in ANSWERS[persona]}
    assert got == ANSWERS[persona]


def test_a_visitor_is_sent_to_the_login(client, world):
    for url in pages(world).values():
        assert client.get(url).status_code == 302


@pytest.fixture
def history(world):
    """Residents' calls in the last full month and the one before, in both streets; the communities placed."""
    for i, c in enumerate((world.caoyang_a, world.changfeng_b, world.changfeng_a)):
        c.lat, c.lng = 31.23 + i * 0.01, 121.38 + i * 0.02
        c.save(update_fields=["lat", "lng"])
    last = forms.latest_full_month()
    before = last.previous()
    call(world.caoyang_a, last.start + timedelta(days=3), 4)
    call(world.changfeng_b, last.start + timedelta(days=5), 2)
    call(world.changfeng_b, before.start + timedelta(days=5), 5)
    return last, before


def test_the_overview_shows_both_goals_with_their_definitions(client, world, history):
    last, before = history
    client.force_login(world.alice)
    page = client.get(reverse("analytics:overview")).content.decode()
    per10k = metrics.DEFINITIONS["complaints_per_10k"]
    assert 'data-testid="goal-per10k"' in page and per10k.text[:20] in page
    assert 'data-testid="goal-effectiveness"' in page
    for code in ("received", "due", "closing_rate", "on_time_rate", "overdue"):
        assert f'data-testid="figure-{code}"' in page
        assert metrics.DEFINITIONS[code].text[:12] in page
    # 6 complaints over 210,000 residents: 0.29 per 10k; no year-ago data: the baseline is the month before
    assert "0.29" in page and 'data-testid="period-note"' in page
    assert last.label in page and before.label in page
    assert page.count('data-testid="street-link"') == 2
    assert 'data-testid="type-spark"' in page          # each type's 12 months as a sparkline
    assert 'id="community-map"' in page and 'id="map-data"' in page


def test_every_figure_links_to_a_list_that_opens(client, world, history):
    client.force_login(world.alice)
    for url in (reverse("analytics:overview"), reverse("analytics:street", args=[world.changfeng.pk]),
                reverse("analytics:community", args=[world.changfeng_b.pk])):
        page = client.get(url).content.decode()
        links = set(LINK.findall(page))
        assert len(links) >= 5, url
        for link in links:
            link = link.replace("&amp;", "&")
            assert link.startswith(("/intake/", "/cases/")), link
            assert client.get(link).status_code == 200, link


def test_the_received_figure_leads_to_the_complaints_it_counts(client, world, history):
    last, _before = history
    client.force_login(world.alice)
    page = client.get(reverse("analytics:community", args=[world.caoyang_a.pk])).content.decode()
    received = re.search(r'data-testid="figure-received".*?href="([^"]+)"', page, re.S)[1].replace("&amp;", "&")
    listing = client.get(received).content.decode()
    assert listing.count("楼道停放电动车") >= 4 or "4" in listing


def test_drill_down_links_keep_the_period(client, world, history):
    client.force_login(world.alice)
    url = reverse("analytics:overview") + "?kind=quarter&quarter=2026-Q3&baseline=previous"
    page = client.get(url).content.decode()
    street = reverse("analytics:street", args=[world.caoyang.pk])
    assert f"{street}?kind=quarter&amp;quarter=2026-Q3&amp;baseline=previous" in page
    page = client.get(street + "?kind=quarter&quarter=2026-Q3&baseline=previous").content.decode()
    assert "2026年第三季度" in page and "2026年第二季度" in page
    assert reverse("analytics:community", args=[world.caoyang_a.pk]) in page


@pytest.mark.parametrize("query", ["kind=month&month=2026-13", "kind=quarter&quarter=2026-Q5", "kind=custom&start=x",
                                   "kind=custom&start=2026-05-01&end=2026-04-01", "kind=week", "baseline=nope",
                                   "period=abc", "kind=year&year=1900", "kind=year&year=2000",
                                   "kind=custom&start=2000-01-01&end=2000-03-01&baseline=previous"])
def test_a_bad_period_is_refused_in_both_languages_never_a_500(client, world, query):
    client.force_login(world.alice)
    response = client.get(reverse("analytics:overview") + "?" + query)
    assert response.status_code == 200
    page = response.content.decode()
    error = re.search(r'data-testid="period-error">([^<]+)<', page)[1]
    assert " / " in error and re.search("[\u4e00-\u9fff]", error) and re.search("[a-z]", error)


def test_a_custom_period_and_a_year_ago_baseline(client, world, history):
    client.force_login(world.alice)
    today = timezone.localdate()
    start, end = today - timedelta(days=40), today - timedelta(days=10)
    page = client.get(reverse("analytics:overview"), {"kind": "custom", "start": start, "end": end,
                                                      "baseline": "year_ago"}).content.decode()
    assert 'data-testid="period-error"' not in page
    assert f"{start.isoformat()}至{end.isoformat()}" in page
    assert "所选基期没有诉件数据" in page   # asked for explicitly, and empty: said so


def test_a_street_user_sees_the_district_line_and_its_own_streets_only(client, world, history):
    client.force_login(world.sam)
    page = client.get(reverse("analytics:overview")).content.decode()
    assert page.count('data-testid="street-link"') == 1
    assert reverse("analytics:street", args=[world.changfeng.pk]) in page
    assert reverse("analytics:street", args=[world.caoyang.pk]) not in page
    assert world.caoyang_a.name not in page            # not on the map nor in any table
    assert 'data-testid="own-streets"' in page


def test_the_community_page_shows_its_weekly_series(client, world):
    yesterday = timezone.localdate() - timedelta(days=1)
    weekly_history(world.changfeng_b, yesterday, [1] * 12 + [9])
    client.force_login(world.sam)
    page = client.get(reverse("analytics:community", args=[world.changfeng_b.pk])).content.decode()
    assert 'id="weekly-chart"' in page and 'data-testid="hotspot-alert"' in page
    assert "P(X≥x)" in page  # the rule is printed beside the alerts


def test_the_wall_data_is_json_with_the_figures_the_screen_shows(client, world, history):
    from django.core.cache import cache
    cache.clear()
    call(world.caoyang_a, timezone.localdate(), 3)
    client.force_login(world.alice)
    page = client.get(reverse("analytics:wall")).content.decode()
    assert reverse("analytics:wall-data") in page and "analytics-wall.js" in page
    data = client.get(reverse("analytics:wall-data")).json()
    assert data["intake_today"] == 3
    for key in ("overdue_complaints", "overdue_cases", "per_10k", "change_pct", "closing_rate", "on_time_rate",
                "trend", "points", "alerts", "types", "generated_at"):
        assert key in data
    assert len(data["trend"]) == 12
    assert {p["id"] for p in data["points"]} <= {world.caoyang_a.pk, world.changfeng_b.pk, world.changfeng_a.pk}


def test_english_pages(client, world, history):
    client.force_login(world.alice)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("analytics:overview")).content.decode()
    assert "Complaints per 10,000 residents" in page and "District overview" in page
