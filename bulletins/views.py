"""Pages of the bulletins app: the list of bulletins with the form to make one, each row's progress (htmx polls
it while the bulletin is being made) and the two downloads. Thin, over bulletins.selectors and bulletins.services.

Who: accounts.policy BULLETIN_LIST (read) and BULLETIN_MAKE (make); which rows: Bulletin.scope_q (a street user
its own streets' and the district's); a bulletin outside the scope is a 404; a refused request shows the form
again with the reason in the reader's language (400), never a 500."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.policy import may
from bulletins import selectors, services
from bulletins.choices import Status
from bulletins.forms import BulletinForm, recent_periods
from core.downloads import file_response
from core.errors import ApplicationError, message_for_reader

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 30


def _filters(request) -> dict:
    period = (request.GET.get("period") or "").strip()
    street = (request.GET.get("street") or "").strip()
    district = (request.GET.get("in_district") or "").strip()
    return {"period": period[:20], "district": street == "district",
            "street_id": int(street) if street.isdigit() else None, "street": street,
            "district_id": int(district) if district.isdigit() else None, "in_district": district[:12]}


def _render_list(request, *, form=None, error="", status=200):
    user = request.user
    chosen = _filters(request)
    rows = selectors.bulletin_list(user=user, period=chosen["period"], street_id=chosen["street_id"],
                                   district=chosen["district"], district_id=chosen["district_id"])
    several = selectors.several_districts()
    context = {
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "chosen": chosen, "periods": recent_periods(),
        "read_streets": selectors.streets_to_read(user),
        "make_streets": selectors.streets_to_make(user),
        "may_make": may(user, policy.BULLETIN_MAKE),
        "may_make_district": selectors.may_make_district(user),
        "several_districts": several,
        # the city bureau (and an administrator of the installation) chooses the district; others make their own
        "make_districts": selectors.districts_to_choose(user),
        "read_districts": selectors.districts_to_choose(user),
        "form": form or BulletinForm(), "error": error,
    }
    return render(request, "bulletins/list.html", context, status=status)


@login_required
def bulletin_list(request):
    if not may(request.user, policy.BULLETIN_LIST):
        raise PermissionDenied
    return _render_list(request)


@login_required
@require_POST
def bulletin_make(request):
    if not may(request.user, policy.BULLETIN_MAKE):
        raise PermissionDenied
    form = BulletinForm(request.POST)
    if not form.is_valid():
        return _render_list(request, form=form, status=400)
    try:
        bulletin = services.bulletin_request(actor=request.user, period=form.cleaned_data["period"],
                                             street=form.cleaned_data["street"],
                                             district=form.cleaned_data["district"])
    except ApplicationError as exc:
        return _render_list(request, form=form, error=message_for_reader(exc), status=400)
    bulletin.refresh_from_db()
    if bulletin.status == Status.FAILED:
        messages.error(request, _("通报生成失败：%(title)s") % {"title": bulletin.title})
    elif bulletin.status == Status.DONE:
        messages.success(request, _("已生成：%(title)s") % {"title": bulletin.title})
    else:
        messages.info(request, _("正在生成：%(title)s") % {"title": bulletin.title})
    return redirect("bulletins:list")


@login_required
def bulletin_row(request, pk):
    """One row of the list (htmx polls it every two seconds while the bulletin is being made)."""
    if not may(request.user, policy.BULLETIN_LIST):
        raise PermissionDenied
    bulletin = selectors.bulletin_get(user=request.user, pk=pk)
    return render(request, "bulletins/_row.html", {"b": bulletin,
                                                   "several_districts": selectors.several_districts()})


def _download(request, pk, field: str, content_type: str, suffix: str):
    if not may(request.user, policy.BULLETIN_LIST):
        raise PermissionDenied
    bulletin = selectors.bulletin_get(user=request.user, pk=pk)
    stored = getattr(bulletin, field)
    if bulletin.status != Status.DONE or not stored:
        raise Http404
    return file_response(stored, filename=f"{bulletin.title}{suffix}", content_type=content_type)


@login_required
def bulletin_docx(request, pk):
    """The Word file, after the scope check (never from MEDIA_URL)."""
    return _download(request, pk, "docx", DOCX, ".docx")


@login_required
def bulletin_xlsx(request, pk):
    return _download(request, pk, "xlsx", XLSX, ".xlsx")
