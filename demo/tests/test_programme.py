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
    created = tally.created
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

    again = district.Tally()
    programme_demo.seed(tally=again, progress=no_progress)
    assert again.created == 0 and again.updated == 0
    assert IllegalStructure.objects.count() == created


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
