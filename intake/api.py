"""Intake API: list and read complaints in scope; one create endpoint per channel; one endpoint
per staff decision. Status is never writable directly."""
import functools

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from accounts.policy import MayPermission, may
from accounts.scope import serializer_view
from core.api import (
    BoundedDateField,
    BoundedDateFilter,
    BoundedDateTimeField,
    IdField,
    IdFilter,
    RestrictedReadOnlyViewSet,
    object_or_404,
)
from core.errors import ApplicationError
from intake import dispatch, selectors, services
from intake.choices import Channel
from intake.filters import CONFIDENCE_BANDS, ComplaintFilter
from intake.models import Complaint, ComplaintTransition
from registry.models import Community

CHANNEL_SLUGS = {
    "hotline": Channel.HOTLINE, "patrol": Channel.PATROL, "property-report": Channel.PROPERTY_REPORT,
    "sensor": Channel.SENSOR, "media": Channel.MEDIA, "third-party": Channel.THIRD_PARTY,
    "workstation": Channel.WORKSTATION, "supervision": Channel.SUPERVISION, "manual": Channel.MANUAL,
}
NOT_IN_SCOPE = "小区不存在或不在您的范围内 / community not in your scope"
PROPERTY_NEEDS_COMMUNITY = "物业报告须指定本企业管理的小区 / a property report needs one of your communities"


class ComplaintSerializer(serializers.ModelSerializer):
    violation_type = serializers.CharField(source="violation_type.code", default=None)
    predicted_type = serializers.CharField(source="predicted_type.code", default=None)
    department = serializers.CharField(source="department.code", default=None)
    community = serializers.PrimaryKeyRelatedField(read_only=True)
    community_name = serializers.CharField(source="community.name", default=None)
    street = serializers.CharField(source="street.name", default=None)
    duplicate_of = serializers.PrimaryKeyRelatedField(read_only=True)
    caller_name = serializers.SerializerMethodField()
    caller_phone = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ["id", "channel", "external_no", "received_at", "due_date", "caller_name", "caller_phone",
                  "address_text", "content", "category_hint", "community", "community_name", "street",
                  "match_score", "match_evidence", "predicted_type", "confidence", "classification_evidence",
                  "violation_type", "type_source", "department", "routing_note", "duplicate_of",
                  "duplicate_score", "repeat_count", "needs_consultation", "status", "created_at"]
        read_only_fields = fields

    def get_caller_name(self, obj) -> str:
        return serializer_view(self.context, "caller").name(obj.caller_name)

    def get_caller_phone(self, obj) -> str:
        return serializer_view(self.context, "caller").phone(obj.caller_phone)


# The list reads these columns with values() (no model instances, no select_related joins beyond the four names)
# and builds each row with `list_rows`: the fields, values and masking of ComplaintSerializer, which stays the
# schema and the serializer of one complaint. intake/tests/test_api_list_rows.py holds the two to the same output.
LIST_SOURCES = {
    "violation_type": "violation_type__code", "predicted_type": "predicted_type__code",
    "department": "department__code", "community": "community_id", "community_name": "community__name",
    "street": "street__name", "duplicate_of": "duplicate_of_id",
}
MASKED = {"caller_name": "name", "caller_phone": "phone"}
AS_IS = (serializers.CharField, serializers.ChoiceField, serializers.IntegerField, serializers.BooleanField,
         serializers.PrimaryKeyRelatedField)


def list_columns():
    return [LIST_SOURCES.get(name, name) for name in ComplaintSerializer.Meta.fields]


@functools.cache
def _list_plan() -> tuple:
    """(field, values() key, converter or None) per field of ComplaintSerializer, built once: the fields'
    to_representation read the time zone and language when called, not when built."""
    fields = ComplaintSerializer().fields
    return tuple((name, LIST_SOURCES.get(name, name),
                  None if name in MASKED or isinstance(fields[name], AS_IS) else fields[name].to_representation)
                 for name in ComplaintSerializer.Meta.fields)


def list_rows(rows, context) -> list[dict]:
    """ComplaintSerializer(many=True).data of the `values(*list_columns())` rows: each field's own
    to_representation where it changes the value (dates, times, floats, JSON), the value itself where it would
    not (text, choices, ids, counts, flags), None as None, callers through the reader's Masker."""
    plan = [(name, source, getattr(serializer_view(context, "caller"), MASKED[name]) if name in MASKED else convert)
            for name, source, convert in _list_plan()]
    out = []
    for row in rows:
        item = {}
        for name, source, convert in plan:
            value = row[source]
            if convert is None or (value is None and name not in MASKED):
                item[name] = value
            else:
                item[name] = convert(value)
        out.append(item)
    return out


