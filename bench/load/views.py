"""The floor the complaint API is measured against: the same page of complaints (newest first, the API's fields
where they are plain columns or one join away) read with .values() and sent by JsonResponse — no DRF, no
serializer, no filter set, no scope, no count. Behind the same middleware (session, CSRF, axes …) as every page.
"""
from django.http import JsonResponse

from intake.models import Complaint

FIELDS = ("id", "channel", "external_no", "received_at", "due_date", "caller_name", "caller_phone", "address_text",
          "content", "category_hint", "community_id", "community__name", "street__name", "match_score",
          "match_evidence", "predicted_type__code", "confidence", "classification_evidence", "violation_type__code",
          "type_source", "department__code", "routing_note", "duplicate_of_id", "duplicate_score", "repeat_count",
          "needs_consultation", "status", "created_at")


def bare(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "请先登录 / sign in first"}, status=403)
    try:
        n = max(1, min(int(request.GET.get("n", 50)), 200))
    except ValueError:
        n = 50
    rows = list(Complaint.objects.order_by("-received_at").values(*FIELDS)[:n])
    return JsonResponse({"results": rows}, json_dumps_params={"ensure_ascii": False})
