"""Matching a free-text address to a residential community.

A wrong community is worse than none: a match is returned only when the road and door number
fall inside a registered address, or a community's name or alias appears in the text without
ambiguity. Everything else returns no community, with the nearest candidates in the evidence so
staff can pick one.

No community is returned when:
- the text places itself in another district or city (静安区…, 苏州市…);
- two addresses, or two names, in the text point at different communities, or a door at one and a name at another;
- the street/town written in the text is not the street of the community found;
- a name is preceded by the short name of another street (长风海棠苑 while 海棠苑 is in 万里);
- the road is not registered and is either a known road of its own (OTHER_ROADS: 新会路 is not a typo of
  新村路) or one character away from several registered roads, or the differing character is a direction;
- the place is given relative to a community or door that it lies outside of (…对面, 斜对过, 附近, 后面, 隔壁
  the shop, 旁边, 外面); relative to a building or flat (3号楼后面, 602室隔壁) it stays inside;
- a name is part of a shop's, hotel's or market's name (清涧四村菜场, 金沙苑酒店, …公寓式酒店), or of a
  look-alike estate's (新嘉禾城, 东方海棠苑, 金桂城花园, 真如苑二村); part of a road's name (海棠城路) it is ignored.

The caller's own address (诉求人住址…, 来电人系…居民, 我住…) is set aside when the text gives another place for the
matter; a road written without 路 (兰溪273弄, 管弄51弄) is read as the registered road it shortens.
"""
import re
from collections import defaultdict
from dataclasses import dataclass, field

from registry.addresses import normalize, parse_all
from registry.choices import AddressUnit

ACCEPT = 0.75  # below this, no community is returned

SHANGHAI_DISTRICTS = tuple("""
黄浦区 徐汇区 长宁区 静安区 普陀区 虹口区 杨浦区 闵行区 宝山区 嘉定区 浦东新区 金山区 松江区 青浦区 奉贤区 崇明区
闸北区 卢湾区 南汇区
""".split())
_DISTRICT_IN_TEXT = re.compile("|".join(SHANGHAI_DISTRICTS))
_PROVINCES = ("北京|天津|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|"
              "贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港")
_OTHER_PLACE = re.compile(
    rf"(?:{_PROVINCES})(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)"
    r"|^(?:中国)?(?!上海)[\u4e00-\u9fff]{2,3}市(?![场民容政面级区内])"
)
_DIRECTIONS = set("东南西北中")

# A place given relative to a community or a door on the road: outside it (the shop next door, across the road).
_RELATION = r"(?:斜?对面|斜?对过|斜?对门|对马路|马路对面|附近|周边|周围|后面|后头|背后|隔壁|旁边|边上|外面|外头|门外)"
_NEAR_BEFORE_NAME = re.compile(r"(?:靠近|临近|毗邻|紧挨着?)$")
_GATE = r"(?:门口|大门口?|[东南西北]门口?)?"
_LINK = r"(?:的|那家|那个|这家)?"
_OUTSIDE_AFTER_NAME = re.compile(rf"(?:小区|新村)?{_GATE}{_LINK}{_RELATION}")
_OUTSIDE_AFTER_DOOR = re.compile(rf"\d+(?:-\d+)?(弄|号)(?![楼室\d])(?:小区|弄堂口?|弄口)?{_GATE}{_LINK}{_RELATION}")
_OUTSIDE_AFTER_ESTATE = re.compile(rf"(?:小区|弄堂口?|弄口|大院){_GATE}{_LINK}{_RELATION}")
# A name followed by these is a shop, hotel, market or stop named after the estate, not the estate.
_SHOP_AFTER_NAME = re.compile(
    r"(?:公寓式酒店|式酒店|大?酒店|宾馆|旅馆|饭店|饭馆|餐厅|茶楼|网吧|足浴|菜场|菜市场|农贸市场|市场|超市|商场|广场|公交站"
    r"|地铁站|车站|加油站|面馆|菜馆|浴室|商务楼|写字楼|[^\d门里内楼边旁对后附外小的，,。；;：:、]{0,2}店)"
)
_ROAD_AFTER_NAME = re.compile(r"(?:[东西南北中]?路|大道|街(?!道))")
# A name inside a longer estate name: a prefix (新嘉禾城, 东方海棠苑) or an estate word after it (金桂城花园,
# 芳华城市广场, 真如苑二村) makes it another estate, or one the registry does not hold.
_LOOKALIKE_BEFORE = set("新老东西南北金银玉华御翠锦绿香紫嘉富丽星明佳阳瑞福德宝大方凯恒泰盛鑫龙凤")
_LOOKALIKE_AFTER = re.compile(
    r"(?:苑|园(?![林区])|城(?!管)|府|邸|庭(?!院)|湾|墅|公馆|花园|家园|名邸|华庭|华府|雅苑|雅居|山庄|别墅|新村|新苑"
    r"|公寓(?!式)|大厦|市(?![容民场政])|邦|[一二三四五六七八九十\d]+村)"
)
# The caller's own address; the segment runs to the end of the clause or to where the matter starts.
_RESIDENCE = re.compile(
    r"(?:(?:诉求人|来电人|来电者|反映人|投诉人)(?:家庭|居住)?(?:住址|地址)|家庭住址|居住地址|住址"
    r"|(?:我|本人|其|来电人|诉求人|来电者|投诉人|阿拉)家?(?:住在|居住在|居住于|住|系|是|为)|家住在?|[（(]住)[:：为是在]?"
    r"(?P<segment>.*?)(?=[，,。；;！!？?）)\n]|反映|投诉|举报|事发|问题|发生|诉求|内容|来电|$)"
)
_NEXT_VILLAGE = re.compile(r"[一二三四五六七八九十]+村")

