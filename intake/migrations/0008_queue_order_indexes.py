"""The queue's default order (intake.selectors.complaint_list: confidence, lowest and unknown first, then newest),
district-wide, within one street and among open complaints, and the open complaints' due dates, as indexes: the
first page is read from an index instead of sorting every row (bench/bench_scale.py). Not on the model: PostgreSQL
needs NULLS FIRST spelt out, and SQLite refuses it in an index while putting nulls first in ascending order anyway."""
from django.db import migrations

OPEN = "WHERE status IN ('NEW', 'ROUTED', 'REFERRED', 'IN_CASE')"  # intake.choices.OPEN_STATUSES
INDEXES = {
    "complaint_queue_order": "({confidence}, received_at DESC)",
    "complaint_street_queue_order": "(street_id, {confidence}, received_at DESC)",
    # what still waits, a small part of the table once it has years of history: the queue's default (open) and
    # its 超期/临期 counts read these, not the closed years
    "complaint_open_queue_order": "({confidence}, received_at DESC) " + OPEN,
    "complaint_open_due": "(due_date) " + OPEN,
}


def create(apps, schema_editor):
    confidence = "confidence ASC NULLS FIRST" if schema_editor.connection.vendor == "postgresql" else "confidence ASC"
    for name, columns in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "intake_complaint" '
                              f"{columns.format(confidence=confidence)}")


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("intake", "0007_search_indexes")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
