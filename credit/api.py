"""REST API of the credit app; `register(router)` is called by anju/api_urls.py.

Same scope as the pages (accounts.scope.duty_check_q / credit_q): a record outside it is 404; a record the user
may see but not act on is 403; a refused write (late answer, already decided, missing reasons …) is 400 with the
message in Chinese and English. Every write goes through credit.services; nothing is writable by PATCH.

Endpoints: duty-checks (list, retrieve; answer, attach, decide), credit-records (list, retrieve; dispute),
credit-disputes (list, retrieve; decide), credit-listings (list, retrieve; remove), credit-ranking (list),
credit-rules (list, retrieve)."""
from datetime import date

import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import policy as access
from accounts.policy import MayPermission, may
from accounts.scope import serializer_view
from core.api import BoundedDateField, BoundedDateFilter, IdFilter, RestrictedReadOnlyViewSet, object_or_404
from credit import selectors, services
from credit.choices import DisputeStatus, DutyOutcome, Subject
from credit.models import (
    CreditDispute,
    CreditPolicy,
    CreditRecord,
    CreditRule,
    DutyCheck,
    DutyCheckAttachment,
    PunishmentListing,
)

CANNOT_ANSWER = "只有被检查的物业企业可以说明 / only the company checked can answer"
CANNOT_DECIDE = "您不能认定该履职检查 / you cannot decide this duty check"
CANNOT_ATTACH = "您不能为该履职检查上传材料 / you cannot add files to this duty check"
CANNOT_DISPUTE = "只有被记分的物业企业可以提出异议 / only the company recorded can dispute"
CANNOT_DECIDE_CREDIT = "只有区局领导或区房管局可以处理 / only the bureau's leads or the housing bureau decide"


def _manager_name(serializer, manager) -> str | None:
    if manager is None:
        return None
    return serializer_view(serializer.context, "contact").name(manager.name)


# --- output ------------------------------------------------------------------------------------------

class CreditRuleSerializer(serializers.ModelSerializer):
    status_label = serializers.SerializerMethodField()

    class Meta:
        model = CreditRule
        fields = ["id", "code", "name", "company_points", "manager_points", "basis", "verified", "status_label",
                  "active"]
        read_only_fields = fields

    def get_status_label(self, obj) -> str:
        return "已核实" if obj.verified else "待核实"


class AttachmentSerializer(serializers.ModelSerializer):
    """Metadata only: the file is served by the credit pages' download view, through the same scope."""

    uploaded_by = serializers.StringRelatedField()

    class Meta:
        model = DutyCheckAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "description", "uploaded_by",
                  "uploaded_at"]
        read_only_fields = fields


class DutyCheckSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number")
    violation_type = serializers.CharField(source="case.violation_type.code")
    violation_type_name = serializers.CharField(source="case.violation_type.name")
    community_name = serializers.CharField(source="community.name")
    street_name = serializers.CharField(source="street.name")
    company_name = serializers.CharField(source="company.name")
    project_manager_name = serializers.SerializerMethodField()
    outcome_label = serializers.CharField(source="get_outcome_display")
    prior_report_received_at = serializers.DateTimeField(source="prior_report.received_at", default=None)
    failure_rule = serializers.SlugRelatedField(slug_field="code", read_only=True)
    negligence_case_number = serializers.CharField(source="negligence_case.number", default=None)
    answered_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()
    answer_overdue = serializers.SerializerMethodField(help_text="待认定、未说明且已过说明期限")
    can_answer = serializers.SerializerMethodField()
    can_decide = serializers.SerializerMethodField()

    class Meta:
        model = DutyCheck
        fields = ["id", "case", "case_number", "violation_type", "violation_type_name", "community",
                  "community_name", "street", "street_name", "company", "company_name", "project_manager",
                  "project_manager_name", "discovered", "dissuaded", "stopped", "reported", "prior_report",
                  "prior_report_received_at", "answer_due", "answer_overdue", "statement", "answered_by",
                  "answered_at", "outcome", "outcome_label", "failure_rule", "reasons", "decided_by", "decided_at",
                  "negligence_case", "negligence_case_number", "created_at", "can_answer", "can_decide"]
        read_only_fields = fields

    def get_project_manager_name(self, obj) -> str | None:
        return _manager_name(self, obj.project_manager)

    def get_answer_overdue(self, obj) -> bool:
        return (obj.outcome == DutyOutcome.PENDING and obj.answered_at is None
                and obj.answer_due < timezone.localdate())

    def get_can_answer(self, obj) -> bool:
        user = self.context["request"].user
        if not hasattr(obj, "may_answer"):
            return selectors.can_answer(user, obj)
        return (obj.may_answer and may(user, access.DUTY_CHECK_ANSWER) and obj.outcome == DutyOutcome.PENDING
                and timezone.localdate() <= obj.answer_due)

    def get_can_decide(self, obj) -> bool:

        user = self.context["request"].user
        if not hasattr(obj, "may_decide"):
            return selectors.can_decide(user, obj)
        return obj.may_decide and may(user, access.DUTY_CHECK_DECIDE) and obj.outcome == DutyOutcome.PENDING


