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
from datetime import datetime, timedelta
from operator import add

from django.db.models import Q
from rapidfuzz import fuzz, process

from core.dates import minus
from registry.addresses import normalize, parse

DUPLICATE_WINDOW = timedelta(days=30)
REPEAT_WINDOW = timedelta(days=90)
CONSULTATION_AT = 3
SIMILARITY = 55.0  # rapidfuzz token_set_ratio over character bigrams, 0..100
NON_ENFORCEMENT = "NON_ENFORCEMENT"  # the type code of matters referred elsewhere

_BOILERPLATE = re.compile(
    r"市民来电反映|来电人?反映|来电人表示|市民反映|诉求[:：]?|要求相关部门(尽快)?(处理|查处|整治)|希望尽快处理|"
    r"并回复处理结果|要求处理|请尽快处理|上海市|普陀区"
)


def matter(type_id, type_code: str | None, department_id):
    """What "the same matter" means: the violation type — or, for matters referred elsewhere, the
    receiving department (a noise complaint does not repeat a property-fee complaint)."""
    return ("NE", department_id) if type_code == NON_ENFORCEMENT else type_id


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


class _Open:
    """An open primary of the index. Its text key and flat are worked out on the first comparison that needs them
    (most entries read from the database are never compared: they lie outside every new complaint's window or in
    a slot that no new complaint is about), or given when already at hand."""

    __slots__ = ("id", "received_at", "obj", "_key", "_spot", "_content", "_address")

    def __init__(self, id, received_at, key=None, spot=None, obj=None, *, content="", address=""):  # noqa: A002
        self.id, self.received_at, self.obj = id, received_at, obj
        self._key, self._spot, self._content, self._address = key, spot, content, address

    @property
    def key(self) -> str:
        if self._key is None:
            self._key = text_key(self._content)
        return self._key

    @property
    def spot(self) -> tuple[str, str]:
        if self._spot is None:
            self._spot = spot(self._address, self._content)
        return self._spot


