"""Indexes the period figures read by (analytics.metrics.effectiveness) on other apps' tables: 12345 replies by
their reply time (市民满意率 of a period) and the complaints found to repeat an earlier one by their receipt time
(重复投诉 of a period: partial, the duplicates only). Declared in SQL so those apps' model state stays as it is;
IF NOT EXISTS, so an index of the same name made there first is kept."""
from django.db import migrations

INDEXES = [
    ("hotlinereply_replied_at_idx", "cases_hotlinereply", "replied_at"),
    ("complaint_duplicate_received_idx", "intake_complaint", "received_at) WHERE (status = 'DUPLICATE'"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0004_fill_case_aggregates"),
        ("intake", "0006_stored_file_names"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
                          f"DROP INDEX IF EXISTS {name}")
        for name, table, columns in INDEXES
    ]
