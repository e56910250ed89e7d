"""Case pages: the list, the case with only the moves that are legal now, the officer's day, the
supervisor's board and the department's inbox. Views are thin: selectors read, services decide.

A refused write changes nothing and re-renders the page with the message and with everything the
user typed, so no input is lost (files excepted: browsers cannot pre-fill a file input)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.policy import may
from cases import documents, fines, referrals, rules, selectors, services, workflow
from cases.choices import REFERRAL_ENDED, CaseState, DocumentKind, ReferralStatus, SupervisionStatus
from cases.forms import (
    AssignForm,
    CaseFilter,
    ClaimForm,
    CoOfficerForm,
    DocumentForm,
    EvidenceForm,
    HotlineReplyForm,
    InProgressForm,
    MoveForm,
    PartyForm,
    PaymentForm,
    ReCheckFilterForm,
    ReCheckForm,
    ReferralAnswerForm,
    ReferralReturnForm,
    SupervisionForm,
    SupervisionResponseForm,
    errors_text,
)
from core.downloads import bytes_response, file_response
from core.errors import ApplicationError, message_for_reader
from core.exports import export_or_job
from core.paging import page_of
from intake import hotline
from registry import selectors as registry_selectors

PAGE_SIZE = 30
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _refuse_property(user):
    if not may(user, policy.CASE_LIST):
        raise PermissionDenied




# --- the list ----------------------------------------------------------------------------------

@login_required
def case_list(request):
    _refuse_property(request.user)
    base = selectors.case_list(user=request.user)
    filterset = CaseFilter(request.GET or None, queryset=base, request=request)
    cases = filterset.qs if filterset.is_valid() else base
    if (fmt := request.GET.get("export")) in {"csv", "xlsx"}:
        return export_or_job(request, "cases", fmt)  # cases.exports.case_export; large ones in the background
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": (page := page_of(cases, request, PAGE_SIZE)),
        "total": page.paginator.count,
        "query": query.urlencode(),
        "overdue_total": selectors.overdue(base).count(),
        "soon_total": selectors.due_soon(base).count(),
        "community": registry_selectors.community_named(user=request.user, value=request.GET.get("community")),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "cases/_case_table.html", context)
    return render(request, "cases/case_list.html", context)


# --- the case page -----------------------------------------------------------------------------

def _typed(form) -> list[tuple[str, str]]:
    """What the user typed into a form, as (label, text), to show when the form itself cannot be shown."""
    out = []
    for name, field in form.fields.items():
        if field.widget.is_hidden or name == "files" or name == "file":
            continue
        values = form.data.getlist(name) if hasattr(form.data, "getlist") else [form.data.get(name)]
        labels = {str(k): str(v) for k, v in getattr(field, "choices", ())}
        text = "、".join(labels.get(str(v), str(v)) for v in values if v)
        if text:
            out.append((str(field.label), text))
    return out


def _may_answer(user, order, can_change: bool) -> bool:
    """The case's officer answers 督办 (any officer of the street while the case has none)."""
    return can_change and order.status == SupervisionStatus.OPEN and may(user, policy.SUPERVISION_RESPOND, order)


