from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    """Who is assessed."""

    STREET = "STREET", _("街镇")
    DEPARTMENT = "DEPARTMENT", _("职能部门")


class AppliesTo(models.TextChoices):
    STREET = "STREET", _("街镇")
    DEPARTMENT = "DEPARTMENT", _("职能部门")
    BOTH = "BOTH", _("街镇和职能部门")


class Direction(models.TextChoices):
    HIGHER = "HIGHER", _("越高越好")
    LOWER = "LOWER", _("越低越好")


def subjects_of(applies_to: str) -> set[str]:
    if applies_to == AppliesTo.BOTH:
        return {Subject.STREET, Subject.DEPARTMENT}
    return {str(applies_to)}
