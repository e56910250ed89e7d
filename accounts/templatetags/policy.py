"""Templates ask the policy too: `{% load policy %}` then `{% if user|may:"credit.overview" %}`, or for one
object `{% may_on user "case.handle" case as ok %}` (accounts.policy.may)."""
from django import template

from accounts import policy

register = template.Library()


@register.filter(name="may")
def may_filter(user, action: str) -> bool:
    return policy.may(user, action)


@register.simple_tag(name="may_on")
def may_on(user, action: str, obj) -> bool:
    return policy.may(user, action, obj)