# Real roads of Putuo and its neighbours that are not community roads of the registry, so that one of
# them is never "corrected" into a registered road one character away (新会路 ≠ 新村路, 康定路 ≠ 泸定路).
# Names only, written from general knowledge and not surveyed; a name here can only stop a correction.
OTHER_ROADS = frozenset("""
曹安公路 真南路 武威东路 桃浦西路 祁连山南路 绥德路 清峪路 新会路 光复路 叶家宅路 白兰路 李子园路 真金路 杨柳青路
云岭西路 宁夏路 凯旋北路 东新路 常和路 北石路 绿杨路 金沙江西路 真如路 曹杨支路 富平路 大华路 华池路 丹巴支路
长风路 泸定支路 金昌路 中宁路 梅川支路 岚灵路 灵石路 洛川中路 大统路 共和新路 平型关路 中华新路 汶水路 场中路
广中路 南京西路 北京西路 江宁路 昌平路 康定路 新闸路 胶州路 余姚路 海防路 武定路 武定西路 延平路 西藏北路
天目西路 延长路 延长中路 中兴路 恒丰路 长安路 普善路 长宁路 天山路 仙霞路 延安西路 虹桥路 中山西路 凯旋路 定西路
安化路 江苏路 愚园路 法华镇路 新华路 金钟路 共康路 宜山路 漕溪北路 淮海中路 人民路 四川北路 控江路 曲阳路
中山南路 中山东一路 普安路 宝山路 西康南路 武宁南路 长寿西路 枣阳支路 兰溪支路 宜昌支路 真北支路
""".split())


@dataclass
class Match:
    community_id: int | None = None
    community: str | None = None
    street_id: int | None = None
    street: str | None = None
    score: float = 0.0
    evidence: dict = field(default_factory=dict)
    # Every address of the text, as registry.addresses.parse_all found them (shared: not to be changed).
    parsed: list = field(default_factory=list, repr=False, compare=False)

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


def _village_digits(text: str) -> str:
    """梅岭4村 → 梅岭四村, so names and aliases match however the number is written."""
    return re.sub(r"(?<!\d)([1-9])村", lambda m: "一二三四五六七八九"[int(m.group(1)) - 1] + "村", text)


def _hamming1(a: str, b: str) -> int | None:
    """The position where two equally long strings differ, when they differ in exactly one place."""
    if len(a) != len(b):
        return None
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return diff[0] if len(diff) == 1 else None


