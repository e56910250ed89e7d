"""Statistical periods (统计周期): a month, a quarter, a year or a custom run of days, both ends included.

`Period.parse("2026-11" | "2026-Q4" | "2026")` and `Period.between(start, end)` refuse bad input with
`PeriodError` (a ValueError carrying the Chinese and the English message). Dates are days in Asia/Shanghai
(the project's time zone); a period is never before core.dates.EARLIEST nor beyond the plausible future
(core.dates.date_bounds(DUE)).
"""
import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from core import dates

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
KINDS = (MONTH, QUARTER, YEAR, CUSTOM)
QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_CUSTOM = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2})$")


class PeriodError(ValueError):
    """A period that cannot be: `message` in Chinese, `message_en` in English; str() gives both."""

    def __init__(self, message: str, message_en: str):
        super().__init__(f"{message} / {message_en}")
        self.message, self.message_en = message, message_en


def _last_day(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def _check(start: date, end: date) -> None:
    low, high = dates.date_bounds(dates.DUE)
    if end < start:
        raise PeriodError(f"统计周期的结束日期（{end}）早于开始日期（{start}）",
                          f"the period ends ({end}) before it starts ({start})")
    if start < low or end > high:
        raise PeriodError(f"统计周期应在 {low} 至 {high} 之间", f"the period must lie between {low} and {high}")


@dataclass(frozen=True)
class Period:
    start: date          # first day, included
    end: date            # last day, included
    kind: str            # "month" | "quarter" | "year" | "custom"

    # --- making one -------------------------------------------------------------------------------

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        period = cls(date(year, month, 1), _last_day(year, month), MONTH)
        _check(period.start, period.end)
        return period

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first = 3 * (quarter - 1) + 1
        period = cls(date(year, first, 1), _last_day(year, first + 2), QUARTER)
        _check(period.start, period.end)
        return period

    @classmethod
    def year(cls, year: int) -> "Period":
        period = cls(date(year, 1, 1), date(year, 12, 31), YEAR)
        _check(period.start, period.end)
        return period

    @classmethod
    def parse(cls, text: str) -> "Period":
        """"2026-11" (month), "2026-Q4" (quarter), "2026" (year) or "2026-11-01_2026-11-15" (custom: the form
        `code` gives)."""
        value = (text or "").strip()
        try:
            if m := _MONTH.match(value):
                year, month = int(m[1]), int(m[2])
                if not 1 <= month <= 12:
                    raise PeriodError(f"月份“{month}”无效", f"no month {month}")
                return cls.month(year, month)
            if m := _QUARTER.match(value):
                return cls.quarter(int(m[1]), int(m[2]))
            if m := _YEAR.match(value):
                return cls.year(int(m[1]))
            if m := _CUSTOM.match(value):
                return cls.between(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
        except PeriodError:
            raise
        except ValueError as exc:  # date(2026, 2, 30) and the like
            raise PeriodError(f"统计周期“{value}”中的日期无效", f"the period {value!r} has an invalid date") from exc
        raise PeriodError(f"无法识别统计周期“{value}”（应为 2026-11、2026-Q4 或 2026）",
                          f"unknown period {value!r} (expected 2026-11, 2026-Q4 or 2026)")

    @classmethod
    def between(cls, start: date, end: date) -> "Period":
        """A custom run of days; a whole calendar month, quarter or year is given its own kind."""
        _check(start, end)
        if start.day == 1 and end == _last_day(start.year, start.month) and start.month == end.month \
                and start.year == end.year:
            return cls(start, end, MONTH)
        if start.day == 1 and start.year == end.year and start.month % 3 == 1 and end.month == start.month + 2 \
                and end == _last_day(end.year, end.month):
            return cls(start, end, QUARTER)
        if start == date(start.year, 1, 1) and end == date(start.year, 12, 31):
            return cls(start, end, YEAR)
        return cls(start, end, CUSTOM)

    # --- naming it --------------------------------------------------------------------------------

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def code(self) -> str:
        if self.kind == MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == YEAR:
            return f"{self.start.year}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.kind == QUARTER:
            return f"{self.start.year}年第{QUARTER_ZH[(self.start.month - 1) // 3 + 1]}季度"
        if self.kind == YEAR:
            return f"{self.start.year}年"
        return f"{self.start.isoformat()}至{self.end.isoformat()}"

    @property
    def label_en(self) -> str:
        if self.kind == MONTH:
            return f"{MONTHS_EN[self.start.month - 1]} {self.start.year}"
        if self.kind == QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        if self.kind == YEAR:
            return f"{self.start.year}"
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def __str__(self) -> str:
        return self.label

    # --- neighbours -------------------------------------------------------------------------------

    def previous(self) -> "Period":
        """The period of the same kind just before (custom: the same number of days just before)."""
        if self.kind == MONTH:
            last = self.start - timedelta(days=1)
            return Period.month(last.year, last.month)
        if self.kind == QUARTER:
            last = self.start - timedelta(days=1)
            return Period.quarter(last.year, (last.month - 1) // 3 + 1)
        if self.kind == YEAR:
            return Period.year(self.start.year - 1)
        end = self.start - timedelta(days=1)
        return Period.between(end - timedelta(days=self.days - 1), end)

    def year_ago(self) -> "Period":
        """The same period one year earlier (the usual baseline); 29 February becomes the 28th."""
        if self.kind == MONTH:
            return Period.month(self.start.year - 1, self.start.month)
        if self.kind == QUARTER:
            return Period.quarter(self.start.year - 1, (self.start.month - 1) // 3 + 1)
        if self.kind == YEAR:
            return Period.year(self.start.year - 1)

        def back(day: date) -> date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:
                return day.replace(year=day.year - 1, day=28)
        return Period.between(back(self.start), back(self.end))

    def months(self) -> list["Period"]:
        """The calendar months the period touches, each a whole month."""
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(Period.month(year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end
