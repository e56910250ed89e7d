"""Duplicates and repeats (R2.3).

A duplicate is the same matter reported again: same community and type as an open complaint
received within 30 days, with similar text, and not about another building or flat. It attaches
to that open complaint (and later to its case) instead of opening a new one.
A repeat is any complaint about the same community and type: the rolling 90-day count flags
3 or more for case consultation (会诊, R7).
"""
import bisect
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz

from registry.addresses import normalize, parse

DUPLICATE_WINDOW = timedelta(days=30)
REPEAT_WINDOW = timedelta(days=90)
CONSULTATION_AT = 3
SIMILARITY = 55.0  # rapidfuzz token_set_ratio over character bigrams, 0..100

_BOILERPLATE = re.compile(
    r"市民来电反映|来电人?反映|来电人表示|市民反映|诉求[:：]?|要求相关部门(尽快)?(处理|查处|整治)|希望尽快处理|"
    r"并回复处理结果|要求处理|请尽快处理|上海市|普陀区"
)


def text_key(text: str) -> str:
    """Character bigrams of the content without hotline boilerplate and digits."""
    cleaned = _BOILERPLATE.sub("", normalize(text))
    cleaned = re.sub(r"[\d\W_]+", "", cleaned)
    return " ".join(cleaned[i:i + 2] for i in range(len(cleaned) - 1))


def spot(address: str, content: str) -> tuple[str, str]:
    """(building, room) named in the address or text, to tell two flats' matters apart."""
    parsed = parse(address or "")
    building, room = parsed.building, parsed.room
    if not (building or room):
        inner = parse(content or "")
        building, room = inner.building, inner.room
    return building, room


@dataclass
class _Open:
    id: int | None
    received_at: datetime
    key: str
    spot: tuple[str, str]
    obj: object = None  # the unsaved Complaint during an import


class DedupIndex:
    def __init__(self):
        self.open: dict[tuple[int, int], list[_Open]] = defaultdict(list)
        self.times: dict[tuple[int, int], list[datetime]] = defaultdict(list)

    @classmethod
    def build(cls, since: datetime | None = None) -> "DedupIndex":
        """Load open primaries and recent complaints from the database (everything since `since`)."""
        from intake.choices import OPEN_STATUSES
        from intake.models import Complaint

        index = cls()
        recent = Complaint.objects.filter(community__isnull=False, violation_type__isnull=False)
        if since is not None:
            recent = recent.filter(received_at__gte=since - REPEAT_WINDOW)
        for row in recent.values("id", "community_id", "violation_type_id", "received_at", "status",
                                 "duplicate_of_id", "content", "address_text").iterator(chunk_size=2000):
            key = (row["community_id"], row["violation_type_id"])
            bisect.insort(index.times[key], row["received_at"])
            if row["duplicate_of_id"] is None and row["status"] in OPEN_STATUSES:
                index.open[key].append(_Open(row["id"], row["received_at"], text_key(row["content"]),
                                             spot(row["address_text"], row["content"])))
        return index

    def find_duplicate(self, *, community_id, type_id, received_at, content, address) -> tuple[_Open, float] | None:
        if not (community_id and type_id):
            return None
        key_text, where = text_key(content), spot(address, content)
        best, best_score = None, 0.0
        for candidate in self.open.get((community_id, type_id), ()):
            age = received_at - candidate.received_at
            if not timedelta(0) <= age <= DUPLICATE_WINDOW:
                continue
            if _different_spot(where, candidate.spot):
                continue
            score = fuzz.token_set_ratio(key_text, candidate.key)
            if score >= SIMILARITY and score > best_score:
                best, best_score = candidate, score
        return (best, best_score) if best else None

    def repeat_count(self, *, community_id, type_id, received_at) -> int:
        """Complaints about this community and type in the 90 days up to and including this one."""
        if not (community_id and type_id):
            return 1
        times = self.times.get((community_id, type_id), [])
        lo = bisect.bisect_left(times, received_at - REPEAT_WINDOW)
        hi = bisect.bisect_right(times, received_at)
        return hi - lo + 1

    def add(self, *, community_id, type_id, received_at, content, address, primary: bool, id=None, obj=None):
        if not (community_id and type_id):
            return None
        key = (community_id, type_id)
        bisect.insort(self.times[key], received_at)
        if primary:
            entry = _Open(id, received_at, text_key(content), spot(address, content), obj)
            self.open[key].append(entry)
            return entry
        return None


def _different_spot(a: tuple[str, str], b: tuple[str, str]) -> bool:
    (building_a, room_a), (building_b, room_b) = a, b
    if building_a and building_b and building_a != building_b:
        return True
    return bool(room_a and room_b and room_a != room_b)
