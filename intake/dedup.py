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
from operator import add

from rapidfuzz import fuzz, process

from core.dates import minus
from registry.addresses import normalize, parse

DUPLICATE_WINDOW = timedelta(days=30)
REPEAT_WINDOW = timedelta(days=90)
CONSULTATION_AT = 3
SIMILARITY = 55.0  # rapidfuzz token_set_ratio over character bigrams, 0..100

_BOILERPLATE = re.compile(
    r"市民来电反映|来电人?反映|来电人表示|市民反映|诉求[:：]?|要求相关部门(尽快)?(处理|查处|整治)|希望尽快处理|"
    r"并回复处理结果|要求处理|请尽快处理|上海市|普陀区"
)


def matter(type_id, type_code: str | None, department_id):
    """What "the same matter" means: the violation type — or, for matters referred elsewhere, the
    receiving department (a noise complaint does not repeat a property-fee complaint)."""
    return ("NE", department_id) if type_code == "NON_ENFORCEMENT" else type_id


def text_key(text: str) -> str:
    """Character bigrams of the content without hotline boilerplate and digits."""
    cleaned = _NOT_LETTERS.sub("", _BOILERPLATE.sub("", normalize(text)))
    return " ".join(map(add, cleaned, cleaned[1:]))


_NOT_LETTERS = re.compile(r"[\d\W_]+")


# A building (号楼/幢/栋/座, or 号 inside a lane) or a room (室) needs one of these characters: a text without
# any names neither, and parsing it (normalising a long complaint text) can be skipped.
_SPOT_MARKS = re.compile("[号楼幢栋座室]")


def spot(address: str, content: str, parsed_address=None, parsed_content=None) -> tuple[str, str]:
    """(building, room) named in the address or text, to tell two flats' matters apart. `parsed_address` and
    `parsed_content` may give parse(address) and parse(content) when they are at hand."""
    building = room = ""
    for text, parsed in ((address, parsed_address), (content, parsed_content)):
        if not text or not _SPOT_MARKS.search(text):
            continue
        if parsed is None:
            parsed = parse(text)
        building, room = parsed.building, parsed.room
        if not building and parsed.lane is not None and parsed.number is not None:
            building = str(parsed.number)  # 兰溪路88弄3号: inside a lane, 3号 is the building
        if building or room:
            break
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
        # Open primaries per (community, type), kept in order of receipt with their times alongside, so a
        # search looks only at the 30-day window (a year's import would otherwise scan every entry).
        self.open: dict[tuple[int, int], list[_Open]] = defaultdict(list)
        self.open_times: dict[tuple[int, int], list[datetime]] = defaultdict(list)
        self.times: dict[tuple[int, int], list[datetime]] = defaultdict(list)

    @classmethod
    def build(cls, since: datetime | None = None) -> "DedupIndex":
        """Load what the rules look back on from the database: the times of complaints of the last REPEAT_WINDOW
        before `since` (four small columns), and the texts of the complaints still open of the last
        DUPLICATE_WINDOW. Both read by received_at's index: the cost follows the window, never the history."""
        from intake.choices import OPEN_STATUSES
        from intake.models import Complaint

        index = cls()
        # no order asked (the model's default sorted each answer by time, the texts' on disk): sorted here below
        placed = Complaint.objects.filter(community__isnull=False, violation_type__isnull=False).order_by()
        recent, open_ = placed, placed.filter(duplicate_of__isnull=True, status__in=OPEN_STATUSES)
        if since is not None:
            recent = recent.filter(received_at__gte=minus(since, REPEAT_WINDOW))
            open_ = open_.filter(received_at__gte=minus(since, DUPLICATE_WINDOW))
        for community_id, type_id, type_code, department_id, received_at in recent.values_list(
                "community_id", "violation_type_id", "violation_type__code", "department_id", "received_at",
        ).iterator(chunk_size=5000):
            index.times[(community_id, matter(type_id, type_code, department_id))].append(received_at)
        for times in index.times.values():
            times.sort()
        for row in open_.values("id", "community_id", "violation_type_id", "violation_type__code", "department_id",
                                "received_at", "content", "address_text").iterator(chunk_size=2000):
            key = (row["community_id"], matter(row["violation_type_id"], row["violation_type__code"],
                                               row["department_id"]))
            index.open[key].append(_Open(row["id"], row["received_at"], text_key(row["content"]),
                                         spot(row["address_text"], row["content"])))
        for key, entries in index.open.items():
            entries.sort(key=lambda e: e.received_at)
            index.open_times[key] = [e.received_at for e in entries]
        return index

    def find_duplicate(self, *, community_id, type_id, received_at, content, address, key=None,
                       where=None) -> tuple[_Open, float] | None:
        """`key` and `where` may be given when already computed (text_key(content), spot(address, content))."""
        if not (community_id and type_id):
            return None
        slot = (community_id, type_id)
        times = self.open_times.get(slot)
        if not times:
            return None
        lo = bisect.bisect_left(times, minus(received_at, DUPLICATE_WINDOW))
        hi = bisect.bisect_right(times, received_at)
        if lo == hi:
            return None
        where = where if where is not None else spot(address, content)
        building, room = where
        if building or room:
            candidates = [c for c in self.open[slot][lo:hi] if not _different_spot(where, c.spot)]
            if not candidates:
                return None
        else:  # names no flat: no candidate is about another one
            candidates = self.open[slot][lo:hi]
        # One call for all candidates (the query is prepared once); the first best one wins, as before.
        found = process.extractOne(key if key is not None else text_key(content), [c.key for c in candidates],
                                   scorer=fuzz.token_set_ratio, score_cutoff=SIMILARITY)
        return (candidates[found[2]], found[1]) if found else None

    def repeat_count(self, *, community_id, type_id, received_at) -> int:
        """Complaints about this community and type in the 90 days up to and including this one."""
        if not (community_id and type_id):
            return 1
        times = self.times.get((community_id, type_id), [])
        lo = bisect.bisect_left(times, minus(received_at, REPEAT_WINDOW))
        hi = bisect.bisect_right(times, received_at)
        return hi - lo + 1

    def add(self, *, community_id, type_id, received_at, content, address, primary: bool, id=None, obj=None,
            key=None, where=None):
        if not (community_id and type_id):
            return None
        slot = (community_id, type_id)
        bisect.insort(self.times[slot], received_at)
        if primary:
            entry = _Open(id, received_at, key if key is not None else text_key(content),
                          where if where is not None else spot(address, content), obj)
            position = bisect.bisect_right(self.open_times[slot], received_at)
            self.open_times[slot].insert(position, received_at)
            self.open[slot].insert(position, entry)
            return entry
        return None


def _different_spot(a: tuple[str, str], b: tuple[str, str]) -> bool:
    (building_a, room_a), (building_b, room_b) = a, b
    if building_a and building_b and building_a != building_b:
        return True
    return bool(room_a and room_b and room_a != room_b)
