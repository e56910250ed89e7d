from datetime import date

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import can_see_personal, personal_view
from core import calendar, search
from intake import workflow
from intake.choices import OPEN_STATUSES, CorrectionField
from intake.models import Complaint, ComplaintTransition, HotlineReply, ImportBatch
from registry.models import Community, Department, Street, ViolationType


def complaint_list(*, user):
    return with_due_flag(
        Complaint.objects.restrict(user, "view")
        .select_related("community", "street", "violation_type", "predicted_type", "department", "duplicate_of")
        .order_by(F("confidence").asc(nulls_first=True), "-received_at")
    )


# --- 办理时限: 超期 / 临期 (core.calendar's rule, the same as the cases') --------------------------------------
# A complaint waits on its 办理时限 (the 12345 order's deadline) while it is open and not yet answered.

OVERDUE, DUE_SOON = calendar.OVERDUE, calendar.DUE_SOON


def waiting_q() -> Q:
    # NOT EXISTS, not the reverse relation's LEFT JOIN … IS NULL: at five million complaints PostgreSQL hashed all
    # three million replies for the 超期 count (0.6 s) instead of probing the reply's unique index per open complaint
    answered = HotlineReply.objects.filter(complaint_id=OuterRef("pk"))
    return Q(status__in=OPEN_STATUSES, due_date__isnull=False) & ~Q(Exists(answered))


def overdue_q(today: date | None = None) -> Q:
    return waiting_q() & Q(due_date__lt=today or timezone.localdate())


def due_soon_q(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return waiting_q() & Q(due_date__gte=today, due_date__lte=calendar.due_soon_until(today))


def with_due_flag(qs, today: date | None = None):
    today = today or timezone.localdate()
    return qs.annotate(due_flag=Case(
        When(overdue_q(today), then=Value(OVERDUE)),
        When(due_soon_q(today), then=Value(DUE_SOON)),
        default=Value(""), output_field=CharField()))


def due_flag(complaint: Complaint, today: date | None = None) -> str:
    """The flag of one complaint, by the same rule as `with_due_flag`."""
    if complaint.status not in OPEN_STATUSES or _has_reply(complaint):
        return ""
    return calendar.due_flag(complaint.due_date, today or timezone.localdate())


def _has_reply(complaint: Complaint) -> bool:
    from intake.models import HotlineReply

    try:
        return complaint.reply is not None
    except HotlineReply.DoesNotExist:
        return False


def complaint_get(*, user, pk: int) -> Complaint:
    return get_object_or_404(
        Complaint.objects.restrict(user, "view").select_related(
            "community__street", "street", "violation_type", "predicted_type", "predicted_department",
            "department", "duplicate_of", "reporting_company", "reporter", "batch",
        ),
        pk=pk,
    )


def timeline(*, user, complaint: Complaint) -> list[ComplaintTransition]:
    """The complaint's moves, oldest first (who, when, from → to, why), as this user may see them."""
    steps = list(ComplaintTransition.objects.restrict(user, "view").filter(complaint=complaint)
                 .select_related("actor"))
    for step in steps:
        step.label = workflow.label_of(step.action)
    return steps


def find_by_number(*, user, value: str) -> Complaint | None:
    value = value.strip()
    qs = Complaint.objects.restrict(user, "view")
    found = qs.filter(external_no=value).first()
    if found is None and value.isdigit():
        found = qs.filter(pk=int(value)).first()
    return found


def caller(user, complaint: Complaint) -> dict:
    """The caller as this user may see them: handlers see the person, everyone else a mask."""
    see = personal_view(user, "caller")
    return {"name": see.name(complaint.caller_name), "phone": see.phone(complaint.caller_phone),
            "masked": not see.full}


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


# Searched by the queue's box: what describes the matter, never the caller's name or phone (personal data).
# The complaint's own text fields, in the order of their bigram index (intake/migrations, core.search); names of the
# community, street, type and department are matched in their own small tables.
SEARCH_TEXT = ("content", "address_text", "category_hint")
SEARCH_NUMBER = ("external_no",)


def text_filter(qs, value: str):
    """Every word typed (split on spaces) must appear, as a part of a word, in one of the text fields, the 12345
    order number or the names of the community, street, type or department: "12345 曹杨" finds order
    2026…12345… in 曹杨新村 (Latin letters in any case)."""

    for word in (value or "").split()[:8]:
        qs = qs.filter(search.matching(Complaint, word, SEARCH_TEXT, trigram=SEARCH_NUMBER,
                                       lookups={
                                           "community": Community.objects.filter(name__icontains=word),
                                           "street": Street.objects.filter(name__icontains=word),
                                           "violation_type": ViolationType.objects.filter(name__icontains=word),
                                           "department": Department.objects.filter(name__icontains=word),
                                       }))
    return qs


def raw_row(user, complaint: Complaint) -> dict:
    """The source row verbatim, with the caller's columns masked for roles that may not see them."""
    from intake.services import HOTLINE_COLUMNS

    if can_see_personal(user, "caller"):
        return complaint.raw_row
    personal = {name.lower() for key in ("caller_name", "caller_phone") for name in [key, *HOTLINE_COLUMNS[key]]}
    return {k: ("***" if k.strip().lower() in personal and v else v) for k, v in complaint.raw_row.items()}


def _join(value) -> str:
    return "、".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)


