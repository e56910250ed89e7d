"""The complaint's character-pair column (intake 0007) no longer generated: a plain column (its values kept, the
table not rewritten) that a trigger fills whenever a writer gives none, so that the 12345 import can write the
pairs it computed in its helper process (core.search.grams) instead of PostgreSQL computing them row by row.
SQLite has no such column. Backwards: the generated column again (the table rewritten, its index rebuilt)."""
from django.db import migrations

from core import search

TABLE, TEXT = "intake_complaint", ("content", "address_text", "category_hint")  # as intake 0007


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in search.trigger_sql(TABLE, TEXT):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in search.untrigger_sql(TABLE, TEXT, "complaint_search_grams"):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("intake", "0012_street_count_indexes")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