def _render_case(request, case, *, bound=None, error="", stale=False, status=200):
    """The case page; `bound` holds the forms the user just submitted (key → bound form) to show again."""
    user, bound = request.user, dict(bound or {})
    open_key = next(iter(bound), "")
    for form in bound.values():   # nothing changed: the next try goes against the version shown now
        if "version" in form.fields:
            form.data = form.data.copy()
            form.data["version"] = str(case.version)
    can_change = selectors.can_change(user, case)
    moves = services.available_moves(case, user) if can_change else []
    move_forms = [bound.pop(f"move:{m.action}", None)
                  or MoveForm(move=m, case=case, user=user, initial={"version": case.version}) for m in moves]
    supervisions = list(selectors.supervision_list(user, case))
    for order in supervisions:
        order.may_answer = _may_answer(user, order, can_change)
        order.form = bound.pop(f"respond:{order.pk}", None) or SupervisionResponseForm(
            auto_id=f"id_respond{order.pk}_%s")
    options = selectors.handling_options(user, case, can_change)
    initial = {"version": case.version}
    is_supervisor = may(user, policy.CASE_SUPERVISE)
    handler = can_change and may(user, policy.CASE_HANDLE)
    issuable = selectors.document_kinds(case) if handler else []
    document_forms = [bound.pop(f"doc:{kind}", None) or DocumentForm(kind=kind, case=case, user=user)
                      for kind in issuable]
    fine_rows = list(selectors.fine_list(user, case))
    for fine in fine_rows:
        fine.payment_form = (bound.pop(f"pay:{fine.pk}", None) or PaymentForm(fine=fine)) \
            if handler and case.state != CaseState.CLOSED else None
        # 生效 comes when the review and lawsuit periods have passed, often after closing: offered while not final
        fine.may_make_final = handler and not fine.is_final and fine.document_id is not None
        fine.awaits_decision = (handler and not fine.is_final and fine.document_id is None
                                and DocumentKind.PENALTY_DECISION in issuable)
    complaints = selectors.linked_complaints(user, case)
    related = selectors.related_records(user, case)
    for complaint in complaints:
        complaint.reply_key = f"reply:{complaint.pk}"
        complaint.reply_form = (bound.pop(f"reply:{complaint.pk}", None) or HotlineReplyForm(complaint=complaint)) \
            if complaint.can_reply else None
    context = {
        "case": case,
        "due_flag": selectors.due_flag(case.state, case.state_due),
        "measure_labels": selectors.measure_labels(case.measures),
        "can_change": can_change,
        "handler": handler,   # parties, evidence, documents, fines: those who run cases (a legal reviewer reads)
        "move_forms": move_forms,
        "assign_form": (bound.pop("assign", None) or AssignForm(case=case, initial=initial))
        if options["assign"] else None,
        "claim_form": (bound.pop("claim", None) or ClaimForm(initial=initial)) if options["claim"] else None,
        "co_officer_form": (bound.pop("co_officer", None) or CoOfficerForm(case=case, initial=initial))
        if options["co_officer"] else None,
        "in_progress_form": (bound.pop("in_progress", None) or InProgressForm(case=case))
        if options["in_progress"] else None,
        "tracks_in_progress": rules.tracks_in_progress(case.violation_type.code),
        "timeline": selectors.timeline(case),
        "parties": selectors.parties(user, case),
        "party_form": bound.pop("party", None) or PartyForm(),
        "evidence": selectors.evidence_list(user, case),
        "evidence_form": bound.pop("evidence", None) or EvidenceForm(),
        "documents": selectors.document_list(user, case),
        "document_forms": document_forms,
        "fines": fine_rows,
        "final_gives_credit": selectors.fine_final_gives_credit(case),
        "procedure": selectors.procedure_view(user, case),
        "supervisions": supervisions,
        "can_supervise": is_supervisor,
        "supervision_form": bound.pop("supervise", None) or SupervisionForm(auto_id="id_supervise_%s"),
        "complaints": complaints,
        "rechecks": selectors.case_rechecks(user, case),
        "reopened_from": selectors.case_list(user=user).filter(pk=case.reopened_from_id).first()
        if case.reopened_from_id else None,
        "repeat": selectors.repeat_offences(user, case),
        "repeat_rule": rules.rule_of(case) != rules.MEASURE_RULES.get(case.violation_type.code, {}),
        "referrals": selectors.referral_list(user, case),
        "related": related,
        # whether the companies' credit pages open for the user (the credit app's rule, through cases.hooks)
        "company_credit_pages": related.get("company_credit_pages", False),
        "error": error,
        "stale": stale,
        "kept": [row for form in bound.values() for row in _typed(form)],  # forms no longer on the page
        "open_key": open_key,
        "today": timezone.localdate(),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_detail(request, pk):
    case = selectors.case_get(user=request.user, pk=pk)
    return _render_case(request, case)


def _refused(request, pk, key, form, exc=None):
    """Re-render the case as it is now, with the submitted form and the reason it was refused."""
    case = selectors.case_get(user=request.user, pk=pk)
    stale = isinstance(exc, services.StaleCase)
    error = message_for_reader(exc) if exc is not None else errors_text(form)
    return _render_case(request, case, bound={key: form}, error=error, stale=stale, status=409 if stale else 400)


@login_required
@require_POST
def case_move(request, pk, action):
    case = selectors.case_get(user=request.user, pk=pk, action="change")
    move = workflow.find(case.state, action) or next((m for m in workflow.MOVES if m.action == action), None)
    if move is None:
        raise Http404
    form = MoveForm(request.POST, request.FILES, move=move, case=case, user=request.user)
    key = f"move:{action}"
    if not form.is_valid():
        return _refused(request, pk, key, form)
    try:
        case = services.case_transition(case=case, action=action, actor=request.user,
                                        version=form.cleaned_data["version"], **form.service_kwargs())
    except ApplicationError as exc:
        return _refused(request, pk, key, form, exc)
    messages.success(request, done_message(move, case.state))  # what happened, as the workflow table says
    if "schedule_rechecks" in move.effects:
        days = [r.due.isoformat() for r in case.rechecks.filter(closed_at=case.closed_at)]
        if days:
            messages.info(request, _("已安排回头看：%(days)s") % {"days": "、".join(days)})
    return redirect("cases:detail", pk=pk)


def done_message(move, state) -> str:
    """What the move did (the workflow table's `done`) and where the case now is."""
    label = CaseState(state).label
    if move.records_only:
        return _("%(done)s（案件仍处于“%(state)s”阶段）") % {"done": move.done or move.label, "state": label}
    return _("%(done)s（案件现处于“%(state)s”阶段）") % {"done": move.done or move.label, "state": label}


# --- who handles the case, 正在搭建 -------------------------------------------------------------

@login_required
@require_POST
def case_assign(request, pk):
    """指派 / 改派 by a supervisor."""
    case = selectors.case_get(user=request.user, pk=pk, action="change")
    if not (may(request.user, policy.CASE_ASSIGN) or may(request.user, policy.CASE_CLAIM)):
        raise PermissionDenied   # a legal reviewer reads the district's cases and assigns none
    form = AssignForm(request.POST, case=case)
    if not form.is_valid():
        return _refused(request, pk, "assign", form)
    try:
        case = services.case_assign(case=case, officer=form.cleaned_data["officer"], actor=request.user,
                                    reason=form.cleaned_data["reason"], version=form.cleaned_data["version"])
    except ApplicationError as exc:
        return _refused(request, pk, "assign", form, exc)
    messages.success(request, _("已指派承办队员：%(officer)s") % {"officer": case.officer})
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_claim(request, pk):
    """认领 by an officer of the case's street."""
    case = selectors.case_get(user=request.user, pk=pk, action="change")
    if not (may(request.user, policy.CASE_ASSIGN) or may(request.user, policy.CASE_CLAIM)):
        raise PermissionDenied
    form = ClaimForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, "claim", form)
    try:
        services.case_assign(case=case, officer=request.user, actor=request.user,
                             version=form.cleaned_data["version"])
    except ApplicationError as exc:
        return _refused(request, pk, "claim", form, exc)
    messages.success(request, _("已认领，本案由您承办"))
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_co_officer(request, pk):
    """协办队员 (行政处罚法 §42), named by a supervisor or the case's own officer."""
    case = selectors.case_get(user=request.user, pk=pk, action="change")
    _require_handler(request.user)
    form = CoOfficerForm(request.POST, case=case)
    if not form.is_valid():
        return _refused(request, pk, "co_officer", form)
    try:
        case = services.case_set_co_officer(case=case, co_officer=form.cleaned_data["co_officer"],
                                            actor=request.user, version=form.cleaned_data["version"])
    except ApplicationError as exc:
        return _refused(request, pk, "co_officer", form, exc)
    messages.success(request, _("已指定协办队员：%(officer)s") % {"officer": case.co_officer})
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def case_in_progress(request, pk):
    """正在搭建 or 存量, before the decision."""
    case = selectors.case_get(user=request.user, pk=pk, action="change")
    _require_handler(request.user)
    form = InProgressForm(request.POST, case=case)
    if not form.is_valid():
        return _refused(request, pk, "in_progress", form)
    try:
        case = services.case_set_in_progress(case=case, in_progress=form.cleaned_data["in_progress"],
                                             actor=request.user, reason=form.cleaned_data["reason"],
                                             version=form.cleaned_data["version"])
    except ApplicationError as exc:
        return _refused(request, pk, "in_progress", form, exc)
    messages.success(request, _("已认定为正在搭建") if case.in_progress else _("已认定为存量违建"))
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def party_add(request, pk):
    case = selectors.case_get(user=request.user, pk=pk, action="change")
    _require_handler(request.user)   # a legal reviewer reads the case and makes the review moves only
    form = PartyForm(request.POST)
    if not form.is_valid():
        return _refused(request, pk, "party", form)
    try:
        services.party_add(case=case, actor=request.user, **form.cleaned_data)
    except (ApplicationError, ValidationError) as exc:
        return _refused(request, pk, "party", form, exc)
    messages.success(request, _("已登记当事人 %(name)s") % {"name": form.cleaned_data["name"]})
    return redirect(f"{case_url(pk)}#parties")


