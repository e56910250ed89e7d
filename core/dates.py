"""The plausible range of a business date or time, in one place (forms, imports, services and the API ask it).

Two kinds:
- `PAST`: something that happened (a receipt, a finding, a payment, a clearance): not before EARLIEST and not
  after now (a few minutes of clock skew allowed for a time).
- `DUE`: a deadline or a plan: not before EARLIEST and not more than DUE_YEARS ahead.

`date_check` and `datetime_check` return the value or raise ApplicationError in Chinese and English; the form
fields of core.forms (`BusinessDateField`, `BusinessDateTimeField`) use them, and `minus` subtracts a window from
a time without ever overflowing (year 0001 minus 30 days).
"""
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from core.errors import ApplicationError

EARLIEST = date(2000, 1, 1)
CLOCK_SKEW = timedelta(minutes=10)  # a receipt time may be this far ahead of the server's clock
DUE_YEARS = 5  # a deadline or plan at most this far ahead

PAST, DUE = "past", "due"
KINDS = (PAST, DUE)


def date_bounds(kind: str = PAST, today: date | None = None) -> tuple[date, date]:
    """(earliest, latest) plausible date of `kind`, in Asia/Shanghai (the current time zone)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of date {kind!r}")
    today = today or timezone.localdate()
    if kind == PAST:
        return EARLIEST, today
    try:
        latest = today.replace(year=today.year + DUE_YEARS)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + DUE_YEARS, day=28)
    return EARLIEST, latest


def datetime_bounds(kind: str = PAST, now: datetime | None = None) -> tuple[datetime, datetime]:
    """(earliest, latest) plausible aware time of `kind`."""
    now = now or timezone.now()
    earliest, latest_day = date_bounds(kind, timezone.localdate(now))
    tz = timezone.get_current_timezone()
    start = datetime.combine(earliest, time.min, tzinfo=tz)
    if kind == PAST:
        return start, now + CLOCK_SKEW
    return start, datetime.combine(latest_day, time.max, tzinfo=tz)


def _range_error(value: str, low: str, high: str, label: str, label_en: str) -> ApplicationError:
    return ApplicationError(f"{label}“{value}”超出合理范围（应在 {low} 至 {high} 之间）",
                            f"{label_en} {value} is out of range ({low} to {high})",
                            extra={"code": "out_of_range", "min": low, "max": high})


def date_check(value: date | None, *, kind: str = PAST, label: str = "日期", label_en: str = "date",
               today: date | None = None) -> date | None:
    """`value` when it lies in the plausible range of `kind` seen on `today` (default: today in Asia/Shanghai;
    None passes); ApplicationError otherwise."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    low, high = date_bounds(kind, today)
    if not low <= value <= high:
        raise _range_error(value.isoformat(), low.isoformat(), high.isoformat(), label, label_en)
    return value


def datetime_check(value: datetime | None, *, kind: str = PAST, label: str = "时间",
                   label_en: str = "time") -> datetime | None:
    """`value` (aware; a naive one is read as Asia/Shanghai wall-clock time) when it lies in the plausible range
    of `kind` (None passes); ApplicationError otherwise."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    low, high = datetime_bounds(kind)
    if not low <= value <= high:
        try:
            local = timezone.localtime(value)
        except OverflowError:  # year 1 or 9999 shifted out of the calendar
            local = value
        raise _range_error(_minutes(local), _minutes(timezone.localtime(low))[:10],
                           _minutes(timezone.localtime(high)), label, label_en)
    return value


def _minutes(moment: datetime) -> str:
    """YYYY-MM-DD HH:MM, with four digits also for year 1 (strftime gives 1-01-01)."""
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")


def minus(moment: datetime, window: timedelta) -> datetime:
    """`moment - window`, or the earliest time there is when that would fall before year 1 (never OverflowError)."""
    try:
        return moment - window
    except OverflowError:
        return datetime.min.replace(tzinfo=moment.tzinfo)
