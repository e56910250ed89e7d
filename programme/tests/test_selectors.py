"""Progress and burn-down on a small ledger whose numbers are known by hand; the queries do not grow with it."""
from datetime import date
from decimal import Decimal

import pytest

from programme import selectors, services
from programme.choices import StructureStatus as S
from programme.models import Campaign
from programme.tests.helpers import item

pytestmark = pytest.mark.django_db
TODAY = date(2025, 3, 15)


def inventory_campaign(start, end):
    """The 清零 campaign's record, whose dates the burn-down reads."""
    return services.campaign_create(actor=None, name="存量违建清库清零", kind="INVENTORY", starts_on=start,
                                    ends_on=end)


@pytest.fixture
def ledger(world):
    world.clearance = inventory_campaign(date(2025, 1, 1), date(2025, 6, 30))
    item(world, location="1号楼 屋顶", found_on=date(2024, 11, 10), status=S.DEMOLISHED, cleared_on=date(2025, 2, 10))
    item(world, location="2号楼 屋顶", found_on=date(2024, 12, 5), target_date=date(2025, 3, 1), area_m2="30")
    item(world, community=world.changfeng_b, location="3号楼 天井", found_on=date(2025, 1, 20), status=S.RECTIFIED,
         cleared_on=date(2025, 3, 10))
    item(world, community=world.changfeng_b, location="4号楼 露台", kind="NEW", found_on=date(2025, 2, 15),
         status=S.DEMOLISHED, cleared_on=date(2025, 2, 18))
    item(world, community=world.changfeng_a, location="5号楼 阳台", found_on=date(2025, 3, 1), status=S.HANDLING,
         target_date=date(2025, 6, 30), area_m2="20")
    return world


def test_progress_per_street_and_district_keeps_new_and_existing_apart(ledger):
    streets, district = selectors.progress(user=ledger.alice, today=TODAY)
    by_name = {s.name: s for s in streets}
    caoyang, changfeng = by_name["曹杨新村街道"], by_name["长风新村街道"]
    assert (caoyang.existing.total, caoyang.existing.cleared, caoyang.existing.remaining) == (2, 1, 1)
    assert (caoyang.existing.overdue, caoyang.existing.area_remaining, caoyang.existing.percent) == (
        1, Decimal("30"), 50.0)
    assert (changfeng.existing.total, changfeng.existing.remaining, changfeng.existing.handling) == (2, 1, 1)
    assert changfeng.existing.area_remaining == Decimal("20") and changfeng.existing.overdue == 0
    assert (changfeng.new.total, changfeng.new.cleared, changfeng.new.remaining) == (1, 1, 0)
    assert (district.existing.total, district.existing.cleared, district.existing.percent) == (4, 2, 50.0)
    assert (district.new.total, district.all.total, district.all.remaining, district.all.overdue) == (1, 5, 2, 1)
    assert district.name == "普陀区"


def test_the_monthly_burndown_counts_what_remained_at_each_month_end(ledger):
    chart = selectors.burndown(user=ledger.alice, today=TODAY)
    assert chart["period"] == "month"
    assert chart["dates"] == ["2024-11-30", "2024-12-31", "2025-01-31", "2025-02-28", "2025-03-15", "2025-03-31",
                              "2025-04-30", "2025-05-31", "2025-06-30"]
    district = chart["series"]["district"]
    assert district["existing"] == [1, 2, 3, 2, 2, None, None, None, None]
    assert district["new"] == [0, 0, 0, 0, 0, None, None, None, None]
    # straight from what remained when the campaign started to zero at its end
    assert district["target"] == [["2025-01-01", 2], ["2025-06-30", 0]]
    streets = {s["name"]: s for key, s in chart["series"].items() if key != "district"}
    assert streets["曹杨新村街道"]["existing"][:5] == [1, 2, 2, 1, 1]
    assert streets["长风新村街道"]["existing"][:5] == [0, 0, 1, 1, 1]
    assert streets["长风新村街道"]["target"] == [["2025-01-01", 0], ["2025-06-30", 0]]


def test_the_weekly_burndown_sees_a_new_structure_come_and_go(ledger):
    chart = selectors.burndown(user=ledger.alice, today=TODAY, period="week")
    dates = chart["dates"]
    assert dates[0] == "2024-11-10" and dates[1] == "2024-11-17"  # Sundays
    new = dict(zip(dates, chart["series"]["district"]["new"], strict=True))
    assert (new["2025-02-09"], new["2025-02-16"], new["2025-02-23"]) == (0, 1, 0)


def test_without_a_campaign_end_the_latest_planned_date_is_the_target(ledger):
    Campaign.objects.filter(pk=ledger.clearance.pk).update(ends_on=None)
    chart = selectors.burndown(user=ledger.alice, today=TODAY)
    assert chart["campaign"]["end"] == date(2025, 6, 30)
    assert chart["series"]["district"]["target"][-1] == ["2025-06-30", 0]


def test_progress_and_burndown_only_count_what_the_user_sees(ledger):
    streets, district = selectors.progress(user=ledger.oscar, today=TODAY)
    assert [s.name for s in streets] == ["曹杨新村街道"]
    assert district.all.total == 2 and district.name != "普陀区"
    chart = selectors.burndown(user=ledger.paul, today=TODAY)  # company A: 兰溪一村 and 云岭花园
    assert chart["series"]["district"]["existing"][:5] == [1, 2, 2, 1, 2]
    carl = selectors.burndown(user=ledger.carl, today=TODAY, period="month")  # company B: 金沙雅苑
    assert carl["dates"][:3] == ["2025-01-31", "2025-02-28", "2025-03-15"]
    assert (carl["series"]["district"]["existing"][:3], carl["series"]["district"]["new"][:3]) == ([1, 1, 0], [0, 0, 0])


def test_an_empty_ledger_has_no_series(world):
    assert selectors.burndown(user=world.alice)["dates"] == []
    streets, district = selectors.progress(user=world.alice)
    assert district.all.total == 0 and district.all.percent is None and len(streets) == 2


def test_the_queries_do_not_grow_with_the_ledger(ledger, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as small:
        selectors.progress(user=ledger.alice, today=TODAY)
        selectors.burndown(user=ledger.alice, today=TODAY)
    for n in range(30):
        item(ledger, location=f"{n + 10}号楼 屋顶", found_on=date(2024, 1 + n % 12, 1 + n))
    with django_assert_max_num_queries(len(small.captured_queries)):
        selectors.progress(user=ledger.alice, today=TODAY)
        selectors.burndown(user=ledger.alice, today=TODAY)
