"""A person logs in, finds a community and opens its page; a street user is refused another street's."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login
from tests.personas import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_logs_in_filters_and_opens_a_community(live_server, page, screenshot):
    world = build_world()
    login(page, live_server.url, "oscar")
    screenshot("home-officer")
    page.locator("aside").get_by_role("link", name=re.compile("住宅小区")).click()
    table = page.get_by_test_id("community-table")
    expect(table).to_contain_text("兰溪一村")
    expect(table).not_to_contain_text("金沙雅苑")  # another street's community
    page.fill("#id_q", "兰溪")
    expect(page.get_by_test_id("result-count")).to_contain_text("1")
    screenshot("community-list")
    page.get_by_role("link", name="兰溪一村").click()
    expect(page.get_by_test_id("community-name")).to_have_text("兰溪一村")
    expect(page.get_by_test_id("addresses")).to_contain_text("兰溪路88弄")
    expect(page.get_by_test_id("manager")).to_contain_text("13812345678")
    screenshot("community-detail")
    response = page.goto(f"{live_server.url}/registry/communities/{world.changfeng_b.pk}/")
    assert response.status == 404


def test_wrong_password_is_refused_in_both_languages(live_server, page):
    build_world()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "sam")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    expect(page.get_by_role("alert")).to_contain_text("Wrong username or password")


def test_property_user_sees_only_its_company(live_server, page, screenshot):
    world = build_world()
    login(page, live_server.url, "paul")
    page.locator("aside").get_by_role("link", name=re.compile("本企业$")).click()
    expect(page.get_by_test_id("company-name")).to_have_text(world.company_a.name)
    expect(page.locator("main")).not_to_contain_text("金沙雅苑")
    screenshot("company-mine")
