"""Filters shared by the pages and the API."""
import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.choices import Grade
from registry.models import Community, PropertyCompany, Street


def _streets(request):
    return Street.objects.restrict(request.user, "view") if request else Street.objects.none()


def _companies(request):
    return PropertyCompany.objects.restrict(request.user, "view") if request else PropertyCompany.objects.none()


class CommunityFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))
    street = django_filters.ModelChoiceFilter(queryset=_streets, label=_("街镇"), empty_label=_("全部街镇"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("分级"), empty_label=_("全部分级"))
    is_pilot = django_filters.BooleanFilter(label=_("试点"))
    property_company = django_filters.ModelChoiceFilter(
        queryset=_companies, label=_("物业企业"), empty_label=_("全部物业企业")
    )

    class Meta:
        model = Community
        fields = ["q", "street", "grade", "is_pilot", "property_company"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matches = Community.objects.filter(
            Q(name__icontains=value) | Q(aliases__name__icontains=value) | Q(addresses__raw__icontains=value)
            | Q(addresses__road__icontains=value) | Q(committee__name__icontains=value)
        ).values("pk")
        return queryset.filter(pk__in=matches)


class PropertyCompanyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("搜索"))

    class Meta:
        model = PropertyCompany
        fields = ["q"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(credit_code__icontains=value)) if value else queryset
