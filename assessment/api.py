"""/api/v1/assessment/…: the year's ranking and each unit's breakdown as JSON, read-only, scoped as the pages
(assessment.views): officers and property companies 403; a street or a department opens only its own
breakdown (another's 404); a bad year is a bilingual 400 (core.api.exception_handler).

Routes in assessment/api_urls.py, wired as `path("assessment/", include("assessment.api_urls"))` in anju/api_urls.py."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import policy
from accounts.policy import MayPermission
from assessment import selectors, services
from assessment.catalogue import metric_name
from assessment.choices import Subject

_YEAR = [OpenApiParameter("year", int, required=False, description="考核年度 (default: this year, so far)")]


def _number(x):
    return float(x) if x is not None else None


def _context(request):
    year = selectors.parse_year(request.query_params.get("year"))
    return year, selectors.period_of(year), services.default_scheme(year)


def _head(year, period, scheme) -> dict:
    return {"year": year, "start": period.start, "end": period.end, "scheme": scheme.name}


def _row(score) -> dict:
    return {"rank": score.rank, "unit_id": score.unit_id, "name": score.name, "total": _number(score.total)}


def _line(line) -> dict:
    i = line.indicator
    return {"metric": i.metric, "name": line.name, "name_en": line.name_en, "definition": line.text,
            "definition_en": line.text_en, "direction": i.direction, "weight": i.weight, "floor": _number(i.floor),
            "target": _number(i.target), "value": line.value, "numerator": line.figure.numerator,
            "denominator": line.figure.denominator, "points": _number(line.points), "why": line.why,
            "list_url": line.figure.list_url}


class _AssessmentView(APIView):
    permission_classes = [IsAuthenticated, MayPermission.of(
        policy.ASSESSMENT_VIEW, message="您的角色不能查看年度考核 / your role cannot see the assessment")]


class RankingView(_AssessmentView):
    """The streets' and the departments' totals and ranks for the year (so far), with the indicators scored."""

    @extend_schema(operation_id="assessment_ranking", parameters=_YEAR,
                   responses={200: OpenApiTypes.OBJECT, 400: None, 403: None})
    def get(self, request):
        year, period, scheme = _context(request)
        out = _head(year, period, scheme)
        for key, subject in (("streets", Subject.STREET), ("departments", Subject.DEPARTMENT)):
            out[f"{key[:-1]}_indicators"] = [
                {"metric": i.metric, "name": metric_name(i.metric), "weight": i.weight, "direction": i.direction,
                 "floor": _number(i.floor), "target": _number(i.target)}
                for i in selectors.indicators_of(scheme, subject)]
            out[key] = [_row(s) for s in selectors.scores(scheme, period, subject)]
        return Response(out)


class _BreakdownView(_AssessmentView):
    subject = Subject.STREET

    @extend_schema(parameters=_YEAR, responses={200: OpenApiTypes.OBJECT, 400: None, 403: None, 404: None})
    def get(self, request, pk):
        year, period, scheme = _context(request)
        score = selectors.breakdown(request.user, scheme, period, self.subject, pk)
        return Response({**_head(year, period, scheme), **_row(score), "subject": self.subject,
                         "weight_counted": score.weight_counted, "lines": [_line(li) for li in score.lines]})


class StreetView(_BreakdownView):
    """One street's score: each indicator's numerator, denominator, value, points and why."""

    subject = Subject.STREET


class DepartmentView(_BreakdownView):
    """One department's score: each indicator's numerator, denominator, value, points and why."""

    subject = Subject.DEPARTMENT

