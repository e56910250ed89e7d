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
