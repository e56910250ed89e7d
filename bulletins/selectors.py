"""Reads of the bulletins app, always through the user's scope (Bulletin.scope_q)."""
from django.shortcuts import get_object_or_404

from accounts import policy, scope
from accounts.choices import Role
from bulletins.models import Bulletin
from registry.models import District, Street

MAKERS = {Role.ADMIN, Role.LEAD, *scope.CITY_WIDE_VIEW}  # make district-wide bulletins and any street's in scope


def bulletin_list(*, user, period: str = "", street_id: int | None = None, district: bool = False,
                  district_id: int | None = None):
    rows = Bulletin.objects.restrict(user, "view").select_related("street", "district", "created_by")
    if period:
        rows = rows.filter(period=period)
    if district_id:
        rows = rows.filter(district_id=district_id)
    if district:
        rows = rows.filter(street__isnull=True)
    elif street_id:
        rows = rows.filter(street_id=street_id)
    return rows


def bulletin_get(*, user, pk) -> Bulletin:
    """404 outside the user's scope (existence does not leak)."""
    return get_object_or_404(Bulletin.objects.restrict(user, "view").select_related("street", "district"), pk=pk)


def streets_to_make(user):
    """The streets whose bulletin the user may make: the bureau its district's streets, the city bureau every
    district's, officers and street staff theirs."""
    if scope.role_of(user) in MAKERS:
        return Street.objects.restrict(user, "view").select_related("district").order_by("district", "code", "name")
    return Street.objects.filter(pk__in=scope.street_ids(user)).order_by("code", "name")


def streets_to_read(user):
    return Street.objects.restrict(user, "view").order_by("code", "name")


def may_make_district(user) -> bool:
    return scope.role_of(user) in MAKERS


def several_districts() -> bool:
    return District.objects.count() > 1


def may_choose_district(user) -> bool:
    """Whether the make form asks which district: users whose scope spans several districts (the city bureau, a
    superuser, an administrator of the installation), while there are several."""
    return (policy.may(user, policy.BULLETIN_MAKE) and scope.role_of(user) in MAKERS
            and scope.district_streets(user) is None and several_districts())


def districts_to_choose(user):
    """The districts a user spanning several may choose for a district-wide bulletin; none for anyone else, whose
    bulletins are their own district's."""
    return District.objects.order_by("pk") if may_choose_district(user) else District.objects.none()
