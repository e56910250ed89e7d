"""Base viewsets: every API queryset goes through `restrict(user, action)`, like the pages."""
from rest_framework import viewsets


class RestrictedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")
