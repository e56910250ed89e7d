from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from accounts import policy
from core.errors import ApplicationError, message_for_reader
from registry import models, services


class CommunityAddressInline(admin.TabularInline):
    model = models.CommunityAddress
    extra = 0


class CommunityAliasInline(admin.TabularInline):
    model = models.CommunityAlias
    extra = 0


@admin.register(models.Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "street", "committee", "households", "property_company", "grade", "is_pilot"]
    list_filter = ["street", "grade", "is_pilot"]
    search_fields = ["name", "aliases__name", "addresses__raw"]
    autocomplete_fields = ["property_company", "project_manager", "committee"]
    inlines = [CommunityAddressInline, CommunityAliasInline]


@admin.register(models.PropertyCompany)
class PropertyCompanyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "credit_code", "contact_phone"]
    search_fields = ["name", "credit_code"]


@admin.register(models.ProjectManager)
class ProjectManagerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "company", "phone"]
    search_fields = ["name", "company__name"]


class StreetPopulationInline(admin.TabularInline):
    model = models.StreetPopulation
    extra = 0


class StreetForm(forms.ModelForm):
    """The import's rules for a street's code and short name (registry.services.street_check)."""

    class Meta:
        model = models.Street
        fields = ["district", "name", "short_name", "kind", "code"]

    def clean(self):
        data = super().clean()
        if data.get("district"):
            try:
                services.street_check(district=data["district"], code=data.get("code", ""),
                                      short_name=data.get("short_name", ""), other_than=self.instance)
            except ApplicationError as exc:
                raise forms.ValidationError(message_for_reader(exc)) from exc
        return data


@admin.register(models.Street)
class StreetAdmin(SimpleHistoryAdmin):
    form = StreetForm
    list_display = ["name", "short_name", "kind", "district", "code"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]
    inlines = [StreetPopulationInline]


@admin.register(models.StreetPopulation)
class StreetPopulationAdmin(SimpleHistoryAdmin):
    """街镇人口: the denominator of 投诉万人比 (analytics.metrics), one row per street and year; also imported with
    `import_populations FILE`. Only the administrator (policy POPULATION_CHANGE) sees or changes it here."""

    list_display = ["street", "year", "population", "source"]
    list_filter = ["year", "street"]
    search_fields = ["street__name"]
    ordering = ["street__code", "street__name", "-year"]

    def _may(self, request) -> bool:
        return policy.may(request.user, policy.POPULATION_CHANGE)

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return self._may(request)

    def has_delete_permission(self, request, obj=None):
        return self._may(request)


@admin.register(models.Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "street"]
    list_filter = ["street"]
    search_fields = ["name"]


@admin.register(models.District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code"]


@admin.register(models.Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en", "handles"]


@admin.register(models.Regulation)
class RegulationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "short_name", "version", "status", "named_in"]
    list_filter = ["status"]


class ViolationBasisInline(admin.TabularInline):
    model = models.ViolationBasis
    extra = 0


@admin.register(models.ViolationType)
class ViolationTypeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en", "problem_class", "department", "triggers_duty_check", "non_onsite"]
    list_filter = ["problem_class", "triggers_duty_check", "non_onsite"]
    inlines = [ViolationBasisInline]
