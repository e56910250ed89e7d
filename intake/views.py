"""Intake pages: the queue, the complaint with the reasons behind each decision, one-click
decisions, the channel forms and the 12345 file import. Views are thin: services decide."""
import functools
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.policy import may
from core import drafts
from core.busy import Busy
from core.downloads import file_response
from core.errors import ApplicationError, message_for_reader
from core.exports import export_or_job
from core.paging import page_of
from core.uploads import STORED_EXTENSIONS, run_table_import
from intake import dispatch, selectors, services, workflow
from intake.choices import Channel, ComplaintStatus
from intake.filters import OPEN, ComplaintFilter
from intake.forms import (
    ComplaintForm,
    CorrectCommunityForm,
    CorrectTypeForm,
    HotlineUploadForm,
    MarkDuplicateForm,
    PropertyReportForm,
    RerouteDepartmentForm,
    RerouteStreetForm,
    ReturnForm,
    SettleForm,
)
from intake.models import ComplaintPhoto, HotlineReply
from registry import selectors as registry_selectors
from registry.models import ViolationType


@login_required
def queue(request):
    if not may(request.user, policy.COMPLAINT_QUEUE):
        if may(request.user, policy.FILE_PROPERTY_REPORT):
            return redirect("intake:property-report")  # a company files and follows its own reports there
        raise PermissionDenied
    base = selectors.complaint_list(user=request.user)
    data = request.GET.copy()
    data.setdefault("status", OPEN)  # the queue opens on what still waits; 全部状态 (status=) shows all
    filterset = ComplaintFilter(data, queryset=base, request=request)
    complaints = filterset.qs if filterset.is_valid() else base
    if (fmt := request.GET.get("export")) in {"csv", "xlsx"}:
        return export_or_job(request, "complaints", fmt)  # intake.exports; large ones in the background
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": (page := page_of(complaints, request, 30)),
        "total": page.paginator.count,
        "community": registry_selectors.community_named(user=request.user, value=request.GET.get("community")),
        "overdue_total": base.filter(selectors.overdue_q()).count(),
        "soon_total": base.filter(selectors.due_soon_q()).count(),
        "query": query.urlencode(),
        "can_triage": may(request.user, policy.COMPLAINT_TRIAGE),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "intake/_queue_table.html", context)
    return render(request, "intake/queue.html", context)


def _detail_context(request, complaint, *, bound=None, error=""):
    """The complaint page; `bound` holds the 派单纠错 form the user just sent (key → form), shown again
    with what was typed when it was refused."""
    bound = dict(bound or {})
    moves = dispatch.open_moves(request.user, complaint)
    return {
        "dispatch_moves": moves,
        "return_form": bound.get(dispatch.RETURN) or ReturnForm() if dispatch.RETURN in moves else None,
        "street_form": bound.get(dispatch.STREET) or RerouteStreetForm(user=request.user)
        if dispatch.STREET in moves else None,
        "department_form": bound.get(dispatch.DEPARTMENT) or RerouteDepartmentForm(user=request.user)
        if dispatch.DEPARTMENT in moves else None,
        "settle_form": bound.get(dispatch.SETTLE) or SettleForm(hotline=complaint.channel == Channel.HOTLINE)
        if dispatch.SETTLE in moves else None,
        "dispatch_open": next(iter(bound), ""),
        "dispatch_error": error,
        "reply": _reply(complaint),
        "history": _history(complaint),
        "timeline": selectors.timeline(user=request.user, complaint=complaint),
        "referrals": _referrals(request.user, complaint),
        "c": complaint,
        "caller": selectors.caller(request.user, complaint),
        "raw_row": selectors.raw_row(request.user, complaint),
        "match_reasons": selectors.match_reasons(complaint.match_evidence),
        "related": selectors.related_open(user=request.user, complaint=complaint),
        "duplicates": complaint.duplicates.restrict(request.user, "view").order_by("received_at"),
        "corrections": selectors.correction_list(complaint),
        "photos": complaint.photos.all(),
        # an order returned to the hotline is no longer the bureau's to confirm or correct
        "can_triage": complaint.status != ComplaintStatus.RETURNED
        and may(request.user, policy.COMPLAINT_TRIAGE, complaint),
        # the moves the complaint's status allows (intake.workflow): a form is offered only for those, so a
        # closed complaint shows no 确认/更正 button that would only be refused
        "moves": {move.action for move in workflow.moves_from(complaint.status)},
        # street staff triage their streets' clues but do not open cases: officers and the bureau run them
        "can_open_case": may(request.user, policy.CASE_OPEN),
        "type_form": CorrectTypeForm(initial={
            "violation_type": complaint.violation_type.code if complaint.violation_type else None,
            "department": complaint.department.code if complaint.department else None}),
        "community_form": CorrectCommunityForm(user=request.user,
                                               initial={"community": complaint.community_id}),
        "duplicate_form": MarkDuplicateForm(),
        "types": ViolationType.objects.all(),
    }