class ValuesPages:
    """What the paginator is given: it counts the filtered queryset itself (core.paging counts keys only, without
    joins: a values() queryset would keep the joins of its names in the count) and slices out values() rows."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.ordered = queryset.ordered

    def order_by(self, *fields):
        return self.queryset.order_by(*fields)

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        return self.queryset.values(*list_columns())[index]


class ComplaintTransitionSerializer(serializers.ModelSerializer):
    """One move of the complaint (intake.workflow), read only."""

    actor = serializers.StringRelatedField()

    class Meta:
        model = ComplaintTransition
        fields = ["id", "action", "from_status", "to_status", "actor", "at", "reason", "payload"]
        read_only_fields = fields


class ComplaintDetailSerializer(ComplaintSerializer):
    transitions = serializers.SerializerMethodField()

    class Meta(ComplaintSerializer.Meta):
        fields = ComplaintSerializer.Meta.fields + ["transitions"]
        read_only_fields = fields

    @extend_schema_field(ComplaintTransitionSerializer(many=True))
    def get_transitions(self, obj) -> list:
        steps = selectors.timeline(user=self.context["request"].user, complaint=obj)
        return ComplaintTransitionSerializer(steps, many=True).data


class ComplaintInputSerializer(serializers.Serializer):
    content = serializers.CharField(max_length=services.MAX_CONTENT)
    received_at = BoundedDateTimeField(required=False)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    external_no = serializers.CharField(required=False, allow_blank=True, max_length=64, default="")
    caller_name = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    caller_phone = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")
    category_hint = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    due_date = BoundedDateField(required=False, allow_null=True, default=None)
    community = IdField(required=False, allow_null=True, default=None, help_text="小区ID；物业报告必填")
    lat = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None,
                                   min_value=-90, max_value=90)
    lng = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True, default=None,
                                   min_value=-180, max_value=180)


class ChannelCreateView(APIView):
    """POST /api/v1/intake/{channel}/ — file a complaint through one channel."""

    @extend_schema(request=ComplaintInputSerializer, responses={201: ComplaintSerializer})
    def post(self, request, channel_slug):
        channel = CHANNEL_SLUGS.get(channel_slug)
        if channel is None:
            raise NotFound("未知渠道 / unknown channel")
        if not may(request.user, policy.file_action(channel)):
            raise PermissionDenied("您的角色不能通过该渠道登记诉件 / your role cannot file through this channel")
        data = ComplaintInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        community = None
        if values["community"] is not None:
            community = Community.objects.restrict(request.user, "view").filter(pk=values["community"]).first()
            if community is None:
                raise serializers.ValidationError({"community": [NOT_IN_SCOPE]})
        if channel == Channel.PROPERTY_REPORT and community is None:
            raise serializers.ValidationError({"community": [PROPERTY_NEEDS_COMMUNITY]})
        try:
            complaint = services.complaint_receive(data=services.ComplaintInput(
                channel=channel, content=values["content"], received_at=values.get("received_at") or timezone.now(),
                address=values["address"], external_no=values["external_no"], caller_name=values["caller_name"],
                caller_phone=values["caller_phone"], category_hint=values["category_hint"],
                due_date=values["due_date"], community=community, lat=values["lat"], lng=values["lng"],
                reporter=request.user,
                reporting_company=request.user.property_company if channel == Channel.PROPERTY_REPORT else None,
                raw_row={k: str(v) for k, v in request.data.items()} if hasattr(request.data, "items") else {},
            ))
        except ApplicationError as exc:
            code = status.HTTP_409_CONFLICT if exc.extra.get("code") == "exists" else status.HTTP_400_BAD_REQUEST
            return Response({"detail": exc.message, "detail_en": exc.message_en}, status=code)
        return Response(ComplaintSerializer(complaint, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class CorrectTypeInput(serializers.Serializer):
    violation_type = serializers.CharField()
    department = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class CorrectCommunityInput(serializers.Serializer):
    community = IdField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class MarkDuplicateInput(serializers.Serializer):
    primary = serializers.CharField(help_text="原诉件ID或外部编号")
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class SettleInput(serializers.Serializer):
    reply = serializers.CharField(max_length=2000, help_text="办理情况（答复市民要点）")
    result = serializers.ChoiceField(choices=["SOLVED", "PARTLY", "UNSOLVED"], default="SOLVED",
                                     help_text="办理结果（12345工单）")
    satisfaction = serializers.ChoiceField(choices=["", "SATISFIED", "BASICALLY", "UNSATISFIED"], default="",
                                           required=False, help_text="满意度（回访）")


class ReturnInput(serializers.Serializer):
    reason = serializers.CharField(max_length=dispatch.MAX_REASON, help_text="退单理由")


class RerouteStreetInput(serializers.Serializer):
    street = IdField(required=False, allow_null=True, default=None, help_text="改派至街镇ID")
    community = IdField(required=False, allow_null=True, default=None,
                        help_text="或改派至小区ID（须在您的范围内）")
    reason = serializers.CharField(max_length=dispatch.MAX_REASON, help_text="改派理由")


class RerouteDepartmentInput(serializers.Serializer):
    department = serializers.CharField(help_text="主管部门代码，如 HOUSING")
    reason = serializers.CharField(max_length=dispatch.MAX_REASON)


@extend_schema_field({"type": "string", "enum": [band for band, _ in CONFIDENCE_BANDS]})
class BandFilter(django_filters.ChoiceFilter):
    """low / mid / high: a band of the classifier's confidence (not the number itself)."""


