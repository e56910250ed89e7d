"""Reads of accounts: the notices a user receives."""
from django.db.models import Q

from accounts.models import Notification
from accounts.scope import role_of


def notifications_for(user, unread_only: bool = True):
    """Notices to the user, to their department or to their role, newest first; by default only those the
    user has not dismissed."""
    role = role_of(user)
    if role is None:
        return Notification.objects.none()
    q = Q(user=user) | Q(role__in={role, user.role})
    if user.department_id:
        q |= Q(department_id=user.department_id)
    qs = Notification.objects.filter(q)
    if unread_only:
        qs = qs.exclude(read_by=user)
    return qs.order_by("-created_at", "-pk")