def _reply(complaint):
    try:
        return complaint.reply
    except HotlineReply.DoesNotExist:
        return None


def _history(complaint) -> list:
    """What happened to the complaint, oldest first: its receipt and every change made with a reason."""
    rows = (complaint.history.filter(history_change_reason__isnull=False).exclude(history_change_reason="")
            | complaint.history.filter(history_type="+"))
    return list(rows.select_related("history_user").order_by("history_date", "history_id")[:50])


def _referrals(user, complaint):
    """The complaint's referrals (cases.models.Referral, reached through the complaint: intake does not import
    cases) that the user may see."""
    return complaint.referrals.restrict(user, "view").select_related("department")


@login_required
def detail(request, pk):
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    return render(request, "intake/detail.html", _detail_context(request, complaint))


def _changeable(request, pk, action=policy.COMPLAINT_TRIAGE):
    """The complaint the user acts on with the policy `action` (the one the service asks again): 403 when the
    role may not, 404 outside the user's scope."""
    if not may(request.user, action):
        raise PermissionDenied
    complaint = selectors.complaint_get(user=request.user, pk=pk)
    if not may(request.user, action, complaint):
        raise Http404
    return complaint


def _after(request, complaint, message):
    messages.success(request, message)
    if request.headers.get("HX-Request") and request.POST.get("from") == "queue":
        complaint = selectors.complaint_get(user=request.user, pk=complaint.pk)
        return render(request, "intake/_queue_row.html", {"c": complaint, "can_triage": True})
    return redirect("intake:detail", pk=complaint.pk)


def _fail(request, complaint, error):
    messages.error(request, message_for_reader(error) if isinstance(error, Exception) else str(error))
    return redirect("intake:detail", pk=complaint.pk)


@login_required
@require_POST
def confirm(request, pk):
    complaint = _changeable(request, pk)
    try:
        complaint = services.complaint_confirm(complaint=complaint, actor=request.user)
    except ApplicationError as exc:
        return _fail(request, complaint, exc)
    return _after(request, complaint, _("已确认"))


