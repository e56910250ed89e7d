"""REST API of the programme app; `register(router)` is called by anju/api_urls.py.

/api/v1/inventory/ — the illegal-construction inventory in the user's scope: list (filters as on the page),
retrieve, create (POST) and change the fields (PATCH) through programme.services. The status is never written
by PATCH: `POST …/{id}/status/` changes it by the table of programme.rules, `…/link-case/` and `…/open-case/`
tie the item to its enforcement case, `GET …/progress/` gives the progress per street and district with the
burn-down series. Outside the scope → 404; an item the user may read but not change → 403; a refused write →
400 with the message in Chinese and English, and nothing changed.
"""
import django_filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts import policy
from accounts.choices import Role
from accounts.models import User
from accounts.policy import MayPermission, may
from cases.models import EnforcementCase
from core.api import BoundedDateField, IdField, IdFilter, RestrictedReadOnlyViewSet, object_or_404
from programme import selectors, services
from programme.choices import StructureKind, StructureMaterial, StructureStatus
from programme.forms import STATUS_GROUPS
from programme.models import Campaign, CampaignPhase, IllegalStructure, Problem, ProblemEvidence, Task
from registry.choices import Measure
from registry.models import Community

CANNOT_CHANGE = "您只能查看该条目 / you may read this item but not change it"


class StructureSerializer(serializers.ModelSerializer):
    community_name = serializers.CharField(source="community.name", read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    material_label = serializers.CharField(source="get_material_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    measure_label = serializers.CharField(read_only=True)
    case_number = serializers.CharField(source="case.number", default=None, read_only=True)
    owner_hint = serializers.SerializerMethodField(help_text="当事人（户）；无权查看当事人信息的角色看到遮蔽后的内容")
    overdue = serializers.SerializerMethodField(help_text="未销项且超过计划完成日期")

    class Meta:
        model = IllegalStructure
        fields = ["id", "number", "community", "community_name", "street", "street_name", "location", "kind",
                  "kind_label", "found_on", "area_m2", "material", "material_label", "status", "status_label",
                  "measure", "measure_label", "target_date", "cleared_on", "overdue", "case", "case_number",
                  "owner_hint", "note", "created_at", "updated_at"]
        read_only_fields = fields

    def get_owner_hint(self, obj) -> str:
        return selectors.owner_hint(self.context["request"].user, obj)

    def get_overdue(self, obj) -> bool:
        today = self.context.setdefault("_today", timezone.localdate())
        return bool(not obj.is_cleared and obj.target_date and obj.target_date < today)


@extend_schema_field({"type": "string", "format": "decimal", "pattern": r"^\d{1,7}(\.\d{1,2})?$"})
class AreaField(serializers.DecimalField):
    """m², up to 9 digits with 2 decimals: the schema says a number is required (the generated pattern let "" by)."""


class StructureInput(serializers.Serializer):
    """The fields of an item; on PATCH only those sent change."""

    community = IdField(help_text="小区ID")
    location = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=StructureKind.choices, default=StructureKind.EXISTING)
    found_on = BoundedDateField()
    area_m2 = AreaField(max_digits=9, decimal_places=2)
    material = serializers.ChoiceField(choices=StructureMaterial.choices, default=StructureMaterial.OTHER)
    measure = serializers.ChoiceField(choices=[("", "—"), *Measure.choices], required=False, default="",
                                      allow_blank=True)
    target_date = BoundedDateField(required=False, allow_null=True, default=None)
    owner_hint = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_community(self, value):
        community = Community.objects.restrict(self.context["request"].user, "view").filter(pk=value).first()
        if community is None:
            raise serializers.ValidationError("小区不存在或不在您的范围内 / unknown community")
        return community


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=StructureStatus.choices)
    cleared_on = BoundedDateField(required=False, allow_null=True, default=None,
                                       help_text="销项日期；销项时不填为今天")
    measure = serializers.ChoiceField(choices=[("", "—"), *Measure.choices], required=False, default="",
                                      allow_blank=True,
                                      help_text="不填按状态：已拆除→拆除，已注记→注记，已整改→恢复原状")
    reason = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                   help_text="重新打开已销项条目时必填")


