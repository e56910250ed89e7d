"""The demo inventory: credible for the demo district, written through the services, idempotent and fast."""
import time
from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from demo import district
from demo import programme as programme_demo
from programme import selectors, services
from programme.choices import CLEARED
from programme.models import IllegalStructure

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("registry_loaded")]


def no_progress(items, label):
    return items


@pytest.fixture(scope="module")
def registry_loaded(django_db_setup, django_db_blocker):
    """The demo registry (streets, communities), loaded once for the module in a transaction rolled back at its end;
    each test runs in a savepoint on top of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        district.load_registry(tally=district.Tally(), progress=no_progress)
        yield
        transaction.set_rollback(True)


def test_the_demo_inventory_is_credible_and_a_second_run_writes_nothing():
    tally = district.Tally()
    started = time.monotonic()
    programme_demo.seed(tally=tally, progress=no_progress)
    elapsed = time.monotonic() - started
    created = tally.counts["存量违建台账 illegal constructions"]["created"]
    assert tally.counts["专项行动 campaigns"]["created"] == 3
    assert 300 <= created <= 600, created
    assert elapsed < 20, elapsed
    today = timezone.localdate()
    items = IllegalStructure.objects.all()
    assert items.values("street").distinct().count() == 10
    year = programme_demo.campaign_year(today)
    cleared_this_year = items.filter(cleared_on__year=year).count()
    existing_at_start = items.filter(kind="EXISTING", found_on__lt=date(year, 1, 1)).exclude(
        cleared_on__lt=date(year, 1, 1)).count()
    remaining = items.exclude(status__in=CLEARED).count()
    assert cleared_this_year > existing_at_start / 2  # the campaign cleared most of what remained
    assert 0 < remaining < created / 4
    assert items.filter(selectors.overdue_q(today)).exists()
    assert 0.05 < items.filter(kind="NEW").count() / created < 0.2
    assert set(items.values_list("status", flat=True)) == {"EXISTING", "HANDLING", "DEMOLISHED", "ANNOTATED",
                                                          "RECTIFIED"}
    assert IllegalStructure.history.values("id").distinct().count() == created  # through the services: history

    # both seeds' plans and the 清零 campaign, whose dates the burn-down reads
    from programme.models import Campaign, Problem, Task

    city = Campaign.objects.get(name=programme_demo.CITY_2022)
    assert [(p.name, p.starts_on, p.ends_on, p.status) for p in city.phases.order_by("order")] == [
        ("调查排摸", date(2022, 7, 1), date(2022, 7, 10), "DONE"),
        ("执法整治", date(2022, 7, 11), date(2022, 10, 31), "DONE"),
        ("总结提升", date(2022, 11, 1), date(2022, 11, 30), "DONE")]
    assert Problem.objects.filter(campaign=city, source="INVENTORY").exists()  # open items at the survey's end
    putuo = Campaign.objects.get(name=programme_demo.PUTUO_2024)
    assert [p.ends_on for p in putuo.phases.order_by("order")] == [date(2024, 9, 30), date(2024, 12, 31),
                                                                  date(2025, 3, 31)]
    assert not Task.objects.filter(campaign__in=[city, putuo]).exclude(status="DONE").exists()
    assert Task.objects.filter(campaign=putuo, owner_street__isnull=False).count() == 10
    clearance = Campaign.objects.get(kind="INVENTORY")
    assert (clearance.starts_on, clearance.ends_on) == (date(year, 1, 1), date(year, 12, 31))
    from tests.personas import make_user

    lead = make_user("demo_lead_probe", "LEAD")
    chart = selectors.burndown(user=lead, today=today)
    assert (chart["campaign"]["start"], chart["campaign"]["end"]) == (date(year, 1, 1), date(year, 12, 31))
    assert Problem.objects.filter(campaign=clearance, source="INVENTORY").exists()

    again = district.Tally()
    programme_demo.seed(tally=again, progress=no_progress)
    assert again.created == 0 and again.updated == 0
    assert IllegalStructure.objects.count() == created
    assert Campaign.objects.count() == 3


@pytest.mark.parametrize("today", [date(2026, 11, 25), date(2026, 12, 31), date(2027, 1, 1), date(2027, 1, 5),
                                   date(2027, 2, 28), date(2027, 3, 1), date(2027, 6, 15), date(2028, 2, 29)])
def test_the_demo_plan_holds_on_any_day_it_is_loaded(today):
    """The demo is loaded on whatever day `make run` first runs: nothing in it may lie after that day, and each
    item is cleared after it was found (the services refuse otherwise, and seed_demo would stop)."""
    from registry.models import Community

    communities = list(Community.objects.select_related("street").order_by("street__code", "name"))
    rows = programme_demo.plan(communities, today)
    assert len(rows) > 300
    for row in rows:
        values = {key: value for key, value in row.items() if key != "number"}
        item = IllegalStructure(street_id=row["community"].street_id, **values)
        services._check(item, before=None, reason="演示数据", today=today)  # the rules structure_create applies
    assert len({row["number"] for row in rows}) == len(rows)


@pytest.mark.parametrize("today", [date(2027, 1, 5), date(2027, 7, 1)])
def test_the_demo_campaigns_hold_on_any_day_they_are_loaded(today):
    """In January the 清零 campaign told is last year's (all its phases over); in July this year's, mid-way."""
    from datetime import datetime, time

    from programme.models import Campaign

    now = timezone.make_aware(datetime.combine(today, time(9)))
    programme_demo.seed_campaigns(tally=district.Tally(), now=now)
    clearance = Campaign.objects.get(kind="INVENTORY")
    year = programme_demo.campaign_year(today)
    assert clearance.name == f"{year}年存量违建清库清零"
    statuses = [p.status for p in clearance.phases.order_by("order")]
    assert statuses == (["DONE", "DONE", "DONE"] if today.month < 3 else ["DONE", "ACTIVE", "PLANNED"])
