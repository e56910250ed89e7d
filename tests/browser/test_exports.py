"""Exports in the browser (issue 10): after htmx changed the filters the export still carries them, and the
button says 正在生成… until the download begins."""
import csv

import pytest
from playwright.sync_api import expect

from tests.browser.test_registry_pages import login
from tests.personas import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_export_carries_the_htmx_filters_and_shows_progress(live_server, page):
    world = build_world()
    login(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/registry/communities/")
    page.select_option("select[name=street]", str(world.changfeng.pk))
    page.wait_for_function("location.search.includes('street=')")
    link = page.locator("a[data-export=csv]")
    expect(link).to_have_attribute("href", f"?q=&street={world.changfeng.pk}&grade=&is_pilot=&property_company=&export=csv")
    with page.expect_download() as download:
        link.click()
        expect(link).to_have_attribute("aria-busy", "true")
        expect(link).to_contain_text("正在生成")
    assert f"street={world.changfeng.pk}" in download.value.url
    with open(download.value.path(), encoding="utf-8-sig") as handle:
        names = [row[0] for row in csv.reader(handle)][1:]
    assert sorted(names) == sorted(["金沙雅苑", "云岭花园"])
    expect(link).not_to_have_attribute("aria-busy", "true", timeout=5_000)
    expect(link).to_contain_text("CSV")