class LinkCaseInput(serializers.Serializer):
    case = serializers.CharField(max_length=32, help_text="案件编号（或ID）")


class OpenCaseInput(serializers.Serializer):
    officer = IdField(required=False, allow_null=True, default=None, help_text="承办队员ID")
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class StructureApiFilter(django_filters.FilterSet):
    street = IdFilter(field_name="street_id")
    community = IdFilter(field_name="community_id")
    status = django_filters.ChoiceFilter(choices=STATUS_GROUPS + list(StructureStatus.choices), method="by_status",
                                         help_text="状态代码，或 remaining（未销项）、cleared（已销项）")
    kind = django_filters.ChoiceFilter(choices=StructureKind.choices)
    overdue = django_filters.BooleanFilter(method="by_overdue", help_text="true：超期未销项")
    number = django_filters.CharFilter(field_name="number", lookup_expr="icontains")
    q = django_filters.CharFilter(method="search", help_text="编号、位置、小区、案件号")

    class Meta:
        model = IllegalStructure
        fields = ["street", "community", "status", "kind", "overdue", "number", "q"]

    def by_status(self, queryset, name, value):
        return selectors.with_status(queryset, value)

    def by_overdue(self, queryset, name, value):
        return queryset.filter(selectors.overdue_q()) if value else queryset.exclude(selectors.overdue_q())

    def search(self, queryset, name, value):
        return selectors.search(queryset, value)


