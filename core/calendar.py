"""Working days with the holiday calendar the administrator edits (法定节假日 and 调休 make-up days): below every
app, for every deadline counted in working days (case steps, referrals, supervision orders)."""
import time
from datetime import date, timedelta

from django.core.cache import cache

from core.models import Holiday

CACHE_KEY = "core:calendar:v1"


# The last answer, kept in the process for a moment: a deadline computation asks for every day it walks over, and
# reading the cache (a pickle each time) cost more than the walk (analytics computes thousands of deadlines).
_HELD_FOR = 2.0  # seconds
_held: tuple[float, tuple[frozenset, frozenset]] | None = None


def _calendar() -> tuple[frozenset, frozenset]:
    global _held
    now = time.monotonic()
    if _held is not None and now - _held[0] < _HELD_FOR:
        return _held[1]
    cached = cache.get(CACHE_KEY)
    if cached is None:
        rows = list(Holiday.objects.values_list("date", "is_workday"))
        cached = (frozenset(d for d, w in rows if not w), frozenset(d for d, w in rows if w))
        cache.set(CACHE_KEY, cached, 300)
    _held = (now, cached)
    return cached


def invalidate():
    global _held
    _held = None
    cache.delete(CACHE_KEY)


def is_working_day(day: date) -> bool:
    holidays, workdays = _calendar()
    if day in workdays:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


# --- 临期 / 超期: the one deadline rule of every list (cases, complaints, referrals) ----------------------

DUE_SOON_WORKING_DAYS = 2  # 临期: due within two working days
OVERDUE, DUE_SOON = "overdue", "soon"


def due_soon_until(today: date) -> date:
    """The last day that still counts as 临期 (today plus DUE_SOON_WORKING_DAYS working days)."""
    return add_working_days(today, DUE_SOON_WORKING_DAYS)


def due_flag(due: date | None, today: date) -> str:
    """OVERDUE (超期) when `due` has passed, DUE_SOON (临期) when it falls within DUE_SOON_WORKING_DAYS working
    days, else "" — for something still open; the caller decides what is open."""
    if due is None:
        return ""
    if due < today:
        return OVERDUE
    return DUE_SOON if due <= due_soon_until(today) else ""