@login_required
@require_POST
def evidence_add(request, pk):
    case = selectors.case_get(user=request.user, pk=pk, action="change")
    _require_handler(request.user)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, pk, "evidence", form)
    try:
        services.evidence_add(case=case, upload=form.cleaned_data["file"], actor=request.user,
                              description=form.cleaned_data["description"])
    except ApplicationError as exc:
        return _refused(request, pk, "evidence", form, exc)
    messages.success(request, _("证据已上传"))
    return redirect(f"{case_url(pk)}#evidence")


def case_url(pk) -> str:
    from django.urls import reverse

    return reverse("cases:detail", args=[pk])


@login_required
def evidence_file(request, pk):
    """Evidence reaches the browser only through here, after the scope check; never from MEDIA_URL."""
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    inline = evidence.kind == "PHOTO" and not request.GET.get("download")
    return file_response(evidence.file, filename=evidence.original_name, content_type=evidence.content_type,
                         inline=inline)


@login_required
def document_file(request, pk):
    """A document, after the scope check and after its SHA-256 matches the one recorded at issue."""
    document = selectors.document_get(user=request.user, pk=pk)
    try:
        data = documents.document_content(document)
    except FileNotFoundError as exc:
        raise Http404 from exc
    except ApplicationError as exc:
        return HttpResponse(message_for_reader(exc), status=409, content_type="text/plain; charset=utf-8")
    return bytes_response(data, filename=f"{document.number}.docx", content_type=DOCX)