class DedupIndex:
    """What the rules look back on, per slot (community, matter): the times of the complaints of the last
    REPEAT_WINDOW, and the open primaries of the last DUPLICATE_WINDOW, both before `since`.

    `build(since)` reads every slot of the district at once; `build(since, lazy=True)` reads a slot from the
    database the first time it is asked about (or, for many at once, when `load(slots)` names it), so a single
    complaint reads its own slot and a small import the slots its orders are about, not the whole district's
    90 days (a large one reads them all at once: services.LAZY_DEDUP_MAX_ROWS). Either gives the same answers: a
    slot is read before anything is added to it, and what this index adds is kept in memory as before."""

    def __init__(self, since: datetime | None = None, *, lazy: bool = False):
        # Open primaries per (community, type), kept in order of receipt with their times alongside, so a
        # search looks only at the 30-day window (a year's import would otherwise scan every entry).
        self.open: dict[tuple[int, int], list[_Open]] = defaultdict(list)
        self.open_times: dict[tuple[int, int], list[datetime]] = defaultdict(list)
        self.times: dict[tuple[int, int], list[datetime]] = defaultdict(list)
        self.since = since
        self.lazy = lazy
        self.loaded: set = set()  # the slots read (lazy)
        self._codes: dict[int, str] | None = None

    @classmethod
    def build(cls, since: datetime | None = None, *, lazy: bool = False) -> "DedupIndex":
        """Load what the rules look back on from the database: the times of complaints of the last REPEAT_WINDOW
        before `since` (four small columns), and the texts of the complaints still open of the last
        DUPLICATE_WINDOW. Both read by an index, the whole district's by received_at, a slot's by (community, type,
        received_at): the cost follows the window, never the history; `lazy`: only the slots asked about, when
        first asked."""
        index = cls(since, lazy=lazy)
        if not lazy:
            index._read(None)
        return index

    def load(self, slots) -> int:
        """Read the slots (community id, matter) not read yet, in one pass (a lazy index; else nothing to do).
        Returns how many were read."""
        if not self.lazy:
            return 0
        wanted = {slot for slot in slots if slot[0] and slot[1] and slot not in self.loaded}
        if wanted:
            self._read(wanted)
            self.loaded |= wanted
        return len(wanted)

    def missing(self, slots) -> set:
        """The slots among these that a lazy index has not read yet."""
        if not self.lazy:
            return set()
        return {slot for slot in slots if slot[0] and slot[1] and slot not in self.loaded}

    def _ensure(self, slot) -> None:
        if self.lazy and slot not in self.loaded:
            self.load([slot])

    def _read(self, wanted: set | None) -> None:
        """Read the slots `wanted` (None: every slot) from the database into the index."""
        from intake.choices import OPEN_STATUSES
        from intake.models import Complaint
        from registry.models import ViolationType

        if self._codes is None:  # the type's code decides the matter: read once, not joined on every row
            self._codes = dict(ViolationType.objects.values_list("pk", "code"))
        codes = self._codes
        # no order asked (the model's default sorted each answer by time): sorted here below
        placed = Complaint.objects.filter(community__isnull=False, violation_type__isnull=False).order_by()
        if wanted is not None:
            placed = placed.filter(_slots_q(wanted, codes))
        recent, open_ = placed, placed.filter(duplicate_of__isnull=True, status__in=OPEN_STATUSES)
        if self.since is not None:
            recent = recent.filter(received_at__gte=minus(self.since, REPEAT_WINDOW))
            open_ = open_.filter(received_at__gte=minus(self.since, DUPLICATE_WINDOW))
        touched = set()
        for community_id, type_id, department_id, received_at in recent.values_list(
                "community_id", "violation_type_id", "department_id", "received_at").iterator(chunk_size=5000):
            slot = (community_id, matter(type_id, codes.get(type_id), department_id))
            if wanted is None or slot in wanted:
                self.times[slot].append(received_at)
                touched.add(slot)
        for slot in touched:
            self.times[slot].sort()
        touched = set()
        for pk, community_id, type_id, department_id, received_at, content, address in open_.values_list(
                "id", "community_id", "violation_type_id", "department_id", "received_at", "content", "address_text",
        ).iterator(chunk_size=2000):
            slot = (community_id, matter(type_id, codes.get(type_id), department_id))
            if wanted is None or slot in wanted:
                self.open[slot].append(_Open(pk, received_at, content=content, address=address))
                touched.add(slot)
        for slot in touched:
            entries = self.open[slot]
            entries.sort(key=_by_receipt)  # ties by id: the same order whatever plan the database chose
            self.open_times[slot] = [e.received_at for e in entries]

    def find_duplicate(self, *, community_id, type_id, received_at, content, address, key=None,
                       where=None) -> tuple[_Open, float] | None:
        """`key` and `where` may be given when already computed (text_key(content), spot(address, content))."""
        if not (community_id and type_id):
            return None
        slot = (community_id, type_id)
        self._ensure(slot)
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
        self._ensure((community_id, type_id))
        times = self.times.get((community_id, type_id), [])
        lo = bisect.bisect_left(times, minus(received_at, REPEAT_WINDOW))
        hi = bisect.bisect_right(times, received_at)
        return hi - lo + 1

    def add(self, *, community_id, type_id, received_at, content, address, primary: bool, id=None, obj=None,
            key=None, where=None):
        if not (community_id and type_id):
            return None
        slot = (community_id, type_id)
        self._ensure(slot)
        bisect.insort(self.times[slot], received_at)
        if primary:
            entry = _Open(id, received_at, key, where, obj, content=content, address=address)
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


def _by_receipt(entry: _Open):
    return entry.received_at, entry.id


def _slots_q(slots, codes: dict[int, str]) -> Q:
    """The complaints of these slots (community id, matter), by type: one term per type naming its communities
    (the index (community, type, received_at) answers each); a referred matter's slot asks for the
    non-enforcement type, the department sorted out by the caller."""
    referred = [pk for pk, code in codes.items() if code == NON_ENFORCEMENT]
    by_type: dict[int, set] = defaultdict(set)
    for community_id, kind in slots:
        for type_id in (referred if isinstance(kind, tuple) else [kind]):
            by_type[type_id].add(community_id)
    q = Q(pk__in=[])
    for type_id, communities in sorted(by_type.items()):
        q |= Q(violation_type_id=type_id, community_id__in=sorted(communities))
    return q
