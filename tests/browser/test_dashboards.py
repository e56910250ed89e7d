"""A bureau lead reads the dashboard in a browser: the charts and the offline map are drawn, a street, a
community and the list behind a figure are one click each; the duty room's wall shows today's intake and takes
a new complaint in on its next refresh, without reloading the page."""
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from analytics.tests.helpers_dash import call
from tests.browser.helpers import login
from tests.personas import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def placed(world):
    for i, c in enumerate((world.caoyang_a, world.changfeng_b, world.changfeng_a)):
        c.lat, c.lng = 31.23 + i * 0.01, 121.38 + i * 0.02
        c.save(update_fields=["lat", "lng"])
    last_month = timezone.localdate().replace(day=1) - timedelta(days=20)
    call(world.caoyang_a, last_month, 4)
    call(world.changfeng_b, last_month, 2)


def test_the_lead_drills_down_from_the_district_to_the_complaints(live_server, page, screenshot):
    world = build_world()
    placed(world)
    login(page, live_server.url, "alice")
    page.get_by_role("link", name="数据分析").first.click()
    expect(page.get_by_test_id("goal-per10k")).to_be_visible()
    expect(page.locator("#trend-chart canvas")).to_have_count(1)
    expect(page.locator("#community-map canvas")).to_have_count(1)
    screenshot("analytics-overview")
    page.get_by_test_id("street-link").filter(has_text="曹杨新村街道").click()
    expect(page.get_by_test_id("breadcrumbs")).to_contain_text("曹杨新村街道")
    page.get_by_test_id("community-link").filter(has_text="兰溪一村").click()
    expect(page.get_by_test_id("breadcrumbs")).to_contain_text("兰溪一村")
    expect(page.locator("#weekly-chart canvas")).to_have_count(1)
    page.get_by_test_id("figure-received").get_by_test_id("figure-link").click()
    page.wait_for_url("**/intake/**")
    assert "/intake/" in page.url and f"community={world.caoyang_a.pk}" in page.url


def test_the_wall_refreshes_itself_without_a_reload(live_server, page, screenshot):
    world = build_world()
    placed(world)
    call(world.caoyang_a, timezone.localdate(), 2)
    cache.clear()
    page.clock.install()
    login(page, live_server.url, "alice")
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{live_server.url}/analytics/wall/")
    expect(page.get_by_test_id("wall-intake")).to_have_text("2")
    expect(page.locator("#w-map canvas")).to_have_count(1)
    page.evaluate("window.__sameDocument = true")
    call(world.changfeng_b, timezone.localdate(), 3)
    cache.clear()
    page.clock.fast_forward(61_000)
    expect(page.get_by_test_id("wall-intake")).to_have_text("5")
    assert page.evaluate("window.__sameDocument") is True
    screenshot("analytics-wall")
