"""Parsing Shanghai addresses: 上海市普陀区真如镇街道铜川路一百二十三弄5号601室.

The parser needs no database. It folds full-width characters, turns Chinese numerals before a
unit (弄/号/室/幢…) into digits, strips city, district and street/town prefixes, and finds the
road with its 弄 or 号 number (or a range such as 1-25号); parse_all() finds every one in a text.
"""
import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import lru_cache

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "零〇一二两三四五六七八九十百千廿卅卌"
_TENS = str.maketrans({"廿": "二十", "卅": "三十", "卌": "四十"})  # 廿四弄 = 24弄, 一百卅弄 = 130弄
_UNIT_WORDS = "弄|支弄|号楼|号|室|幢|栋|座|楼|层|单元"
ROAD_SUFFIX = r"(?:公路|大道|支路|路|街|巷|浜)"
_HAN = r"[\u4e00-\u9fff]"


def chinese_to_int(text: str) -> int | None:
    """一百二十三 → 123, 二〇五 → 205, 十二 → 12, 廿四 → 24, 一百卅 → 130."""
    if not text or any(c not in _NUMERAL for c in text):
        return None
    text = text.translate(_TENS)
    if not any(c in _UNITS for c in text):
        return int("".join(str(_DIGITS[c]) for c in text))
    total, current = 0, 0
    for char in text:
        if char in _DIGITS:
            current = _DIGITS[char]
        else:
            total += (current or 1) * _UNITS[char]
            current = 0
    return total + current


_SPACES = re.compile(r"\s+")
_NUMERAL_BEFORE_UNIT = re.compile(rf"([{_NUMERAL}]+)(?=(?:{_UNIT_WORDS}))")
_DASHES = str.maketrans({"—": "-", "~": "-", "～": "-", "至": "-", "到": "-"})
_HASH_NUMBER = re.compile(r"(\d)#")
# 铜川路567-11-602: lane, building and flat as operators and residents shorten them (a range has two parts only).
_LANE_BUILDING_ROOM = re.compile(r"(?<=[路街])(\d{1,4})-(\d{1,3})-(\d{3,4})室?(?![\d\-弄号室])")


@lru_cache(maxsize=4096)  # one complaint's text is normalised by matching, de-duplication and parsing alike
def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = _SPACES.sub("", text)
    text = _NUMERAL_BEFORE_UNIT.sub(lambda m: str(chinese_to_int(m.group(1))), text)
    text = text.translate(_DASHES)
    text = _HASH_NUMBER.sub(r"\1号", text)  # 5#楼 → 5号楼
    text = _LANE_BUILDING_ROOM.sub(r"\1弄\2号\3室", text)
    return text


@dataclass
class ParsedAddress:
    raw: str
    normalized: str
    district: str = ""
    street: str = ""
    road: str = ""
    lane: int | None = None
    lane_to: int | None = None
    number: int | None = None
    number_to: int | None = None
    building: str = ""
    room: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.road and (self.lane is not None or self.number is not None))

    @property
    def unit(self) -> str:
        """The address's own door: 弄 if it has a lane, else 号."""
        return "LANE" if self.lane is not None else "NUMBER"

    @property
    def first(self) -> int | None:
        return self.lane if self.lane is not None else self.number

    @property
    def last(self) -> int | None:
        if self.lane is not None:
            return self.lane_to or self.lane
        return self.number_to or self.number

    def canonical(self) -> str:
        if not self.ok:
            return self.normalized
        if self.lane is not None:
            span = f"{self.lane}-{self.lane_to}" if self.lane_to else f"{self.lane}"
            return f"{self.road}{span}弄"
        span = f"{self.number}-{self.number_to}" if self.number_to else f"{self.number}"
        return f"{self.road}{span}号"

    def as_dict(self) -> dict:
        return asdict(self)


