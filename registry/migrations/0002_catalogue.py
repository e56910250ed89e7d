"""Ship the catalogue: departments, regulations, violation types and their legal basis."""
from django.db import migrations


def load(apps, schema_editor):
    from registry import catalogue_data as data

    Department = apps.get_model("registry", "Department")
    Regulation = apps.get_model("registry", "Regulation")
    ViolationType = apps.get_model("registry", "ViolationType")
    ViolationBasis = apps.get_model("registry", "ViolationBasis")

    departments = {}
    for code, name, duties, handles, is_enforcement in data.DEPARTMENTS:
        departments[code], _ = Department.objects.update_or_create(
            code=code, defaults={"name": name, "duties": duties, "handles": handles, "is_enforcement": is_enforcement}
        )
    regulations = {}
    for short, title, issuer, version, status, notes, named_in in data.REGULATIONS:
        regulations[short], _ = Regulation.objects.update_or_create(
            short_name=short,
            defaults={"title": title, "issuer": issuer, "version": version, "status": status, "notes": notes,
                      "named_in": named_in},
        )
    for order, (code, name, klass, measures, deadlines, duty, non_onsite, description) in enumerate(
        data.VIOLATION_TYPES, start=1
    ):
        vt, _ = ViolationType.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "problem_class": klass, "default_measures": measures, "stage_deadlines": deadlines,
                "triggers_duty_check": duty, "non_onsite": non_onsite, "description": description,
                "sort_order": order, "department": departments["CHENGGUAN" if klass != "NONE" else "STREET"],
            },
        )
        ViolationBasis.objects.filter(violation_type=vt).delete()
        for short, role, article, penalty, verified, note in data.BASES[code]:
            ViolationBasis.objects.create(
                violation_type=vt, regulation=regulations[short], role=role, article=article, penalty=penalty,
                verified=verified, note=note,
            )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
