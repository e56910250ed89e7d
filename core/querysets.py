"""Row-level access at the queryset, as NetBox does: `Model.objects.restrict(user, "view")`.

Each model names its scope with a classmethod `scope_q(user, action)` that delegates to the
one scoping function of its family in `accounts.scope`; pages, API, exports and downloads all
go through `restrict`, so a rule lives in one place.
"""
from django.db import models


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        return self.filter(self.model.scope_q(user, action))


class RestrictedManager(models.Manager.from_queryset(RestrictedQuerySet)):
    pass
