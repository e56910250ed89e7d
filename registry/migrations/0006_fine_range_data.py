"""Ship the fine ranges of the penalty articles and the 待核实 hearing / major-case amounts (catalogue_data)."""
from django.db import migrations


def load(apps, schema_editor):
    from registry import catalogue_data as data

    ViolationBasis = apps.get_model("registry", "ViolationBasis")
    FineRange = apps.get_model("registry", "FineRange")
    PenaltyThreshold = apps.get_model("registry", "PenaltyThreshold")
    for code, rows in data.FINE_RANGES.items():
        for short, article, label, party_kind, low, high, unit in rows:
            basis = ViolationBasis.objects.filter(
                violation_type__code=code, regulation__short_name=short, article=article, role="PENALTY").first()
            if basis is None:  # an administrator changed the catalogue: nothing is invented in its place
                continue
            FineRange.objects.get_or_create(basis=basis, label=label, party_kind=party_kind,
                                            defaults={"low": low, "high": high, "unit": unit})
    for kind, party_kind, amount, note in data.PENALTY_THRESHOLDS:
        PenaltyThreshold.objects.get_or_create(kind=kind, party_kind=party_kind,
                                               defaults={"amount": amount, "verified": False, "note": note})


class Migration(migrations.Migration):
    dependencies = [("registry", "0005_fine_ranges")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
