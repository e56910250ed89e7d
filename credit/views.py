"""Pages of the credit app: thin, over credit.selectors (reads) and credit.services (writes).

Duty checks (物业履职检查) for the bureau and the company, the company's own area (本企业履职与信用),
the company ranking and each company's credit page for the bureau and the housing bureau, the joint
credit-punishment list (联合信用惩戒名单) and disputes (异议). A refused write changes nothing and shows
the page again with the reason and what the user typed."""
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.policy import may
from cases.forms import errors_text
from cases.models import EnforcementCase
from core.downloads import file_response
from core.errors import ApplicationError, message_for_reader
from core.exports import export_response
from credit import exports, selectors, services
from credit.choices import DisputeStatus, DutyOutcome
from credit.forms import (
    DUTIES,
    AttachmentForm,
    DisputeDecisionForm,
    DisputeForm,
    DutyAnswerForm,
    DutyCheckFilter,
    DutyDecisionForm,
    ListingRemoveForm,
)
from credit.models import CreditDispute, CreditPolicy, CreditRecord, DutyCheck, DutyCheckAttachment, PunishmentListing
from intake.choices import Channel
from intake.models import Complaint
from registry import selectors as registry_selectors

PAGE_SIZE = 30


def _message(exc) -> str:
    return message_for_reader(exc)


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return query.urlencode()


def _is_company(user) -> bool:
    return may(user, policy.CREDIT_MINE)


def _render(request, template, context, status=200):
    return render(request, template, context, status=status)


def _require_all_credit(user):
    if not may(user, policy.CREDIT_OVERVIEW):
        raise PermissionDenied


