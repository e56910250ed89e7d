"""回头看 rules per violation type, seeded from the defaults of cases.rules.RECHECK_DEFAULTS (copied here: a
migration keeps the values it shipped with). The administrator edits them in the admin afterwards."""
from django.db import migrations

DEFAULTS = {
    "ILLEGAL_CONSTRUCTION": [30, 90], "STRUCTURE_DAMAGE": [30, 90], "GROUP_RENTING": [30], "USE_CHANGE": [30],
    "EBIKE_CHARGING": [7], "EBIKE_PARKING": [7], "COMMON_AREA_OCCUPATION": [14], "HOUSEHOLD_WASTE": [14],
    "CONSTRUCTION_WASTE": [14], "SMALL_ADS": [7], "GREEN_DAMAGE": [30], "FACADE_DAMAGE": [30],
    "RENOVATION_UNREGISTERED": [30], "PROPERTY_NEGLIGENCE": [30], "NON_ENFORCEMENT": [],
}


def seed(apps, schema_editor):
    ViolationType = apps.get_model("registry", "ViolationType")
    ReCheckRule = apps.get_model("cases", "ReCheckRule")
    for violation_type in ViolationType.objects.all():
        ReCheckRule.objects.get_or_create(violation_type=violation_type, defaults={
            "intervals": DEFAULTS.get(violation_type.code, [30]), "reopen_window_days": 90})


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_rechecks")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
