"""Fill the daily complaint counts from the complaints already on record (an installation seeded or importing
before analytics existed); later writes keep them (analytics.aggregates)."""
from zoneinfo import ZoneInfo

from django.db import migrations
from django.db.models import Count
from django.db.models.functions import TruncDate

# intake.choices.RESIDENT_CHANNELS when this migration was written (a migration does not import app code)
RESIDENT = {"HOTLINE", "WORKSTATION", "MEDIA", "MANUAL"}


def fill(apps, schema_editor):
    Complaint = apps.get_model("intake", "Complaint")
    Daily = apps.get_model("analytics", "DailyComplaintCount")
    db = schema_editor.connection.alias
    Daily.objects.using(db).all().delete()
    grouped = (Complaint.objects.using(db).annotate(day=TruncDate("received_at", tzinfo=ZoneInfo("Asia/Shanghai")))
               .order_by().values("day", "street_id", "community_id", "violation_type_id", "channel")
               .annotate(n=Count("pk")))
    Daily.objects.using(db).bulk_create(
        [Daily(day=g["day"], street_id=g["street_id"], community_id=g["community_id"],
               violation_type_id=g["violation_type_id"], channel=g["channel"], resident=g["channel"] in RESIDENT,
               count=g["n"]) for g in grouped], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0001_initial"),
        ("intake", "0006_stored_file_names"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
