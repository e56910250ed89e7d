"""Matching a free-text address to a residential community.

A wrong community is worse than none: a match is returned only when the road and door number
fall inside a registered address, or a community's name or alias appears in the text without
ambiguity. Everything else returns no community, with the nearest candidates in the evidence so
staff can pick one.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from registry.addresses import normalize, parse
from registry.choices import AddressUnit

ACCEPT = 0.75  # below this, no community is returned


@dataclass
class Match:
    community_id: int | None = None
    community: str | None = None
    street_id: int | None = None
    street: str | None = None
    score: float = 0.0
    evidence: dict = field(default_factory=dict)

    def as_contract(self) -> dict:
        return {"community_id": self.community_id, "community": self.community, "street": self.street,
                "score": round(self.score, 4)}


@dataclass
class _Door:
    unit: str
    first: int
    last: int
    community_id: int
    label: str


class CommunityIndex:
    """In-memory index of every community's doors, names and aliases (a few hundred kB for a district)."""

    def __init__(self, communities, addresses, aliases, streets):
        self.communities = {c["id"]: c for c in communities}
        self.streets = {s["id"]: s for s in streets}
        self.doors: dict[str, list[_Door]] = defaultdict(list)
        for a in addresses:
            last = a["number_to"] or a["number_from"]
            label = f"{a['road']}{a['number_from']}{'-' + str(a['number_to']) if a['number_to'] else ''}"
            label += "弄" if a["unit"] == AddressUnit.LANE else "号"
            self.doors[a["road"]].append(_Door(a["unit"], a["number_from"], last, a["community_id"], label))
        self.roads = list(self.doors)
        self.names: dict[str, set[int]] = defaultdict(set)
        for c in communities:
            self.names[normalize(c["name"])].add(c["id"])
        for a in aliases:
            self.names[normalize(a["name"])].add(a["community_id"])
        # Longest names first, so 兰溪一村东区 wins over 兰溪一村.
        self.name_list = sorted((n for n in self.names if len(n) >= 2), key=len, reverse=True)
        self.street_names = {}
        for s in streets:
            for key in {s["name"], s["short_name"], s["name"].removesuffix("街道").removesuffix("镇")}:
                if key and len(key) >= 2:
                    self.street_names[key] = s["id"]
        self.road_streets: dict[str, set[int]] = defaultdict(set)
        for road, doors in self.doors.items():
            for door in doors:
                self.road_streets[road].add(self.communities[door.community_id]["street_id"])

    @classmethod
    def build(cls) -> "CommunityIndex":
        from registry.models import Community, CommunityAddress, CommunityAlias, Street

        return cls(
            communities=list(Community.objects.values("id", "name", "street_id")),
            addresses=list(CommunityAddress.objects.values("community_id", "road", "unit", "number_from", "number_to")),
            aliases=list(CommunityAlias.objects.values("community_id", "name")),
            streets=list(Street.objects.values("id", "name", "short_name")),
        )

    # --- matching -------------------------------------------------------------------------
    def match(self, text: str) -> Match:
        text = text or ""
        normalized = normalize(text)
        parsed = parse(text)
        evidence: dict = {"parsed": parsed.canonical() if parsed.ok else ""}
        by_address = self._by_address(parsed, evidence)
        by_name = self._by_name(normalized, evidence)
        street_hint = self._street_hint(parsed, normalized)
        if street_hint:
            evidence["street_in_text"] = self.streets[street_hint]["name"]

        candidate, score = None, 0.0
        if by_address and by_name:
            if by_address[0] == by_name[0]:
                candidate, score = by_address[0], 1.0
                evidence["method"] = "address+name"
            else:
                # The door number names one community, the text another: trust neither.
                evidence["conflict"] = [self.communities[by_address[0]]["name"], self.communities[by_name[0]]["name"]]
                candidate, score = by_address[0], min(by_address[1], by_name[1]) - 0.2
                evidence["method"] = "conflict"
        elif by_address:
            candidate, score = by_address
            evidence["method"] = "address"
        elif by_name:
            candidate, score = by_name
            evidence["method"] = "name"

        if candidate and street_hint and self.communities[candidate]["street_id"] != street_hint:
            evidence["street_conflict"] = True
            score -= 0.3

        result = Match(score=max(0.0, round(score, 4)), evidence=evidence)
        if candidate and score >= ACCEPT:
            community = self.communities[candidate]
            result.community_id, result.community = candidate, community["name"]
            result.street_id = community["street_id"]
        else:
            if candidate:
                evidence["rejected"] = self.communities[candidate]["name"]
            result.street_id = street_hint or self._street_of_road(parsed)
        if result.street_id:
            result.street = self.streets[result.street_id]["name"]
        return result

    def _resolve_road(self, road: str, evidence: dict) -> tuple[str | None, float]:
        if road in self.doors:
            return road, 1.0
        if not self.roads:
            return None, 0.0
        best = process.extract(road, self.roads, scorer=fuzz.ratio, limit=2)
        if not best:
            return None, 0.0
        name, ratio, _ = best[0]
        runner_up = best[1][1] if len(best) > 1 else 0
        same_shape = len(name) == len(road) and name[-1] == road[-1]
        if same_shape and ratio >= 66 and ratio > runner_up:
            evidence["road_corrected"] = f"{road}→{name}"
            return name, 0.9
        return None, 0.0

    def _by_address(self, parsed, evidence) -> tuple[int, float] | None:
        if not parsed.ok:
            return None
        road, road_score = self._resolve_road(parsed.road, evidence)
        if road is None:
            evidence["road_unknown"] = parsed.road
            return None
        doors = self.doors[road]
        if parsed.lane is not None:
            wanted, unit = parsed.lane, AddressUnit.LANE
        else:
            wanted, unit = parsed.number, AddressUnit.NUMBER
        exact = {d.community_id: d for d in doors if d.unit == unit and d.first <= wanted <= d.last}
        if len(exact) == 1:
            door = next(iter(exact.values()))
            evidence["door"] = door.label
            return door.community_id, 0.95 * road_score
        if len(exact) > 1:
            evidence["ambiguous_door"] = [d.label for d in exact.values()]
            return None
        # 弄 written as 号 or the reverse is a common slip: accept it with less confidence.
        other = {d.community_id: d for d in doors if d.unit != unit and d.first <= wanted <= d.last}
        if len(other) == 1:
            door = next(iter(other.values()))
            evidence["door"] = door.label
            evidence["unit_mismatch"] = True
            return door.community_id, 0.8 * road_score
        near = sorted(doors, key=lambda d: min(abs(d.first - wanted), abs(d.last - wanted)))[:3]
        evidence["nearest_doors"] = [d.label for d in near]
        return None

    def _by_name(self, normalized: str, evidence) -> tuple[int, float] | None:
        for name in self.name_list:
            if name in normalized:
                ids = self.names[name]
                if len(ids) == 1:
                    evidence["name"] = name
                    return next(iter(ids)), 0.9 if len(name) >= 3 else 0.76
                evidence["ambiguous_name"] = name
                return None
        return None

    def _street_hint(self, parsed, normalized: str) -> int | None:
        if parsed.street:
            for key, street_id in self.street_names.items():
                if parsed.street.startswith(key):
                    return street_id
        for key, street_id in sorted(self.street_names.items(), key=lambda kv: -len(kv[0])):
            if len(key) >= 3 and key in normalized and not normalized.count(key + "路"):
                return street_id
        return None

    def _street_of_road(self, parsed) -> int | None:
        if parsed.road and len(self.road_streets.get(parsed.road, ())) == 1:
            return next(iter(self.road_streets[parsed.road]))
        return None


def match_address(text: str, index: CommunityIndex | None = None) -> Match:
    return (index or CommunityIndex.build()).match(text)