def _span(delta: timedelta) -> str:
    days, seconds = delta.days, delta.seconds
    hours = seconds // 3600
    if days and not hours:
        return _("%(days)d天") % {"days": days}
    if days:
        return _("%(days)d天%(hours)d小时") % {"days": days, "hours": hours}
    return _("%(hours)d小时%(minutes)d分钟") % {"hours": hours, "minutes": (seconds % 3600) // 60}


# --- duty checks: the list ------------------------------------------------------------------------

@login_required
def duty_check_list(request):
    if _is_company(request.user):
        return redirect("credit:mine")
    if not may(request.user, policy.DUTY_CHECK_LIST):
        raise PermissionDenied  # departments other than the housing bureau follow no duty checks
    base = selectors.duty_checks(user=request.user)
    filterset = DutyCheckFilter(request.GET or None, queryset=base, request=request)
    checks = filterset.qs if filterset.is_valid() else base
    if (fmt := request.GET.get("export")) in {"csv", "xlsx"}:
        return export_response(fmt, "物业履职检查", checks.iterator(chunk_size=1000),
                               exports.duty_check_columns(request.user), "物业履职检查")
    today = timezone.localdate()
    context = {
        "filter": filterset,
        "page": Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page")),
        "total": checks.count(),
        "query": _query(request),
        "today": today,
        "pending_total": selectors.duty_checks(user=request.user, outcome=DutyOutcome.PENDING).count(),
        "overdue_total": selectors.duty_checks(user=request.user, answer_overdue=True).count(),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "credit/_duty_check_table.html", context)
    return _render(request, "credit/duty_check_list.html", context)


# --- duty checks: one check ------------------------------------------------------------------------

def _check_get(user, pk, action="view") -> DutyCheck:
    return selectors.duty_check_get(user=user, pk=pk, action=action)


def _visible_cases(user, *pks) -> set[int]:
    """Which of these cases the user may open (a company sees none: its checks come through these pages)."""
    wanted = [pk for pk in pks if pk]
    if not wanted:
        return set()
    return set(EnforcementCase.objects.restrict(user, "view").filter(pk__in=wanted).values_list("pk", flat=True))


def _first_complaint(check):
    """The earliest complaint of the owner's case other than the company's own report: the moment the
    violation reached the bureau, against which a prior report counts."""
    return (Complaint.objects.filter(case_id=check.case_id).exclude(channel=Channel.PROPERTY_REPORT)
            .order_by("received_at").first())


def _render_check(request, check, *, bound=None, error="", status=200):
    user, bound = request.user, dict(bound or {})
    today = timezone.localdate()
    pending = check.outcome == DutyOutcome.PENDING
    answerable = selectors.can_answer(user, check)
    own_company = _is_company(user) and user.property_company_id == check.company_id
    first = _first_complaint(check)
    report_lead = None
    if check.prior_report_id and first is not None and check.prior_report.received_at <= first.received_at:
        report_lead = _span(first.received_at - check.prior_report.received_at)
    visible_cases = _visible_cases(user, check.case_id, check.negligence_case_id)
    visible_report = bool(check.prior_report_id) and Complaint.objects.restrict(user, "view").filter(
        pk=check.prior_report_id).exists()
    filed = check.case.transitions.filter(action="file").order_by("at").first()
    context = {
        "check": check,
        "duties": [{"name": name, "label": label, "help": help_text, "value": getattr(check, name)}
                   for name, label, help_text in DUTIES],
        "attachments": check.attachments.restrict(user, "view").select_related("uploaded_by"),
        "first_complaint": first,
        "filed": filed,
        "report_lead": report_lead,
        "case_visible": check.case_id in visible_cases,
        "negligence_visible": check.negligence_case_id in visible_cases,
        "report_visible": visible_report,
        "pending": pending,
        "late": pending and check.answered_at is None and today > check.answer_due,
        "can_answer": answerable,
        "answer_closed": own_company and pending and today > check.answer_due,
        "can_decide": selectors.can_decide(user, check),
        "can_attach": selectors.can_attach(user, check),
        "answer_form": bound.pop("answer", None) or DutyAnswerForm(initial=_answer_initial(check)),
        "decide_form": bound.pop("decide", None) or DutyDecisionForm(check=check),
        "attach_form": bound.pop("attach", None) or AttachmentForm(),
        "open_key": next(iter(bound), ""),
        "error": error,
        "today": today,
        "records": CreditRecord.objects.restrict(user, "view").filter(duty_check=check)
        .select_related("rule", "project_manager", "case"),
    }
    return _render(request, "credit/duty_check_detail.html", context, status=status)


def _answer_initial(check) -> dict:
    """An amendment starts from what the company said before."""
    initial = {name: {True: "true", False: "false"}.get(getattr(check, name), "") for name, _l, _h in DUTIES}
    if check.answered_at:
        initial["statement"] = check.statement
    return initial


@login_required
def duty_check_detail(request, pk):
    return _render_check(request, _check_get(request.user, pk))


def _refused(request, pk, key, form, exc=None):
    check = _check_get(request.user, pk)
    error = _message(exc) if exc is not None else errors_text(form)
    return _render_check(request, check, bound={key: form}, error=error, status=400)


@login_required
@require_POST
def duty_check_answer(request, pk):
    if not may(request.user, policy.DUTY_CHECK_ANSWER):
        raise PermissionDenied  # the bureau decides; only the company answers
    check = _check_get(request.user, pk, "answer")
    form = DutyAnswerForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, pk, "answer", form)
    try:
        services.duty_check_answer(check=check, actor=request.user, **form.service_kwargs())
    except (ApplicationError, ValidationError) as exc:
        return _refused(request, pk, "answer", form, exc)
    messages.success(request, _("情况说明已提交，等待执法部门认定"))
    return redirect("credit:duty-check", pk=pk)


@login_required
@require_POST
def duty_check_decide(request, pk):
    check = _check_get(request.user, pk)
    if not may(request.user, policy.DUTY_CHECK_DECIDE, check):
        raise PermissionDenied  # street staff and the housing bureau follow checks; they do not decide them
    form = DutyDecisionForm(request.POST, check=check)
    if not form.is_valid():
        return _refused(request, pk, "decide", form)
    data = form.service_kwargs()
    try:
        check = services.duty_check_decide(check=check, actor=request.user, outcome=data.pop("outcome"),
                                           reasons=data.pop("reasons"), failure_rule=data.pop("failure_rule"),
                                           **data)
    except (ApplicationError, ValidationError) as exc:
        return _refused(request, pk, "decide", form, exc)
    if check.outcome == DutyOutcome.FAILED and check.negligence_case_id:
        messages.success(request, _("已认定未履职，已立物业未履职案件 %(number)s") % {
            "number": check.negligence_case.number})
    else:
        messages.success(request, _("已认定：%(outcome)s") % {"outcome": check.get_outcome_display()})
    return redirect("credit:duty-check", pk=pk)


@login_required
@require_POST
def duty_check_attach(request, pk):
    check = _check_get(request.user, pk)
    if not (may(request.user, policy.DUTY_CHECK_ANSWER, check) or may(request.user, policy.DUTY_CHECK_DECIDE, check)):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, pk, "attach", form)
    try:
        services.duty_check_attach(check=check, actor=request.user, upload=form.cleaned_data["file"],
                                   description=form.cleaned_data["description"])
    except (ApplicationError, ValidationError) as exc:
        return _refused(request, pk, "attach", form, exc)
    messages.success(request, _("材料已上传"))
    return redirect(reverse("credit:duty-check", args=[pk]) + "#files")


