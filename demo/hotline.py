"""Invented 12345 work orders for the demo district (CONTRACTS.md: the 12345 work-order format).

`generate(n, start=…, end=…, seed=…)` returns `n` rows (dicts with the Chinese headers of a real export) for
the communities in the database, the same rows for the same arguments and registry: `random.Random(seed)` only.
`write_csv` and `write_xlsx` write them in the file format `import_hotline` reads. `patrol_findings` and
`property_reports` give the other two channels' records for seed_demo.

What is made to look like a real district's year (none of it is statistics):
- texts come from data/intake/corpus.csv by label; the corpus's invented places are replaced by the chosen
  community's registered address or name, or a place is written into some texts that have none;
- class mix: e-bikes, group renting, illegal construction, common-area occupation and non-enforcement
  matters (property fees, noise, trees …) are frequent, facade damage and structural damage rare (`MIX`);
- hotspots: community weights follow households times a heavy-tailed factor, and some communities have one
  matter much more often than others (a group-renting building, a shed someone keeps extending);
- seasons (`SEASON`): e-bike parking and charging peak in summer, construction and renovation in spring,
  fire-safety calls in winter; fewer calls around the Spring Festival and National Day, and at weekends;
- a slow downward trend over the window (the plan's goal), steeper for enforcement matters;
- `REPEAT_SHARE` (10 %) of the orders repeat an earlier order about the same community, matter and flat
  within days, mostly with the same text reworded by the operator, sometimes in another caller's words;
- addresses vary as callers give them: full with building and room, lane only, the community's name only,
  an alias, Chinese numerals, 弄 written as 号, a misheard road name, or nothing usable at all.
"""
import bisect
import csv
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

from demo import backdate, district

CORPUS = Path(__file__).resolve().parent.parent / "data" / "intake" / "corpus.csv"

HEADERS = ["工单编号", "受理时间", "工单来源", "工单类型", "诉求人", "联系电话", "诉求地址", "诉求内容", "诉求分类",
           "主办单位", "办理时限"]
# The contract's English names for the columns import_hotline reads; the others keep their Chinese header.
ENGLISH = {"工单编号": "ticket_no", "受理时间": "received_at", "诉求人": "caller_name", "联系电话": "caller_phone",
           "诉求地址": "address", "诉求内容": "content", "诉求分类": "category_hint", "办理时限": "deadline"}

REPEAT_SHARE = 0.10  # orders repeating an earlier one (same community, matter and flat) within days
REWORDED = 0.8  # of those: the same text reworded; the rest another caller's own words

# Share of a year's orders per matter: (violation type, department of a non-enforcement matter) → weight.
MIX: dict[tuple[str, str], float] = {
    ("EBIKE_PARKING", ""): 9.0,
    ("EBIKE_CHARGING", ""): 7.0,
    ("GROUP_RENTING", ""): 9.0,
    ("ILLEGAL_CONSTRUCTION", ""): 8.0,
    ("COMMON_AREA_OCCUPATION", ""): 9.0,
    ("HOUSEHOLD_WASTE", ""): 5.0,
    ("CONSTRUCTION_WASTE", ""): 3.5,
    ("RENOVATION_UNREGISTERED", ""): 3.0,
    ("USE_CHANGE", ""): 4.0,
    ("PROPERTY_NEGLIGENCE", ""): 4.0,
    ("SMALL_ADS", ""): 2.5,
    ("GREEN_DAMAGE", ""): 2.5,
    ("STRUCTURE_DAMAGE", ""): 2.0,
    ("FACADE_DAMAGE", ""): 1.0,
    ("NON_ENFORCEMENT", "HOUSING"): 10.0,  # property fees, lifts, maintenance funds, owners' committees
    ("NON_ENFORCEMENT", "STREET"): 6.0,
    ("NON_ENFORCEMENT", "POLICE"): 5.0,
    ("NON_ENFORCEMENT", "GREENING"): 3.0,
    ("NON_ENFORCEMENT", "FIRE"): 2.5,
    ("NON_ENFORCEMENT", "PLANNING"): 1.5,
    ("NON_ENFORCEMENT", "JUSTICE"): 1.0,
    ("NON_ENFORCEMENT", "SPORTS"): 1.0,
}
_FLAT = (1.0,) * 12
_SPRING_WORKS = (0.7, 0.5, 1.3, 1.4, 1.3, 1.0, 0.9, 0.9, 1.1, 1.2, 1.0, 0.8)
# Month factors (January first) per type or department.
SEASON: dict[str, tuple[float, ...]] = {
    "EBIKE_CHARGING": (0.7, 0.6, 0.8, 0.9, 1.1, 1.35, 1.55, 1.55, 1.2, 1.0, 0.8, 0.7),
    "EBIKE_PARKING": (0.85, 0.7, 0.9, 1.0, 1.05, 1.15, 1.3, 1.3, 1.1, 1.0, 0.9, 0.85),
    "ILLEGAL_CONSTRUCTION": (0.7, 0.6, 1.35, 1.55, 1.4, 1.1, 0.9, 0.85, 1.0, 1.1, 0.9, 0.7),
    "RENOVATION_UNREGISTERED": _SPRING_WORKS,
    "CONSTRUCTION_WASTE": _SPRING_WORKS,
    "STRUCTURE_DAMAGE": _SPRING_WORKS,
    "GREEN_DAMAGE": (0.6, 0.6, 1.4, 1.6, 1.3, 1.0, 0.9, 0.9, 1.0, 1.0, 0.8, 0.7),
    "HOUSEHOLD_WASTE": (0.8, 0.9, 0.9, 1.0, 1.1, 1.3, 1.4, 1.4, 1.1, 0.9, 0.8, 0.8),
    "GROUP_RENTING": (0.9, 1.1, 1.3, 1.1, 1.0, 1.0, 1.2, 1.1, 1.0, 0.9, 0.8, 0.8),
    "POLICE": (0.8, 0.8, 0.9, 1.0, 1.1, 1.3, 1.4, 1.3, 1.1, 0.9, 0.8, 0.8),  # noise in summer
    "FIRE": (1.3, 1.3, 1.1, 1.0, 0.9, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.3),
    "GREENING": (0.8, 0.8, 1.1, 1.2, 1.2, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.8),  # pruning, pests, typhoons
}
# Over the window: enforcement matters fall from ×1.15 to ×0.85, the others from ×1.05 to ×0.95.
TREND = {"enforcement": (1.15, 0.85), "other": (1.05, 0.95)}
WEEKDAY = (1.0, 1.0, 0.98, 0.97, 0.95, 0.62, 0.55)
# Calls per hour of day (the hotline answers round the clock).
HOURS = (0.25, 0.12, 0.07, 0.05, 0.05, 0.12, 0.4, 1.1, 2.4, 3.3, 3.3, 2.7, 1.7, 2.5, 3.0, 2.9, 2.5, 2.0,
         1.5, 1.6, 1.6, 1.3, 0.9, 0.5)
