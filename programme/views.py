"""Pages of the programme app: thin, over programme.selectors (reads) and programme.services (writes).

Everyone signed in reads the inventory of their scope (accounts.scope.inventory_q); officers and street staff
change it in their streets, the bureau everywhere; companies and departments only read. An item outside the
scope is a 404; a write on an item the user may only read is a 403. A refused write changes nothing and shows
the form again with the message and what the user typed."""
import functools
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy, scope
from accounts.choices import Role
from accounts.policy import may
from cases.models import EnforcementCase
from core.errors import ApplicationError, message_for_reader
from core.exports import export_response
from core.uploads import run_table_import
from programme import exports, imports, selectors, services
from programme.choices import CLEARED
from programme.forms import LinkCaseForm, OpenCaseForm, StatusForm, StructureFilter, StructureForm, UploadForm
from programme.models import IllegalStructure

PAGE_SIZE = 30


def _may_register(user) -> bool:
    """Whether the user changes the inventory anywhere (the buttons to register and import)."""
    return may(user, policy.INVENTORY_CHANGE) and IllegalStructure.scope_q(user, "change") != scope.NOTHING


def _changeable(request, pk) -> IllegalStructure:
    """404 outside the user's scope; 403 for an item the user may read but not change."""
    item = selectors.structure_get(user=request.user, pk=pk)
    if not may(request.user, policy.INVENTORY_CHANGE, item):
        raise PermissionDenied
    return item


# --- the list ----------------------------------------------------------------------------------

@login_required
def structure_list(request):
    base = selectors.structure_list(user=request.user)
    filterset = StructureFilter(request.GET or None, queryset=base, request=request)
    items = filterset.qs if filterset.is_valid() else base
    if (fmt := request.GET.get("export")) in {"csv", "xlsx"}:
        stamp = timezone.localdate().strftime("%Y%m%d")
        return export_response(fmt, f"存量违建台账-{stamp}", items.iterator(chunk_size=1000),
                               exports.columns(request.user), "存量违建台账")
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    # the same tallies as the progress page (selectors.progress), over the items the filter keeps
    _streets, district = selectors.progress(user=request.user, today=today, queryset=items)
    context = {
        "filter": filterset, "query": query.urlencode(), "summary": district.all, "existing": district.existing,
        "new": district.new, "today": today,
        "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
        "may_register": _may_register(request.user),
        # the bureau and the street's own staff see the cases of the items they see (accounts.scope.case_q)
        "case_links": may(request.user, policy.INVENTORY_CHANGE),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, "programme/_structure_table.html", context)
    return render(request, "programme/structure_list.html", context)


# --- one item ----------------------------------------------------------------------------------

def _case_for(user, item):
    """The linked case, and whether the user may open its page."""
    if not item.case_id:
        return None, False
    return item.case, EnforcementCase.objects.restrict(user, "view").filter(pk=item.case_id).exists()


def _render_detail(request, item, *, forms=None, error="", status=200):
    user = request.user
    forms = forms or {}
    can_change = may(user, policy.INVENTORY_CHANGE, item)
    case, case_visible = _case_for(user, item)
    case_open = bool(case and case.is_open)
    context = {
        "item": item, "owner_hint": selectors.owner_hint(user, item), "history": selectors.history(item),
        "case": case, "case_visible": case_visible, "case_open": case_open, "can_change": can_change,
        "overdue": not item.is_cleared and item.target_date and item.target_date < timezone.localdate(),
        "error": error, "open_form": next(iter(forms), ""),
        "cleared_statuses": json.dumps(sorted(CLEARED)),
    }
    if can_change:
        context["status_form"] = forms.get("status") or (StatusForm(item=item) if not case_open else None)
        context["link_form"] = forms.get("link") or (LinkCaseForm() if not case_open else None)
        may_open = may(user, policy.CASE_OPEN) and not case_open and not item.is_cleared
        context["open_case_form"] = forms.get("open") or (OpenCaseForm(item=item) if may_open else None)
    return render(request, "programme/structure_detail.html", context, status=status)


@login_required
def structure_detail(request, pk):
    return _render_detail(request, selectors.structure_get(user=request.user, pk=pk))