# --- documents, fines, 12345 replies -----------------------------------------------------------

def _require_handler(user):
    if not may(user, policy.CASE_HANDLE):
        raise PermissionDenied


@login_required
@require_POST
def document_issue(request, pk, kind):
    _require_handler(request.user)
    case = selectors.case_get(user=request.user, pk=pk, action="change")
    if kind not in DocumentKind.values:
        raise Http404
    form = DocumentForm(request.POST, kind=kind, case=case, user=request.user)
    key = f"doc:{kind}"
    if not form.is_valid():
        return _refused(request, pk, key, form)
    extra = form.extra()
    if kind == DocumentKind.REFERRAL_LETTER:
        department = extra.get("department") or case.referred_to
        referral = (case.referrals.filter(department=department, letter__isnull=True)
                    .exclude(status__in=REFERRAL_ENDED).order_by("-created_at").first())
        if referral is not None:
            extra["referral"] = referral
    try:
        document = documents.document_issue(case=case, kind=kind, actor=request.user, extra=extra)
    except ApplicationError as exc:
        return _refused(request, pk, key, form, exc)
    messages.success(request, _("已出具%(kind)s %(number)s") % {"kind": document.get_kind_display(),
                                                                "number": document.number})
    return redirect(f"{case_url(pk)}#documents")


@login_required
@require_POST
def fine_impose(request, pk):
    """Gone with the penalty procedure (cases.workflow): a fine is the approved proposal's, made by `approve`; the
    service says so."""
    _require_handler(request.user)
    case = selectors.case_get(user=request.user, pk=pk, action="change")
    error = ""
    try:
        fines.fine_impose(case=case, amount=request.POST.get("amount"), actor=request.user)
    except ApplicationError as exc:
        error = message_for_reader(exc)
    return _render_case(request, case, error=error, status=400)


@login_required
@require_POST
def fine_payment(request, pk):
    _require_handler(request.user)
    fine = selectors.fine_get(user=request.user, pk=pk, action="change")
    form = PaymentForm(request.POST, fine=fine)
    key = f"pay:{pk}"
    if not form.is_valid():
        return _refused(request, fine.case_id, key, form)
    try:
        fines.fine_record_payment(fine=fine, actor=request.user, status=form.cleaned_data["status"],
                                  paid_at=form.cleaned_data["paid_at"])
    except ApplicationError as exc:
        return _refused(request, fine.case_id, key, form, exc)
    messages.success(request, _("缴纳状态已更新"))
    return redirect(f"{case_url(fine.case_id)}#fines")


