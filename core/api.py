"""The API's shared pieces, below every app: the base viewset (every API queryset goes through
`restrict(user, action)`, like the pages) and the exception handler named in settings.REST_FRAMEWORK."""
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status, viewsets
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError


class RestrictedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")


def exception_handler(exc, context):
    """Business errors become 400 with the message in Chinese and English."""
    if isinstance(exc, ApplicationError):
        return Response(
            {"detail": exc.message, "detail_en": exc.message_en, **exc.extra}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
