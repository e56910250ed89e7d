"""Cases API: list and read cases in scope; one POST endpoint per kind of write. Every state change goes
through `cases.services.case_transition` — the same table of moves, requirements and version check as the
pages — and the state is never writable directly (no PUT/PATCH).

Errors: a refused move or bad input is 400 with the message in Chinese and English (api/exceptions.py);
a move made on a stale version is 409 with the case's current version; a case outside the user's scope
is 404, a case the user may see but not handle is 403.
"""
from datetime import date

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import policy
from accounts.models import User
from accounts.policy import MayPermission, may
from accounts.scope import serializer_view
from cases import fines, indicators, selectors, services, workflow
from cases.choices import CaseState, PartyKind, PartyRole, ReCheckResult, ReviewResult, ServiceManner
from cases.models import CaseTransition, EnforcementCase, Evidence, Fine, Party, ReCheck, SupervisionOrder
from core.api import (
    ID_MAX,
    BoundedDateField,
    BoundedDateTimeField,
    IdField,
    IdFilter,
    RestrictedReadOnlyViewSet,
    object_or_404,
)
from core.errors import ApplicationError
from registry.choices import Measure
from registry.models import Department, PropertyCompany

ACTIONS = sorted({m.action for m in workflow.MOVES})
VERSION_HELP = "客户端看到的案件版本；已被他人更新时返回 409"
CANNOT_HANDLE = "您不能办理该案件 / you cannot handle this case"
NOT_IN_SCOPE = "找不到该诉件或不在您的范围内 / complaint not found or not in your scope"


# --- output ------------------------------------------------------------------------------------

def move_dict(move: workflow.Move) -> dict:
    return {"action": move.action, "label": move.label, "target": move.target, "needs": list(move.needs)}


class PartySerializer(serializers.ModelSerializer):
    """ID numbers and phones masked unless the role needs them (accounts.scope.PERSONAL_DATA_ACCESS)."""

    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["id", "role", "kind", "name", "id_number", "phone", "address", "property_company"]
        read_only_fields = fields

    def get_id_number(self, obj) -> str:
        return serializer_view(self.context, "party").id_number(obj.id_number)

    def get_phone(self, obj) -> str:
        return serializer_view(self.context, "party").phone(obj.phone)


class TransitionSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()

    class Meta:
        model = CaseTransition
        fields = ["id", "action", "from_state", "to_state", "actor", "at", "reason", "payload"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    """Metadata only: the file itself is served by the case pages' download view, through the same scope."""

    uploaded_by = serializers.StringRelatedField()

    class Meta:
        model = Evidence
        fields = ["id", "kind", "content_type", "original_name", "size", "sha256", "description", "stage",
                  "transition", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class FineSerializer(serializers.ModelSerializer):
    party_name = serializers.CharField(source="party.name", default=None)
    document_number = serializers.CharField(source="document.number", default=None,
                                            help_text="载明该罚款的行政处罚决定书文书号")

    class Meta:
        model = Fine
        fields = ["id", "amount", "party", "party_name", "decided_at", "document", "document_number", "status",
                  "paid_at", "is_final"]
        read_only_fields = fields


class SupervisionSerializer(serializers.ModelSerializer):
    issued_by = serializers.StringRelatedField()
    responded_by = serializers.StringRelatedField()

    class Meta:
        model = SupervisionOrder
        fields = ["id", "instruction", "issued_by", "issued_at", "response_due", "response", "responded_by",
                  "responded_at", "status"]
        read_only_fields = fields


class PenaltyItemSerializer(serializers.Serializer):
    party = serializers.IntegerField()
    party_name = serializers.CharField()
    range = serializers.IntegerField(help_text="罚款幅度ID（registry.FineRange）")
    range_text = serializers.CharField(help_text="幅度及其法律依据")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    unit = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class UnpaidFineSerializer(serializers.Serializer):
    fine = serializers.IntegerField()
    party_name = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    due = serializers.DateField(allow_null=True, help_text="缴纳期限（决定书送达之日起15日）")
    overdue = serializers.BooleanField()
    surcharge = serializers.DecimalField(max_digits=12, decimal_places=2,
                                         help_text="截至今日的加处罚款（每日3%，不超过罚款本数）")


class PenaltySerializer(serializers.Serializer):
    """The penalty procedure (cases.selectors.procedure_view): parties by name only, never their ID numbers or
    phones."""

    procedure = serializers.CharField(source="procedure.procedure", default=None)
    decision_due = serializers.DateField(allow_null=True)
    decision_due_flag = serializers.CharField(help_text="overdue（超期）、soon（临期）或空")
    items = PenaltyItemSerializer(many=True, help_text="拟处罚（复核减轻后为减轻后的内容）")
    first_items = PenaltyItemSerializer(many=True, help_text="告知时的拟处罚")
    hearing_offered = serializers.BooleanField(source="procedure.hearing_offered", default=False)
    notice_number = serializers.CharField(source="procedure.notice.number", default=None)
    notice_served_on = serializers.DateField(source="procedure.notice_served_on", default=None)
    notice_service_manner = serializers.CharField(source="procedure.notice_service_manner", default="")
    defence_until = serializers.DateField(default=None)
    statement = serializers.CharField(source="procedure.statement", default="")
    statement_on = serializers.DateField(source="procedure.statement_on", default=None)
    waived = serializers.BooleanField(source="procedure.waived", default=False)
    review_result = serializers.CharField(source="procedure.review_result", default="")
    review_text = serializers.CharField(source="procedure.review_text", default="")
    hearing_requested_on = serializers.DateField(source="procedure.hearing_requested_on", default=None)
    hearing_at = serializers.DateTimeField(source="procedure.hearing_at", default=None)
    hearing_place = serializers.CharField(source="procedure.hearing_place", default="")
    hearing_presider = serializers.CharField(source="procedure.hearing_presider", default=None)
    hearing_record = serializers.CharField(source="procedure.hearing_record", default="")
    legal_opinion = serializers.CharField(source="procedure.legal_opinion", default="")
    legal_reviewer = serializers.CharField(source="procedure.legal_reviewer", default=None)
    legal_reviewed_at = serializers.DateTimeField(source="procedure.legal_reviewed_at", default=None)
    discussion_on = serializers.DateField(source="procedure.discussion_on", default=None)
    discussion_participants = serializers.CharField(source="procedure.discussion_participants", default="")
    approved_by = serializers.CharField(source="procedure.approved_by", default=None)
    approved_at = serializers.DateTimeField(source="procedure.approved_at", default=None)
    decision_served_on = serializers.DateField(source="procedure.decision_served_on", default=None)
    decision_service_manner = serializers.CharField(source="procedure.decision_service_manner", default="")
    urged_on = serializers.DateField(source="procedure.urged_on", default=None)
    court_applied_on = serializers.DateField(source="procedure.court_applied_on", default=None)
    court = serializers.CharField(source="procedure.court", default="")
    unpaid = UnpaidFineSerializer(many=True, help_text="未缴纳的罚款：缴纳期限与今日加处罚款")


class CaseSerializer(serializers.ModelSerializer):
    violation_type = serializers.CharField(source="violation_type.code")
    violation_type_name = serializers.CharField(source="violation_type.name")
    community_name = serializers.CharField(source="community.name", default=None)
    street_name = serializers.CharField(source="street.name")
    officer_name = serializers.CharField(source="officer", default=None)
    co_officer_name = serializers.CharField(source="co_officer", default=None)
    state_label = serializers.CharField(source="get_state_display")
    deadline = serializers.SerializerMethodField(help_text="overdue（超期）、due_soon（临期）或空")
    referred_to = serializers.CharField(source="referred_to.code", default=None)
    available_moves = serializers.SerializerMethodField()

    class Meta:
        model = EnforcementCase
        fields = ["id", "number", "violation_type", "violation_type_name", "community", "community_name", "street",
                  "street_name", "location", "summary", "officer", "officer_name", "co_officer", "co_officer_name",
                  "state", "state_label",
                  "state_entered_at", "state_due", "deadline", "version", "in_progress", "measures", "decision",
                  "rectify_due", "referred_to", "closed_at", "closing_reason", "reopened_from", "created_at",
                  "available_moves"]
        read_only_fields = fields

    def get_deadline(self, obj) -> str:
        today = self.context.setdefault("_today", timezone.localdate())
        return indicators.deadline_flag(obj, today)

    def get_available_moves(self, obj) -> list[dict]:
        return [move_dict(m) for m in services.available_moves(obj, self.context["request"].user)]


class CaseDetailSerializer(CaseSerializer):
    parties = PartySerializer(many=True, read_only=True)
    penalty = serializers.SerializerMethodField(help_text="行政处罚程序；未进入程序的案件为 null")
    transitions = TransitionSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    supervisions = SupervisionSerializer(many=True, read_only=True)
    fines = FineSerializer(many=True, read_only=True)

    class Meta(CaseSerializer.Meta):
        fields = CaseSerializer.Meta.fields + ["findings", "decision_due", "penalty", "parties", "transitions",
                                               "evidence", "supervisions", "fines"]
        read_only_fields = fields

    @extend_schema_field(PenaltySerializer(allow_null=True))
    def get_penalty(self, obj):
        view = selectors.procedure_view(self.context["request"].user, obj)
        return None if view is None else PenaltySerializer(view).data


class RepeatCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    violation_type = serializers.CharField()
    state = serializers.CharField()
    same_party = serializers.BooleanField()
    same_flat = serializers.BooleanField()


class RepeatComplaintSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()


class RepeatSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="此前的案件数（仅本人范围内）")
    cases = RepeatCaseSerializer(many=True)
    complaints = RepeatComplaintSerializer(many=True)


class ReCheckSerializer(serializers.ModelSerializer):
    case_number = serializers.CharField(source="case.number")
    violation_type = serializers.CharField(source="case.violation_type.code")
    status_label = serializers.CharField(source="get_status_display")
    result = serializers.ChoiceField(choices=ReCheckResult.choices, allow_blank=True, read_only=True,
                                     help_text="回头看结果：CLEAN 未回潮，RECURRED 回潮；未回头看时为空")
    result_label = serializers.CharField(source="get_result_display")
    overdue = serializers.SerializerMethodField()
    done_by_name = serializers.CharField(source="done_by", default=None)

    class Meta:
        model = ReCheck
        fields = ["id", "case", "case_number", "violation_type", "closed_at", "round", "due", "status",
                  "status_label", "overdue", "result", "result_label", "note", "done_at", "done_by", "done_by_name",
                  "follow_up"]
        read_only_fields = fields

    def get_overdue(self, obj) -> bool:
        return obj.status == "DUE" and obj.due < self.context.setdefault("_today", timezone.localdate())


# --- input -------------------------------------------------------------------------------------

class PenaltyInput(serializers.Serializer):
    party = IdField(help_text="本案当事人ID")
    range = IdField(help_text="罚款幅度ID（本违法行为罚则中的幅度）")
    amount = serializers.CharField(max_length=20, help_text="罚款金额（元），如 \"5000\"")
    quantity = serializers.CharField(max_length=20, required=False, allow_null=True, allow_blank=True, default=None,
                                     help_text="计罚数量（按平方米、人数或倍数计罚时）")


@extend_schema_field(PenaltyInput(many=True))
class PenaltyListField(serializers.JSONField):
    """The intended fines as sent; their shape, ids and amounts are checked by cases.penalties.check_items, whose
    refusals are the bilingual 400 of every business rule (the same checks as the page's)."""


class MoveInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    version = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text=VERSION_HELP)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    decision = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    measures = serializers.ListField(child=serializers.ChoiceField(choices=Measure.choices), required=False,
                                     default=list, help_text="处理措施（作出处理决定、进一步处理时）")
    measures_done = serializers.ListField(child=serializers.ChoiceField(choices=Measure.choices), required=False,
                                          default=list, help_text="已执行到位的措施，如 RESTORE（恢复原状）")
    rectify_due = BoundedDateField(required=False, allow_null=True, default=None)
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all(), required=False,
                                              allow_null=True, default=None, help_text="移交部门代码")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list, max_length=20,
                                  help_text="随本次操作上传的证据（multipart）；决定书送达时为送达回证")
    # the penalty procedure (cases.rules REQUIREMENTS): only the keys a move's needs read are used
    findings = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="",
                                     help_text="查明的违法事实")
    penalty = PenaltyListField(required=False, default=list,
                               help_text="拟处罚：每名当事人一项（事先告知、当场处罚；复核减轻时为减轻后的内容）")
    served_on = BoundedDateField(required=False, allow_null=True, default=None, help_text="送达日期（催告书送达日期）")
    manner = serializers.ChoiceField(choices=ServiceManner.choices, required=False, allow_blank=True, default="",
                                     help_text="送达方式")
    statement = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    statement_on = BoundedDateField(required=False, allow_null=True, default=None)
    review_result = serializers.ChoiceField(choices=ReviewResult.choices, required=False, allow_blank=True,
                                            default="")
    review_text = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    requested_on = BoundedDateField(required=False, allow_null=True, default=None, help_text="申请听证日期")
    hearing_at = BoundedDateTimeField(required=False, allow_null=True, default=None)
    hearing_place = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    presider = IdField(required=False, allow_null=True, default=None,
                       help_text="听证主持人（用户ID）：非本案调查人员")
    hearing_record = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    opinion = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="",
                                    help_text="法制审核意见")
    minutes = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")
    participants = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    discussion_on = BoundedDateField(required=False, allow_null=True, default=None)
    extend_days = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=90,
                                           help_text="延长办案期限的天数")
    court = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