class DutyCheckDetailSerializer(DutyCheckSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta(DutyCheckSerializer.Meta):
        fields = DutyCheckSerializer.Meta.fields + ["attachments"]
        read_only_fields = fields


class CreditRecordSerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.name")
    project_manager_name = serializers.SerializerMethodField()
    subject_label = serializers.CharField(source="get_subject_display")
    rule = serializers.SlugRelatedField(slug_field="code", read_only=True)
    rule_name = serializers.CharField(source="rule.name")
    case_number = serializers.CharField(source="case.number")
    counts = serializers.SerializerMethodField(help_text="今天是否计入统计周期（未失效）")
    corrected = serializers.SerializerMethodField(help_text="已被修正记录冲销")
    dispute_due = serializers.SerializerMethodField()
    disputes = serializers.SerializerMethodField()

    class Meta:
        model = CreditRecord
        fields = ["id", "subject", "subject_label", "company", "company_name", "project_manager",
                  "project_manager_name", "rule", "rule_name", "points", "case", "case_number", "fine", "duty_check",
                  "occurred_on", "expires_on", "counts", "reverses", "corrected", "note", "created_at",
                  "dispute_due", "disputes"]
        read_only_fields = fields

    def get_project_manager_name(self, obj) -> str | None:
        return _manager_name(self, obj.project_manager)

    def _policy(self) -> CreditPolicy:
        if "_policy" not in self.context:
            self.context["_policy"] = CreditPolicy.current()
        return self.context["_policy"]

    def get_counts(self, obj) -> bool:
        return selectors.record_counts(obj, policy=self._policy())

    def get_corrected(self, obj) -> bool:
        if hasattr(obj, "is_corrected"):
            return obj.is_corrected
        return CreditRecord.objects.filter(reverses=obj).exists()

    def get_dispute_due(self, obj) -> date | None:
        return None if obj.reverses_id else selectors.dispute_due(obj, self._policy())

    def get_disputes(self, obj) -> list[dict]:
        return [{"id": d.id, "status": d.status} for d in obj.disputes.all()]


class CreditDisputeSerializer(serializers.ModelSerializer):
    company = serializers.IntegerField(source="record.company_id")
    company_name = serializers.CharField(source="record.company.name")
    points = serializers.IntegerField(source="record.points")
    status_label = serializers.CharField(source="get_status_display")
    lodged_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = CreditDispute
        fields = ["id", "record", "company", "company_name", "points", "reason", "lodged_by", "created_at",
                  "decide_due", "status", "status_label", "decision", "decided_by", "decided_at"]
        read_only_fields = fields


class ListingSerializer(serializers.ModelSerializer):
    company_name = serializers.CharField(source="company.name")
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = PunishmentListing
        fields = ["id", "company", "company_name", "listed_on", "points", "window_start", "reason", "removed_on",
                  "removal_reason", "is_open"]
        read_only_fields = fields

    def get_is_open(self, obj) -> bool:
        return obj.removed_on is None


RANKING_ROW = {
    "company_id": serializers.IntegerField(), "name": serializers.CharField(), "credit_code": serializers.CharField(),
    "points": serializers.IntegerField(), "failed_checks": serializers.IntegerField(),
    "checks": serializers.IntegerField(), "complaints": serializers.IntegerField(),
    "communities": serializers.IntegerField(), "households": serializers.IntegerField(),
    "complaints_per_1000_households": serializers.FloatField(allow_null=True), "listed": serializers.BooleanField(),
    "rank": serializers.IntegerField(help_text="失信记分排名：按统计周期内失信记分从高到低，1 = 记分最多（信用最差），"
                                               "并列者同名次"),
    "of": serializers.IntegerField(help_text="参与排名的企业数")}


@extend_schema_serializer(many=False)  # one object, although it answers the viewset's "list"
class CreditRankingSerializer(serializers.Serializer):
    on = serializers.DateField()
    window_months = serializers.IntegerField()
    threshold = serializers.IntegerField()
    verified = serializers.BooleanField()
    rows = inline_serializer("CreditRankingRow", RANKING_ROW, many=True)


# --- input -------------------------------------------------------------------------------------------

class AnswerInput(serializers.Serializer):
    statement = serializers.CharField(max_length=4000)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=20,
                                  help_text="证明材料（multipart，可多个）")
    discovered = serializers.BooleanField(required=False, allow_null=True, default=None)
    dissuaded = serializers.BooleanField(required=False, allow_null=True, default=None)
    stopped = serializers.BooleanField(required=False, allow_null=True, default=None)
    reported = serializers.BooleanField(required=False, allow_null=True, default=None)


