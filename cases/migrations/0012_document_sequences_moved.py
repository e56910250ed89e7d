"""Existing documents and sequences move to their numbering district (cases.documents.numbering_district).

A document whose case lies in a district with its own 文号简称 (registry.District.document_prefix) was numbered
from the one shared (kind, year) sequence: it keeps its number and now belongs to that district's sequence, which
continues after the district's highest number issued (a number is never given twice). The templates' sequence
(district NULL: the installation's first district) keeps its row; when other districts had taken numbers from it,
it continues after the highest number its own documents carry, so the first district keeps its numbers and counts
on without the other districts' numbers."""
from django.db import migrations
from django.db.models import Max


def forwards(apps, schema_editor):
    District = apps.get_model("registry", "District")
    Document = apps.get_model("cases", "Document")
    DocumentSequence = apps.get_model("cases", "DocumentSequence")
    for district in District.objects.exclude(document_prefix=""):
        Document.objects.filter(district__isnull=True, case__street__district=district).update(district=district)
    tops = (Document.objects.filter(district__isnull=False).order_by().values("kind", "year", "district")
            .annotate(top=Max("seq")))
    moved = set()
    for row in tops:
        moved.add((row["kind"], row["year"]))
        sequence, _ = DocumentSequence.objects.get_or_create(kind=row["kind"], year=row["year"],
                                                             district_id=row["district"], defaults={"last": 0})
        if sequence.last < row["top"]:
            sequence.last = row["top"]
            sequence.save(update_fields=["last"])
    for kind, year in moved:
        shared = DocumentSequence.objects.filter(kind=kind, year=year, district__isnull=True).first()
        if shared is None:
            continue
        own = (Document.objects.filter(kind=kind, year=year, district__isnull=True)
               .aggregate(top=Max("seq"))["top"] or 0)
        shared.last = own
        shared.save(update_fields=["last"])


def backwards(apps, schema_editor):
    """Back to one shared sequence per (kind, year): its last number is the highest of every district's."""
    Document = apps.get_model("cases", "Document")
    DocumentSequence = apps.get_model("cases", "DocumentSequence")
    for sequence in DocumentSequence.objects.filter(district__isnull=False):
        shared, _ = DocumentSequence.objects.get_or_create(kind=sequence.kind, year=sequence.year,
                                                           district__isnull=True, defaults={"last": 0})
        if shared.last < sequence.last:
            shared.last = sequence.last
            shared.save(update_fields=["last"])
        sequence.delete()
    Document.objects.filter(district__isnull=False).update(district=None)


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0011_document_sequence_per_district"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