class ComplaintApiFilter(ComplaintFilter):
    """The queue's filters, with ids and dates checked (core.api): an unknown street matches nothing."""

    street = IdFilter(field_name="street_id")
    confidence = BandFilter(choices=CONFIDENCE_BANDS, method="band")
    violation_type = django_filters.CharFilter(field_name="violation_type__code", help_text="违法类型代码")
    received_after = BoundedDateFilter(field_name="received_at", lookup_expr="date__gte")
    received_before = BoundedDateFilter(field_name="received_at", lookup_expr="date__lte")

    class Meta(ComplaintFilter.Meta):
        fields = [*ComplaintFilter.Meta.fields, "received_after", "received_before"]


class ComplaintViewSet(RestrictedReadOnlyViewSet):
    """The complaints in the user's scope, as the pages show them: the queue (policy.COMPLAINT_QUEUE), or a
    company's own reports (policy.FILE_PROPERTY_REPORT, on the property-report page). Each decision asks the
    action the page asks, and the service asks it again."""

    permission_classes = [IsAuthenticated, MayPermission.of(policy.COMPLAINT_QUEUE, policy.FILE_PROPERTY_REPORT)]
    queryset = Complaint.objects.select_related("violation_type", "predicted_type", "department", "community",
                                                "street").order_by("-received_at")
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintApiFilter

    def get_serializer_class(self):
        return ComplaintDetailSerializer if self.action == "retrieve" else ComplaintSerializer

    def list(self, request, *args, **kwargs):
        """The first page as ComplaintSerializer gives it, from values() rows (list_rows): a fifth of the time."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(ValuesPages(queryset))
        if page is None:
            return Response(list_rows(queryset.values(*list_columns()), self.get_serializer_context()))
        return self.get_paginated_response(list_rows(page, self.get_serializer_context()))

    def _changeable(self, pk):
        """A staff decision (policy.COMPLAINT_TRIAGE, as on the pages and in intake.services): 403 for a role that
        may not decide, 404 outside the user's scope."""
        if not may(self.request.user, policy.COMPLAINT_TRIAGE):
            raise PermissionDenied("您的角色不能更正诉件 / your role cannot change complaints")
        complaint = object_or_404(Complaint.objects.restrict(self.request.user, "view"), pk)
        if not may(self.request.user, policy.COMPLAINT_TRIAGE, complaint):
            raise NotFound
        return complaint

    def _done(self, complaint):
        return Response(ComplaintSerializer(complaint, context={"request": self.request}).data)

    @extend_schema(request=None, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._done(services.complaint_confirm(complaint=self._changeable(pk), actor=request.user))

    @extend_schema(request=CorrectTypeInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], url_path="correct-type")
    def correct_type(self, request, pk=None):
        complaint = self._changeable(pk)
        data = CorrectTypeInput(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        return self._done(services.complaint_correct_type(
            complaint=complaint, type_code=v["violation_type"], department_code=v["department"],
            reason=v["reason"], actor=request.user))

    @extend_schema(request=CorrectCommunityInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], url_path="correct-community")
    def correct_community(self, request, pk=None):
        complaint = self._changeable(pk)
        data = CorrectCommunityInput(data=request.data)
        data.is_valid(raise_exception=True)
        community = Community.objects.restrict(request.user, "view").filter(pk=data.validated_data["community"]).first()
        if community is None:
            raise serializers.ValidationError({"community": [NOT_IN_SCOPE]})
        return self._done(services.complaint_correct_community(
            complaint=complaint, community=community, actor=request.user, reason=data.validated_data["reason"]))

    @extend_schema(request=MarkDuplicateInput, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], url_path="mark-duplicate")
    def mark_duplicate(self, request, pk=None):
        complaint = self._changeable(pk)
        data = MarkDuplicateInput(data=request.data)
        data.is_valid(raise_exception=True)
        primary = selectors.find_by_number(user=request.user, value=data.validated_data["primary"])
        if primary is None:
            raise serializers.ValidationError({"primary": ["找不到该原诉件 / original complaint not found"]})
        return self._done(services.complaint_mark_duplicate(
            complaint=complaint, primary=primary, actor=request.user, reason=data.validated_data["reason"]))

    @extend_schema(request=None, responses=ComplaintSerializer)
    @action(detail=True, methods=["post"], url_path="unmark-duplicate")
    def unmark_duplicate(self, request, pk=None):
        return self._done(services.complaint_unmark_duplicate(complaint=self._changeable(pk), actor=request.user))


    # 派单纠错 (intake.dispatch): 404 outside the user's scope, 403 unless the move's policy action allows it
    # on the complaint (dispatch.DISPATCH_ACTIONS, as on the page and in the service)

    def _dispatchable(self, pk, move):
        complaint = object_or_404(Complaint.objects.restrict(self.request.user, "view"), pk)
        if not dispatch.may(self.request.user, move, complaint):
            raise PermissionDenied("您不能改派或退回该诉件 / you cannot re-route or return this complaint")
        return complaint

    @extend_schema(request=SettleInput, responses={200: ComplaintSerializer, 400: None, 403: None})
    @action(detail=True, methods=["post"])
    def settle(self, request, pk=None):
        """办结（未立案）: verified and settled with no case needed; a 12345 order gets its reply."""
        complaint = self._dispatchable(pk, dispatch.SETTLE)
        v = SettleInput(data=request.data)
        v.is_valid(raise_exception=True)
        return self._done(dispatch.complaint_settle(complaint=complaint, actor=request.user, **v.validated_data))

    @extend_schema(request=ReturnInput, responses={200: ComplaintSerializer, 400: None, 403: None})
    @action(detail=True, methods=["post"], url_path="return")
    def return_order(self, request, pk=None):
        """退单: a 12345 work order that is not the bureau's goes back to the hotline with the reason."""
        complaint = self._dispatchable(pk, dispatch.RETURN)
        v = ReturnInput(data=request.data)
        v.is_valid(raise_exception=True)
        return self._done(dispatch.complaint_return(complaint=complaint, actor=request.user,
                                                    reason=v.validated_data["reason"]))

    @extend_schema(request=RerouteStreetInput, responses={200: ComplaintSerializer, 400: None, 403: None})
    @action(detail=True, methods=["post"], url_path="reroute-street")
    def reroute_street(self, request, pk=None):
        """改派街镇: send the complaint on to the right street (or community); its duplicates go with it."""
        from accounts.scope import reroute_street_q
        from registry.models import Street

        complaint = self._dispatchable(pk, dispatch.STREET)
        v = RerouteStreetInput(data=request.data)
        v.is_valid(raise_exception=True)
        data = v.validated_data
        street = community = None
        if data["community"] is not None:
            community = Community.objects.restrict(request.user, "view").filter(pk=data["community"]).first()
            if community is None:
                raise serializers.ValidationError({"community": [NOT_IN_SCOPE]})
        if data["street"] is not None:
            street = Street.objects.filter(reroute_street_q(request.user)).filter(pk=data["street"]).first()
            if street is None:
                raise serializers.ValidationError({"street": ["街镇不存在 / unknown street"]})
        if street is None and community is None:
            raise serializers.ValidationError({"street": ["请指定街镇或小区 / give the street or the community"]})
        if street is not None and community is not None and community.street_id != street.pk:
            raise serializers.ValidationError({"community": ["小区不属于该街镇 / the community is in another street"]})
        return self._done(dispatch.complaint_reroute_street(
            complaint=complaint, actor=request.user, reason=data["reason"], street=street, community=community))

    @extend_schema(request=RerouteDepartmentInput, responses={200: ComplaintSerializer, 400: None, 403: None})
    @action(detail=True, methods=["post"], url_path="reroute-department")
    def reroute_department(self, request, pk=None):
        """改派部门: not an enforcement matter — referred (移交) to the department that owns it."""
        from registry.models import Department

        complaint = self._dispatchable(pk, dispatch.DEPARTMENT)
        v = RerouteDepartmentInput(data=request.data)
        v.is_valid(raise_exception=True)
        department = Department.objects.filter(code=v.validated_data["department"]).first()
        if department is None:
            raise serializers.ValidationError({"department": ["部门不存在 / unknown department"]})
        return self._done(dispatch.complaint_reroute_department(
            complaint=complaint, actor=request.user, department=department, reason=v.validated_data["reason"]))


def register(router):
    router.register("complaints", ComplaintViewSet)