# Spring Festival (first day) per year; the week from the eve gets fewer calls, as does National Day week.
SPRING_FESTIVAL = {2023: date(2023, 1, 22), 2024: date(2024, 2, 10), 2025: date(2025, 1, 29),
                   2026: date(2026, 2, 17), 2027: date(2027, 2, 6), 2028: date(2028, 1, 26)}

SOURCES = (("12345热线电话", 0.74), ("随申办市民云", 0.11), ("12345网站", 0.07), ("12345微信公众号", 0.05),
           ("领导信箱", 0.03))
_NET_OPENING = re.compile(r"^(网友留言|市民留言|【随申办留言】|【网上信访】|居民微信反映|居民来信|市民来信)")
DEPARTMENT_UNITS = {"HOUSING": "普陀区房屋管理局", "GREENING": "普陀区绿化和市容管理局",
                    "PLANNING": "普陀区规划和自然资源局", "JUSTICE": "普陀区司法局", "FIRE": "普陀区消防救援支队",
                    "SPORTS": "普陀区体育局", "POLICE": "上海市公安局普陀分局"}
ENFORCEMENT_UNIT = "普陀区城市管理行政执法局"
# 12345's own business categories, as operators pick them (often left empty, sometimes not quite right).
CATEGORIES = {
    "EBIKE_PARKING": ["城市管理/非机动车管理", "消防安全/楼道堆物"],
    "EBIKE_CHARGING": ["消防安全/电动车充电", "城市管理/非机动车管理"],
    "GROUP_RENTING": ["住房保障/群租", "房屋租赁/群租"],
    "ILLEGAL_CONSTRUCTION": ["城乡建设/违法建筑", "城市管理/违法搭建"],
    "COMMON_AREA_OCCUPATION": ["物业管理/公共部位占用", "消防安全/楼道堆物"],
    "HOUSEHOLD_WASTE": ["市容环卫/垃圾分类", "市容环卫/生活垃圾"],
    "CONSTRUCTION_WASTE": ["市容环卫/建筑垃圾", "物业管理/装修管理"],
    "RENOVATION_UNREGISTERED": ["物业管理/装修管理"],
    "USE_CHANGE": ["物业管理/住改商", "房屋租赁/日租房"],
    "PROPERTY_NEGLIGENCE": ["物业管理/物业服务", "市容环卫/垃圾分类"],
    "SMALL_ADS": ["市容环卫/乱张贴"],
    "GREEN_DAMAGE": ["绿化市容/毁绿占绿"],
    "STRUCTURE_DAMAGE": ["房屋安全/擅自拆改", "物业管理/装修管理"],
    "FACADE_DAMAGE": ["物业管理/外立面", "城乡建设/违法建筑"],
    "HOUSING": ["物业管理/物业服务", "物业管理/维修资金", "物业管理/业委会"],
    "STREET": ["社区管理/邻里纠纷", "社区管理/居委会"],
    "POLICE": ["社会治安/噪声扰民", "社会治安/其他"],
    "GREENING": ["绿化市容/树木修剪"],
    "FIRE": ["消防安全/消防设施"],
    "PLANNING": ["规划管理/规划许可"],
    "JUSTICE": ["法律服务/法律咨询"],
    "SPORTS": ["体育管理/信鸽"],
}
# Matters about one flat (a room is usually given) and matters about a staircase or building.
FLAT_MATTERS = {"GROUP_RENTING", "USE_CHANGE", "RENOVATION_UNREGISTERED", "STRUCTURE_DAMAGE", "FACADE_DAMAGE",
                "ILLEGAL_CONSTRUCTION", "CONSTRUCTION_WASTE"}
