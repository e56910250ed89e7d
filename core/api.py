"""The API's shared pieces, below every app: the base viewset (every API queryset goes through
`restrict(user, action)`, like the pages), the exception handler named in settings.REST_FRAMEWORK, the schema
class that documents every operation's error responses, and the checked ids, dates and filters the apps'
endpoints take.

Bad input never reaches the database as a crash: an id that is not a positive 64-bit integer is 404 (in a path)
or 400 (in a query or a body), a date outside DATE_MIN..DATE_MAX is 400, each with the reason in Chinese and
English, in the error body every operation documents (ERROR_SCHEMA)."""
from datetime import date

import django_filters
from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError
from core.pagination import ID_MAX  # BigAutoField: a larger number crashes SQLite instead of matching nothing

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2100, 12, 31)  # far from year 1 and 9999, where date arithmetic (windows, deadlines) overflows
NOT_FOUND = ("未找到该记录，或不在您的范围内", "not found, or not in your scope")
BAD_ID = "编号须为正整数 / an id is a positive whole number"
BAD_DATE = f"日期须在 {DATE_MIN} 至 {DATE_MAX} 之间 / the date must be between {DATE_MIN} and {DATE_MAX}"


# --- ids --------------------------------------------------------------------------------------------------

def parse_id(value) -> int | None:
    """A positive 64-bit integer, or None."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= ID_MAX else None


def object_or_404(queryset, pk, **filters):
    """The row with this id in the queryset (the caller's scope), or a bilingual 404: also for an id that is not a
    number or too large, which `get_object_or_404` lets through as a 500."""
    number = parse_id(pk)
    found = queryset.filter(pk=number, **filters).first() if number is not None else None
    if found is None:
        raise exceptions.NotFound()
    return found


class FormNullMixin:
    """In a form (multipart or urlencoded) null can only be spelled: "null" is None for a field that allows it, as
    "" already is (the schema's `nullable` has no other form encoding)."""

    def get_value(self, dictionary):
        value = super().get_value(dictionary)
        if self.allow_null and value == "null" and html.is_html_input(dictionary):
            return None
        return value


class IdField(FormNullMixin, serializers.IntegerField):
    """An id in a request body: a positive 64-bit integer (the schema says so), else a bilingual 400."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)
        self.error_messages.update(invalid=BAD_ID, min_value=BAD_ID, max_value=BAD_ID, max_string_length=BAD_ID)


class BoundedDateField(FormNullMixin, serializers.DateField):
    """A date in a request: DATE_MIN..DATE_MAX, else a bilingual 400."""

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if not DATE_MIN <= value <= DATE_MAX:
            raise serializers.ValidationError(BAD_DATE)
        return value


class BoundedDateTimeField(FormNullMixin, serializers.DateTimeField):
    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if not DATE_MIN <= value.date() <= DATE_MAX:
            raise serializers.ValidationError(BAD_DATE)
        return value


# --- query filters ---------------------------------------------------------------------------------------

class _IdFormField(forms.IntegerField):
    default_error_messages = {"invalid": BAD_ID}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)
        for key in ("min_value", "max_value"):
            self.error_messages[key] = BAD_ID


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": ID_MAX})
class IdFilter(django_filters.NumberFilter):
    """`?street=7`: a positive id; one outside the user's scope or unknown matches nothing (200, empty), one that
    is not a positive 64-bit integer is a bilingual 400."""

    field_class = _IdFormField


class _DateFormField(forms.DateField):
    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise forms.ValidationError(BAD_DATE)
        return value


@extend_schema_field({"type": "string", "format": "date", "description": f"{DATE_MIN} – {DATE_MAX}"})
class BoundedDateFilter(django_filters.DateFilter):
    field_class = _DateFormField


# --- viewsets -----------------------------------------------------------------------------

class RestrictedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    # Any path segment reaches the view, which answers 404 in JSON for an id that is not one; the router's
    # default ([^/.]+) sent "1.5" to Django's HTML 404 page.
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")

    def get_object(self):
        if self.lookup_field == "pk" and parse_id(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)) is None:
            raise exceptions.NotFound()
        return super().get_object()


# --- errors ----------------------------------------------------------------------------------------------

def _english(text) -> str:
    with translation.override("en"):
        return str(text)


def exception_handler(exc, context):
    """Every error body is an object with `detail` (and `detail_en` when the message is one of the framework's or
    an ApplicationError's), or the fields' messages: business errors are 400 with the message in Chinese and
    English; a missing or unreadable id is 404 with both."""
    if isinstance(exc, ApplicationError):
        return Response(
            {"detail": exc.message, "detail_en": exc.message_en, **exc.extra}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": "；".join(exc.messages)}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404) or (isinstance(exc, exceptions.NotFound)
                                    and str(exc.detail) == str(exceptions.NotFound.default_detail)):
        return Response({"detail": NOT_FOUND[0], "detail_en": NOT_FOUND[1]}, status=status.HTTP_404_NOT_FOUND)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, list):
        response.data = {"detail": "；".join(str(item) for item in response.data)}
    elif isinstance(exc, exceptions.APIException) and not isinstance(exc, exceptions.ValidationError):
        detail = response.data.get("detail")
        if detail is not None and " / " not in str(detail) and str(detail) == str(exc.default_detail):
            response.data["detail_en"] = _english(exc.default_detail)
    return response


def api_not_found(request, *args, **kwargs):
    """Any other path under /api/v1/: the same JSON 404 as an unknown id, not the HTML page."""
    from django.http import JsonResponse

    return JsonResponse({"detail": NOT_FOUND[0], "detail_en": NOT_FOUND[1]}, status=404,
                        json_dumps_params={"ensure_ascii": False})
