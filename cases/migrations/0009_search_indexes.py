"""Indexes of the case list at scale: its search box on PostgreSQL (core.search: the case's summary and location by
character pairs, a stored column and its index, the table rewritten; the case number by trigrams; SQLite searches
with LIKE and gets none), and the default orders of the list and of the API."""
from django.db import migrations

from core import search

TEXT = ("summary", "location")  # cases.forms.SEARCH_TEXT, in its order


def create(apps, schema_editor):
    # the API's default order (newest first) and the case list's (the nearest stage deadline first, then newest)
    schema_editor.execute('CREATE INDEX IF NOT EXISTS "case_created" ON "cases_enforcementcase" (created_at DESC)')
    # the list's officer choices in a street's scope: does this officer have a case in these streets (cases.forms)
    schema_editor.execute('CREATE INDEX IF NOT EXISTS "case_street_officer" ON "cases_enforcementcase" '
                          "(street_id, officer_id)")
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite cannot index NULLS LAST (it sorts the list's order itself) and has no pair column
    schema_editor.execute('CREATE INDEX IF NOT EXISTS "case_list_order" ON "cases_enforcementcase" '
                          "(state_due ASC NULLS LAST, created_at DESC)")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(search.FUNCTION)
    for statement in search.column_sql("cases_enforcementcase", TEXT, "case_search_grams"):
        schema_editor.execute(statement)
    schema_editor.execute('CREATE INDEX IF NOT EXISTS "case_number_trgm" ON "cases_enforcementcase" '
                          'USING gin ("number" gin_trgm_ops)')


def drop(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "case_created"')
    schema_editor.execute('DROP INDEX IF EXISTS "case_street_officer"')
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "case_list_order"')
    schema_editor.execute('DROP INDEX IF EXISTS "case_number_trgm"')
    schema_editor.execute('ALTER TABLE "cases_enforcementcase" DROP COLUMN IF EXISTS "search_grams"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_transition_at_index")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