PROCEDURE_KEYS = ("findings", "served_on", "manner", "statement", "statement_on", "review_result", "review_text",
                  "requested_on", "hearing_at", "hearing_place", "hearing_record", "opinion", "minutes",
                  "participants", "discussion_on", "extend_days", "court")


class CoOfficerInput(serializers.Serializer):
    co_officer = IdField(help_text="协办队员（用户ID）：负责案件所在街镇、已登记执法证号的另一名执法队员")
    version = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text=VERSION_HELP)


class AssignInput(serializers.Serializer):
    officer = IdField(help_text="承办队员（用户ID）：须为负责案件所在街镇的执法队员")
    version = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text=VERSION_HELP)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="",
                                   help_text="理由；改派（已有承办队员）时必填")


class ClaimInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text=VERSION_HELP)


class InProgressInput(serializers.Serializer):
    in_progress = serializers.BooleanField(help_text="true：正在搭建（新增违建）；false：存量违建")
    version = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text=VERSION_HELP)
    reason = serializers.CharField(max_length=1000, help_text="认定理由")


class OfficerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")
    username = serializers.CharField()


class PartyInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=PartyRole.choices)
    kind = serializers.ChoiceField(choices=PartyKind.choices, required=False, default=None, allow_null=True)
    name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")
    address = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    property_company = IdField(required=False, allow_null=True, default=None,
                                                help_text="物业服务企业ID（物业未履职案件的当事人）")


