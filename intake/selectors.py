from django.db.models import F, Q
from django.shortcuts import get_object_or_404

from accounts.scope import can_see_personal
from core.masking import mask_name, mask_phone
from intake.models import Complaint, ImportBatch


def complaint_list(*, user):
    return (
        Complaint.objects.restrict(user, "view")
        .select_related("community", "street", "violation_type", "predicted_type", "department", "duplicate_of")
        .order_by(F("confidence").asc(nulls_first=True), "-received_at")
    )


def complaint_get(*, user, pk: int) -> Complaint:
    return get_object_or_404(
        Complaint.objects.restrict(user, "view").select_related(
            "community__street", "street", "violation_type", "predicted_type", "predicted_department",
            "department", "duplicate_of", "reporting_company", "reporter", "batch",
        ),
        pk=pk,
    )


def find_by_number(*, user, value: str) -> Complaint | None:
    value = value.strip()
    qs = Complaint.objects.restrict(user, "view")
    found = qs.filter(external_no=value).first()
    if found is None and value.isdigit():
        found = qs.filter(pk=int(value)).first()
    return found


def caller(user, complaint: Complaint) -> dict:
    """The caller as this user may see them: handlers see the person, everyone else a mask."""
    if can_see_personal(user, "caller"):
        return {"name": complaint.caller_name, "phone": complaint.caller_phone, "masked": False}
    return {"name": mask_name(complaint.caller_name), "phone": mask_phone(complaint.caller_phone), "masked": True}


def related_open(*, user, complaint: Complaint):
    """Other complaints about the same community and type: what a duplicate could attach to."""
    if not (complaint.community_id and complaint.violation_type_id):
        return Complaint.objects.none()
    return (
        Complaint.objects.restrict(user, "view")
        .filter(community_id=complaint.community_id, violation_type_id=complaint.violation_type_id)
        .exclude(pk=complaint.pk)
        .order_by("-received_at")[:10]
    )


def batch_list(*, user):
    return ImportBatch.objects.restrict(user, "view").select_related("imported_by")[:20]


def text_filter(qs, value: str):
    value = (value or "").strip()
    if not value:
        return qs
    return qs.filter(Q(content__icontains=value) | Q(external_no=value) | Q(address_text__icontains=value)
                     | Q(community__name__icontains=value))


def raw_row(user, complaint: Complaint) -> dict:
    """The source row verbatim, with the caller's columns masked for roles that may not see them."""
    from intake.services import HOTLINE_COLUMNS

    if can_see_personal(user, "caller"):
        return complaint.raw_row
    personal = {name.lower() for key in ("caller_name", "caller_phone") for name in [key, *HOTLINE_COLUMNS[key]]}
    return {k: ("***" if k.strip().lower() in personal and v else v) for k, v in complaint.raw_row.items()}
