"""Reads of the bulletins app, always through the user's scope (Bulletin.scope_q)."""
from django.shortcuts import get_object_or_404

from accounts import scope
from accounts.choices import Role
from bulletins.models import Bulletin
from registry.models import Street


def bulletin_list(*, user, period: str = "", street_id: int | None = None, district: bool = False):
    rows = Bulletin.objects.restrict(user, "view").select_related("street", "created_by")
    if period:
        rows = rows.filter(period=period)
    if district:
        rows = rows.filter(street__isnull=True)
    elif street_id:
        rows = rows.filter(street_id=street_id)
    return rows


def bulletin_get(*, user, pk) -> Bulletin:
    """404 outside the user's scope (existence does not leak)."""
    return get_object_or_404(Bulletin.objects.restrict(user, "view").select_related("street"), pk=pk)


def streets_to_make(user):
    """The streets whose bulletin the user may make: the bureau every street, officers and street staff theirs."""
    if scope.role_of(user) in {Role.ADMIN, Role.LEAD}:
        return Street.objects.restrict(user, "view").order_by("code", "name")  # their district's
    return Street.objects.filter(pk__in=scope.street_ids(user)).order_by("code", "name")


def streets_to_read(user):
    return Street.objects.restrict(user, "view").order_by("code", "name")


def may_make_district(user) -> bool:
    return scope.role_of(user) in {Role.ADMIN, Role.LEAD}
