"""Indexes the queue's search box uses on PostgreSQL (core.search): the complaint's text fields by character pairs
(a stored column and its index; the table is rewritten), the 12345 order number by trigrams. SQLite searches
with LIKE and gets none."""
from django.db import migrations

from core import search

TEXT = ("content", "address_text", "category_hint")  # intake.selectors.SEARCH_TEXT, in its order


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(search.FUNCTION)
    for statement in search.column_sql("intake_complaint", TEXT, "complaint_search_grams"):
        schema_editor.execute(statement)
    schema_editor.execute('CREATE INDEX IF NOT EXISTS "complaint_external_no_trgm" ON "intake_complaint" '
                          'USING gin ("external_no" gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('ALTER TABLE "intake_complaint" DROP COLUMN IF EXISTS "search_grams"')
    schema_editor.execute('DROP INDEX IF EXISTS "complaint_external_no_trgm"')


class Migration(migrations.Migration):
    dependencies = [("intake", "0006_stored_file_names")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
