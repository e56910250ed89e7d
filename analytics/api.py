"""/api/v1/metrics/…: the analytics figures as JSON (CONTRACTS.md), scoped like the pages (analytics.metrics):
a street user gets its own street's figures and the district total; another street's are 403; a property
company is 403. Bad input is a bilingual 400 (core.api)."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from accounts.policy import MayPermission
from analytics import metrics
from analytics.periods import Period, PeriodError
from core import replica
from core.api import BAD_ID, BoundedDateField, IdField

REFUSED = "无权查看该范围的统计数据 / not allowed to see the figures of this unit"


def _date_errors(name: str) -> dict:
    return {"required": f"请提供 {name}（YYYY-MM-DD） / {name} (YYYY-MM-DD) is required",
            "null": f"请提供 {name}（YYYY-MM-DD） / {name} (YYYY-MM-DD) is required",
            "invalid": f"{name} 须为 YYYY-MM-DD 格式的日期 / {name} must be a date as YYYY-MM-DD",
            "datetime": f"{name} 须为日期而非时间 / {name} must be a date, not a time"}


# an id in a query: the messages given here, as the validators built from them keep them (core.api.BAD_ID)
_ID_ERRORS = {key: BAD_ID for key in ("invalid", "min_value", "max_value", "max_string_length")}


class RangeInput(serializers.Serializer):
    start = BoundedDateField(help_text="first day, included (YYYY-MM-DD)", error_messages=_date_errors("start"))
    end = BoundedDateField(help_text="last day, included (YYYY-MM-DD)", error_messages=_date_errors("end"))
    street = IdField(required=False, allow_null=True, default=None, help_text="街镇ID", error_messages=_ID_ERRORS)

    def validate(self, attrs):
        try:
            attrs["period"] = Period.between(attrs["start"], attrs["end"])
        except PeriodError as exc:
            raise serializers.ValidationError({"end": [str(exc)]}) from exc
        return attrs


class Per10kInput(RangeInput):
    by = serializers.ChoiceField(choices=["district", "street", "community"], default="district",
                                 error_messages={"invalid_choice": "by 须为 district、street 或 community / by must be "
                                                                   "district, street or community"})


class UnitInput(RangeInput):
    community = IdField(required=False, allow_null=True, default=None, help_text="小区ID", error_messages=_ID_ERRORS)


UnitRateSerializer = inline_serializer("UnitRate", many=True, fields={
    "unit": serializers.CharField(),
    "unit_id": serializers.IntegerField(allow_null=True),
    "level": serializers.ChoiceField(choices=["district", "street", "community"]),
    "complaints": serializers.IntegerField(),
    "population": serializers.IntegerField(allow_null=True),
    "per_10k": serializers.FloatField(allow_null=True),
    "list_url": serializers.CharField(allow_null=True),
})

FigureSerializer = inline_serializer("Figure", many=True, fields={
    "code": serializers.CharField(),
    "name": serializers.CharField(),
    "name_en": serializers.CharField(),
    "value": serializers.FloatField(allow_null=True),
    "numerator": serializers.IntegerField(allow_null=True),
    "denominator": serializers.IntegerField(allow_null=True),
    "unit": serializers.CharField(),
    "definition": serializers.CharField(),
    "definition_en": serializers.CharField(),
    "list_url": serializers.CharField(allow_null=True),
})

TrendSerializer = inline_serializer("TrendMonth", many=True, fields={
    "month": serializers.CharField(),
    "complaints": serializers.IntegerField(),
    "per_10k": serializers.FloatField(allow_null=True),
    "due": serializers.IntegerField(),
    "closed": serializers.IntegerField(),
    "closing_rate": serializers.FloatField(allow_null=True),
    "on_time_rate": serializers.FloatField(allow_null=True),
})


def _figure(figure: metrics.Figure) -> dict:
    d = figure.definition
    return {"code": figure.code, "name": d.name, "name_en": d.name_en, "value": figure.value,
            "numerator": figure.numerator, "denominator": figure.denominator, "unit": d.unit,
            "definition": d.text, "definition_en": d.text_en, "list_url": figure.list_url}


class _MetricsView(APIView):
    permission_classes = [IsAuthenticated, MayPermission.of(
        policy.ANALYTICS_VIEW, message="您的角色不能查看统计数据 / your role cannot see the figures")]
    input_class = RangeInput

    def values(self, request) -> dict:
        data = self.input_class(data=request.query_params)
        data.is_valid(raise_exception=True)
        return data.validated_data

    def answer(self, compute):
        try:
            with replica.reading():  # figures over days and months: a replica's lag does not matter
                return Response(compute())
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(REFUSED) from exc


_RANGE = [
    OpenApiParameter("start", str, required=True, description="YYYY-MM-DD, included"),
    OpenApiParameter("end", str, required=True, description="YYYY-MM-DD, included"),
    OpenApiParameter("street", int, required=False, description="街镇ID (narrows to one street)"),
]


class ComplaintsPer10kView(_MetricsView):
    """投诉万人比 over the days start…end: the district's line first, then one per street or community in the
    user's scope (`by`). What counts: analytics.metrics.DEFINITIONS["complaints_per_10k"]."""

    input_class = Per10kInput

    @extend_schema(
        operation_id="metrics_complaints_per_10k",
        parameters=[*_RANGE, OpenApiParameter("by", str, enum=["district", "street", "community"],
                                              description="district (default) | street | community")],
        responses={200: UnitRateSerializer, 400: None, 403: None})
    def get(self, request):
        v = self.values(request)
        return self.answer(lambda: [
            {"unit": u.unit, "unit_id": u.unit_id, "level": u.level, "complaints": u.complaints,
             "population": u.population, "per_10k": u.per_10k, "list_url": u.list_url}
            for u in metrics.complaints_per_10k(request.user, v["period"], v["by"], street=v["street"])])


class EffectivenessView(_MetricsView):
    """The effectiveness figures (受理, 立案, 应结案, 结案率, 按期结案率, per-stage on time, 超期, 返工率,
    整改率, 回潮率, 重复投诉, 移交按时答复率, 市民满意率, 督办按时回复率) of the district (a street user: its
    streets), a street or a community, each with its definition, numerator and denominator."""

    input_class = UnitInput

    @extend_schema(
        operation_id="metrics_effectiveness",
        parameters=[*_RANGE, OpenApiParameter("community", int, required=False, description="小区ID")],
        responses={200: FigureSerializer, 400: None, 403: None})
    def get(self, request):
        v = self.values(request)
        return self.answer(lambda: [
            _figure(f) for f in metrics.effectiveness(request.user, v["period"], street=v["street"],
                                                      community=v["community"]).values()])


class TrendView(_MetricsView):
    """Month by month over start…end: residents' complaints and their per-10k, cases due and closed, the closing
    and on-time rates."""

    input_class = UnitInput

    @extend_schema(
        operation_id="metrics_trend",
        parameters=[*_RANGE, OpenApiParameter("community", int, required=False, description="小区ID")],
        responses={200: TrendSerializer, 400: None, 403: None})
    def get(self, request):
        v = self.values(request)
        if len(v["period"].months()) > 120:
            raise serializers.ValidationError({"end": ["趋势最多十年 / a trend covers at most ten years"]})
        return self.answer(lambda: metrics.monthly_trend(request.user, v["start"], v["end"], street=v["street"],
                                                         community=v["community"]))
