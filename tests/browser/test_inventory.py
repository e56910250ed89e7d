"""An officer imports the street's illegal-construction ledger, sees the burn-down to zero, then edits an item
and clears it; a property user of another company finds neither the item nor a way to change it."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programme.models import IllegalStructure
from tests.browser.helpers import login
from tests.personas import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def ledger_file(tmp_path):
    today = timezone.localdate()
    year = today.year
    rows = [
        "台账编号,小区,街镇,具体位置,类别,发现日期,面积（㎡）,结构,状态,处置措施,计划完成日期,销项日期,备注",
        f",兰溪一村,曹杨新村街道,5号楼 屋顶平台,存量违建,{year - 3}-07-05,35.5,彩钢板,在办,责令改正,{year}-12-31,,已送达告知书",
        f",兰溪一村,曹杨新村街道,8号楼602室 阳台外挑,存量违建,{year - 3}-07-12,6,玻璃/阳光房,已拆除,拆除,,"
        f"{(today - timedelta(days=60)).isoformat()},",
        f",兰溪一村,曹杨新村街道,12号楼底层 天井,存量违建,{year - 2}-03-01,18,砖混,存量,,{year}-06-30,,",
        f",兰溪一村,曹杨新村街道,3号楼 露台,新增（在建）,{(today - timedelta(days=20)).isoformat()},12,钢结构,已拆除,拆除,,"
        f"{(today - timedelta(days=15)).isoformat()},当场制止并拆除",
        f",金沙雅苑,长风新村街道,2号楼 屋顶,存量违建,{year - 2}-05-01,20,砖混,存量,,,,",  # not oscar's street
        f",兰溪一村,曹杨新村街道,9号楼 屋顶,存量违建,{year - 1}-02-30,10,砖混,存量,,,,",  # no such date
    ]
    path = tmp_path / "曹杨违建台账.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    return path


def test_officer_imports_the_ledger_sees_the_burndown_and_clears_an_item(live_server, page, screenshot, tmp_path):
    world = build_world()
    login(page, live_server.url, "oscar")

    # import
    page.get_by_role("link", name="存量违建台账").click()
    page.get_by_test_id("to-import").click()
    page.set_input_files("#id_file", str(ledger_file(tmp_path)))
    page.get_by_test_id("import-submit").click()
    report = page.get_by_test_id("import-report")
    expect(page.get_by_test_id("report-created")).to_have_text("4")
    expect(page.get_by_test_id("report-errors")).to_have_text("2")
    expect(report).to_contain_text("不在您的管理范围内")
    expect(report).to_contain_text("不是有效日期")
    screenshot("inventory-import")
    assert IllegalStructure.objects.count() == 4

    # the burn-down
    report.get_by_role("link", name="清零进度").click()
    expect(page.get_by_test_id("burndown")).to_have_attribute("data-ready", "1")
    expect(page.locator("#burndown svg")).to_be_visible()
    expect(page.get_by_test_id("burndown")).to_contain_text("存量违建剩余")  # the legend, drawn in the SVG
    expect(page.get_by_test_id("burndown")).to_contain_text("目标线")
    expect(page.get_by_test_id("kpi-existing-remaining")).to_have_text("2")
    expect(page.get_by_test_id("kpi-new-total")).to_have_text("1")
    expect(page.get_by_test_id("street-row")).to_have_count(1)
    page.get_by_test_id("street-row").click()
    expect(page.get_by_test_id("chart-title")).to_have_text("曹杨新村街道")
    screenshot("inventory-progress")

    # edit an item, then clear it
    page.get_by_role("link", name="台账明细").click()
    page.get_by_role("link", name=re.compile("WJ-01-")).and_(
        page.locator("xpath=//tr[contains(., '12号楼底层 天井')]//a")).click()
    expect(page.get_by_test_id("item-location")).to_have_text("12号楼底层 天井")
    page.get_by_test_id("edit").click()
    page.fill("#id_area_m2", "21.5")
    page.select_option("#id_measure", "FORCED_DEMOLITION")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("item-area")).to_have_text("21.50 ㎡")
    expect(page.get_by_test_id("item-measure")).to_have_text("强制拆除")
    page.select_option("#id_status", "DEMOLISHED")
    expect(page.locator("#id_cleared_on")).to_be_visible()
    page.get_by_test_id("set-status").click()
    expect(page.get_by_test_id("status")).to_have_text("已拆除")
    expect(page.get_by_test_id("item-cleared")).to_have_text(timezone.localdate().isoformat())
    expect(page.get_by_test_id("history")).to_contain_text("存量→已拆除")
    expect(page.get_by_test_id("history")).to_contain_text("导入 曹杨违建台账.csv")
    screenshot("inventory-item")
    item_url = page.url

    # another company's property user: the item does not exist for them
    page.get_by_role("button", name=re.compile("退出")).click()
    login(page, live_server.url, "carl")
    response = page.goto(item_url)
    assert response.status == 404
    page.goto(f"{live_server.url}/programme/inventory/")
    expect(page.get_by_test_id("result-count")).to_contain_text("0")
    expect(page.get_by_test_id("register")).to_have_count(0)
    assert world.carl.property_company == world.company_b