@login_required
@require_POST
def fine_final(request, pk):
    """处罚决定生效: the review and lawsuit periods have passed, or review or the court upheld the decision.
    On a property company's negligence case the credit app then puts its points on the company."""
    _require_handler(request.user)
    fine = selectors.fine_get(user=request.user, pk=pk, action="change")
    try:
        fines.fine_make_final(fine=fine, actor=request.user)
    except ApplicationError as exc:
        case = selectors.case_get(user=request.user, pk=fine.case_id)
        return _render_case(request, case, error=message_for_reader(exc), status=400)
    messages.success(request, _("罚款 ¥%(amount)s 的处罚决定已生效") % {"amount": f"{fine.amount:,.2f}"})
    return redirect(f"{case_url(fine.case_id)}#fines")


@login_required
@require_POST
def hotline_reply(request, complaint_pk):
    """答复 of a 12345 work order, from the page of the case it belongs to."""
    from intake.models import Complaint

    complaint = get_object_or_404(Complaint.objects.restrict(request.user, "change").filter(case__isnull=False),
                                  pk=complaint_pk)
    selectors.case_get(user=request.user, pk=complaint.case_id)  # the case page must be the user's too
    form = HotlineReplyForm(request.POST, complaint=complaint)
    key = f"reply:{complaint_pk}"
    if not form.is_valid():
        return _refused(request, complaint.case_id, key, form)
    try:
        hotline.reply_record(complaint=complaint, actor=request.user, **form.cleaned_data)
    except ApplicationError as exc:
        return _refused(request, complaint.case_id, key, form, exc)
    messages.success(request, _("已答复工单 %(number)s") % {"number": complaint})
    return redirect(f"{case_url(complaint.case_id)}#complaints")


# --- opening a case from a complaint ---------------------------------------------------------

@login_required
@require_POST
def open_from_complaint(request, complaint_pk):
    from intake.models import Complaint

    if not may(request.user, policy.COMPLAINT_TRIAGE):
        raise PermissionDenied  # street staff triage: the service refuses them the case, with its message
    complaint = get_object_or_404(Complaint.objects.restrict(request.user, "change"), pk=complaint_pk)
    try:
        case = services.case_open_from_complaint(complaint=complaint, actor=request.user)
    except ApplicationError as exc:
        messages.error(request, message_for_reader(exc))
        return redirect("intake:detail", pk=complaint_pk)
    # the case opens at 线索登记 (cases.workflow): filing (立案) is a later, confirmed step
    messages.success(request, _("已登记案件 %(number)s（线索登记），下一步：开始核查") % {"number": case.number})
    return redirect("cases:detail", pk=case.pk)


# --- supervision (督办) -------------------------------------------------------------------------

def _require_supervisor(user):
    if not may(user, policy.CASE_SUPERVISE):
        raise PermissionDenied


