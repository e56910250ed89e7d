"""The demo inventory: credible for the demo district, written through the services, idempotent and fast."""
import time

import pytest
from django.utils import timezone

from programme import demo, selectors
from programme.choices import CLEARED
from programme.models import IllegalStructure
from registry import demo_data

pytestmark = pytest.mark.django_db


def no_progress(items, label):
    return items


def test_the_demo_inventory_is_credible_and_a_second_run_writes_nothing():
    demo_data.load_registry(tally=demo_data.Tally(), progress=no_progress)
    tally = demo_data.Tally()
    started = time.monotonic()
    demo.seed(tally=tally, progress=no_progress)
    elapsed = time.monotonic() - started
    created = tally.created
    assert 300 <= created <= 600, created
    assert elapsed < 20, elapsed
    today = timezone.localdate()
    items = IllegalStructure.objects.all()
    assert items.values("street").distinct().count() == 10
    cleared_this_year = items.filter(cleared_on__year=today.year).count()
    existing_at_start = items.filter(kind="EXISTING", found_on__lt=today.replace(month=1, day=1)).exclude(
        cleared_on__lt=today.replace(month=1, day=1)).count()
    remaining = items.exclude(status__in=CLEARED).count()
    assert cleared_this_year > existing_at_start / 2  # the campaign cleared most of what remained
    assert 0 < remaining < created / 4
    assert items.filter(selectors.overdue_q(today)).exists()
    assert 0.05 < items.filter(kind="NEW").count() / created < 0.2
    assert set(items.values_list("status", flat=True)) == {"EXISTING", "HANDLING", "DEMOLISHED", "ANNOTATED",
                                                          "RECTIFIED"}
    assert IllegalStructure.history.values("id").distinct().count() == created  # through the services: history

    again = demo_data.Tally()
    demo.seed(tally=again, progress=no_progress)
    assert again.created == 0 and again.updated == 0
    assert IllegalStructure.objects.count() == created
