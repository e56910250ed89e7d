"""Fill the case stage exits from the transitions already on record; later writes keep them (analytics.aggregates).

Unlike 0002 this runs the app's code: the stage deadlines are cases.services' (violation types, the working
calendar), which a migration cannot copy. It must stay runnable while CaseStageExit has these fields."""
from django.db import migrations


def fill(apps, schema_editor):
    from analytics.aggregates import rebuild_stage_exits

    if schema_editor.connection.alias == "default":
        rebuild_stage_exits()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_case_stage_exits"),
        ("core", "0001_holiday_from_cases"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
