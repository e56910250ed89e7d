"""Parsing Shanghai addresses: 上海市普陀区真如镇街道铜川路一百二十三弄5号601室.

The parser needs no database. It folds full-width characters, turns Chinese numerals before a
unit (弄/号/室/幢…) into digits, strips city, district and street/town prefixes, and finds the
road with its 弄 or 号 number (or a range such as 1-25号).
"""
import re
import unicodedata
from dataclasses import asdict, dataclass

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL = "零〇一二两三四五六七八九十百千"
_UNIT_WORDS = "弄|支弄|号楼|号|室|幢|栋|座|楼|层|单元"
ROAD_SUFFIX = r"(?:公路|大道|支路|路|街|巷|浜)"
_HAN = r"[\u4e00-\u9fff]"


def chinese_to_int(text: str) -> int | None:
    """一百二十三 → 123, 二〇五 → 205, 十二 → 12."""
    if not text or any(c not in _NUMERAL for c in text):
        return None
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


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"\s+", "", text)
    text = re.sub(
        rf"([{_NUMERAL}]+)(?=(?:{_UNIT_WORDS}))",
        lambda m: str(chinese_to_int(m.group(1))),
        text,
    )
    text = text.replace("—", "-").replace("~", "-").replace("～", "-").replace("至", "-").replace("到", "-")
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
_ROAD_NUMBER = re.compile(
    rf"({_HAN}{{1,10}}?{ROAD_SUFFIX})(\d+)(?:-(\d+))?(弄|号(?!楼))"
    rf"(?:(\d+)(?:-(\d+))?号(?!楼))?"
)
_BUILDING = re.compile(r"(\d+)(?:号楼|幢|栋|座)")
_ROOM = re.compile(r"(\d+)室")


def parse(text: str) -> ParsedAddress:
    normalized = normalize(text)
    result = ParsedAddress(raw=text or "", normalized=normalized)
    rest = _PREFIX.sub("", normalized)
    if match := _DISTRICT.match(rest):
        result.district = match.group(1)
        rest = rest[match.end():]
    if match := _STREET.match(rest):
        result.street = match.group(1)
        rest = rest[match.end():]
    if match := _ROAD_NUMBER.search(rest):
        road, first, last, unit, inner, inner_to = match.groups()
        result.road = _clean_road(road)
        if unit == "弄":
            result.lane, result.lane_to = int(first), _span_end(first, last)
            if inner:
                result.number, result.number_to = int(inner), _span_end(inner, inner_to)
        else:
            result.number, result.number_to = int(first), _span_end(first, last)
        rest = rest[match.end():]
    if match := _BUILDING.search(rest):
        result.building = match.group(1)
    if match := _ROOM.search(rest):
        result.room = match.group(1)
    return result


def _span_end(first: str, last: str | None) -> int | None:
    if last is None:
        return None
    end = int(last)
    return end if end > int(first) else None


# Cut free text before the road: "市民反映：普陀区曹杨新村街道枣阳路" → "枣阳路". The cut needs two
# characters before the suffix, so a road such as 镇坪路 keeps its 镇.
_ROAD_NOISE = re.compile(
    rf"^.*(?:区|街道|镇|:|,|。|在|住|反映|位于|地址|小区|新村(?=[\u4e00-\u9fff]{{2,}}路))(?={_HAN}{{2,}}{ROAD_SUFFIX}$)"
)


def _clean_road(road: str) -> str:
    return _ROAD_NOISE.sub("", road)


def split_list(value: str) -> list[str]:
    """Several values in one cell, separated by ; or ； (also 、 and newlines)."""
    return [part.strip() for part in re.split(r"[;；、\n]", value or "") if part.strip()]