@login_required
def structure_edit(request, pk):
    item = _changeable(request, pk)
    form = StructureForm(request.POST or None, user=request.user, item=item)
    error = ""
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if item.case_id:
            values.pop("community")
        try:
            services.structure_update(item=item, actor=request.user, **values)
        except ApplicationError as exc:
            error = message_for_reader(exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("programme:structure-detail", item.pk)
    return render(request, "programme/structure_form.html", {"form": form, "item": item, "error": error},
                  status=400 if error else 200)


@login_required
def structure_create(request):
    if not _may_register(request.user):
        raise PermissionDenied
    case = None
    if case_pk := request.GET.get("case") or request.POST.get("case"):
        case = get_object_or_404(EnforcementCase.objects.restrict(request.user, "view"), pk=case_pk)
    initial = {"found_on": timezone.localdate()}
    if case is not None:
        initial |= {"community": case.community_id, "location": case.location,
                    "kind": "NEW" if case.in_progress else "EXISTING",
                    "found_on": timezone.localdate(case.created_at)}
    form = StructureForm(request.POST or None, user=request.user, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            item = services.structure_create(actor=request.user, case=case, **form.values())
        except ApplicationError as exc:
            error = message_for_reader(exc)
        else:
            messages.success(request, _("已登记 %(number)s") % {"number": item.number})
            return redirect("programme:structure-detail", item.pk)
    return render(request, "programme/structure_form.html", {"form": form, "case": case, "error": error},
                  status=400 if error else 200)


@login_required
@require_POST
def structure_status(request, pk):
    item = _changeable(request, pk)
    form = StatusForm(request.POST, item=item)
    if not form.is_valid():
        return _render_detail(request, item, forms={"status": form}, error=_("请检查填写的内容"), status=400)
    data = form.cleaned_data
    changes = {"status": data["status"], "cleared_on": data["cleared_on"]}
    if data["measure"]:
        changes["measure"] = data["measure"]
    try:
        services.structure_update(item=item, actor=request.user, reason=data["reason"], **changes)
    except ApplicationError as exc:
        return _render_detail(request, item, forms={"status": form}, error=message_for_reader(exc), status=400)
    messages.success(request, _("状态已更新"))
    return redirect("programme:structure-detail", item.pk)


@login_required
@require_POST
def structure_link_case(request, pk):
    item = _changeable(request, pk)
    form = LinkCaseForm(request.POST)
    if form.is_valid():
        number = form.cleaned_data["case_number"].strip()
        case = EnforcementCase.objects.restrict(request.user, "view").filter(number=number).first()
        try:
            if case is None:
                raise ApplicationError(f"找不到案件 {number} 或不在您的范围内", f"case {number} not found")
            services.structure_link_case(item=item, case=case, actor=request.user)
        except ApplicationError as exc:
            return _render_detail(request, item, forms={"link": form}, error=message_for_reader(exc), status=400)
        messages.success(request, _("已关联案件 %(number)s") % {"number": number})
        return redirect("programme:structure-detail", item.pk)
    return _render_detail(request, item, forms={"link": form}, error=_("请填写案件编号"), status=400)


@login_required
@require_POST
def structure_open_case(request, pk):
    item = _changeable(request, pk)
    form = OpenCaseForm(request.POST, item=item)
    if form.is_valid():
        try:
            case = services.structure_open_case(item=item, actor=request.user, officer=form.cleaned_data["officer"],
                                                summary=form.cleaned_data["summary"])
        except ApplicationError as exc:
            return _render_detail(request, item, forms={"open": form}, error=message_for_reader(exc), status=400)
        messages.success(request, _("已登记案件 %(number)s（线索登记），条目转为在办") % {"number": case.number})
        return redirect("programme:structure-detail", item.pk)
    return _render_detail(request, item, forms={"open": form}, error=_("请检查填写的内容"), status=400)


# --- import ------------------------------------------------------------------------------------

@login_required
def structure_import(request):
    if not _may_register(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = run_table_import(form, functools.partial(imports.import_inventory, actor=request.user))
    return render(request, "programme/import.html", {
        "form": form, "report": report, "columns": exports.COLUMNS, "required": exports.REQUIRED,
    }, status=400 if form.errors else 200)


# --- progress ------------------------------------------------------------------------------------

@login_required
def progress(request):
    today = timezone.localdate()
    period = request.GET.get("period", "")
    streets, district = selectors.progress(user=request.user, today=today)
    chart = selectors.burndown(user=request.user, period=period, today=today)
    start, end = chart["campaign"]["start"], chart["campaign"]["end"]
    chart["campaign"] = {"start": start.isoformat(), "end": end.isoformat() if end else None}
    chart["today"] = today.isoformat()
    return render(request, "programme/progress.html", {
        "streets": [s for s in streets if s.all.total or scope.role_of(request.user) != Role.PROPERTY],
        "district": district, "chart": chart, "period": chart["period"], "today": today,
        "campaign_start": start, "campaign_end": end,
        "days_left": (end - today).days if end and end >= today else None,
        "list_url": reverse("programme:inventory"),
        "selected": request.GET.get("street", "district"),
    })