_PREFIX = re.compile(r"^(?:中国)?(?:上海市?)?")
_DISTRICT = re.compile(rf"^({_HAN}{{2,4}}?区)(?!路)")
_STREET = re.compile(rf"^({_HAN}{{2,6}}?街道|{_HAN}{{2,4}}?镇)(?!路|街|小区)")
# 5号楼 is a building, but 31号楼道 / 31号楼下 is the stairwell / downstairs of No. 31.
_NOT_BUILDING = "(?!楼(?![道梯下上顶]))"
_ROAD_NUMBER = re.compile(
    rf"({_HAN}{{1,10}}?{ROAD_SUFFIX})[,，、:：·]?(\d+)(?:-(\d+))?(弄|号{_NOT_BUILDING})"
    rf"(?:(\d+)(?:-(\d+))?号{_NOT_BUILDING})?"
)
_BUILDING = re.compile(r"(\d+)(?:号楼|幢|栋|座)")
_ROOM = re.compile(r"(\d+)室")


def parse(text: str) -> ParsedAddress:
    """The first road + 弄/号 of the text (an empty, not-ok ParsedAddress when there is none)."""
    return parse_all(text)[0]


def parse_all(text: str) -> list[ParsedAddress]:
    """Every road + 弄/号 of the text, in order ("铜川路140弄与兰溪路273弄之间" gives two); at least one item,
    not ok when the text has no address. District and street/town prefixes go to every item."""
    normalized = normalize(text)
    head = ParsedAddress(raw=text or "", normalized=normalized)
    rest = _PREFIX.sub("", normalized)
    if match := _DISTRICT.match(rest):
        head.district = match.group(1)
        rest = rest[match.end():]
    if match := _STREET.match(rest):
        head.street = match.group(1)
        rest = rest[match.end():]
    found = list(_ROAD_NUMBER.finditer(rest))
    if not found:
        _building_and_room(head, rest)
        return [head]
    roads = [_clean_road(match.group(1)) for match in found]
    # Where each road really starts: the match may have taken words before it ("楼与兰溪路").
    starts = [match.end(1) - len(road) for match, road in zip(found, roads, strict=True)]
    results = []
    for i, match in enumerate(found):
        result = ParsedAddress(raw=head.raw, normalized=normalized, district=head.district, street=head.street)
        _road, first, last, unit, inner, inner_to = match.groups()
        result.road = roads[i]
        if unit == "弄":
            result.lane, result.lane_to = int(first), _span_end(first, last)
            if inner:
                result.number, result.number_to = int(inner), _span_end(inner, inner_to)
        else:
            result.number, result.number_to = int(first), _span_end(first, last)
        end = starts[i + 1] if i + 1 < len(found) else len(rest)
        _building_and_room(result, rest[match.end():end])
        results.append(result)
    return results


def _building_and_room(result: ParsedAddress, tail: str) -> None:
    if match := _BUILDING.search(tail):
        result.building = match.group(1)
    if match := _ROOM.search(tail):
        result.room = match.group(1)


def _span_end(first: str, last: str | None) -> int | None:
    if last is None:
        return None
    end = int(last)
    return end if end > int(first) else None


# Cut free text before the road: "市民反映：普陀区曹杨新村街道枣阳路" → "枣阳路". The cut needs two
# characters before the suffix, so a road such as 镇坪路 keeps its 镇.
_ROAD_NOISE = re.compile(
    rf"^.*(?:区|街道|镇|:|,|。|在|住|反映|位于|地址|小区|投诉|发现|的|和|与|及|近|新村(?=[\u4e00-\u9fff]{{2,}}路))"
    rf"(?={_HAN}{{2,}}{ROAD_SUFFIX}$)"
)


def _clean_road(road: str) -> str:
    return _ROAD_NOISE.sub("", road)


def split_list(value: str) -> list[str]:
    """Several values in one cell, separated by ; or ； (also 、 and newlines)."""
    return [part.strip() for part in re.split(r"[;；、\n]", value or "") if part.strip()]
