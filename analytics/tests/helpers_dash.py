"""Complaints for the dashboards' tests: residents' 12345 calls at chosen days (Asia/Shanghai noon)."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from intake.choices import Channel, ComplaintStatus
from intake.models import Complaint
from registry.models import ViolationType

TZ = ZoneInfo("Asia/Shanghai")


def call(community, day: date, n: int = 1, code: str = "EBIKE_PARKING", channel=Channel.HOTLINE):
    """`n` residents' complaints about `community` received on `day`."""
    kind = ViolationType.objects.get(code=code)
    for i in range(n):
        Complaint.objects.create(
            channel=channel, received_at=datetime.combine(day, time(12, i % 60), tzinfo=TZ), content="楼道停放电动车",
            address_text="兰溪路88弄", community=community, street=community.street, violation_type=kind,
            status=ComplaintStatus.ROUTED)


def weekly_history(community, end: date, counts: list[int]):
    """Complaints in the 7-day blocks ending on `end`, `end`-7, … (counts oldest first): each block's complaints
    on its first day."""
    for i, n in enumerate(reversed(counts)):
        if n:
            call(community, end - timedelta(days=7 * i + 6), n)
