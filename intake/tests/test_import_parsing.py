"""The 12345 import reads dates without strptime when they have the usual shape: exactly what the formats accept,
with the same values and the same errors, as before."""
from datetime import datetime

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from intake import services

DATETIMES = ["2026-03-02 09:41:00", "2026-03-02 09:41", "2026/03/02 09:41:05", "2026/03/02 09:41",
             "2026-03-02T09:41:00", "2026-03-02", " 2026-03-02 09:41 ", "2026-3-2 9:41:00", "２０２６-03-02 09:41:00",
             "2026-02-29 10:00", "2028-02-29 10:00", "2026-02-30 10:00:00", "2026-03-02 24:00", "2026-13-02 10:00",
             "2026-03-02 09:41:60", "2026/03-02 09:41", "2026年3月2日", "", "20260302 0941"]
DATES = ["2026-03-02", "2026/03/02", "2026-03-02 09:41:00", "2026-03-02 09:41", "2026-3-2", "2026-02-30",
         "2026-00-10", "03/02/2026", " 2026-03-02 ", ""]


def _strptime_datetime(value):
    value = value.strip()
    for fmt in services._DATETIME_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(value, fmt))
        except ValueError:
            continue
    return "error"


def _strptime_date(value):
    value = value.strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return "error"


@pytest.mark.parametrize("value", DATETIMES)
def test_received_at_reads_as_strptime_did(value):
    try:
        got = services.parse_datetime(value)
    except ApplicationError as exc:
        got = "error"
        assert f"受理时间“{value.strip()}”格式错误" in str(exc)
    assert got == _strptime_datetime(value)
    if got != "error":
        assert got.tzinfo is timezone.get_current_timezone() and got.fold == 0


@pytest.mark.parametrize("value", DATES)
def test_deadline_reads_as_strptime_did(value):
    for _ in range(2):  # the second time from the cache
        try:
            got = services.parse_date(value)
        except ApplicationError as exc:
            got = "error"
            assert f"办理时限“{value.strip()}”格式错误" in str(exc)
        assert got == _strptime_date(value)