@login_required
def duty_check_file(request, pk):
    """Attachments reach the browser only through here, after the scope check; never from MEDIA_URL."""
    attachment = get_object_or_404(DutyCheckAttachment.objects.restrict(request.user, "view"), pk=pk)
    inline = attachment.content_type.startswith("image/") and not request.GET.get("download")
    return file_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type,
                         inline=inline)


# --- the company's own area ------------------------------------------------------------------------

def _policy_context(company, points):
    policy = CreditPolicy.current()
    share = min(100, round(100 * points / policy.threshold)) if policy.threshold else 0
    return {"policy": policy, "points": points, "share": share,
            "window_start": selectors.window_start(policy=policy)}


def _rank_of(user, company) -> tuple[int | None, int]:
    """The company's place among all companies (1 = most points) and how many were ranked: numbers only,
    so a company learns where it stands and nothing about the others."""
    for row in selectors.company_ranking(user=user):
        if row["company_id"] == company.pk:
            return row["rank"], row["of"]
    return None, 0


def _ledger_rows(user, company, *, bound=None):
    """The ledger, each record knowing whether it was corrected, whether the user may open its case, and
    (for the company) whether it may still be disputed, with the form (kept when it was refused)."""
    bound = bound or {}
    rows = list(selectors.ledger(user=user, company=company))
    corrected = {r.reverses_id for r in rows if r.reverses_id}
    visible = _visible_cases(user, *{r.case_id for r in rows})
    is_company = _is_company(user)
    for record in rows:
        record.is_corrected = record.pk in corrected
        record.case_visible = record.case_id in visible
        disputes_ = list(record.disputes.all())
        record.open_dispute = next((d for d in disputes_ if d.status == DisputeStatus.LODGED), None)
        record.dispute_due = selectors.dispute_due(record) if is_company and record.reverses_id is None else None
        record.may_dispute = is_company and selectors.can_dispute(user, record)
        record.dispute_form = bound.get(record.pk) or DisputeForm(record=record)
    return rows


def _render_mine(request, *, bound=None, error="", error_record=None, status=200):
    user = request.user
    company = user.property_company
    checks = selectors.duty_checks(user=user)
    points = selectors.company_points(company)
    rank, ranked = _rank_of(user, company)
    reports = (Complaint.objects.restrict(user, "view").filter(channel=Channel.PROPERTY_REPORT)
               .select_related("community", "violation_type").order_by("-received_at"))
    ledger = _ledger_rows(user, company, bound=bound)
    today = timezone.localdate()
    open_checks = list(checks.filter(outcome=DutyOutcome.PENDING).order_by("answer_due", "pk"))
    context = {
        "company": company,
        "communities": registry_selectors.community_list(user=user),
        "reports": reports[:10],
        "reports_total": reports.count(),
        "open_checks": open_checks,
        "awaiting_answer": sum(1 for c in open_checks if c.answered_at is None and c.answer_due >= today),
        "decided_checks": checks.exclude(outcome=DutyOutcome.PENDING).order_by("-decided_at")[:20],
        "ledger": ledger,
        "rank": rank, "ranked": ranked,
        "listing": selectors.open_listings(user=user).filter(company=company).first(),
        "disputes": selectors.disputes(user=user)[:20],
        "error": error, "error_record": error_record,
        # a refusal is shown in the record's own form when that is still on the page, else at the top
        "error_inline": error_record is not None and any(r.pk == error_record.pk and r.may_dispute for r in ledger),
        "today": today,
        **_policy_context(company, points),
    }
    return _render(request, "credit/mine.html", context, status=status)


@login_required
def mine(request):
    if not _is_company(request.user) or not request.user.property_company_id:
        if may(request.user, policy.CREDIT_OVERVIEW):
            return redirect("credit:ranking")
        raise PermissionDenied
    return _render_mine(request)


@login_required
@require_POST
def dispute_lodge(request, pk):
    if not may(request.user, policy.CREDIT_DISPUTE):
        raise PermissionDenied
    record = get_object_or_404(CreditRecord.objects.restrict(request.user, "dispute"), pk=pk)
    form = DisputeForm(request.POST, record=record)
    error = "" if form.is_valid() else errors_text(form)
    if not error:
        try:
            services.credit_dispute_lodge(record=record, actor=request.user, reason=form.cleaned_data["reason"])
        except (ApplicationError, ValidationError) as exc:
            error = _message(exc)
    if error:
        return _render_mine(request, bound={record.pk: form}, error=error, error_record=record, status=400)
    messages.success(request, _("异议已提交，将在处理期限内答复"))
    return redirect(reverse("credit:mine") + "#disputes")


