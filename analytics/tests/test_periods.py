"""analytics.periods.Period: parsing, labels, neighbours, refusals in Chinese and English."""
from datetime import date

import pytest

from analytics.periods import Period, PeriodError


def test_parse_codes_and_labels():
    month, quarter, year = Period.parse("2026-11"), Period.parse("2026-Q4"), Period.parse("2026")
    assert (month.start, month.end, month.kind, month.code) == (date(2026, 11, 1), date(2026, 11, 30), "month",
                                                                  "2026-11")
    assert (quarter.start, quarter.end, quarter.code) == (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")
    assert (year.start, year.end, year.code) == (date(2026, 1, 1), date(2026, 12, 31), "2026")
    assert (month.label, quarter.label, year.label) == ("2026年11月", "2026年第四季度", "2026年")
    assert (month.label_en, quarter.label_en, year.label_en) == ("November 2026", "Q4 2026", "2026")
    custom = Period.between(date(2026, 11, 1), date(2026, 11, 15))
    assert (custom.kind, custom.label, custom.code) == ("custom", "2026-11-01至2026-11-15", "2026-11-01_2026-11-15")
    assert Period.parse(custom.code) == custom
    assert Period.between(date(2026, 2, 1), date(2026, 2, 28)).kind == "month"


def test_neighbours():
    assert Period.parse("2026-01").previous() == Period.parse("2025-12")
    assert Period.parse("2026-Q1").previous() == Period.parse("2025-Q4")
    assert Period.parse("2026-11").year_ago() == Period.parse("2025-11")
    custom = Period.between(date(2026, 11, 11), date(2026, 11, 20))
    assert custom.previous() == Period.between(date(2026, 11, 1), date(2026, 11, 10))
    assert Period.between(date(2024, 2, 29), date(2024, 3, 5)).year_ago().start == date(2023, 2, 28)
    assert [p.code for p in Period.parse("2026-Q4").months()] == ["2026-10", "2026-11", "2026-12"]
    assert len(Period.between(date(2025, 12, 15), date(2026, 1, 10)).months()) == 2


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "abc", "", "1999", "2026-02-30_2026-03-01",
                                  "2026-11-20_2026-11-01", "9999"])
def test_bad_periods_are_refused_in_both_languages(text):
    with pytest.raises(PeriodError) as refused:
        Period.parse(text)
    assert refused.value.message and refused.value.message_en
    assert isinstance(refused.value, ValueError)