# How each piece of matching evidence reads to a person (key → sentence); one table for every page.
MATCH_REASONS = {
    "door": lambda e: _("门牌匹配：%(parsed)s → 登记地址 %(door)s")
    % {"parsed": e.get("parsed") or "", "door": e["door"]}
    + (_("（弄/号写法不一致）") if e.get("unit_mismatch") else ""),
    "name": lambda e: _("文本中出现小区名或别名：%(v)s") % {"v": e["name"]},
    "road_corrected": lambda e: _("道路名纠错：%(v)s") % {"v": e["road_corrected"]},
    "road_unknown": lambda e: _("道路不在本区小区地址库中：%(v)s") % {"v": e["road_unknown"]},
    "road_other": lambda e: _("道路未登记：%(v)s") % {"v": e["road_other"]},
    "road_candidates": lambda e: _("道路名可能是：%(v)s（不唯一，未采用）") % {"v": _join(e["road_candidates"])},
    "nearest_doors": lambda e: _("同路最近的登记门牌：%(v)s（门牌不符，未采用）") % {"v": _join(e["nearest_doors"])},
    "ambiguous_door": lambda e: _("门牌属于多个小区：%(v)s") % {"v": _join(e["ambiguous_door"])},
    "ambiguous_addresses": lambda e: _("文本含多个小区的地址：%(v)s") % {"v": _join(e["ambiguous_addresses"])},
    "ambiguous_name": lambda e: _("名称对应多个小区：%(v)s") % {"v": _join(e["ambiguous_name"])},
    "conflict": lambda e: _("门牌与小区名指向不同小区：%(v)s") % {"v": _join(e["conflict"])},
    "other_district": lambda e: _("地址位于其他区或外地：%(v)s") % {"v": _join(e["other_district"])},
    "other_street_prefix": lambda e: _("名称前有其他街镇：%(v)s") % {"v": e["other_street_prefix"]},
    "other_village": lambda e: _("名称指向另一小区：%(v)s") % {"v": e["other_village"]},
    "street_in_text": lambda e: _("文本提及街镇：%(v)s") % {"v": e["street_in_text"]},
    "street_conflict": lambda e: _("小区与文本中的街镇不一致"),
    "rejected": lambda e: _("候选小区（把握不足，未采用）：%(v)s") % {"v": e["rejected"]},
}


def match_reasons(evidence: dict) -> list[str]:
    if (evidence or {}).get("method") == "chosen":
        return [f"由报告人选择：{evidence.get('community', '')}"]
    reasons = [explain(evidence) for key, explain in MATCH_REASONS.items() if key in (evidence or {})]
    return reasons or ["地址中未找到道路门牌或小区名"]


# --- the community page's panel (registry.hooks) --------------------------------------------------------

COMMUNITY_PANEL_ROWS = 5


def community_panel(user, community) -> dict | None:
    """The community's complaints the user sees, newest first: number, what (never who) and status."""
    from django.urls import reverse

    from accounts import policy

    if not policy.may(user, policy.COMPLAINT_QUEUE):
        return None
    complaints = complaint_list(user=user).filter(community=community).order_by("-received_at", "-pk")
    return {
        "key": "complaints", "title": _("本小区诉件"), "icon": "inbox", "total": complaints.count(),
        "rows": [{"label": c.external_no or c.get_channel_display(), "text": c.content, "when": c.received_at,
                  "url": reverse("intake:detail", args=[c.pk]), "badge": c.get_status_display(), "tone": "secondary",
                  "flag": c.due_flag} for c in complaints[:COMMUNITY_PANEL_ROWS]],
        "more_url": f"{reverse('intake:queue')}?community={community.pk}&status=",
        "empty": _("该小区没有诉件"),
    }


def type_labels(counts) -> list[tuple[str, int]]:
    """(violation type code, n) → (the type's name in the reader's language, n): import reports name types, never
    show their codes; 未分类 (no type) and an unknown code are translated as they are."""
    labels = {t.code: t.label for t in ViolationType.objects.all()}
    return [(labels.get(code) or _(code), count) for code, count in counts]


def correction_list(complaint, limit: int = 20) -> list:
    """The complaint's corrections, each with old_shown and new_shown: a type or department corrected is named (in the
    reader's language), never shown by its stored code."""
    rows = list(complaint.corrections.select_related("actor")[:limit])
    names = {CorrectionField.TYPE: {t.code: t.label for t in ViolationType.objects.all()},
             CorrectionField.DEPARTMENT: {d.code: d.label for d in Department.objects.all()}}
    for row in rows:
        lookup = names.get(row.field, {})
        row.old_shown = lookup.get(row.old_value, row.old_value)
        row.new_shown = lookup.get(row.new_value, row.new_value)
    return rows