@login_required
@require_POST
def supervise(request, pk):
    _require_supervisor(request.user)
    case = selectors.case_get(user=request.user, pk=pk)
    from_board = request.POST.get("next") == "board"
    form = SupervisionForm(request.POST, auto_id=f"id_supervise{pk}_%s" if from_board else "id_supervise_%s")
    error = None
    if form.is_valid():
        try:
            services.supervision_issue(case=case, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            error = message_for_reader(exc)
    else:
        error = errors_text(form)
    if error is None:
        messages.success(request, _("已督办 %(number)s") % {"number": case.number})
        return redirect("cases:board") if from_board else redirect(f"{case_url(pk)}#supervision")
    if from_board:
        return _render_board(request, bound={pk: form}, error=error, status=400)
    return _render_case(request, case, bound={"supervise": form}, error=error, status=400)


@login_required
@require_POST
def supervision_respond(request, pk):
    order = selectors.supervision_get(user=request.user, pk=pk, action="change")
    if not may(request.user, policy.SUPERVISION_RESPOND, order):
        raise PermissionDenied
    form = SupervisionResponseForm(request.POST, auto_id=f"id_respond{pk}_%s")
    key = f"respond:{pk}"
    if not form.is_valid():
        return _refused(request, order.case_id, key, form)
    try:
        services.supervision_respond(order=order, actor=request.user, response=form.cleaned_data["response"])
    except ApplicationError as exc:
        return _refused(request, order.case_id, key, form, exc)
    messages.success(request, _("督办已回复"))
    return redirect(f"{case_url(order.case_id)}#supervision")


# --- the officer's day, the supervisor's board --------------------------------------------------

@login_required
def workbench(request):
    if may(request.user, policy.CASE_BOARD):
        return redirect("cases:board")
    if not may(request.user, policy.CASE_WORKBENCH):
        return redirect("cases:list")
    return render(request, "cases/workbench.html", selectors.workbench(user=request.user))


def _render_board(request, *, bound=None, error="", status=200):
    context = selectors.board(user=request.user)
    bound = bound or {}
    for case in context["overdue"]:
        case.supervise_form = bound.get(case.pk)
    context.update(error=error, default_days=SupervisionForm.base_fields["response_days"].initial)
    return render(request, "cases/board.html", context, status=status)


@login_required
def board(request):
    _require_supervisor(request.user)
    return _render_board(request)


# --- the department's inbox ------------------------------------------------------------------

def _require_department(user):
    if not may(user, policy.REFERRAL_INBOX):
        raise PermissionDenied


def _inbox_context(request, *, show="pending", bound_pk=None, forms=None, error="", done=""):
    referrals_qs = selectors.inbox(user=request.user)
    if show == "pending":
        referrals_qs = referrals_qs.filter(status__in=selectors.PENDING_REFERRAL)
    elif show == "overdue":
        referrals_qs = referrals_qs.filter(selectors.referral_overdue_q())
    page = page_of(referrals_qs, request, PAGE_SIZE)
    for referral in page:
        _attach(referral, forms if referral.pk == bound_pk else None, error if referral.pk == bound_pk else "",
                done if referral.pk == bound_pk else "")
    return {
        "page": page, "show": show, "query": f"show={show}",
        "overdue_total": selectors.inbox(user=request.user).filter(selectors.referral_overdue_q()).count(),
    }


def _attach(referral, forms=None, error="", done=""):
    """The row's forms: the bound one the user just sent (kept on error), fresh ones otherwise."""
    forms = forms or {}
    pk = referral.pk
    referral.answer_form = forms.get("answer") or ReferralAnswerForm(auto_id=f"id_answer{pk}_%s")
    referral.return_form = forms.get("return") or ReferralReturnForm(auto_id=f"id_return{pk}_%s")
    referral.open_form = next(iter(forms), "")
    referral.error, referral.done = error, done
    shown = {"answer": referral.status == ReferralStatus.SIGNED,
             "return": referral.status in selectors.PENDING_REFERRAL}
    referral.kept = [row for action, form in forms.items() if not shown.get(action) for row in _typed(form)]
    return referral


@login_required
def inbox(request):
    _require_department(request.user)
    show = request.GET.get("show") if request.GET.get("show") in {"all", "overdue"} else "pending"
    return render(request, "cases/inbox.html", _inbox_context(request, show=show))


REFERRAL_ACTIONS = {
    "sign": (None, lambda referral, actor, data: referrals.referral_sign(referral=referral, actor=actor),
             gettext_lazy("已签收")),
    "answer": (ReferralAnswerForm, lambda referral, actor, data: referrals.referral_answer(
        referral=referral, actor=actor, answer=data["answer"]), gettext_lazy("已反馈")),
    "return": (ReferralReturnForm, lambda referral, actor, data: referrals.referral_return(
        referral=referral, actor=actor, reason=data["reason"]), gettext_lazy("已退回")),
}


@login_required
@require_POST
def referral_action(request, pk, action):
    """签收, 反馈 or 退回 one referral of the user's department; others' referrals are 404."""
    _require_department(request.user)
    if action not in REFERRAL_ACTIONS:
        raise Http404
    referral = selectors.referral_get(user=request.user, pk=pk)
    form_class, act, done = REFERRAL_ACTIONS[action]
    form = form_class(request.POST, auto_id=f"id_{action}{pk}_%s") if form_class else None
    error = errors_text(form) if form is not None and not form.is_valid() else ""
    if not error:
        try:
            act(referral, request.user, form.cleaned_data if form else {})
        except ApplicationError as exc:
            error = message_for_reader(exc)
    forms = {action: form} if error and form is not None else {}
    if request.headers.get("HX-Request"):
        referral = _attach(selectors.referral_get(user=request.user, pk=pk), forms, error, "" if error else done)
        return render(request, "cases/_referral_row.html", {"r": referral})
    if not error:
        messages.success(request, done)
        return redirect("cases:inbox")
    context = _inbox_context(request, show="all", bound_pk=pk, forms=forms, error=error)
    return render(request, "cases/inbox.html", context, status=400)


@login_required
def hotline_replies_export(request):
    """The replies to 12345 work orders in the hotline's layout, for the complaints the user may see."""
    from intake.choices import Channel
    from intake.models import Complaint

    if not may(request.user, policy.COMPLAINT_TRIAGE):
        raise PermissionDenied
    complaints = Complaint.objects.restrict(request.user, "view").filter(channel=Channel.HOTLINE,
                                                                         reply__isnull=False)
    return hotline.reply_xlsx_response(complaints)


# --- 回头看 (R3.6) ---------------------------------------------------------------------------------

def _require_rechecks(user):
    if not may(user, policy.RECHECK_LIST):
        raise PermissionDenied


@login_required
def recheck_list(request):
    """回头看: the re-checks of the user's cases (the officer's, the street's, the district's), by status."""
    _require_rechecks(request.user)
    form = ReCheckFilterForm(request.GET or None)
    show, mine = "", False
    if form.is_valid():
        show, mine = form.cleaned_data["show"], form.cleaned_data["mine"]
    items = selectors.rechecks(user=request.user, show=show, mine=mine)
    page = page_of(items, request, PAGE_SIZE)
    today = timezone.localdate()
    for item in page:
        item.late = item.status == "DUE" and item.due < today
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/recheck_list.html", {
        "form": form, "page": page, "total": page.paginator.count, "query": query.urlencode(), "show": show,
        "can_record": may(request.user, policy.RECHECK_RECORD)})


