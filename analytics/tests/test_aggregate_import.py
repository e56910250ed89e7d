"""The 12345 import writes complaints in bulk (no signals): the daily complaint counts still follow it, through
its ImportBatch (analytics.aggregates.batch_post_save)."""
from datetime import date

import pytest
from django.core.management import call_command

from analytics.aggregates import cell_of
from analytics.models import DailyComplaintCount
from demo import hotline as demo_hotline
from intake.models import Complaint

pytestmark = pytest.mark.django_db


def test_imported_orders_are_counted(world, tmp_path):
    rows = demo_hotline.generate(20, start=date(2026, 3, 2), end=date(2026, 3, 31), seed=3,
                                 places=demo_hotline.load_places())
    path = tmp_path / "orders.csv"
    demo_hotline.write_csv(path, rows)
    assert not DailyComplaintCount.objects.exists()
    try:
        call_command("import_hotline", str(path), verbosity=0)
    except SystemExit:
        pass
    assert Complaint.objects.count() == 20
    counted = {}
    for row in DailyComplaintCount.objects.all():
        key = (row.day, row.street_id, row.community_id, row.violation_type_id, row.channel)
        counted[key] = counted.get(key, 0) + row.count
    expected = {}
    for c in Complaint.objects.values("received_at", "street_id", "community_id", "violation_type_id", "channel"):
        key = cell_of(c)
        expected[key] = expected.get(key, 0) + 1
    assert counted == expected
    assert all(row.resident for row in DailyComplaintCount.objects.all())