# --- the company ranking and each company's credit page --------------------------------------------

RANKING_SORTS = {
    "rank": lambda r: (r["rank"], r["name"]),
    "points": lambda r: (r["points"], r["name"]),
    "failed": lambda r: (r["failed_checks"], r["checks"]),
    "rate": lambda r: (r["complaints_per_1000_households"] is not None, r["complaints_per_1000_households"] or 0),
    "households": lambda r: (r["households"] or 0,),
    "complaints": lambda r: (r["complaints"],),
    "name": lambda r: (r["name"],),
}

def _sorted(rows, sort: str):
    key = sort.lstrip("-")
    if key not in RANKING_SORTS:
        return rows, "rank"
    return sorted(rows, key=RANKING_SORTS[key], reverse=sort.startswith("-")), sort


@login_required
def ranking(request):
    if _is_company(request.user):
        return redirect("credit:mine")
    _require_all_credit(request.user)
    rows = selectors.company_ranking(user=request.user)
    q = (request.GET.get("q") or "").strip()
    listed_only = request.GET.get("listed") == "1"
    shown = [r for r in rows if (not q or q in r["name"]) and (not listed_only or r["listed"])]
    shown, sort = _sorted(shown, request.GET.get("sort") or "rank")
    if (fmt := request.GET.get("export")) in {"csv", "xlsx"}:
        return export_response(fmt, "物业企业信用排名", shown, exports.ranking_columns(), "物业企业信用排名")
    top = [r for r in rows if r["points"] > 0][:10]  # rows come ranked: most points first
    policy = CreditPolicy.current()
    chart = {
        "names": [r["name"] for r in reversed(top)],
        "points": [r["points"] for r in reversed(top)],
        "listed": [r["listed"] for r in reversed(top)],
        "threshold": policy.threshold,
    }
    query = request.GET.copy()
    for key in ("sort", "page", "export"):
        query.pop(key, None)
    return _render(request, "credit/ranking.html", {
        "page": Paginator(shown, 50).get_page(request.GET.get("page")),
        "total": len(shown),
        "companies_total": len(rows),
        "sort": sort,
        "q": q, "listed_only": listed_only,
        "query": _query(request),
        "filter_query": query.urlencode(),
        "chart": chart,
        "policy": policy,
        "listed_total": sum(1 for r in rows if r["listed"]),
        "points_total": sum(r["points"] for r in rows),
        "failed_total": sum(r["failed_checks"] for r in rows),
    })


@login_required
def company_credit(request, pk):
    if _is_company(request.user):
        registry_selectors.company_get(user=request.user, pk=pk)  # any other company: 404
        return redirect("credit:mine")  # its own
    _require_all_credit(request.user)
    # Whoever sees the ranking may open every company in it (credit_q), not only those of its streets
    # (the registry's scope): an officer's ranking linked to companies that answered 404.
    company = get_object_or_404(selectors.visible_companies(request.user), pk=pk)
    user = request.user
    points = selectors.company_points(company)
    rank, ranked = _rank_of(user, company)
    checks = selectors.duty_checks(user=user, company=company)
    managers = [{"manager": m, "points": selectors.manager_points(m)}
                for m in company.managers.restrict(user, "view")]
    return _render(request, "credit/company.html", {
        "company": company,
        "rank": rank, "ranked": ranked,
        "managers": managers,
        "ledger": _ledger_rows(user, company),
        "checks": checks[:50],
        "checks_total": checks.count(),
        "failed_total": checks.filter(outcome=DutyOutcome.FAILED).count(),
        "listings": PunishmentListing.objects.restrict(user, "view").filter(company=company),
        "disputes": selectors.disputes(user=user).filter(record__company=company),
        "can_decide": may(user, policy.CREDIT_DECIDE),
        "today": timezone.localdate(),
        **_policy_context(company, points),
    })


# --- the joint credit-punishment list, disputes ----------------------------------------------------

