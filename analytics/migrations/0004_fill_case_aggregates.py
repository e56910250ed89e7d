"""Fill the case stage exits and the daily case counts from the cases and transitions already on record; later
writes keep them (analytics.aggregates).

Unlike 0002 this runs the app's code: the stage deadlines are cases.services' (violation types, the working
calendar), which a migration cannot copy. It must stay runnable while the two tables have these fields
(about 15 s for 27,000 cases)."""
from django.db import migrations


def fill(apps, schema_editor):
    from analytics.aggregates import rebuild_case_counts, rebuild_stage_exits

    if schema_editor.connection.alias == "default":
        rebuild_stage_exits()
        # the 回头看 table (cases 0015) may come later: 回潮 is then judged by complaints alone, as it was
        rebuild_case_counts(rechecks="cases_recheck" in schema_editor.connection.introspection.table_names())


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_case_aggregates"),
        ("core", "0001_holiday_from_cases"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
