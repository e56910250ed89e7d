"""/api/v1/inbox/: the signed-in user's own inbox items (待办提醒); marking them read. Another user's item is 404."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import inbox
from accounts.choices import InboxKind
from accounts.models import InboxItem
from core.api import RestrictedReadOnlyViewSet, object_or_404


class InboxItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="shown_title", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = InboxItem
        fields = ["id", "kind", "kind_label", "title", "url", "about_model", "about_pk", "created_at", "read_at",
                  "unread"]

    def get_unread(self, item) -> bool:
        return item.read_at is None


class ReadAllInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InboxKind.choices, required=False, allow_blank=True)


class InboxViewSet(RestrictedReadOnlyViewSet):
    """Filters: ?kind=ASSIGNED, ?unread=true|false. Newest first."""

    permission_classes = [IsAuthenticated]
    queryset = InboxItem.objects.all()
    serializer_class = InboxItemSerializer
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        qs = super().get_queryset().order_by("-created_at", "-id")
        kind = self.request.query_params.get("kind", "")
        if kind:
            qs = qs.filter(kind=kind) if kind in InboxKind.values else qs.none()
        unread = self.request.query_params.get("unread", "").lower()
        if unread in {"true", "1"}:
            qs = qs.filter(read_at__isnull=True)
        elif unread in {"false", "0"}:
            qs = qs.filter(read_at__isnull=False)
        return qs

    @extend_schema(request=None, responses={200: InboxItemSerializer, 404: None})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one of your items read."""
        item = object_or_404(InboxItem.objects.restrict(request.user, "view"), pk)
        return Response(InboxItemSerializer(inbox.item_open(user=request.user, pk=item.pk)).data)

    @extend_schema(request=ReadAllInput, responses={200: None, 400: None})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """全部标为已读 (of one kind when given): how many were marked, and how many stay unread."""
        data = ReadAllInput(data=request.data)
        data.is_valid(raise_exception=True)
        marked = inbox.mark_all_read(user=request.user, kind=data.validated_data.get("kind", ""))
        return Response({"marked": marked, "unread": inbox.unread_count(request.user)})
