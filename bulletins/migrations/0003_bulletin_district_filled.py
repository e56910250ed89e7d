"""Every bulletin names its district: a street's bulletin its street's district, a district-wide one the
installation's district — the only one, or the first (the one whose numbers carry no prefix, else the oldest):
before bulletins knew districts, a district-wide bulletin counted the installation that was its first district."""
from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Bulletin = apps.get_model("bulletins", "Bulletin")
    District = apps.get_model("registry", "District")
    Street = apps.get_model("registry", "Street")
    Bulletin.objects.filter(district__isnull=True, street__isnull=False).update(
        district=Subquery(Street.objects.filter(pk=OuterRef("street_id")).values("district_id")[:1]))
    first = (District.objects.filter(number_prefix="").order_by("pk").first()
             or District.objects.order_by("pk").first())
    if first is not None:
        Bulletin.objects.filter(district__isnull=True, street__isnull=True).update(district=first)


class Migration(migrations.Migration):

    dependencies = [
        ("bulletins", "0002_bulletin_district"),
        ("registry", "0004_district_number_prefixes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