class EvidenceInput(serializers.Serializer):
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class ReCheckInput(serializers.Serializer):
    result = serializers.ChoiceField(choices=ReCheckResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    files = serializers.ListField(child=serializers.FileField(), min_length=1, max_length=20,
                                  help_text="现场照片（至少一张）")
    confirm = serializers.BooleanField(help_text="确认提交（提交后不能更改）；须为 true")

    def validate_confirm(self, value):
        if not value:
            raise serializers.ValidationError("请确认提交（提交后不能更改） / confirm the submission")
        return value


class OpenInput(serializers.Serializer):
    complaint = IdField()
    officer = IdField(required=False, allow_null=True, default=None, help_text="承办队员ID")


class SuperviseInput(serializers.Serializer):
    instruction = serializers.CharField(max_length=2000)
    response_days = serializers.IntegerField(min_value=1, max_value=30, default=3, help_text="回复期限（工作日）")


class RespondInput(serializers.Serializer):
    response = serializers.CharField(max_length=4000)


class PeriodInput(serializers.Serializer):
    by = serializers.ChoiceField(choices=["officer", "street"], default="street")
    start = BoundedDateField(required=False, default=None)
    end = BoundedDateField(required=False, default=None)

    def validate(self, attrs):
        today = timezone.localdate()
        attrs["end"] = attrs["end"] or today
        attrs["start"] = attrs["start"] or date(attrs["end"].year, 1, 1)
        if attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"start": ["起始日期不能晚于截止日期 / start is after end"]})
        return attrs