def _render_listings(request, *, bound=None, error="", error_pk=None, status=200):
    user = request.user
    show = "all" if request.GET.get("show") == "all" else "open"
    listings_ = (selectors.open_listings(user=user) if show == "open"
                 else PunishmentListing.objects.restrict(user, "view").select_related("company")
                 .order_by("removed_on", "-listed_on", "-pk"))
    if (fmt := request.GET.get("export")) in {"csv", "xlsx"}:
        return export_response(fmt, "联合信用惩戒名单", listings_, exports.LISTING_COLUMNS, "联合信用惩戒名单")
    page = Paginator(listings_, PAGE_SIZE).get_page(request.GET.get("page"))
    bound = bound or {}
    for listing in page:
        listing.remove_form = bound.get(listing.pk) or ListingRemoveForm(listing=listing)
    return _render(request, "credit/listings.html", {
        "page": page, "show": show, "query": _query(request),
        "open_total": selectors.open_listings(user=user).count(),
        "can_decide": may(user, policy.CREDIT_DECIDE), "error": error, "error_pk": error_pk,
        "policy": CreditPolicy.current(),
    }, status=status)


@login_required
def listings(request):
    if _is_company(request.user):
        return redirect("credit:mine")
    _require_all_credit(request.user)
    return _render_listings(request)


@login_required
@require_POST
def listing_remove(request, pk):
    if not may(request.user, policy.CREDIT_DECIDE):
        raise PermissionDenied
    listing = get_object_or_404(PunishmentListing.objects.restrict(request.user, "decide"), pk=pk)
    form = ListingRemoveForm(request.POST, listing=listing)
    error = "" if form.is_valid() else errors_text(form)
    if not error:
        try:
            services.listing_remove(listing=listing, actor=request.user, reason=form.cleaned_data["reason"])
        except (ApplicationError, ValidationError) as exc:
            error = _message(exc)
    if error:
        return _render_listings(request, bound={pk: form}, error=error, error_pk=pk, status=400)
    messages.success(request, _("已将 %(company)s 移出联合信用惩戒名单") % {"company": listing.company.name})
    return redirect("credit:listings")


def _render_disputes(request, *, bound=None, error="", error_pk=None, status=200):
    user = request.user
    show = "all" if request.GET.get("show") == "all" else "pending"
    disputes_ = selectors.disputes(user=user)
    if show == "pending":
        disputes_ = disputes_.filter(status=DisputeStatus.LODGED).order_by("decide_due", "pk")
    page = Paginator(disputes_, PAGE_SIZE).get_page(request.GET.get("page"))
    visible = _visible_cases(user, *{d.record.case_id for d in page})
    bound = bound or {}
    for dispute in page:
        dispute.case_visible = dispute.record.case_id in visible
        dispute.decide_form = bound.get(dispute.pk) or DisputeDecisionForm(dispute=dispute)
    return _render(request, "credit/disputes.html", {
        "page": page, "show": show, "query": _query(request),
        "pending_total": selectors.disputes(user=user, status=DisputeStatus.LODGED).count(),
        "can_decide": may(user, policy.CREDIT_DECIDE), "error": error, "error_pk": error_pk,
        "today": timezone.localdate(),
    }, status=status)


@login_required
def disputes(request):
    if _is_company(request.user):
        return redirect(reverse("credit:mine") + "#disputes")
    _require_all_credit(request.user)
    return _render_disputes(request)


@login_required
@require_POST
def dispute_decide(request, pk):
    if not may(request.user, policy.CREDIT_DECIDE):
        raise PermissionDenied
    dispute = get_object_or_404(CreditDispute.objects.restrict(request.user, "decide"), pk=pk)
    form = DisputeDecisionForm(request.POST, dispute=dispute)
    error = "" if form.is_valid() else errors_text(form)
    if not error:
        try:
            services.credit_dispute_decide(dispute=dispute, actor=request.user, upheld=form.cleaned_data["upheld"],
                                           decision=form.cleaned_data["decision"])
        except (ApplicationError, ValidationError) as exc:
            error = _message(exc)
    if error:
        return _render_disputes(request, bound={pk: form}, error=error, error_pk=pk, status=400)
    done = _("异议成立，记分已修正") if form.cleaned_data["upheld"] else _("异议不成立，记分维持")
    messages.success(request, done)
    return redirect("credit:disputes")


# --- notifications (home page) --------------------------------------------------------------------

@login_required
@require_POST
def notification_dismiss(request, pk):
    """Dismiss one of the user's notifications; htmx swaps the item away, a plain post goes home."""
    from accounts import selectors as account_selectors
    from accounts import services as account_services

    notification = get_object_or_404(account_selectors.notifications_for(request.user, unread_only=False), pk=pk)
    account_services.notification_dismiss(notification=notification, user=request.user)
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    return redirect("home")

