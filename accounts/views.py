"""The inbox pages (待办提醒) and the SMS opt-in: every signed-in user has their own, and sees only their own."""
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import inbox, sms
from accounts.choices import InboxKind
from accounts.models import InboxItem
from core.errors import ApplicationError, message_for_reader

SHOWS = ("unread", "read", "all")


def _filters(request) -> tuple[str, str]:
    kind = request.GET.get("kind", "") or request.POST.get("kind", "")
    show = request.GET.get("show", "") or "unread"
    return (kind if kind in InboxKind.values else ""), (show if show in SHOWS else "unread")


@login_required
def inbox_list(request):
    kind, show = _filters(request)
    unread = {"unread": True, "read": False}.get(show)
    page = Paginator(inbox.items_for(request.user, kind=kind, unread=unread), 30).get_page(request.GET.get("page"))
    return render(request, "accounts/inbox.html", {
        "page": page, "kind": kind, "show": show, "kinds": InboxKind.choices,
        "shows": [("unread", _("未读")), ("read", _("已读")), ("all", _("全部"))],
        "query": urlencode({key: value for key, value in (("kind", kind), ("show", show)) if value}),
    })


@login_required
def inbox_open(request, pk: int):
    """Opening an item marks it read and goes to what it is about; another user's item is not found."""
    try:
        item = inbox.item_open(user=request.user, pk=pk)
    except InboxItem.DoesNotExist:
        raise Http404 from None
    if item.url and url_has_allowed_host_and_scheme(item.url, allowed_hosts={request.get_host()}):
        return redirect(item.url)
    return redirect("accounts:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    kind, _show = _filters(request)
    count = inbox.mark_all_read(user=request.user, kind=kind)
    messages.success(request, _("已将 %(count)d 条提醒标为已读") % {"count": count})
    target = "?" + urlencode({"kind": kind}) if kind else ""
    return redirect(reverse("accounts:inbox") + target)


@login_required
def sms_settings(request):
    error = ""
    if request.method == "POST":
        try:
            inbox.sms_preference_set(user=request.user, kinds=request.POST.getlist("kinds"))
        except ApplicationError as exc:
            error = message_for_reader(exc)
        else:
            messages.success(request, _("短信提醒设置已保存"))
            return redirect("accounts:sms")
    chosen = inbox.sms_kinds_of(request.user)
    return render(request, "accounts/sms.html", {
        "kinds": [(value, label, value in chosen) for value, label in InboxKind.choices],
        "sms_on": sms.backend() is not None, "has_phone": bool((request.user.phone or "").strip()),
        "error": error,
    }, status=400 if error else 200)