class AttachInput(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class DecideInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DutyOutcome.choices, help_text="FULFILLED（已履职）或 FAILED（未履职）")
    reasons = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    failure_rule = serializers.SlugRelatedField(slug_field="code", queryset=CreditRule.objects.filter(active=True),
                                                required=False, allow_null=True, default=None,
                                                help_text="失信行为代码（认定未履职时必填），见 credit-rules")
    discovered = serializers.BooleanField(required=False, allow_null=True, default=None)
    dissuaded = serializers.BooleanField(required=False, allow_null=True, default=None)
    stopped = serializers.BooleanField(required=False, allow_null=True, default=None)
    reported = serializers.BooleanField(required=False, allow_null=True, default=None)


class DisputeInput(serializers.Serializer):
    reason = serializers.CharField(max_length=4000)


class DisputeDecisionInput(serializers.Serializer):
    upheld = serializers.BooleanField(help_text="true：异议成立，以修正记录冲销记分")
    decision = serializers.CharField(max_length=4000)


class RemoveInput(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


def _may(user, check: DutyCheck, action: str) -> bool:
    """Who may act on a check at all (its state is the service's business): the company answers, the
    officers of its street and the bureau decide (accounts.policy)."""
    return may(user, access.DUTY_CHECK_ANSWER if action == "answer" else access.DUTY_CHECK_DECIDE, check)


class RankingInput(serializers.Serializer):
    on = BoundedDateField(required=False, allow_null=True, default=None, help_text="统计日，默认今天")


def _input(serializer_class, data):
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- filters -----------------------------------------------------------------------------------------

class DutyCheckFilter(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(choices=DutyOutcome.choices)
    company = IdFilter(field_name="company_id")
    street = IdFilter(field_name="street_id")
    community = IdFilter(field_name="community_id")
    answered = django_filters.BooleanFilter(field_name="answered_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = DutyCheck
        fields = ["outcome", "company", "street", "community", "answered"]


class CreditRecordFilter(django_filters.FilterSet):
    company = IdFilter(field_name="company_id")
    manager = IdFilter(field_name="project_manager_id")
    subject = django_filters.ChoiceFilter(choices=Subject.choices)
    occurred_from = BoundedDateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_to = BoundedDateFilter(field_name="occurred_on", lookup_expr="lte")

    class Meta:
        model = CreditRecord
        fields = ["company", "manager", "subject", "occurred_from", "occurred_to"]


class DisputeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=DisputeStatus.choices)
    company = IdFilter(field_name="record__company_id")

    class Meta:
        model = CreditDispute
        fields = ["status", "company"]


class ListingFilter(django_filters.FilterSet):
    open = django_filters.BooleanFilter(field_name="removed_on", lookup_expr="isnull", help_text="true：仍在名单中")
    company = IdFilter(field_name="company_id")

    class Meta:
        model = PunishmentListing
        fields = ["open", "company"]


# --- viewsets ----------------------------------------------------------------------------------------

class DutyCheckViewSet(RestrictedReadOnlyViewSet):
    permission_classes = [IsAuthenticated, MayPermission.of(access.DUTY_CHECK_LIST, access.CREDIT_MINE)]
    queryset = DutyCheck.objects.select_related(
        "case", "case__violation_type", "community", "street", "company", "project_manager", "prior_report",
        "failure_rule", "negligence_case", "answered_by", "decided_by")
    serializer_class = DutyCheckSerializer
    filterset_class = DutyCheckFilter
    ordering_fields = ["created_at", "answer_due"]
    ordering = ["-created_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        return DutyCheckSerializer if self.action == "list" else DutyCheckDetailSerializer

    def _visible(self, pk) -> DutyCheck:
        return object_or_404(DutyCheck.objects.restrict(self.request.user, "view"), pk)

    def _response(self, pk, code=status.HTTP_200_OK):
        check = self.get_queryset().get(pk=pk)
        return Response(DutyCheckDetailSerializer(check, context=self.get_serializer_context()).data, status=code)

    def get_queryset(self):
        user = self.request.user
        qs = super().get_queryset().annotate(
            may_answer=Exists(DutyCheck.objects.restrict(user, "answer").filter(pk=OuterRef("pk"))),
            may_decide=Exists(DutyCheck.objects.restrict(user, "decide").filter(pk=OuterRef("pk"))))
        return qs if self.action == "list" else qs.prefetch_related("attachments__uploaded_by")

    @extend_schema(request={"multipart/form-data": AnswerInput, "application/json": AnswerInput},
                   responses={200: DutyCheckDetailSerializer, 400: None, 403: None, 404: None})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The company's statement with its evidence files (multipart `files`), before the deadline."""
        check = self._visible(pk)
        if not _may(request.user, check, "answer"):
            raise PermissionDenied(CANNOT_ANSWER)
        v = _input(AnswerInput, request.data)
        services.duty_check_answer(check=check, actor=request.user, statement=v["statement"], files=v["files"],
                                   discovered=v["discovered"], dissuaded=v["dissuaded"], stopped=v["stopped"],
                                   reported=v["reported"])
        return self._response(check.pk)

    @extend_schema(request={"multipart/form-data": AttachInput}, responses={201: AttachmentSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attach(self, request, pk=None):
        """One more file, by the company (before its deadline) or by an officer handling the check."""
        check = self._visible(pk)
        user = request.user
        if not (_may(user, check, "answer") or _may(user, check, "decide")):
            raise PermissionDenied(CANNOT_ATTACH)
        v = _input(AttachInput, request.data)
        attachment = services.duty_check_attach(check=check, actor=user, upload=v["file"],
                                                description=v["description"])
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecideInput, responses={200: DutyCheckDetailSerializer, 400: None, 403: None})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """认定: FULFILLED, or FAILED with reasons and the kind of failure (opens a PROPERTY_NEGLIGENCE case)."""
        check = self._visible(pk)
        user = request.user
        if not _may(user, check, "decide"):
            raise PermissionDenied(CANNOT_DECIDE)
        v = _input(DecideInput, request.data)
        duties = {k: v[k] for k in services.DUTIES if v[k] is not None}
        services.duty_check_decide(check=check, actor=user, outcome=v["outcome"], reasons=v["reasons"],
                                   failure_rule=v["failure_rule"], **duties)
        return self._response(check.pk)


class CreditRecordViewSet(RestrictedReadOnlyViewSet):
    """失信记分台账 (ledger): corrections are records too, with `reverses` set."""

    permission_classes = [IsAuthenticated, MayPermission.of(access.CREDIT_OVERVIEW, access.CREDIT_MINE)]
    queryset = CreditRecord.objects.select_related("company", "project_manager", "rule", "case").prefetch_related(
        "disputes").annotate(is_corrected=Exists(CreditRecord.objects.filter(reverses=OuterRef("pk"))))
    serializer_class = CreditRecordSerializer
    filterset_class = CreditRecordFilter
    ordering_fields = ["occurred_on", "points"]
    ordering = ["-occurred_on", "-id"]

    @extend_schema(request=DisputeInput, responses={201: CreditDisputeSerializer, 400: None, 403: None})
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        """异议: the company disputes the record within the deadline."""
        record = object_or_404(CreditRecord.objects.restrict(request.user, "view"), pk)
        if not may(request.user, access.CREDIT_DISPUTE, record):
            raise PermissionDenied(CANNOT_DISPUTE)
        v = _input(DisputeInput, request.data)
        dispute = services.credit_dispute_lodge(record=record, actor=request.user, reason=v["reason"])
        return Response(CreditDisputeSerializer(dispute).data, status=status.HTTP_201_CREATED)


class CreditDisputeViewSet(RestrictedReadOnlyViewSet):
    permission_classes = [IsAuthenticated, MayPermission.of(access.CREDIT_OVERVIEW, access.CREDIT_MINE)]
    queryset = CreditDispute.objects.select_related("record", "record__company", "lodged_by", "decided_by")
    serializer_class = CreditDisputeSerializer
    filterset_class = DisputeFilter
    ordering_fields = ["created_at", "decide_due"]
    ordering = ["-created_at"]

    @extend_schema(request=DisputeDecisionInput, responses={200: CreditDisputeSerializer, 400: None, 403: None})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Upheld: a correction record reverses the points; rejected: the record stands."""
        dispute = object_or_404(CreditDispute.objects.restrict(request.user, "view"), pk)
        if not may(request.user, access.CREDIT_DECIDE, dispute):
            raise PermissionDenied(CANNOT_DECIDE_CREDIT)
        v = _input(DisputeDecisionInput, request.data)
        dispute = services.credit_dispute_decide(dispute=dispute, actor=request.user, upheld=v["upheld"],
                                                 decision=v["decision"])
        return Response(CreditDisputeSerializer(dispute).data)


class ListingViewSet(RestrictedReadOnlyViewSet):
    """联合信用惩戒名单: `?open=true` for the list as it stands."""

    permission_classes = [IsAuthenticated, MayPermission.of(access.CREDIT_OVERVIEW, access.CREDIT_MINE)]
    queryset = PunishmentListing.objects.select_related("company")
    serializer_class = ListingSerializer
    filterset_class = ListingFilter
    ordering_fields = ["listed_on", "points"]
    ordering = ["-listed_on", "-id"]

    @extend_schema(request=RemoveInput, responses={200: ListingSerializer, 400: None, 403: None})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """移出名单, with the reason of the decision."""
        listing = object_or_404(PunishmentListing.objects.restrict(request.user, "view"), pk)
        if not may(request.user, access.CREDIT_DECIDE, listing):
            raise PermissionDenied(CANNOT_DECIDE_CREDIT)
        v = _input(RemoveInput, request.data)
        listing = services.listing_remove(listing=listing, actor=request.user, reason=v["reason"])
        return Response(ListingSerializer(listing).data)


class CreditRuleViewSet(RestrictedReadOnlyViewSet):
    """失信行为记分标准: the points table the administrator edits (unverified values marked 待核实)."""

    queryset = CreditRule.objects.all()
    serializer_class = CreditRuleSerializer
    ordering = ["-company_points", "code"]
    pagination_class = None


class RankingViewSet(viewsets.ViewSet):
    """Company ranking by points in the rolling window; a company sees its own row (with its true rank)."""

    permission_classes = [IsAuthenticated, MayPermission.of(access.CREDIT_OVERVIEW, access.CREDIT_MINE)]

    @extend_schema(parameters=[RankingInput], responses=CreditRankingSerializer)
    def list(self, request):
        on = _input(RankingInput, request.query_params)["on"] or timezone.localdate()
        policy = CreditPolicy.current()
        rows = selectors.company_ranking(user=request.user, on=on)
        return Response({"on": on, "window_months": policy.window_months, "threshold": policy.threshold,
                         "verified": policy.verified, "rows": rows})


def register(router):
    """Add this app's viewsets to the API router."""
    router.register("duty-checks", DutyCheckViewSet)
    router.register("credit-records", CreditRecordViewSet)
    router.register("credit-disputes", CreditDisputeViewSet)
    router.register("credit-listings", ListingViewSet)
    router.register("credit-rules", CreditRuleViewSet)
    router.register("credit-ranking", RankingViewSet, basename="credit-ranking")
