"""Registry pages: thin views over selectors; every queryset is the user's scope."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts import policy
from accounts.policy import may
from core.exports import export_response
from registry import exports, hooks, selectors
from registry.filters import CommunityFilter, PropertyCompanyFilter

PAGE_SIZE = 25


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _export_format(request):
    fmt = request.GET.get("export")
    return fmt if fmt in {"csv", "xlsx"} else None


def _render_list(request, template, partial, context):
    """Full page, or only the table when htmx asks (filters update without a reload)."""
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "results":
        return render(request, partial, context)
    return render(request, template, context)


@login_required
def community_list(request):
    queryset = selectors.community_list(user=request.user)
    filterset = CommunityFilter(request.GET or None, queryset=queryset, request=request)
    communities = filterset.qs if filterset.is_valid() else queryset
    if fmt := _export_format(request):
        rows = communities.prefetch_related("aliases", "addresses")
        return export_response(fmt, "住宅小区", rows.iterator(chunk_size=500), exports.community_columns(request.user),
                               "住宅小区")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": _page(request, communities.prefetch_related("addresses")),
        "total": communities.count(),
        "query": query.urlencode(),
    }
    return _render_list(request, "registry/community_list.html", "registry/_community_table.html", context)


@login_required
def community_detail(request, pk):
    community = selectors.community_get(user=request.user, pk=pk)
    manager = community.project_manager
    return render(request, "registry/community_detail.html", {
        "community": community,
        "manager": selectors.contact(request.user, manager.name, manager.phone) if manager else None,
        "owners_committee": selectors.contact(
            request.user, community.owners_committee_contact, community.owners_committee_phone
        ),
        "population_year": timezone.localdate().year,
        # complaints, cases and inventory items of the community, by the apps above (registry.hooks)
        "panels": hooks.community_panels(request.user, community),
    })


@login_required
def company_list(request):
    if not may(request.user, policy.COMPANY_LIST):
        if may(request.user, policy.COMPANY_MINE):
            return redirect("registry:company-mine")
        raise PermissionDenied
    queryset = selectors.company_list(user=request.user)
    filterset = PropertyCompanyFilter(request.GET or None, queryset=queryset, request=request)
    companies = filterset.qs if filterset.is_valid() else queryset
    if fmt := _export_format(request):
        return export_response(fmt, "物业服务企业", companies, exports.COMPANY_COLUMNS, "物业服务企业")
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "page": _page(request, companies), "total": companies.count(),
               "query": query.urlencode()}
    return _render_list(request, "registry/company_list.html", "registry/_company_table.html", context)


@login_required
def company_mine(request):
    if not may(request.user, policy.COMPANY_MINE) or not request.user.property_company_id:
        raise PermissionDenied
    return company_detail(request, request.user.property_company_id)


@login_required
def company_detail(request, pk):
    company = selectors.company_get(user=request.user, pk=pk)
    communities = selectors.community_list(user=request.user).filter(property_company=company)
    managers = [
        {"obj": m, "contact": selectors.contact(request.user, m.name, m.phone)}
        for m in company.managers.restrict(request.user, "view")
    ]
    return render(request, "registry/company_detail.html", {
        "company": company, "communities": communities, "managers": managers,
    })


@login_required
def street_list(request):
    if not may(request.user, policy.STREET_LIST):
        raise PermissionDenied  # a company works in its communities (registry:company-mine)
    year = timezone.localdate().year
    streets = selectors.street_list(user=request.user, year=year)
    if fmt := _export_format(request):
        return export_response(fmt, "街镇", streets, exports.STREET_COLUMNS, "街镇")
    total = sum(s.population or 0 for s in streets)
    return render(request, "registry/street_list.html", {"streets": streets, "year": year, "total": total})


@login_required
def department_list(request):
    departments = selectors.department_list(user=request.user)
    if fmt := _export_format(request):
        return export_response(fmt, "职能部门", departments, exports.DEPARTMENT_COLUMNS, "职能部门")
    return render(request, "registry/department_list.html", {"departments": departments})


@login_required
def violation_type_list(request):
    types = selectors.violation_type_list(user=request.user)
    if fmt := _export_format(request):
        return export_response(fmt, "违法行为类型", types, exports.VIOLATION_TYPE_COLUMNS, "违法行为类型")
    return render(request, "registry/violationtype_list.html", {"types": types})
