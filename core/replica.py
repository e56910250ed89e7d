"""Reads that may be served by a read replica (只读副本): dashboards, bulletins' lists, exports.

A replica is optional: DATABASE_REPLICA_URL adds the database alias "replica" (anju/settings.py) and the router
`anju.dbrouters.ReplicaRouter` sends a read there only while `reading()` is active in this thread (or task) and
the default connection is not inside a transaction. Everything else — writes, reads inside a transaction (a
service reads what it is about to write), reads of pages not marked — stays on "default", so with no replica
configured nothing changes. A replica lags the primary by up to a few seconds: mark only reads that tolerate
that (figures over days and months), never a page that must show a write just made (a progress row, a queue).

    with replica.reading():           # or @replica.reading() on a view
        rows = list(metrics.streets_ranked(user, period, baseline))

A queryset evaluated after the block has ended (a streamed export's rows, a lazy queryset left to a template
rendered later) is read where the router says at that moment; bind such a queryset with `using_replica(qs)`.
"""
from contextlib import ContextDecorator
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

ALIAS = "replica"
_reading: ContextVar[bool] = ContextVar("anju_replica_reading", default=False)


def configured() -> bool:
    """Whether DATABASES names a replica (DATABASE_REPLICA_URL set)."""
    return ALIAS in connections.settings


class reading(ContextDecorator):  # noqa: N801 — used like a function: `with reading():`, `@reading()`
    """Reads inside go to the replica when there is one (see the module's docstring)."""

    def __enter__(self):
        self._token = _reading.set(True)
        return self

    def __exit__(self, *exc):
        _reading.reset(self._token)
        return False


def alias_for_read() -> str | None:
    """The alias a read should use now, or None for the default choice."""
    if not _reading.get() or not configured():
        return None
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return None  # inside a transaction: read the primary, which the transaction may have written
    return ALIAS


def using_replica(queryset):
    """The queryset bound to the replica when one is configured (for rows read after the view has returned,
    e.g. a streamed export); unchanged otherwise."""
    return queryset.using(ALIAS) if configured() else queryset
