"""Staff decisions as training data for train_classifier."""
from intake.choices import DecisionSource
from intake.models import Complaint


def training_rows():
    """(text, violation_type, department) for every complaint whose type a person confirmed or corrected."""
    rows = (
        Complaint.objects.filter(type_source=DecisionSource.STAFF, violation_type__isnull=False)
        .values_list("content", "violation_type__code", "department__code")
        .iterator(chunk_size=2000)
    )
    for text, code, department in rows:
        yield text, code, department or ("CHENGGUAN" if code != "NON_ENFORCEMENT" else "")