class CommunityIndex:
    """In-memory index of every community's doors, names and aliases (a few hundred kB for a district)."""

    def __init__(self, communities, addresses, aliases, streets, districts=("普陀区",)):
        self.communities = {c["id"]: c for c in communities}
        self.streets = {s["id"]: s for s in streets}
        self.districts = set(districts)
        self.doors: dict[str, list[_Door]] = defaultdict(list)
        for a in addresses:
            last = a["number_to"] or a["number_from"]
            label = f"{a['road']}{a['number_from']}{'-' + str(a['number_to']) if a['number_to'] else ''}"
            label += "弄" if a["unit"] == AddressUnit.LANE else "号"
            self.doors[a["road"]].append(_Door(a["unit"], a["number_from"], last, a["community_id"], label))
        self.roads = list(self.doors)
        self.roads_by_length: dict[int, list[str]] = defaultdict(list)
        for road in self.roads:
            self.roads_by_length[len(road)].append(road)
        self.other_roads = OTHER_ROADS - set(self.roads)
        # Lengths of every road name, registered or not, longest first: tails of a parsed road are tried in this order.
        self.road_lengths = sorted({len(r) for r in self.roads} | {len(r) for r in self.other_roads}, reverse=True)

        self.names: dict[str, set[int]] = defaultdict(set)
        for c in communities:
            self.names[_village_digits(normalize(c["name"]))].add(c["id"])
        for a in aliases:
            self.names[_village_digits(normalize(a["name"]))].add(a["community_id"])
        # Longest names first, so 兰溪一村东区 wins over 兰溪一村 (the regex tries alternatives in order).
        self.name_list = sorted((n for n in self.names if len(n) >= 2), key=len, reverse=True)
        self._name_re = re.compile("|".join(map(re.escape, self.name_list))) if self.name_list else None

        self.street_names = {}
        self.short_names: dict[str, int] = {}
        for s in streets:
            short = s.get("short_name") or ""
            for key in {s["name"], short, s["name"].removesuffix("街道").removesuffix("镇")}:
                if key and len(key) >= 2:
                    self.street_names[key] = s["id"]
            if len(short) >= 2:
                self.short_names[short] = s["id"]
        self._street_keys = sorted(((k, v) for k, v in self.street_names.items() if len(k) >= 3),
                                   key=lambda kv: -len(kv[0]))

        self.road_streets: dict[str, set[int]] = defaultdict(set)
        # Per road and street, the lowest and highest registered door: a road crossing several streets is
        # told apart by the number (真北路 2500 is in 万里, 真北路 1800 in 真如).
        self.road_spans: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
        for road, doors in self.doors.items():
            for door in doors:
                street_id = self.communities[door.community_id]["street_id"]
                self.road_streets[road].add(street_id)
                low, high = self.road_spans[road].get(street_id, (door.first, door.last))
                self.road_spans[road][street_id] = (min(low, door.first), max(high, door.last))
        # 兰溪273弄, 管弄51弄: a registered road written without its 路. Not a stem that ends a name (新村 of 梅川新村).
        stems = {road[:-1] for road in self.roads if road.endswith("路") and len(road) >= 3}
        stems = {stem for stem in stems if not any(name.endswith(stem) for name in self.names)}
        self._stem_re = (re.compile("(" + "|".join(map(re.escape, sorted(stems, key=len, reverse=True)))
                                    + r")(?=\d+(?:-\d+)?[弄号])") if stems else None)
        self._road_cache: dict[str, tuple] = {}
        self._road_re = (re.compile("|".join(map(re.escape, sorted(self.roads, key=len, reverse=True))))
                         if self.roads else None)

    @classmethod
    def build(cls, district=None) -> "CommunityIndex":
        """Every community of the installation, or of `district` only (a 12345 file of one district of several:
        a road two districts share is matched in that district's communities, and a text naming another
        district is not ours)."""
        from registry.models import Community, CommunityAddress, CommunityAlias, District, Street

        communities, addresses = Community.objects.all(), CommunityAddress.objects.all()
        aliases, streets, districts = CommunityAlias.objects.all(), Street.objects.all(), District.objects.all()
        if district is not None:
            district_id = getattr(district, "pk", district)
            communities = communities.filter(street__district_id=district_id)
            addresses = addresses.filter(community__street__district_id=district_id)
            aliases = aliases.filter(community__street__district_id=district_id)
            streets, districts = streets.filter(district_id=district_id), districts.filter(pk=district_id)
        return cls(
            communities=list(communities.values("id", "name", "street_id")),
            addresses=list(addresses.values("community_id", "road", "unit", "number_from", "number_to")),
            aliases=list(aliases.values("community_id", "name")),
            streets=list(streets.values("id", "name", "short_name")),
            districts=list(districts.values_list("name", flat=True)) or ["普陀区"],
        )

    # --- matching -------------------------------------------------------------------------
    def match(self, text: str) -> Match:
        normalized = normalize(text or "")
        added = []
        if self._stem_re is not None:
            normalized = self._stem_re.sub(lambda m: added.append(m.group(1)) or m.group(1) + "路", normalized)
        extra: dict = {"road_suffix_added": added} if added else {}
        # The caller's own address beside the matter's place: the matter's place wins.
        residence = [m.group("segment") for m in _RESIDENCE.finditer(normalized) if m.group("segment")]
        if residence:
            masked = _RESIDENCE.sub(lambda m: m.group(0)[:m.start("segment") - m.start()] + "，", normalized)
            if self._has_place(masked):
                extra["caller_address_set_aside"] = residence
                normalized = masked
        result = self._match(normalized)
        result.evidence.update(extra)
        if extra:  # `parsed` stays parse_all(text): de-duplication compares it with parse() of stored texts
            result.parsed = parse_all(text or "")
        return result

    def _has_place(self, normalized: str) -> bool:
        """Whether the text names a door, a road or a community."""
        if any(p.ok for p in parse_all(normalized)):
            return True
        if self._name_re is not None and self._name_re.search(_village_digits(normalized)):
            return True
        return self._road_re is not None and bool(self._road_re.search(normalized))

    def _outside(self, normalized: str) -> str | None:
        """The words that put the place outside a door or an estate (中潭路31号旁边, 小区对面), if any; a 号 after a
        弄 is a building inside the lane, so 273弄12号隔壁 stays inside."""
        for match in _OUTSIDE_AFTER_DOOR.finditer(normalized):
            if match.group(1) == "号" and re.search(r"弄\d*$", normalized[:match.start()]):
                continue
            return match.group(0)
        if match := _OUTSIDE_AFTER_ESTATE.search(normalized):
            return match.group(0)
        return None

    def _match(self, text: str) -> Match:
        parsed_all = parse_all(text)
        parsed = parsed_all[0]
        normalized = parsed.normalized
        evidence: dict = {"parsed": parsed.canonical() if parsed.ok else ""}

        elsewhere = self._elsewhere(normalized)
        if elsewhere:
            evidence["other_district"] = elsewhere
            return Match(score=0.0, evidence=evidence, parsed=parsed_all)

        by_address = self._by_addresses(parsed_all, evidence)
        by_name = self._by_name(normalized, evidence)
        street_hint = self._street_hint(parsed, normalized)
        if street_hint:
            evidence["street_in_text"] = self.streets[street_hint]["name"]

        candidate, score = None, 0.0
        named = evidence.get("ambiguous_name_ids")
        contenders: set[int] = set()  # communities the text points at, when it points at several
        if by_address and named:
            # Several communities named ("…真光华庭对面的真光坊"): the door does not tell which one the matter is at.
            evidence["conflict"] = [self.communities[by_address[0]]["name"]] + evidence["ambiguous_name"]
            candidate, score = by_address[0], by_address[1] - 0.3
            evidence["method"] = "conflict"
            contenders = {by_address[0], *named}
        elif by_address and by_name:
            if by_address[0] == by_name[0]:
                candidate, score = by_address[0], 1.0
                evidence["method"] = "address+name"
            else:
                # The door number names one community, the text another: trust neither.
                evidence["conflict"] = [self.communities[by_address[0]]["name"], self.communities[by_name[0]]["name"]]
                candidate, score = by_address[0], min(by_address[1], by_name[1]) - 0.2
                evidence["method"] = "conflict"
                contenders = {by_address[0], by_name[0]}
        elif by_address:
            candidate, score = by_address
            evidence["method"] = "address"
        elif by_name:
            candidate, score = by_name
            evidence["method"] = "name"
        evidence.pop("ambiguous_name_ids", None)

        outside = evidence.get("outside") or self._outside(normalized)
        if outside:
            evidence["outside"] = outside
            score = min(score, ACCEPT / 2)

        if candidate and street_hint and self.communities[candidate]["street_id"] != street_hint:
            evidence["street_conflict"] = True
            score -= 0.3

        result = Match(score=max(0.0, round(score, 4)), evidence=evidence, parsed=parsed_all)
        if candidate and score >= ACCEPT:
            community = self.communities[candidate]
            result.community_id, result.community = candidate, community["name"]
            result.street_id = community["street_id"]
        else:
            if candidate:
                evidence["rejected"] = self.communities[candidate]["name"]
            if street_hint:
                result.street_id = street_hint
            elif contenders:
                streets = {self.communities[c]["street_id"] for c in contenders}
                result.street_id = next(iter(streets)) if len(streets) == 1 else None
            else:
                result.street_id = self._street_of_roads(parsed_all, normalized)
        if result.street_id:
            result.street = self.streets[result.street_id]["name"]
        return result

    def _elsewhere(self, normalized: str) -> str | None:
        """The other district or city the text names, unless it also names ours."""
        districts = set(_DISTRICT_IN_TEXT.findall(normalized))
        if districts - self.districts and not districts & self.districts:
            return sorted(districts - self.districts)[0]
        if match := _OTHER_PLACE.search(normalized):
            return match.group(0)
        return None

    def _resolve_road(self, road: str, evidence: dict) -> tuple[str | None, float]:
        """The registered road a parsed road names: itself, its tail after leftover words ("投诉铜川路"),
        or a one-character correction that fits exactly one registered road."""
        if road in self.doors:
            return road, 1.0
        cached = self._road_cache.get(road)
        if cached is None:
            found: dict = {}
            cached = (*self._resolve_unregistered(road, found), found)
            if len(self._road_cache) > 50_000:
                self._road_cache.clear()
            self._road_cache[road] = cached
        evidence.update(cached[2])
        return cached[0], cached[1]

    def _resolve_unregistered(self, road: str, evidence: dict) -> tuple[str | None, float]:
        for length in self.road_lengths:
            if length > len(road):
                continue
            tail = road[-length:]
            if tail in self.doors:
                return tail, 1.0
            if tail in self.other_roads:
                evidence["road_other"] = tail
                return None, 0.0
        # Longest tail first; the first length with any candidate decides (怒将北路 → 怒江北路, not 将北路 → 真北路).
        candidates: set[str | None] = set()
        for length in sorted(self.roads_by_length, reverse=True):
            if length > len(road) or length < 3:
                continue
            tail = road[-length:]
            for known in self.roads_by_length[length]:
                at = _hamming1(tail, known)
                if at is None or at == length - 1:  # the suffix itself (路/街) is not corrected
                    continue
                if tail[at] in _DIRECTIONS and known[at] in _DIRECTIONS:  # 中山南路 is not 中山北路
                    candidates.add(None)
                candidates.add(known)
            if candidates:
                break
        if len(candidates) == 1 and None not in candidates:
            name = next(iter(candidates))
            evidence["road_corrected"] = f"{road}→{name}"
            return name, 0.9
        if candidates:
            evidence["road_candidates"] = sorted(c for c in candidates if c)
        return None, 0.0

    def _by_addresses(self, parsed_all, evidence) -> tuple[int, float] | None:
        """The community of the text's doors; none when two of them point at different communities."""
        found: dict[int, float] = {}
        shown = None  # the evidence of the first address that found a door, else of the first address
        for parsed in parsed_all[:5]:
            if not parsed.ok:
                continue
            own = {"parsed": parsed.canonical()}
            hit = self._by_address(parsed, own)
            if hit:
                found[hit[0]] = max(found.get(hit[0], 0.0), hit[1])
            if shown is None or (hit and "door" not in shown):
                shown = own
        evidence.update(shown or {})
        if len(found) > 1:
            evidence["ambiguous_addresses"] = [self.communities[c]["name"] for c in found]
            evidence.pop("door", None)
            return None
        return next(iter(found.items())) if found else None

    def _by_address(self, parsed, evidence) -> tuple[int, float] | None:
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
        if self._name_re is None:
            return None
        text = _village_digits(normalized)
        found: dict[str, set[int]] = {}
        for match in self._name_re.finditer(text):
            name = match.group(0)
            ids = self.names[name]
            after = text[match.end():]
            if _ROAD_AFTER_NAME.match(after):  # 海棠城路: a road named after the estate
                evidence.setdefault("name_in_road", []).append(name)
                continue
            if shop := _SHOP_AFTER_NAME.match(after):
                evidence["name_in_shop"] = name + shop.group(0)
                ids = ids | {None}
            elif (match.start() and text[match.start() - 1] in _LOOKALIKE_BEFORE) or _LOOKALIKE_AFTER.match(after):
                evidence["lookalike"] = text[max(0, match.start() - 2):match.end() + 2]
                ids = ids | {None}
            if relation := _OUTSIDE_AFTER_NAME.match(after):
                evidence["outside"] = name + relation.group(0)
            elif near := _NEAR_BEFORE_NAME.search(text, 0, match.start()):
                evidence["outside"] = near.group(0) + name
            village = _NEXT_VILLAGE.match(text, match.end()) if name.endswith("新村") else None
            if village:
                # 铜川新村二村 is the second village of 铜川新村, not 铜川新村 itself.
                evidence["other_village"] = name + village.group(0)
                ids = ids | {None}
            before = text[max(0, match.start() - 2):match.start()]
            other_street = self.short_names.get(before)
            if other_street and all(self.communities[i]["street_id"] != other_street for i in ids if i is not None):
                # 长风海棠苑 while 海棠苑 is in 万里: another estate, or a mistake; either way not this one.
                evidence["other_street_prefix"] = before + name
                ids = ids | {None}
            found[name] = ids
        if not found:
            return None
        ids = set().union(*found.values())
        if len(ids) == 1:
            name = max(found, key=len)
            evidence["name"] = name
            return next(iter(ids)), 0.9 if len(name) >= 3 else 0.76
        evidence["ambiguous_name"] = list(found)
        evidence["ambiguous_name_ids"] = ids - {None}
        return None

    def _street_hint(self, parsed, normalized: str) -> int | None:
        if parsed.street:
            for key, street_id in self.street_names.items():
                if parsed.street.startswith(key):
                    return street_id
        for key, street_id in self._street_keys:
            if key in normalized and not normalized.count(key + "路"):
                return street_id
        return None

    def _street_of_roads(self, parsed_all, normalized: str) -> int | None:
        """The street of the text's road when only one street can be meant: the road lies in one street, or
        the number falls between the doors one street has on it."""
        streets = set()
        for parsed in parsed_all:
            road = parsed.road if parsed.road in self.doors else None
            if road is None and parsed.road:
                road = next((parsed.road[-n:] for n in self.road_lengths
                             if n <= len(parsed.road) and parsed.road[-n:] in self.doors), None)
            if road is None:
                continue
            spans = self.road_spans[road]
            if len(spans) == 1:
                streets |= set(spans)
            elif parsed.first is not None:
                inside = [s for s, (low, high) in spans.items() if low <= parsed.first <= high]
                streets |= set(inside) if len(inside) == 1 else {None}
            else:
                streets.add(None)
        if not streets and self._road_re is not None and not any(p.ok for p in parsed_all):
            for match in self._road_re.finditer(normalized):
                spans = self.road_streets[match.group(0)]
                streets |= spans if len(spans) == 1 else {None}
        return next(iter(streets)) if len(streets) == 1 else None


def match_address(text: str, index: CommunityIndex | None = None) -> Match:
    return (index or CommunityIndex.build()).match(text)