def _render_recheck(request, recheck, *, form=None, error="", status=200):
    from cases.choices import ReCheckStatus

    case = recheck.case
    can_record = (recheck.status == ReCheckStatus.DUE and case.state == CaseState.CLOSED
                  and may(request.user, policy.RECHECK_RECORD, recheck))
    return render(request, "cases/recheck_detail.html", {
        "recheck": recheck, "case": case, "form": form or ReCheckForm(), "error": error, "can_record": can_record,
        "reopens": rules.check_within_90_days(case, {}) is None,
        "window": rules.reopen_window(case.violation_type).days,
        "evidence": recheck.evidence.all(), "today": timezone.localdate()}, status=status)


@login_required
def recheck_detail(request, pk):
    _require_rechecks(request.user)
    recheck = selectors.recheck_get(user=request.user, pk=pk)
    if request.method != "POST":
        return _render_recheck(request, recheck)
    if not may(request.user, policy.RECHECK_RECORD, recheck):
        raise PermissionDenied
    form = ReCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_recheck(request, recheck, form=form, error=errors_text(form), status=400)
    try:
        recheck = services.recheck_record(recheck=recheck, actor=request.user, result=form.cleaned_data["result"],
                                          note=form.cleaned_data["note"], files=form.cleaned_data["files"])
    except ApplicationError as exc:
        return _render_recheck(request, selectors.recheck_get(user=request.user, pk=pk), form=form,
                               error=message_for_reader(exc), status=400)
    messages.success(request, recheck_done_message(recheck))
    if recheck.follow_up_id:
        return redirect("cases:detail", pk=recheck.follow_up_id)
    return redirect("cases:recheck", pk=pk)


def recheck_done_message(recheck) -> str:
    """What the re-check did: recorded clean, reopened the case, or opened a new case linked to it."""
    if recheck.follow_up_id is None:
        return _("已记录回头看：未回潮（案件 %(case)s）") % {"case": recheck.case.number}
    if recheck.follow_up_id == recheck.case_id:
        return _("已记录回头看：回潮，原案 %(case)s 已重新打开并进入核查阶段") % {"case": recheck.case.number}
    return _("已记录回头看：回潮，原案 %(case)s 已超过重新打开期限，已新立案件 %(new)s 并关联原案") % {
        "case": recheck.case.number, "new": recheck.follow_up.number}