BUILDING_MATTERS = {"EBIKE_PARKING", "EBIKE_CHARGING", "COMMON_AREA_OCCUPATION", "HOUSEHOLD_WASTE"}
# How much more often a kind of estate has a matter (old lanes: sheds and sublets; new estates: renovations).
AFFINITY = {
    "old": {"GROUP_RENTING": 1.5, "ILLEGAL_CONSTRUCTION": 1.4, "EBIKE_PARKING": 1.3, "EBIKE_CHARGING": 1.4,
            "COMMON_AREA_OCCUPATION": 1.3, "STRUCTURE_DAMAGE": 0.8, "RENOVATION_UNREGISTERED": 0.7, "HOUSING": 0.8},
    "mid": {},
    "new": {"RENOVATION_UNREGISTERED": 1.6, "STRUCTURE_DAMAGE": 1.4, "USE_CHANGE": 1.3, "FACADE_DAMAGE": 1.5,
            "PROPERTY_NEGLIGENCE": 1.2, "HOUSING": 1.4, "GROUP_RENTING": 0.7, "ILLEGAL_CONSTRUCTION": 0.9},
    "tower": {"USE_CHANGE": 1.8, "GROUP_RENTING": 1.2, "EBIKE_PARKING": 0.8, "GREEN_DAMAGE": 0.4,
              "ILLEGAL_CONSTRUCTION": 0.5, "HOUSING": 1.3},
}
_KIND_BY_SUFFIX = sorted(((s, k) for s, k in district._SUFFIX_KIND.items()), key=lambda s: -len(s[0]))

# --- the corpus's own invented places, to be replaced by demo ones -------------------------------
_ROADS = sorted({road for s in district.STREETS for road, _lo, _hi in s.roads}, key=len, reverse=True)
_STREET_NAMES = sorted({s.name for s in district.STREETS}, key=len, reverse=True)
_COMM_SUFFIX = "公寓|花园|新苑|家园|雅苑|名庭|小区|新村|佳苑|华庭|苑|园|庭|居|邸|坊"
_PLACE_TOKEN = re.compile(
    rf"(?P<anchor>(?:上海市)?普陀区|{'|'.join(_STREET_NAMES)}|[瑞锦嘉和康泰安悦丰秀翠福盛汇怡祥宁德景沁茗鸿佳润熙岚]{{2}}"
    rf"(?:{_COMM_SUFFIX})|(?:{'|'.join(_ROADS)})\d+(?:-\d+)?[弄号])|(?P<tail>\d+号楼|\d+号|\d+室|\d+楼|[（）])"
)
_PATROL = re.compile(
    r"巡查|网格员上报|第三方检查|媒体曝光|执法核查|联勤联动|城管社区工作室|居委会排摸|感知设备|执法队员|告警|AI识别|监控|抓拍|测评|图斑|推送中队"
)
_PROPERTY = re.compile(r"物业上报|物业服务企业报告|物业项目经理反映")
_HOTLINE_OPENINGS = (
    "市民来电反映", "来电人反映", "市民反映", "来电人表示", "市民来电称", "网友留言反映", "诉求人反映",
    "市民通过12345热线反映", "来电人系该小区居民，反映", "市民致电反映", "来电人（匿名）反映", "市民来电", "来电反映",
    "市民多次来电反映", "来电人称", "市民来信反映", "来电人（业主）反映", "市民再次来电反映", "来电人再次反映",
    "市民来电称，此前已反映过", "同一市民再次来电", "来电人表示此前已来电，现再次反映", "市民来电反映（重复来电）",
    "市民来电催办",
)
_NET = r"【(?:12345|随申办留言|网上信访)】|(?:网友留言|市民留言|居民微信反映|居民来信)[：:]?"
_OPENING_NAMES = "|".join(sorted((re.escape(o).replace("映", "[映应]") for o in _HOTLINE_OPENINGS), key=len,
                                 reverse=True))
# What an operator or a web form puts before the matter itself ("反应" is the corpus's common typo).
_OPENING = re.compile(rf"^(?:{_NET})?(?:(?:{_OPENING_NAMES})[：，,:])?")
_CLOSING = re.compile(
    r"[，。](?:要求相关部门处理|希望尽快处理，并回复处理结果|诉求：要求相关部门上门核实处理|来电人要求尽快处理|要求核实处理，并电话回复|"
    r"诉求：希望有关部门落实整改|市民对此不满，要求处理|请相关部门核实|影响正常生活，要求处理|来电人情绪激动，要求尽快解决|"
    r"来电人要求：处理后回复|要求职能部门依法处理|望尽快解决|特此反映，请予处理|诉求：尽快解决，不要再拖|希望有关部门重视|"
    r"来电人不愿透露姓名，要求回复处理结果|要求有关部门管一管)[。]?$"
)
_AGAIN_OPENINGS = ("市民再次来电反映：", "来电人再次反映：", "市民来电称，此前已反映过，", "同一市民再次来电：",
                   "来电人表示此前已来电，现再次反映：", "市民来电反映（重复来电）：", "市民来电催办：")
_AGAIN_CLOSINGS = ("，至今未见处理，要求尽快解决。", "，问题依旧，要求相关部门上门处理。",
                   "，上次反映后没有变化，请尽快处理。", "，要求处理并回复。", "，希望这次能真正解决。", "。")
_PATROL_OPENINGS = ("巡查发现：", "中队巡查发现", "网格员上报：", "联勤联动巡查发现", "日常巡查中发现")
_PATROL_CLOSINGS = ("，已拍照取证。", "，已告知当事人限期整改。", "，转执法中队核查。", "，已责令停止违法行为。", "。")
_PROPERTY_OPENINGS = ("物业上报：", "物业服务企业报告：", "物业项目经理反映：")
_PROPERTY_CLOSINGS = ("，物业已劝阻，对方不听，请求执法介入。", "，物业已书面告知，当事人拒不整改。",
                      "，现报告执法部门。", "，物业制止无效，特此报告。")
