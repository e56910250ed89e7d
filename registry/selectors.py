"""Reads of the registry, always through the user's scope."""
from django.db.models import Count, Q, Sum

from accounts.scope import personal_view
from registry.models import Community, Department, PropertyCompany, Street, ViolationType


def community_list(*, user, filters: dict | None = None):
    filters = filters or {}
    qs = (
        Community.objects.restrict(user, "view")
        .select_related("street", "committee", "property_company", "project_manager")
        .order_by("street__code", "name")
    )
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(aliases__name__icontains=q) | Q(addresses__raw__icontains=q)
            | Q(addresses__road__icontains=q)
        ).distinct()
    return qs


def community_get(*, user, pk: int) -> Community:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Community.objects.restrict(user, "view").select_related(
            "street", "committee", "property_company", "project_manager"
        ).prefetch_related("addresses", "aliases"),
        pk=pk,
    )


def community_named(*, user, value) -> Community | None:
    """The community a list is filtered to (?community=<id>), when the user sees it; None otherwise."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return Community.objects.restrict(user, "view").filter(pk=pk).first()


def company_list(*, user):
    return (
        PropertyCompany.objects.restrict(user, "view")
        .annotate(
            community_count=Count("communities", distinct=True),
            household_total=Sum("communities__households"),
        )
        .order_by("name")
    )


def street_list(*, user, year: int):
    streets = list(
        Street.objects.restrict(user, "view")
        .annotate(community_count=Count("communities"))
        .prefetch_related("populations")
        .order_by("code", "name")
    )
    for street in streets:
        rows = sorted((p for p in street.populations.all() if p.year <= year), key=lambda p: -p.year)
        street.population = rows[0].population if rows else None
        street.population_year = rows[0].year if rows else None
    return streets


def department_list(*, user):
    return Department.objects.restrict(user, "view").order_by("id")


def violation_type_list(*, user):
    return (
        ViolationType.objects.restrict(user, "view")
        .select_related("department")
        .prefetch_related("bases__regulation")
    )


def contact(user, name: str, phone: str) -> dict:
    """A business contact as the user may see it."""
    see = personal_view(user, "contact")
    return {"name": see.name(name), "phone": see.phone(phone), "masked": not see.full}


def scope_summary(*, user) -> dict:
    communities = Community.objects.restrict(user, "view")
    return {
        "communities": communities.count(),
        "households": communities.aggregate(total=Sum("households"))["total"] or 0,
        "companies": PropertyCompany.objects.restrict(user, "view").count(),
        "streets": list(Street.objects.restrict(user, "view").values_list("name", flat=True)),
        "pilots": communities.filter(is_pilot=True).count(),
    }


def company_get(*, user, pk: int) -> PropertyCompany:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(PropertyCompany.objects.restrict(user, "view"), pk=pk)