# --- filters -----------------------------------------------------------------------------------

class CaseApiFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=CaseState.choices)
    violation_type = django_filters.CharFilter(field_name="violation_type__code", help_text="违法类型代码")
    street = IdFilter(field_name="street_id")
    officer = IdFilter(field_name="officer_id")
    number = django_filters.CharFilter(field_name="number", lookup_expr="icontains")
    overdue = django_filters.BooleanFilter(method="by_overdue", help_text="true：超期的在办案件")
    due_soon = django_filters.BooleanFilter(method="by_due_soon", help_text="true：临期（2个工作日内到期）")

    class Meta:
        model = EnforcementCase
        fields = ["state", "violation_type", "street", "officer", "number", "overdue", "due_soon"]

    def by_overdue(self, queryset, name, value):
        q = indicators.overdue_q()
        return queryset.filter(q) if value else queryset.exclude(q)

    def by_due_soon(self, queryset, name, value):
        q = indicators.due_soon_q()
        return queryset.filter(q) if value else queryset.exclude(q)


# --- the viewset -------------------------------------------------------------------------------

class CaseViewSet(RestrictedReadOnlyViewSet):
    queryset = EnforcementCase.objects.select_related("violation_type", "community", "street", "officer",
                                                      "co_officer", "referred_to")
    serializer_class = CaseSerializer
    filterset_class = CaseApiFilter
    ordering_fields = ["state_due", "created_at", "number"]
    ordering = ["-created_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        return CaseSerializer if self.action == "list" else CaseDetailSerializer

    def get_queryset(self):
        qs = super().get_queryset()
        return qs if self.action == "list" else self._with_details(qs)

    @staticmethod
    def _with_details(qs):
        return qs.prefetch_related("parties", "transitions__actor", "evidence__uploaded_by",
                                   "supervisions__issued_by", "supervisions__responded_by",
                                   Prefetch("fines", Fine.objects.select_related("party", "document").order_by("pk")))

    # helpers

    def _visible(self, pk) -> EnforcementCase:
        return object_or_404(EnforcementCase.objects.restrict(self.request.user, "view"), pk)

    def _changeable(self, pk, *, handlers_only=True) -> EnforcementCase:
        """404 outside the user's scope; 403 for a case the user may see but not handle."""
        case = self._visible(pk)
        user = self.request.user
        if handlers_only and not may(user, policy.CASE_HANDLE):
            raise PermissionDenied(CANNOT_HANDLE)
        if not EnforcementCase.objects.restrict(user, "change").filter(pk=case.pk).exists():
            raise PermissionDenied(CANNOT_HANDLE)
        return case

    def _case_response(self, pk, code=status.HTTP_200_OK):
        case = self._with_details(EnforcementCase.objects.select_related(
            "violation_type", "community", "street", "officer", "co_officer", "referred_to")).get(pk=pk)
        return Response(CaseDetailSerializer(case, context=self.get_serializer_context()).data, status=code)

    @staticmethod
    def _input(serializer_class, data):
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    # writes

    @extend_schema(request=MoveInput, responses={200: CaseDetailSerializer, 400: None, 403: None, 409: None})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Make one move of the workflow table (cases.workflow.MOVES)."""
        case = self._changeable(pk, handlers_only=False)
        v = self._input(MoveInput, request.data)
        extra = {key: v[key] for key in PROCEDURE_KEYS if v[key] not in (None, "")}
        if v["penalty"] not in (None, "", []):
            extra["penalty"] = v["penalty"]
        if v["presider"] is not None:
            extra["presider"] = self._presider(case, v["presider"])
        try:
            case = services.case_transition(
                case=case, action=v["action"], actor=request.user, version=v["version"], reason=v["reason"],
                files=v["files"], measures=v["measures"], measures_done=v["measures_done"],
                rectify_due=v["rectify_due"], department=v["department"], decision=v["decision"], **extra)
        except services.StaleCase as exc:
            return self._stale(exc)
        return self._case_response(case.pk)

    def _presider(self, case, pk):
        from cases.forms import presiders

        presider = presiders(self.request.user, case).filter(pk=pk).first()
        if presider is None:
            raise ApplicationError("听证主持人须为本局非本案调查人员（行政处罚法第六十四条）",
                                   "the presiding officer must be a user of the bureau who did not investigate the "
                                   "case (art. 64)", extra={"field": "presider"})
        return presider

    @extend_schema(request=CoOfficerInput, responses={200: CaseDetailSerializer, 400: None, 403: None, 409: None})
    @action(detail=True, methods=["post"], url_path="co-officer")
    def co_officer(self, request, pk=None):
        """协办队员 (行政处罚法 §42): a supervisor or the case's officer names the second certified officer."""
        case = self._changeable(pk)
        v = self._input(CoOfficerInput, request.data)
        officer = User.objects.filter(pk=v["co_officer"], role="OFFICER", is_active=True).first()
        if officer is None:
            raise ApplicationError("该用户不是执法队员", "not an officer", extra={"field": "co_officer"})
        try:
            case = services.case_set_co_officer(case=case, co_officer=officer, actor=request.user,
                                                version=v["version"])
        except services.StaleCase as exc:
            return self._stale(exc)
        return self._case_response(case.pk)

    @staticmethod
    def _stale(exc):
        return Response({"detail": exc.message, "detail_en": exc.message_en, **exc.extra},
                        status=status.HTTP_409_CONFLICT)

    @extend_schema(request=AssignInput, responses={200: CaseDetailSerializer, 400: None, 403: None, 409: None})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """指派 / 改派 the case's officer (区局领导、管理员): any officer working in the case's street; a
        reassignment needs its reason. Recorded on the timeline; the officer is notified."""
        case = self._changeable(pk)
        v = self._input(AssignInput, request.data)
        officer = User.objects.filter(pk=v["officer"], role="OFFICER", is_active=True).first()
        if officer is None:
            raise serializers.ValidationError({"officer": ["该用户不是执法队员 / not an officer"]})
        try:
            case = services.case_assign(case=case, officer=officer, actor=request.user, reason=v["reason"],
                                        version=v["version"])
        except services.StaleCase as exc:
            return self._stale(exc)
        return self._case_response(case.pk)

    @extend_schema(request=ClaimInput, responses={200: CaseDetailSerializer, 400: None, 403: None, 409: None})
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        """认领: an officer takes an unassigned case of his own streets."""
        case = self._changeable(pk)
        v = self._input(ClaimInput, request.data)
        try:
            case = services.case_assign(case=case, officer=request.user, actor=request.user, version=v["version"])
        except services.StaleCase as exc:
            return self._stale(exc)
        return self._case_response(case.pk)

    @extend_schema(responses={200: OfficerSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def officers(self, request, pk=None):
        """The officers this case can be assigned to (those working in its street)."""
        case = self._changeable(pk)
        return Response(OfficerSerializer(services.assignable_officers(case), many=True).data)

    @extend_schema(request=InProgressInput, responses={200: CaseDetailSerializer, 400: None, 403: None, 409: None})
    @action(detail=True, methods=["post"], url_path="in-progress")
    def in_progress(self, request, pk=None):
        """正在搭建 (true) or 存量 (false), before the decision, with the reason: it decides the measures
        the decision must take (cases.rules.MEASURE_RULES)."""
        case = self._changeable(pk)
        v = self._input(InProgressInput, request.data)
        try:
            case = services.case_set_in_progress(case=case, in_progress=v["in_progress"], actor=request.user,
                                                 reason=v["reason"], version=v["version"])
        except services.StaleCase as exc:
            return self._stale(exc)
        return self._case_response(case.pk)

    @extend_schema(request=PartyInput, responses={201: PartySerializer})
    @action(detail=True, methods=["post"])
    def parties(self, request, pk=None):
        """Add a party (当事人) to an open case."""
        case = self._changeable(pk)
        v = self._input(PartyInput, request.data)
        company = None
        if v["property_company"] is not None:
            company = PropertyCompany.objects.restrict(request.user, "view").filter(pk=v["property_company"]).first()
            if company is None:
                raise serializers.ValidationError({"property_company": ["物业企业不存在 / unknown property company"]})
        name = v["name"].strip() or (company.name if company else "")
        if not name:
            raise serializers.ValidationError({"name": ["请填写当事人姓名或名称 / the party's name is required"]})
        kind = v["kind"] or (PartyKind.ORGANISATION if company else PartyKind.PERSON)
        party = services.party_add(
            case=case, actor=request.user, role=v["role"], name=name, kind=kind,
            id_number=v["id_number"] or (company.credit_code if company else ""), phone=v["phone"],
            address=v["address"], property_company=company)
        return Response(PartySerializer(party, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request={"multipart/form-data": EvidenceInput}, responses={201: EvidenceSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        """Upload one evidence file; its type is sniffed from the content and its SHA-256 recorded."""
        case = self._changeable(pk)
        v = self._input(EvidenceInput, request.data)
        evidence = services.evidence_add(case=case, upload=v["file"], actor=request.user,
                                         description=v["description"])
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OpenInput, responses={201: CaseDetailSerializer, 200: CaseDetailSerializer})
    @action(detail=False, methods=["post"], url_path="open-from-complaint")
    def open_from_complaint(self, request):
        """Open a case from a confirmed complaint (or join the open case of its duplicate's original):
        201 for a new case, 200 when the complaint joined an existing one."""
        from intake.models import Complaint

        try:
            services.check_may_open(request.user)
        except ApplicationError as exc:
            raise PermissionDenied(f"{exc.message} / {exc.message_en}") from exc
        v = self._input(OpenInput, request.data)
        complaint = Complaint.objects.restrict(request.user, "change").filter(pk=v["complaint"]).first()
        if complaint is None:
            raise serializers.ValidationError({"complaint": [NOT_IN_SCOPE]})
        officer = None
        if v["officer"] is not None:
            officer = User.objects.filter(pk=v["officer"], role="OFFICER", is_active=True,
                                          streets=complaint.street_id).first()
            if officer is None:
                raise serializers.ValidationError(
                    {"officer": ["该队员不在本街镇执法 / this officer does not work in the complaint's street"]})
        joined = complaint.duplicate_of.case_id if complaint.duplicate_of_id else None
        case = services.case_open_from_complaint(complaint=complaint, actor=request.user, officer=officer)
        return self._case_response(case.pk, status.HTTP_200_OK if case.pk == joined else status.HTTP_201_CREATED)

    @extend_schema(request=SuperviseInput, responses={201: SupervisionSerializer})
    @action(detail=True, methods=["post"])
    def supervise(self, request, pk=None):
        """督办: a supervisor orders action on the case and sets the response deadline."""
        if not may(request.user, policy.CASE_SUPERVISE):
            raise PermissionDenied("只有区局领导/督察可以督办 / only supervisors issue supervision orders")
        case = self._visible(pk)
        v = self._input(SuperviseInput, request.data)
        order = services.supervision_issue(case=case, actor=request.user, instruction=v["instruction"],
                                           response_days=v["response_days"])
        return Response(SupervisionSerializer(order).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RespondInput, responses={200: SupervisionSerializer})
    @action(detail=True, methods=["post"], url_path=r"supervisions/(?P<order_id>[^/]+)/respond")
    def supervision_respond(self, request, pk=None, order_id=None):
        """The case's officer answers a supervision order (any officer of the street while it has none), as on
        the case page: a supervisor does not answer his own order."""
        case = self._visible(pk)
        order = object_or_404(SupervisionOrder.objects.filter(case=case).select_related("case"), order_id)
        if not may(request.user, policy.SUPERVISION_RESPOND, order):
            raise PermissionDenied("督办由案件的承办队员回复 / the case's officer answers a supervision order")
        v = self._input(RespondInput, request.data)
        order = services.supervision_respond(order=order, actor=request.user, response=v["response"])
        return Response(SupervisionSerializer(order).data)

    @extend_schema(request=None, responses={200: FineSerializer, 400: None, 403: None, 404: None})
    @action(detail=True, methods=["post"], url_path=r"fines/(?P<fine_id>[^/]+)/final")
    def fine_final(self, request, pk=None, fine_id=None):
        """处罚决定生效: the review and lawsuit periods have passed, or review or the court upheld the decision.
        Only a fine stated in an issued 行政处罚决定书 becomes final, once. On a PROPERTY_NEGLIGENCE case the
        credit app then puts its points on the company and its project manager (credit.receivers)."""
        case = self._changeable(pk)
        fine = object_or_404(Fine.objects.filter(case=case), fine_id)
        fine = fines.fine_make_final(fine=fine, actor=request.user)
        fine = Fine.objects.select_related("party", "document").get(pk=fine.pk)
        return Response(FineSerializer(fine).data)

    # reads

    @extend_schema(responses=RepeatSerializer)
    @action(detail=True, methods=["get"])
    def repeat(self, request, pk=None):
        """此户/此人：此前的案件 (the same party or flat) and the same flat's complaints — only those in the user's
        scope (cases.repeat)."""
        case = self._visible(pk)
        found = selectors.repeat_offences(request.user, case)
        return Response(RepeatSerializer({
            "count": len(found["cases"]),
            "cases": [{"id": c.pk, "number": c.number, "violation_type": c.violation_type.code, "state": c.state,
                       "same_party": c.pk in found["party"], "same_flat": c.pk in found["flat"]}
                      for c in found["cases"]],
            "complaints": [{"id": c.pk, "received_at": c.received_at} for c in found["complaints"]],
        }).data)

    @extend_schema(parameters=[PeriodInput], responses=inline_serializer("IndicatorRows", {
        "by": serializers.CharField(), "start": serializers.DateField(), "end": serializers.DateField(),
        "rows": serializers.ListField(child=serializers.DictField())}))
    @action(detail=False, methods=["get"], url_path="indicators")
    def indicator_rows(self, request):
        """不作为 / 慢作为 / 乱作为 indicators per officer or per street for a period, in the user's scope."""
        v = self._input(PeriodInput, request.query_params)
        rows = (indicators.officer_rows if v["by"] == "officer" else indicators.street_rows)(
            request.user, v["start"], v["end"])
        return Response({"by": v["by"], "start": v["start"], "end": v["end"], "rows": rows})


# --- 回头看 (R3.6) ---------------------------------------------------------------------------------------

class ReCheckApiFilter(django_filters.FilterSet):
    show = django_filters.ChoiceFilter(choices=[("due", "due"), ("overdue", "overdue"), ("done", "done")],
                                       method="by_show", help_text="due（待回头看）、overdue（已逾期）、done（已完成）")
    case = IdFilter(field_name="case_id")

    class Meta:
        model = ReCheck
        fields = []

    def by_show(self, queryset, name, value):
        return selectors.rechecks(user=self.request.user, show=value).filter(pk__in=queryset.values("pk"))


class ReCheckViewSet(RestrictedReadOnlyViewSet):
    """回头看: the re-checks of the user's cases (same permission as the page: policy RECHECK_LIST), and one POST
    to record a result through cases.services.recheck_record (回潮 reopens the case or opens a linked one)."""

    queryset = ReCheck.objects.select_related("case", "case__violation_type", "done_by")
    serializer_class = ReCheckSerializer
    filterset_class = ReCheckApiFilter
    permission_classes = [IsAuthenticated, MayPermission.of(policy.RECHECK_LIST)]
    ordering = ["due", "pk"]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": ReCheckInput}, responses={200: ReCheckSerializer, 400: None,
                                                                            403: None})
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        """Record the result with photos (at least one); a case outside the scope is 404, one the user may see but
        not handle 403."""
        recheck = object_or_404(ReCheck.objects.restrict(request.user, "view"), pk)
        if not may(request.user, policy.RECHECK_RECORD, recheck):
            raise PermissionDenied(CANNOT_HANDLE)
        serializer = ReCheckInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        v = serializer.validated_data
        recheck = services.recheck_record(recheck=recheck, actor=request.user, result=v["result"], note=v["note"],
                                          files=v["files"])
        return Response(ReCheckSerializer(recheck, context=self.get_serializer_context()).data)