_MISHEARD = {"溪": "西", "阳": "杨", "渡": "度", "泸": "卢", "岭": "林", "康": "糠", "昌": "长", "泉": "全",
             "潭": "谈", "皋": "高", "桃": "陶", "涧": "间", "巴": "八", "祁": "奇", "镇": "振", "威": "伟"}
_CN_DIGITS = "零一二三四五六七八九"


# --- the demo's places --------------------------------------------------------------------------

@dataclass
class Door:
    road: str
    unit: str  # "LANE" or "NUMBER"
    first: int
    last: int


@dataclass
class Place:
    """One community as the generator needs it."""

    id: int
    name: str
    street: str
    street_short: str
    households: int
    doors: list[Door]
    aliases: list[str] = field(default_factory=list)
    kind: str = "mid"
    buildings: int = 20
    floors: int = 6


def _kind(name: str) -> str:
    return next((k for suffix, k in _KIND_BY_SUFFIX if name.endswith(suffix)), "mid")


def load_places() -> list[Place]:
    """Every community with a registered address, from the database (ordered by id, so deterministic)."""
    from registry.models import Community

    places = []
    for c in Community.objects.select_related("street").prefetch_related("addresses", "aliases").order_by("id"):
        doors = [Door(a.road, a.unit, a.number_from, a.number_to or a.number_from)
                 for a in sorted(c.addresses.all(), key=lambda a: a.id)]
        if not doors:
            continue
        kind = _kind(c.name)
        households = c.households or 500
        places.append(Place(
            id=c.id, name=c.name, street=c.street.name, street_short=c.street.short_name or c.street.name[:2],
            households=households, doors=doors, aliases=sorted(a.name for a in c.aliases.all()), kind=kind,
            buildings=max(3, min(90, households // (30 if kind == "old" else 60))),
            floors={"old": 6, "mid": 7, "new": 18, "tower": 28}[kind],
        ))
    return places


# --- texts --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Text:
    label: str
    department: str
    template: str  # "{P}" where the corpus named a place, or no "{P}"


def _template(text: str) -> str:
    """The text with its first place (a run of address tokens with a road, community or street) as {P}, and
    any later place left out."""
    runs, current = [], []
    for match in _PLACE_TOKEN.finditer(text):
        if current and match.start() == current[-1].end():
            current.append(match)
        else:
            if current:
                runs.append(current)
            current = [match]
    if current:
        runs.append(current)
    runs = [r for r in runs if any(m.group("anchor") for m in r)]
    if not runs:
        return text
    out, cursor = [], 0
    for run in runs:
        while run and run[0].group() in "（）":
            run = run[1:]
        while run and run[-1].group() == "（":
            run = run[:-1]
        start, end = run[0].start(), run[-1].end()
        if text[start:end].count("（") != text[start:end].count("）"):
            end = run[-1].start() if run[-1].group() == "）" else end
        out.append(text[cursor:start])
        out.append("{P}" if "{P}" not in "".join(out) else "")
        cursor = end
    out.append(text[cursor:])
    return "".join(out).replace("{P}，{P}", "{P}")


@cache
def texts() -> dict[str, dict[tuple[str, str], list[Text]]]:
    """Corpus texts by framing (hotline / patrol / property) and matter."""
    pools: dict[str, dict[tuple[str, str], list[Text]]] = {"hotline": defaultdict(list), "patrol": defaultdict(list),
                                                           "property": defaultdict(list)}
    with open(CORPUS, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = row["violation_type"]
            dept = row["department"] if label == "NON_ENFORCEMENT" else ""
            text = row["text"].replace("{", "（").replace("}", "）")
            official = text.startswith("【") and not re.match(_NET, text)
            framing = ("property" if _PROPERTY.search(text) else
                       "patrol" if official or _PATROL.search(text) else "hotline")
            pools[framing][(label, dept)].append(Text(label, dept, _template(text)))
    return {k: dict(v) for k, v in pools.items()}


def _core(text: str) -> str:
    """The matter itself, without the operator's opening and closing formula."""
    core = _OPENING.sub("", text, count=1)
    core = _CLOSING.sub("", core)
    return core.rstrip("。！!，, ") or text


def reword(text: str, rng: random.Random) -> str:
    """An operator's rewording of an earlier order's text for a repeat call."""
    return rng.choice(_AGAIN_OPENINGS) + _core(text) + rng.choice(_AGAIN_CLOSINGS)


# --- addresses ----------------------------------------------------------------------------------

@dataclass
class Spot:
    place: Place
    door: Door
    number: int
    building: int | None
    room: str | None


def _spot(place: Place, label: str, rng: random.Random) -> Spot:
    door = place.doors[0] if len(place.doors) == 1 or rng.random() < 0.6 else rng.choice(place.doors)
    number = rng.randint(door.first, door.last)
    building = room = None
    flat = rng.random() < (0.75 if label in FLAT_MATTERS else 0.2)
    if flat or label in BUILDING_MATTERS and rng.random() < 0.7:
        building = rng.randint(1, place.buildings)
    if flat:
        room = f"{rng.randint(1, place.floors)}0{rng.randint(1, 4)}"
    return Spot(place, door, number, building, room)


def _cn(number: int) -> str:
    """88 → 八十八 (as callers' words are typed), up to 9999."""
    if number < 10:
        return _CN_DIGITS[number]
    out, units = "", ((1000, "千"), (100, "百"), (10, "十"))
    rest, zero = number, False
    for value, name in units:
        digit, rest = divmod(rest, value)
        if digit:
            if zero:
                out += "零"
            out += ("" if value == 10 and digit == 1 and not out else _CN_DIGITS[digit]) + name
            zero = False
        elif out:
            zero = True
    if rest:
        out += ("零" if zero else "") + _CN_DIGITS[rest]
    return out


def _door_text(spot: Spot, *, numerals=False, slip=False) -> str:
    n = _cn(spot.number) if numerals else str(spot.number)
    unit = "弄" if spot.door.unit == "LANE" else "号"
    if slip:
        unit = "号" if unit == "弄" else "弄"
    return f"{spot.door.road}{n}{unit}"


def _inside(spot: Spot, room=True) -> str:
    """What follows the door: building and room."""
    out = ""
    if spot.building is not None and spot.door.unit == "LANE":
        out += f"{spot.building}号"
    elif spot.building is not None:
        out += f"{spot.building}号楼"
    if room and spot.room:
        out += f"{spot.room}室"
    return out


def address(spot: Spot, rng: random.Random) -> tuple[str, str]:
    """(诉求地址 as the operator typed it, the place as a text names it)."""
    place, x = spot.place, rng.random()
    prefix = rng.choices(("", "普陀区", "上海市普陀区", place.street), weights=(35, 30, 20, 15))[0]
    door = _door_text(spot)
    name = place.name
    if x < 0.30:  # full: road, lane, building, room
        text = prefix + door + _inside(spot)
    elif x < 0.45:
        text = prefix + door
    elif x < 0.57:
        text = prefix + door + _inside(spot, room=False)
    elif x < 0.67:
        text = name + _inside(spot)
    elif x < 0.75:
        text = rng.choice((place.street + name, name, "普陀区" + name))
    elif x < 0.80:
        text = f"{door}（{name}）" + _inside(spot)
    elif x < 0.84 and place.aliases:
        text = rng.choice(place.aliases) + _inside(spot)
    elif x < 0.88:
        text = prefix + _door_text(spot, numerals=True) + _inside(spot)
    elif x < 0.91:
        text = prefix + _door_text(spot, slip=True) + _inside(spot)
    elif x < 0.94 and any(c in _MISHEARD for c in spot.door.road[:-1]):
        road = spot.door.road
        i = next(i for i, c in enumerate(road[:-1]) if c in _MISHEARD)
        text = prefix + road[:i] + _MISHEARD[road[i]] + road[i + 1:] + door[len(road):] + _inside(spot)
    elif x < 0.94:
        text = prefix + door + _inside(spot)
    else:  # nothing usable: the caller would not say, or named only the road or the area
        text = rng.choice(("", "", "普陀区", place.street, spot.door.road, f"{spot.door.road}附近",
                           f"{spot.door.road}{place.street_short}", "不愿透露"))
        return text, ""
    said = rng.choice((name + _inside(spot), door + _inside(spot), place.street + name, name))
    return text, said


def _place_in_text(template: str, said: str, rng: random.Random) -> str:
    if "{P}" in template:
        return template.replace("{P}", said or rng.choice(("该小区", "小区内", "我们小区")))
    if said and rng.random() < 0.35:
        match = _OPENING.match(template)
        if match.end():
            return template[:match.end()] + said + "，" + template[match.end():]
        return said + "，" + template
    return template


# --- time ---------------------------------------------------------------------------------------

def _day_factor(day: date) -> float:
    factor = WEEKDAY[day.weekday()]
    festival = SPRING_FESTIVAL.get(day.year)
    if festival and -1 <= (day - festival).days <= 6:
        factor *= 0.45
    festival = SPRING_FESTIVAL.get(day.year + 1)  # a late-January festival seen from December
    if festival and -1 <= (day - festival).days <= 6:
        factor *= 0.45
    if day.month == 10 and day.day <= 7:
        factor *= 0.6
    return factor


def _working_days_after(start: date, days: int) -> date:
    current = start
    while days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, items, cum: list[float]):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])]