@login_required
@require_POST
def correct_type(request, pk):
    complaint = _changeable(request, pk)
    form = CorrectTypeForm(request.POST)
    if not form.is_valid():
        return _fail(request, complaint, "；".join(e for errors in form.errors.values() for e in errors))
    try:
        complaint = services.complaint_correct_type(
            complaint=complaint, type_code=form.cleaned_data["violation_type"].code, actor=request.user,
            department_code=form.cleaned_data["department"].code if form.cleaned_data["department"] else "",
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as exc:
        return _fail(request, complaint, exc)
    return _after(request, complaint, _("类型已更正，将用于模型再训练"))


@login_required
@require_POST
def correct_community(request, pk):
    complaint = _changeable(request, pk)
    form = CorrectCommunityForm(request.POST, user=request.user)
    if not form.is_valid():
        return _fail(request, complaint, _("请选择您范围内的小区"))
    complaint = services.complaint_correct_community(
        complaint=complaint, community=form.cleaned_data["community"], actor=request.user,
        reason=form.cleaned_data["reason"])
    return _after(request, complaint, _("小区已更正"))


@login_required
@require_POST
def mark_duplicate(request, pk):
    complaint = _changeable(request, pk)
    form = MarkDuplicateForm(request.POST)
    primary = selectors.find_by_number(user=request.user, value=request.POST.get("primary", "")) \
        if form.is_valid() else None
    if primary is None:
        return _fail(request, complaint, _("找不到该原诉件"))
    try:
        complaint = services.complaint_mark_duplicate(complaint=complaint, primary=primary, actor=request.user,
                                                      reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        return _fail(request, complaint, exc)
    return _after(request, complaint, _("已标记为重复件"))


@login_required
@require_POST
def unmark_duplicate(request, pk):
    complaint = _changeable(request, pk)
    try:
        complaint = services.complaint_unmark_duplicate(complaint=complaint, actor=request.user)
    except ApplicationError as exc:
        return _fail(request, complaint, exc)
    return _after(request, complaint, _("已取消重复件标记"))


# --- 派单纠错: 退单, 改派街镇, 改派部门 ---------------------------------------------------------------

def _dispatch_forms(request, complaint):
    return {
        dispatch.SETTLE: lambda data: SettleForm(data, hotline=complaint.channel == Channel.HOTLINE),
        dispatch.RETURN: lambda data: ReturnForm(data),
        dispatch.STREET: lambda data: RerouteStreetForm(data, user=request.user),
        dispatch.DEPARTMENT: lambda data: RerouteDepartmentForm(data, user=request.user),
    }


def _dispatch_act(move, complaint, actor, data):
    if move == dispatch.SETTLE:
        return dispatch.complaint_settle(complaint=complaint, actor=actor, reply=data["reply"],
                                         result=data.get("result") or "SOLVED",
                                         satisfaction=data.get("satisfaction") or "")
    if move == dispatch.RETURN:
        return dispatch.complaint_return(complaint=complaint, actor=actor, reason=data["reason"])
    if move == dispatch.STREET:
        return dispatch.complaint_reroute_street(complaint=complaint, actor=actor, reason=data["reason"],
                                                 street=data["street"], community=data["community"])
    return dispatch.complaint_reroute_department(complaint=complaint, actor=actor, reason=data["reason"],
                                                 department=data["department"])


def _dispatch_done(move, complaint) -> str:
    if move == dispatch.SETTLE:
        return _("已办结（未立案）")
    if move == dispatch.RETURN:
        return _("已退单，工单退回12345：%(reason)s") % {"reason": complaint.reply.return_reason}
    if move == dispatch.STREET:
        place = complaint.community.name if complaint.community else complaint.street.name
        extra = _("（%(n)s件重复件随同改派）") % {"n": complaint.moved_with} if complaint.moved_with else ""
        return _("已改派至%(place)s") % {"place": place} + extra
    return _("已移交%(department)s，等待签收") % {"department": complaint.department.label}


@login_required
@require_POST
def dispatch_move(request, pk, move):
    """退单 / 改派街镇 / 改派部门 of a complaint the user may change; refused input is shown again."""
    if move not in dispatch.DISPATCH_ACTIONS:
        raise Http404
    complaint = _changeable(request, pk, dispatch.DISPATCH_ACTIONS[move])
    form = _dispatch_forms(request, complaint)[move](request.POST)
    error = ""
    if not form.is_valid():
        error = "；".join(str(e) for errors in form.errors.values() for e in errors)
    else:
        try:
            complaint = _dispatch_act(move, complaint, request.user, form.cleaned_data)
        except ApplicationError as exc:
            error = message_for_reader(exc)
    if error:
        complaint = selectors.complaint_get(user=request.user, pk=pk)
        context = _detail_context(request, complaint, bound={move: form}, error=error)
        return render(request, "intake/detail.html", context, status=400)
    messages.success(request, _dispatch_done(move, complaint))
    if not type(complaint).objects.restrict(request.user, "view").filter(pk=pk).exists():
        return redirect("intake:queue")  # sent on to a street outside the user's own
    return redirect("intake:detail", pk=pk)




def _form_input(channel, cleaned, user, **extra):
    return services.ComplaintInput(
        channel=channel, content=cleaned["content"], received_at=cleaned.get("received_at") or timezone.now(),
        address=cleaned.get("address", ""), external_no=cleaned.get("external_no", ""),
        caller_name=cleaned.get("caller_name", ""), caller_phone=cleaned.get("caller_phone", ""),
        reporter=user, lat=cleaned.get("lat"), lng=cleaned.get("lng"), **extra,
    )


def _file_view(request, *, template, channels, default_channel, title, stamp_now=False):
    """A staff channel's form. `stamp_now`: the server stamps the receipt time (the patrol page: a phone's clock
    has no reliable time zone)."""
    allowed = [c for c in channels if may(request.user, policy.file_action(c))]
    if not allowed:
        raise PermissionDenied

    def make(data=None, files=None):
        return ComplaintForm(data, files, channels=allowed, stamp_now=stamp_now, initial={"channel": default_channel})

    def receive(cleaned, photos):
        return services.complaint_receive(data=_form_input(cleaned["channel"], cleaned, request.user), photos=photos)

    form, complaint, status = _submit(request, make, receive)
    if complaint is not None:
        messages.success(request, _("已登记诉件 #%(pk)s：%(note)s")
                         % {"pk": complaint.pk, "note": complaint.routing_note})
        return redirect("intake:detail", pk=complaint.pk)
    return render(request, template, {"form": form, "title": title,
                                      "kept_photos": drafts.names(request.user, form["kept_photos"].value())},
                  status=status)


def _submit(request, make, receive):
    """(form, complaint or None, status) of a channel form with photos. A submit that fails (a field to correct,
    a refusal, a busy database) gives the form again with everything typed, the photos kept (core.drafts, named
    by the hidden field kept_photos) and the reason on top; a busy database answers 503."""
    if request.method != "POST":
        return make(), None, 200
    form = make(request.POST, request.FILES)
    kept = request.POST.get("kept_photos", "")
    valid = form.is_valid()
    photos = drafts.take(request.user, kept) + (form.cleaned_data.get("photos") or [])
    error = None
    if valid:
        try:
            complaint = receive(form.cleaned_data, photos)
        except (ApplicationError, Busy) as exc:
            error = exc
        else:
            drafts.drop(request.user, kept)
            return form, complaint, 200
    photo_errors = form.errors.get("photos", [])
    token = drafts.keep(request.user, photos) if photos else ""
    drafts.drop(request.user, kept)
    data = request.POST.copy()
    data["kept_photos"] = token
    form = make(data)
    form.is_valid()  # the same errors as before, the photos' aside (the good ones are kept)
    for message in photo_errors:
        form.add_error("photos", message)
    if error is not None:
        form.add_error(None, message_for_reader(error))
    return form, None, 503 if isinstance(error, Busy) else 200


@login_required
def new_manual(request):
    return _file_view(request, template="intake/form.html", title=_("人工录入诉件"),
                      channels=[Channel.MANUAL, Channel.HOTLINE, Channel.MEDIA, Channel.THIRD_PARTY,
                                Channel.WORKSTATION, Channel.SUPERVISION], default_channel=Channel.MANUAL)


@login_required
def new_patrol(request):
    return _file_view(request, template="intake/patrol.html", title=_("巡查发现"),
                      channels=[Channel.PATROL], default_channel=Channel.PATROL, stamp_now=True)


@login_required
def property_report(request):
    if not may(request.user, policy.FILE_PROPERTY_REPORT):
        raise PermissionDenied

    def make(data=None, files=None):
        return PropertyReportForm(data, files, user=request.user)

    def receive(data, photos):
        content = data["content"] + ("（物业已劝阻/制止）" if data["dissuaded"] else "")
        return services.complaint_receive(
            data=services.ComplaintInput(
                channel=Channel.PROPERTY_REPORT, content=content, received_at=data["discovered_at"],
                address=data["address"], reporter=request.user,
                reporting_company=request.user.property_company, community=data["community"],
                raw_row={"dissuaded": data["dissuaded"]},
            ),
            photos=photos,
        )

    form, complaint, status = _submit(request, make, receive)
    if complaint is not None:
        messages.success(request, _("报告已提交（#%(pk)s），将作为物业履职的证据") % {"pk": complaint.pk})
        return redirect("intake:property-report")
    reports = selectors.complaint_list(user=request.user).order_by("-received_at")[:20]
    return render(request, "intake/property_report.html", {
        "form": form, "reports": reports, "kept_photos": drafts.names(request.user, form["kept_photos"].value())},
        status=status)


@login_required
def import_hotline(request):
    if not may(request.user, policy.COMPLAINT_IMPORT):
        raise PermissionDenied
    form = HotlineUploadForm(request.POST or None, request.FILES or None,
                             choose_district=services.import_asks_district(request.user))
    report = None
    if request.method == "POST" and form.is_valid():
        report = run_table_import(form, functools.partial(services.import_hotline, actor=request.user,
                                                          district=form.cleaned_data.get("district")))
    return render(request, "intake/import.html", {
        "form": form, "report": report, "batches": selectors.batch_list(user=request.user)})


@login_required
def photo_file(request, pk):
    """A complaint's photo reaches the browser only through here, after the complaint's scope check; never from
    MEDIA_URL. Shown inline as an image (its type sniffed from its bytes), or downloaded with ?download=1."""
    photo = ComplaintPhoto.objects.restrict(request.user, "view").filter(pk=pk).first()
    if photo is None:
        raise Http404
    suffix = PurePosixPath(photo.file.name).suffix.lower()
    suffix = suffix if suffix in STORED_EXTENSIONS else ".bin"
    return file_response(photo.file, filename=f"{photo.complaint_id}-{photo.pk}{suffix}",
                         inline=not request.GET.get("download"))
