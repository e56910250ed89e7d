"""Writes to user accounts. The demo seed and (later) the administration pages come through here, so the
password rules and the role checks of `User.clean` apply whichever way an account is made."""
from collections.abc import Iterable

from django.contrib.auth import password_validation
from django.db import transaction

from accounts.models import User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    display_name: str,
    streets: Iterable = (),
    department=None,
    property_company=None,
    district=None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create the account, or bring an existing one with this username to exactly these values and this
    password. Idempotent: an account that already matches is not saved again (no new history row).
    Raises ValidationError for a weak password or an inconsistent role (e.g. a department user without
    a department)."""
    values = {
        "role": role,
        "display_name": display_name,
        "department": department,
        "property_company": property_company,
        "district": district,
        "is_staff": is_staff,
        "is_superuser": is_superuser,
        "is_active": True,
    }
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username, **values)
        changed = True
    else:
        changed = False
        for key, value in values.items():
            if getattr(user, key) != value:
                setattr(user, key, value)
                changed = True
    password_validation.validate_password(password, user)
    if created or not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.full_clean()
        user.save()
    wanted = {street.pk for street in streets}
    if created or set(user.streets.values_list("pk", flat=True)) != wanted:
        user.streets.set(wanted)
    return user


# --- in-app notifications (站内通知) ------------------------------------------------------------------

@transaction.atomic
def notification_send(*, kind: str, title, body=None, link: str = "", user=None, department=None,
                      role: str = ""):
    """One notice to a user, to everyone of a department, or to everyone of a role (at least one of them).
    `title` and `body` are accounts.messages parts (shown in the reader's language) or plain text."""
    from accounts.choices import Role
    from accounts.messages import stored
    from accounts.models import Notification
    from core.errors import ApplicationError

    if user is None and department is None and not role:
        raise ApplicationError("请指定通知的接收人、部门或角色", "a notification needs a user, a department or a role")
    if role and role not in Role.values:
        raise ApplicationError("接收角色有误", f"unknown role '{role}'")
    title, title_parts = stored(title)
    body, body_parts = stored(body)
    if not title.strip():
        raise ApplicationError("请填写通知标题", "the notification needs a title")
    notification = Notification(kind=kind[:32], title=title.strip()[:200], body=body, link=(link or "")[:300],
                                title_parts=title_parts, body_parts=body_parts,
                                user=user, department=department, role=role or "")
    notification.full_clean()
    notification.save()
    return notification


@transaction.atomic
def notification_dismiss(*, notification, user) -> None:
    """The reader marks the notice read for themselves; others who received it still see it."""
    from accounts.selectors import notifications_for
    from core.errors import ApplicationError

    if not notifications_for(user, unread_only=False).filter(pk=notification.pk).exists():
        raise ApplicationError("找不到该通知", "no such notification for you")
    notification.read_by.add(user)