class StructureViewSet(RestrictedReadOnlyViewSet):
    queryset = IllegalStructure.objects.select_related("community", "street", "case")
    serializer_class = StructureSerializer
    filterset_class = StructureApiFilter
    ordering_fields = ["found_on", "target_date", "cleared_on", "number", "area_m2"]
    ordering = ["street__code", "community__name", "found_on", "pk"]

    def _changeable(self, pk) -> IllegalStructure:
        item = object_or_404(IllegalStructure.objects.restrict(self.request.user, "view"), pk)
        if not may(self.request.user, policy.INVENTORY_CHANGE, item):
            raise PermissionDenied(CANNOT_CHANGE)
        return item

    def _input(self, serializer_class, *, partial=False):
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _item_response(self, pk, code=status.HTTP_200_OK):
        item = IllegalStructure.objects.select_related("community", "street", "case").get(pk=pk)
        return Response(StructureSerializer(item, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=StructureInput, responses={201: StructureSerializer})
    def create(self, request):
        """Register an item; its ledger number is given by the ledger."""
        if not may(request.user, policy.INVENTORY_CHANGE):
            raise PermissionDenied(CANNOT_CHANGE)  # departments and companies read the inventory
        v = self._input(StructureInput)
        item = services.structure_create(actor=request.user, **v)
        return self._item_response(item.pk, status.HTTP_201_CREATED)

    @extend_schema(request=StructureInput, responses={200: StructureSerializer})
    def partial_update(self, request, pk=None):
        """Change the fields sent (not the status: see …/status/)."""
        item = self._changeable(pk)
        if "status" in request.data or "cleared_on" in request.data:
            raise serializers.ValidationError(
                {"status": ["状态请通过 …/status/ 变更 / change the status through …/status/"]})
        v = self._input(StructureInput, partial=True)
        services.structure_update(item=item, actor=request.user, **v)
        return self._item_response(item.pk)

    @extend_schema(request=StatusInput, responses={200: StructureSerializer})
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        """Change the status by the table of programme.rules; cleared statuses set cleared_on, reopening empties
        it (with a reason). An item with an open case follows the case."""
        item = self._changeable(pk)
        v = self._input(StatusInput)
        changes = {"status": v["status"], "cleared_on": v["cleared_on"]}
        if v["measure"]:
            changes["measure"] = v["measure"]
        services.structure_update(item=item, actor=request.user, reason=v["reason"], **changes)
        return self._item_response(item.pk)

    @extend_schema(request=LinkCaseInput, responses={200: StructureSerializer})
    @action(detail=True, methods=["post"], url_path="link-case")
    def link_case(self, request, pk=None):
        """Link the item to an illegal-construction case (open: 在办; closed: cleared as its measures say)."""
        item = self._changeable(pk)
        ref = self._input(LinkCaseInput)["case"].strip()
        visible = EnforcementCase.objects.restrict(request.user, "view")
        case = visible.filter(number=ref).first() or (visible.filter(pk=int(ref)).first() if ref.isdigit() else None)
        if case is None:
            raise serializers.ValidationError({"case": ["找不到该案件或不在您的范围内 / case not found"]})
        services.structure_link_case(item=item, case=case, actor=request.user)
        return self._item_response(item.pk)

    @extend_schema(request=OpenCaseInput, responses={201: StructureSerializer})
    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request, pk=None):
        """Open an ILLEGAL_CONSTRUCTION case for the item; the item goes 在办."""
        item = self._changeable(pk)
        v = self._input(OpenCaseInput)
        officer = None
        if v["officer"] is not None:
            officer = User.objects.filter(pk=v["officer"], role=Role.OFFICER).first()
            if officer is None:
                raise serializers.ValidationError({"officer": ["该用户不是执法队员 / not an officer"]})
        services.structure_open_case(item=item, actor=request.user, officer=officer, summary=v["summary"])
        return self._item_response(item.pk, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("period", str, enum=["week", "month"], required=False,
                                     description="燃尽图周期；不填时按时间跨度自动选择")],
        responses=inline_serializer("InventoryProgress", {
            "district": serializers.DictField(), "streets": serializers.ListField(child=serializers.DictField()),
            "burndown": serializers.DictField()}))
    @action(detail=False, methods=["get"])
    def progress(self, request):
        """Progress to zero per street and for the district (existing and new apart: total, cleared, remaining,
        area remaining, % cleared, overdue) and the burn-down series with its target line."""
        period = request.query_params.get("period", "")
        if period not in ("", "week", "month"):
            raise serializers.ValidationError({"period": ["周期须为 week 或 month / the period is week or month"]})
        today = timezone.localdate()
        streets, district = selectors.progress(user=request.user, today=today)
        chart = selectors.burndown(user=request.user, period=period, today=today)
        return Response({"date": today, "district": district.as_dict(),
                         "streets": [s.as_dict() for s in streets], "burndown": chart})


# --- campaigns 专项行动 and their lists -----------------------------------------------------------------
# /api/v1/campaigns/ (with phases), /api/v1/campaign-problems/ and /api/v1/campaign-tasks/ (?campaign=ID):
# read in the user's scope like the pages (a street its street's problems and tasks, a department its own tasks,
# the bureau all, companies nothing: 403); POST campaign-tasks/{id}/progress/ by the task's owner or the bureau;
# GET campaign-tasks/mine/ the open tasks addressed to the user (what a future inbox reads).

class PhaseSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = CampaignPhase
        fields = ["id", "order", "name", "starts_on", "ends_on", "status", "status_label", "tasks_text"]
        read_only_fields = fields


