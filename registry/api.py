"""Registry API: read-only reference data through the same scope as the pages."""
from rest_framework import serializers

from accounts.scope import serializer_view
from core.api import IdFilter, RestrictedReadOnlyViewSet
from registry.filters import CommunityFilter
from registry.models import (
    Community,
    CommunityAddress,
    Department,
    PropertyCompany,
    Street,
    ViolationBasis,
    ViolationType,
)


class StreetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Street
        fields = ["id", "name", "short_name", "kind", "code"]


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommunityAddress
        fields = ["road", "unit", "number_from", "number_to", "label"]


class CommunitySerializer(serializers.ModelSerializer):
    street = serializers.CharField(source="street.name", read_only=True)
    committee = serializers.CharField(source="committee.name", read_only=True, default=None)
    property_company = serializers.PrimaryKeyRelatedField(read_only=True)
    addresses = AddressSerializer(many=True, read_only=True)
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    project_manager = serializers.SerializerMethodField()

    class Meta:
        model = Community
        fields = ["id", "name", "aliases", "addresses", "street", "street_id", "committee", "households",
                  "population", "property_company", "project_manager", "grade", "is_pilot", "pilot_batch",
                  "lat", "lng", "built_year"]

    def get_project_manager(self, obj) -> dict | None:
        manager = obj.project_manager
        if manager is None:
            return None
        see = serializer_view(self.context, "contact")
        return {"name": see.name(manager.name), "phone": see.phone(manager.phone)}


class PropertyCompanySerializer(serializers.ModelSerializer):
    class Meta:
        model = PropertyCompany
        fields = ["id", "name", "credit_code", "address", "contact_phone"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "code", "name", "handles", "duties"]


class BasisSerializer(serializers.ModelSerializer):
    regulation = serializers.CharField(source="regulation.title")

    class Meta:
        model = ViolationBasis
        fields = ["regulation", "role", "article", "penalty", "verified", "note"]


class ViolationTypeSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    bases = BasisSerializer(many=True, read_only=True)

    class Meta:
        model = ViolationType
        fields = ["code", "name", "problem_class", "department", "default_measures", "stage_deadlines",
                  "triggers_duty_check", "non_onsite", "description", "bases"]


class CommunityApiFilter(CommunityFilter):
    """The page's filters, with ids checked (core.api): an unknown street or company matches nothing."""

    street = IdFilter(field_name="street_id")
    property_company = IdFilter(field_name="property_company_id")


class StreetViewSet(RestrictedReadOnlyViewSet):
    queryset = Street.objects.all()
    serializer_class = StreetSerializer


class CommunityViewSet(RestrictedReadOnlyViewSet):
    queryset = Community.objects.select_related("street", "committee", "project_manager").prefetch_related(
        "addresses", "aliases"
    ).order_by("id")
    serializer_class = CommunitySerializer
    filterset_class = CommunityApiFilter


class PropertyCompanyViewSet(RestrictedReadOnlyViewSet):
    queryset = PropertyCompany.objects.order_by("id")
    serializer_class = PropertyCompanySerializer


class DepartmentViewSet(RestrictedReadOnlyViewSet):
    queryset = Department.objects.order_by("id")
    serializer_class = DepartmentSerializer


class ViolationTypeViewSet(RestrictedReadOnlyViewSet):
    queryset = ViolationType.objects.select_related("department").prefetch_related("bases__regulation")
    serializer_class = ViolationTypeSerializer
    lookup_field = "code"


def register(router):
    router.register("streets", StreetViewSet)
    router.register("communities", CommunityViewSet)
    router.register("property-companies", PropertyCompanyViewSet)
    router.register("departments", DepartmentViewSet)
    router.register("violation-types", ViolationTypeViewSet)
