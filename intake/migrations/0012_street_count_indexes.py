"""Counts of a street user's queue at scale (bench/README.md, third pass at 5 million): an officer's queue of two
streets counted its complaints of one type by AND-ing the type's and the streets' bitmaps (133 ms), and its 超期 /
临期 counts read every open complaint of the district's due-date index (119 ms). These read a street's part of an
index instead. Per database as intake 0008 (a partial index, which the model's Meta would spell differently)."""
from django.db import migrations

OPEN = "WHERE status IN ('NEW', 'ROUTED', 'REFERRED', 'IN_CASE')"  # intake.choices.OPEN_STATUSES
INDEXES = {
    "complaint_street_type": "(street_id, violation_type_id)",
    "complaint_open_street_due": "(street_id, due_date) " + OPEN,
}


def create(apps, schema_editor):
    for name, columns in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "intake_complaint" {columns}')


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("intake", "0011_unread_indexes")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