# --- callers ------------------------------------------------------------------------------------

def _caller(rng: random.Random) -> tuple[str, str]:
    x = rng.random()
    if x < 0.08:
        return "匿名", ""
    if x < 0.12:
        return "市民", district.mobile(rng)
    name = district.person_name(rng)
    if x < 0.42:
        name = name[0] + rng.choice(("先生", "女士", "阿姨", "老师"))
    phone = district.landline(rng) if rng.random() < 0.1 else district.mobile(rng)
    return name, phone


# --- the work orders ----------------------------------------------------------------------------

@dataclass
class _Order:
    at: datetime
    matter: tuple[str, str]
    spot: Spot
    text: str  # the text before a place was written in
    caller: tuple[str, str]
    repeat_of: "_Order | None" = None


def _as_datetime(value) -> datetime:
    """A date (midnight) or a datetime, as a naive local datetime (aware ones are converted)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            from django.utils import timezone

            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    return datetime.combine(value, time(0))


def generate(n: int, *, start, end, seed: int = district.SEED, places: list[Place] | None = None) -> list[dict]:
    """`n` work orders received from `start` up to (not including) `end`, oldest first.

    `start` and `end` are dates (midnight) or datetimes (aware ones are taken in local time); `places` defaults
    to every community in the database with a registered address."""
    rng = random.Random(seed)
    places = places if places is not None else load_places()
    if not places:
        raise ValueError("no community with an address: load the registry first")
    start, end = _as_datetime(start), _as_datetime(end)
    if end <= start:
        raise ValueError("end must be after start")
    pools = texts()["hotline"]
    matters = list(MIX)

    # Communities: households × a heavy-tailed factor (hotspots), and some matter hotspots on top.
    heat = {p.id: rng.lognormvariate(0, 0.7) for p in places}
    community_cum = {}
    for matter in matters:
        key = matter[1] or matter[0]
        weights = [p.households * heat[p.id] * AFFINITY[p.kind].get(key, 1.0)
                   * (rng.choice((3.0, 4.0, 6.0)) if rng.random() < 0.04 else rng.gammavariate(2.5, 0.4))
                   for p in places]
        community_cum[matter] = _cumulative(weights)

    # Days: weekday, holidays, season and trend of every matter.
    days, day_weights, matter_cums = [], [], []
    first_day, last_day = start.date(), (end - timedelta(seconds=1)).date()
    span = max(1, (last_day - first_day).days)
    day = first_day
    while day <= last_day:
        t = (day - first_day).days / span
        weights = []
        for label, dept in matters:
            hi, lo = TREND["other" if label == "NON_ENFORCEMENT" else "enforcement"]
            season = SEASON.get(dept or label, _FLAT)[day.month - 1]
            weights.append(MIX[(label, dept)] * season * (hi + (lo - hi) * t))
        days.append(day)
        day_weights.append(_day_factor(day) * sum(weights))
        matter_cums.append(_cumulative(weights))
        day += timedelta(days=1)
    day_cum = _cumulative(day_weights)
    hour_cum = _cumulative(HOURS)
    hours = list(range(24))

    def moment(day_index: int) -> datetime:
        for _ in range(50):
            at = datetime.combine(days[day_index], time(_pick(rng, hours, hour_cum), rng.randrange(60),
                                                        rng.randrange(60)))
            if start <= at < end:
                return at
        return max(start, min(end - timedelta(seconds=1), at))

    repeats = round(n * REPEAT_SHARE)
    orders: list[_Order] = []
    for _ in range(n - repeats):
        i = bisect.bisect_right(day_cum, rng.random() * day_cum[-1])
        matter = _pick(rng, matters, matter_cums[i])
        place = _pick(rng, places, community_cum[matter])
        orders.append(_Order(moment(i), matter, _spot(place, matter[0], rng), rng.choice(pools[matter]).template,
                             _caller(rng)))
    orders.sort(key=lambda o: o.at)

    # Repeats: an earlier order (often one that was itself a repeat) about the same community, matter and
    # flat, within days; enforcement matters are repeated more (people call again when nothing happens).
    for _ in range(repeats):
        for _attempt in range(20):
            earlier = orders[rng.randrange(len(orders))]
            if earlier.matter[0] == "NON_ENFORCEMENT" and rng.random() < 0.6:
                continue
            at = earlier.at + timedelta(hours=rng.choice((2, 8, 24, 48, 72, 120, 168, 240, 336, 480))
                                        * rng.uniform(0.5, 1.0))
            if at < end:
                break
        else:
            continue
        if rng.random() < REWORDED:
            text = reword(earlier.text, rng)
            caller = earlier.caller if rng.random() < 0.6 else _caller(rng)
        else:
            pool = pools.get(earlier.matter) or [Text("", "", earlier.text)]
            text, caller = rng.choice(pool).template, _caller(rng)
        bisect.insort(orders, _Order(at, earlier.matter, earlier.spot, text, caller, earlier), key=lambda o: o.at)

    return _rows(orders, rng)


def _rows(orders: list[_Order], rng: random.Random) -> list[dict]:
    rows, sequence, used = [], {}, set()
    for order in orders:
        day = order.at.date()
        if day not in sequence:
            sequence[day] = rng.randint(10_000, 90_000)
        sequence[day] += rng.randint(1, 37)
        ticket = (f"HL{day:%Y%m%d}{sequence[day]:06d}" if rng.random() < 0.08
                  else f"{day:%Y}-{day:%m%d}-{sequence[day]:06d}")
        assert ticket not in used
        used.add(ticket)
        label, dept = order.matter
        place_text, said = address(order.spot, rng)
        if order.repeat_of is not None and rng.random() < 0.5:
            said = said or order.spot.place.name
        content = _place_in_text(order.text, said, rng)
        online = _NET_OPENING.match(order.text)
        source = (rng.choice(("12345网站", "随申办市民云", "12345微信公众号")) if online
                  else _pick(rng, [s for s, _ in SOURCES], _cumulative(w for _, w in SOURCES)))
        help_kind = label == "NON_ENFORCEMENT" and (dept in ("JUSTICE", "PLANNING") or rng.random() < 0.45)
        kind = "求助类" if help_kind or rng.random() < 0.06 else "投诉举报类"
        if label == "NON_ENFORCEMENT" and rng.random() < 0.55:
            unit = DEPARTMENT_UNITS.get(dept, "")
        elif label != "NON_ENFORCEMENT" and rng.random() < 0.2:
            unit = ENFORCEMENT_UNIT
        else:
            unit = ""
        if not unit:
            street = order.spot.place.street
            unit = f"普陀区{street}办事处" if street.endswith("街道") else f"普陀区{street}人民政府"
        category = ""
        if rng.random() < 0.55:
            options = CATEGORIES[dept or label]
            category = rng.choice(options if rng.random() < 0.9 else [c for v in CATEGORIES.values() for c in v])
        working_days = 1 if dept == "JUSTICE" else 15 if label in {"ILLEGAL_CONSTRUCTION", "STRUCTURE_DAMAGE"} \
            and rng.random() < 0.1 else 5
        deadline = _working_days_after(day, working_days).isoformat() if rng.random() < 0.96 else ""
        rows.append({
            "工单编号": ticket,
            "受理时间": order.at.strftime("%Y-%m-%d %H:%M:%S"),
            "工单来源": source,
            "工单类型": kind,
            "诉求人": order.caller[0],
            "联系电话": order.caller[1],
            "诉求地址": place_text,
            "诉求内容": content,
            "诉求分类": category,
            "主办单位": unit,
            "办理时限": deadline,
        })
    return rows


# --- the other channels (seed_demo) ---------------------------------------------------------------

def _office_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = int((end - start).total_seconds())
    for _ in range(100):
        at = start + timedelta(seconds=rng.randrange(max(1, seconds)))
        if at.weekday() < 5 and 8 <= at.hour < 17:
            return at.replace(microsecond=0)
    return at.replace(microsecond=0)


# A resident's own voice: first person, a neighbour's point of view, a plea, a question, or the hotline operator's
# words about the caller (来电人表示…, 诉求：…). A patrol's finding or a property company's report is written by an
# official in the third person, so a caller's words that say any of these are not reworded into one
# (demo/tests/test_voices.py checks the demo's patrol and property texts).
FIRST_PERSON = re.compile(r"我|本人|咱|俺|阿拉")
OPERATOR = re.compile(r"来电|来信|诉求|市民|网友|留言")  # the hotline operator's words about the caller
RESIDENT_VOICE = re.compile(rf"{FIRST_PERSON.pattern}|{OPERATOR.pattern}"
                            r"|自家|住户家|楼上|楼下|隔壁|对面|邻居|林居|麻烦|帮忙|谢谢|吓死|急|吗|吧|[？?！!]")


def _third_person(text: str) -> str | None:
    """A caller's matter as an official would write it down, or None when it is said in the caller's own voice."""
    core = _core(text)
    return None if RESIDENT_VOICE.search(core) else core


def _reframe(text: str, openings, closings, rng: random.Random) -> str:
    return rng.choice(openings) + _core(text) + rng.choice(closings)


def _official_pool(hotline: dict, matter) -> list:
    """The callers' texts of a matter that read as an official's finding (none in a resident's voice)."""
    return [t for t in hotline.get(matter, ()) if _third_person(t.template) is not None]


def _enforcement_matters(places, rng, names=None):
    matters = [m for m in MIX if m[0] != "NON_ENFORCEMENT" and (names is None or m[0] in names)]
    return matters, _cumulative(MIX[m] for m in matters)


def patrol_findings(n: int, *, start, end, seed: int, places: list[Place]) -> list[dict]:
    """Officers' patrol findings in these communities: {received_at, address, content}, oldest first."""
    rng = random.Random(seed)
    start, end = _as_datetime(start), _as_datetime(end)
    hotline = texts()["hotline"]
    # the corpus's patrol texts, less the few that quote a resident or a hotline operator
    pools = {matter: [t for t in pool if not FIRST_PERSON.search(t.template) and not OPERATOR.search(t.template)]
             for matter, pool in texts()["patrol"].items()}
    official = {matter: _official_pool(hotline, matter) for matter in hotline}
    matters, cum = _enforcement_matters(places, rng)
    out = []
    for _ in range(n):
        matter = _pick(rng, matters, cum)
        place = rng.choice(places)
        spot = _spot(place, matter[0], rng)
        where = _door_text(spot) + _inside(spot)
        if pools.get(matter) and (rng.random() < 0.5 or not official.get(matter)):
            content = _place_in_text(rng.choice(pools[matter]).template, place.name + _inside(spot), rng)
        else:
            content = _reframe(rng.choice(official[matter]).template.replace("{P}", place.name + _inside(spot)),
                               _PATROL_OPENINGS, _PATROL_CLOSINGS, rng)
        out.append({"received_at": _office_moment(rng, start, end), "address": where, "content": content})
    return sorted(out, key=lambda r: r["received_at"])


# What a property company reports: owners' violations it could not stop (not its own negligence).
PROPERTY_MATTERS = {"RENOVATION_UNREGISTERED", "ILLEGAL_CONSTRUCTION", "GROUP_RENTING", "USE_CHANGE",
                    "STRUCTURE_DAMAGE", "COMMON_AREA_OCCUPATION", "EBIKE_CHARGING", "EBIKE_PARKING",
                    "CONSTRUCTION_WASTE", "FACADE_DAMAGE", "GREEN_DAMAGE"}


def property_reports(n: int, *, start, end, seed: int, places: list[Place]) -> list[dict]:
    """A property company's reports: {received_at, place (Place), address (building/room), content}."""
    rng = random.Random(seed)
    start, end = _as_datetime(start), _as_datetime(end)
    hotline = texts()["hotline"]
    official = {matter: _official_pool(hotline, matter) for matter in hotline}
    matters, cum = _enforcement_matters(places, rng, PROPERTY_MATTERS)
    out = []
    for _ in range(n):
        matter = _pick(rng, matters, cum)
        place = rng.choice(places)
        spot = _spot(place, matter[0], rng)
        if spot.building is None:
            spot.building = rng.randint(1, place.buildings)
        inside = _inside(spot) if spot.door.unit == "LANE" else f"{spot.building}号楼" + (
            f"{spot.room}室" if spot.room else "")
        template = rng.choice(official[matter] or hotline[matter]).template.replace("{P}", inside)
        out.append({"received_at": _office_moment(rng, start, end), "place": place, "address": inside,
                    "content": _reframe(template, _PROPERTY_OPENINGS, _PROPERTY_CLOSINGS, rng)})
    return sorted(out, key=lambda r: r["received_at"])


# --- files --------------------------------------------------------------------------------------

def _headers(rows: list[dict], english: bool) -> tuple[list[str], list[str]]:
    keys = list(HEADERS)
    for row in rows:
        keys += [k for k in row if k not in keys]
    return keys, [ENGLISH.get(k, k) if english else k for k in keys]


def write_csv(path, rows: list[dict], *, english: bool = False) -> Path:
    """UTF-8 with a BOM, as Excel and the hotline's own export write it."""
    keys, names = _headers(rows, english)
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        writer.writerows([row.get(k, "") for k in keys] for row in rows)
    return Path(path)


def write_xlsx(path, rows: list[dict], *, english: bool = False) -> Path:
    from openpyxl import Workbook

    keys, names = _headers(rows, english)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("工单")
    sheet.append(names)
    for row in rows:
        sheet.append([row.get(k, "") for k in keys])
    workbook.save(path)
    return Path(path)


def summary(rows: list[dict]) -> dict:
    """Counts for a quick look: orders per month, orders without an address."""
    months: dict[str, int] = defaultdict(int)
    for row in rows:
        months[row["受理时间"][:7]] += 1
    return {"rows": len(rows), "months": dict(sorted(months.items())),
            "no_address": sum(1 for r in rows if not r["诉求地址"])}


# --- seed_demo: a year of complaints through the real intake path -----------------------------------

YEAR_ORDERS = 7_500  # 12345 orders a year about residential communities for ~1.24 M people (invented)
PATROL_FINDINGS = 300  # by the demo officer, in the streets he works
PROPERTY_REPORTS = 150  # by the demo property user, in its company's communities
SEED_HOTLINE, SEED_PATROL, SEED_PROPERTY = district.SEED + 12345, district.SEED + 101, district.SEED + 102
KIND = "诉件 complaints"


def seed(*, tally, progress=None, now=None) -> None:
    """seed_demo's step: load_complaints with the full year."""
    load_complaints(tally=tally, progress=progress, now=now)


def load_complaints(*, tally, progress=None, orders: int = YEAR_ORDERS, patrols: int = PATROL_FINDINGS,
                    reports: int = PROPERTY_REPORTS, now=None) -> None:
    """A year of complaints received before `now` (default: the clock's), when the database has none yet (so a
    second run adds nothing).

    12345 orders go through a CSV file and `import_hotline`, the path of the command and the upload page;
    patrol findings and property reports through `complaint_receive`, as the forms file them."""
    import tempfile

    from django.utils import timezone

    from accounts.models import User
    from demo.district import DISTRICT
    from intake import services
    from intake.choices import Channel
    from intake.models import Complaint
    from registry.models import Community, District

    existing = Complaint.objects.count()
    if existing:
        tally.counts.setdefault(KIND, Counter())["unchanged"] += existing
        return
    end = timezone.localtime(now).replace(microsecond=0)  # generated moments are before end
    start = end - timedelta(days=365)
    places = load_places()
    marks = backdate.complaint_marks()
    rows = generate(orders, start=start, end=end, seed=SEED_HOTLINE, places=places)
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "12345工单-演示.csv", rows)
        report = services.import_hotline(
            path=path, actor=None, file_name=path.name,
            # Putuo's orders (another district loaded first, e.g. a restored database, would need it named)
            district=District.objects.filter(name=DISTRICT["name"]).first() if District.objects.count() > 1 else None,
            progress=(lambda chunks: progress(chunks, "12345工单 hotline")) if progress else None)
    for _ in range(report.created):
        tally.add(KIND, "created")

    officer = User.objects.filter(username="officer").first()
    property_user = User.objects.filter(username="property").select_related("property_company").first()
    records = []
    if officer is not None:
        streets = set(officer.streets.values_list("name", flat=True))
        own = [p for p in places if p.street in streets] or places
        for item in patrol_findings(patrols, start=start, end=end, seed=SEED_PATROL, places=own):
            records.append(services.ComplaintInput(channel=Channel.PATROL, content=item["content"],
                                                   received_at=timezone.make_aware(item["received_at"]),
                                                   address=item["address"], reporter=officer))
    if property_user is not None and property_user.property_company_id:
        company = property_user.property_company
        communities = {c.id: c for c in Community.objects.filter(property_company=company)}
        own = [p for p in places if p.id in communities]
        for item in property_reports(reports if own else 0, start=start, end=end, seed=SEED_PROPERTY, places=own):
            records.append(services.ComplaintInput(
                channel=Channel.PROPERTY_REPORT, content=item["content"],
                received_at=timezone.make_aware(item["received_at"]), address=item["address"],
                reporter=property_user, reporting_company=company, community=communities[item["place"].id],
                raw_row={"dissuaded": "劝阻" in item["content"] or "制止" in item["content"]}))
    if records:
        _receive(records, progress, tally)
    backdate.complaints_received(marks)  # each receipt at the complaint's received_at, not at the loading


def _receive(records, progress, tally) -> None:
    from intake import services

    records.sort(key=lambda r: r.received_at)
    ctx = services.Context(since=records[0].received_at, lazy_dedup=False)  # one by one: one read
    for data in (progress(records, "巡查与物业报告 patrol and property") if progress else records):
        complaint = services.complaint_receive(data=data, ctx=ctx)
        _remember(ctx, complaint)
        tally.add(KIND, "created")


def _remember(ctx, complaint) -> None:
    """complaint_receive leaves a primary's dedup entry without its id when the context is reused (it reads
    primary.id only): set it, so a later duplicate in this run points at it."""
    entry = getattr(complaint, "_dedup_entry", None)
    if entry is not None and entry.id is None:
        entry.id, entry.obj = complaint.pk, None
