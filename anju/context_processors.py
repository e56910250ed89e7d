"""Context for every page: the menu (accounts) and the site names; wiring, so it lives in the project package."""
from django.conf import settings

from accounts.navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_menu": menu_for(user) if user and user.is_authenticated else [],
        "site_name": settings.ANJU_VERBOSE_NAME,
        "district_name": settings.ANJU_DISTRICT_NAME,
    }
