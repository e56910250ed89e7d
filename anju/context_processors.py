"""Context for every page: the menu (accounts), the unread inbox count and the site names; wiring, so it lives in
the project package."""
from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts import inbox
from accounts.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "nav_menu": menu_for(user) if signed_in else [],
        # one count query, only when a page shows the badge, at most once per request (the lazy object keeps it)
        "inbox_unread": SimpleLazyObject(lambda: inbox.unread_count(user)) if signed_in else 0,
        "site_name": settings.ANJU_VERBOSE_NAME,
        "district_name": settings.ANJU_DISTRICT_NAME,
    }