class CampaignSerializer(serializers.ModelSerializer):
    phases = PhaseSerializer(many=True, read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "name", "kind", "kind_label", "level", "document_no", "issuer", "district", "streets",
                  "violation_types", "starts_on", "ends_on", "goals", "compiled_at", "phases"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProblemEvidence
        fields = ["kind", "complaint", "community", "structure", "duty_check"]
        read_only_fields = fields


class ProblemSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    source_label = serializers.CharField(source="get_source_display", read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True)

    class Meta:
        model = Problem
        fields = ["id", "campaign", "source", "source_label", "key", "title", "detail", "street", "street_name",
                  "community", "violation_type", "department", "weight", "status", "compiled_at", "evidence"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    owner = serializers.SerializerMethodField(help_text="责任部门或街镇的名称")
    overdue = serializers.SerializerMethodField(help_text="未完成且已过完成期限")
    case_numbers = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = ["id", "campaign", "phase", "problem", "title", "detail", "owner_department", "owner_street",
                  "owner", "starts_on", "working_days", "due_on", "progress", "status", "done_on", "progress_note",
                  "overdue", "case_numbers"]
        read_only_fields = fields

    def get_owner(self, obj) -> str:
        return str(obj.owner)

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(self.context.setdefault("_today", timezone.localdate()))

    def get_case_numbers(self, obj) -> list[str]:
        return [c.number for c in obj.cases.all()]


class ProgressInput(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    cases = serializers.ListField(child=serializers.CharField(max_length=32), required=False,
                                  help_text="案件编号；给出时替换关联案件")


class CampaignFilter(django_filters.FilterSet):
    campaign = django_filters.NumberFilter(field_name="campaign_id")


class CampaignViewSet(RestrictedReadOnlyViewSet):
    queryset = Campaign.objects.prefetch_related("phases", "streets", "violation_types").order_by("-starts_on", "pk")
    serializer_class = CampaignSerializer
    permission_classes = [MayPermission.of(policy.CAMPAIGN_LIST)]


class ProblemViewSet(RestrictedReadOnlyViewSet):
    queryset = Problem.objects.select_related("street").prefetch_related("evidence").order_by("campaign", "pk")
    serializer_class = ProblemSerializer
    filterset_class = CampaignFilter
    permission_classes = [MayPermission.of(policy.CAMPAIGN_LIST)]


class TaskViewSet(RestrictedReadOnlyViewSet):
    queryset = Task.objects.select_related("owner_department", "owner_street").prefetch_related("cases").order_by(
        "due_on", "pk")
    serializer_class = TaskSerializer
    filterset_class = CampaignFilter
    permission_classes = [MayPermission.of(policy.CAMPAIGN_LIST)]

    @extend_schema(request=ProgressInput, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        """The task's progress (0–100; 100 completes it), its note and, when `cases` is given, its linked cases."""
        task = object_or_404(Task.objects.restrict(request.user, "view"), pk)
        if not may(request.user, policy.CAMPAIGN_TASK_UPDATE, task):
            raise PermissionDenied("您只能查看该任务 / you may read this task but not update it")
        v = ProgressInput(data=request.data)
        v.is_valid(raise_exception=True)
        cases = None
        if "cases" in v.validated_data:
            numbers = v.validated_data["cases"]
            found = {c.number: c for c in EnforcementCase.objects.restrict(request.user, "view")
                     .filter(number__in=numbers)}
            if missing := [n for n in numbers if n not in found]:
                raise serializers.ValidationError(
                    {"cases": [f"找不到案件或不在您的范围内：{'、'.join(missing)} / cases not found"]})
            cases = list(found.values())
        services.task_progress(task=task, actor=request.user, progress=v.validated_data["progress"],
                               note=v.validated_data["note"], cases=cases)
        return Response(TaskSerializer(Task.objects.get(pk=task.pk), context=self.get_serializer_context()).data)

    @extend_schema(responses={200: TaskSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def mine(self, request):
        """我的任务: the open tasks addressed to the user, soonest due first."""
        if not may(request.user, policy.CAMPAIGN_MY_TASKS):
            raise PermissionDenied()
        tasks = selectors.open_tasks_for(request.user).prefetch_related("cases")
        page = self.paginate_queryset(tasks)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def register(router):
    """Add this app's viewsets to the API router."""
    router.register("inventory", StructureViewSet, basename="inventory")
    router.register("campaigns", CampaignViewSet, basename="campaign")
    router.register("campaign-problems", ProblemViewSet, basename="campaign-problem")
    router.register("campaign-tasks", TaskViewSet, basename="campaign-task")
