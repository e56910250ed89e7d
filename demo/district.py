"""The demo district: Putuo's 10 real streets/towns and real road names, with invented communities,
companies and people (CONTRACTS.md: seed_demo), so no real company or resident appears as a violator.

The first part is plain data and deterministic generators (`random.Random(SEED)`, no Django); `build()`
returns the same rows on every machine and every run. The second part, `load_*`, writes them through
`registry.services` and `accounts.services`; `seed_demo` calls it.

What is real: the district, the names and kinds of its streets/towns and the road names.
What is not: street codes are the usual 310107 + township pattern but are not verified against the
current 统计用区划代码; populations are plausible figures scaled to about 1.24 million, not statistics;
every community, committee, company, credit code, person and phone number is invented.
"""
import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from registry import credit_code

SEED = 20260107
PILOT_BATCH = "2024-第一批"
PILOT_COUNT = 15
YEARS = (2023, 2024, 2025, 2026)

DISTRICT = {"name": "普陀区", "code": "310107"}

# Bounds of the demo coordinates: inside Putuo.
LAT_RANGE = (31.22, 31.30)
LNG_RANGE = (121.35, 121.46)


@dataclass(frozen=True)
class StreetData:
    name: str
    short_name: str
    kind: str  # registry.choices.StreetKind
    code: str
    population_2024: int  # plausible, not statistics; the other years vary around it
    centre: tuple[float, float]  # (lat, lng), roughly
    # Real roads inside or bordering the street: (road, lowest door number, highest door number).
    # Number ranges are plausible, not surveyed.
    roads: tuple[tuple[str, int, int], ...]
    # Name stems for invented communities (mostly from the street's roads).
    stems: tuple[str, ...]
    # Invented neighbourhood committees: (name, the road it sits on).
    committees: tuple[tuple[str, str], ...]


STREETS: tuple[StreetData, ...] = (
    StreetData(
        "长寿路街道", "长寿", "SUBDISTRICT", "310107015", 95_000, (31.2440, 121.4360),
        (("长寿路", 1, 1100), ("武宁路", 1, 300), ("西康路", 1000, 1600), ("宜昌路", 1, 800),
         ("莫干山路", 1, 200), ("昌化路", 600, 1000), ("普雄路", 1, 200), ("常德路", 1000, 1300),
         ("安远路", 1, 900), ("澳门路", 1, 700), ("远景路", 1, 200), ("镇坪路", 1, 500)),
        ("长寿", "武宁", "西康", "宜昌", "昌化", "普雄", "安远", "远景", "镇坪", "常德"),
        (("长寿居委会", "长寿路"), ("西康居委会", "西康路"), ("宜昌居委会", "宜昌路"),
         ("普雄居委会", "普雄路"), ("安远居委会", "安远路")),
    ),
    StreetData(
        "曹杨新村街道", "曹杨", "SUBDISTRICT", "310107005", 100_000, (31.2420, 121.4080),
        (("兰溪路", 1, 500), ("枣阳路", 1, 400), ("梅岭北路", 1, 500), ("梅岭南路", 1, 300), ("杏山路", 1, 400),
         ("花溪路", 1, 300), ("桐柏路", 1, 200), ("曹杨路", 1, 1600), ("沙溪路", 1, 300), ("枫桥路", 1, 200),
         ("武宁路", 300, 700)),
        ("兰溪", "枣阳", "梅岭", "杏山", "花溪", "桐柏", "沙溪", "枫桥", "桂巷"),
        (("兰溪居委会", "兰溪路"), ("枣阳居委会", "枣阳路"), ("梅岭居委会", "梅岭北路"),
         ("杏山居委会", "杏山路"), ("花溪居委会", "花溪路"), ("桐柏居委会", "桐柏路")),
    ),
    StreetData(
        "长风新村街道", "长风", "SUBDISTRICT", "310107014", 120_000, (31.2290, 121.3930),
        (("大渡河路", 1, 1800), ("云岭东路", 1, 600), ("金沙江路", 1, 2000), ("泸定路", 1, 600),
         ("中山北路", 3000, 3600), ("白玉路", 1, 300), ("丹巴路", 1, 200), ("光复西路", 1000, 2500)),
        ("金沙", "大渡河", "云岭", "泸定", "白玉", "丹巴", "光复"),
        (("金沙居委会", "金沙江路"), ("大渡河居委会", "大渡河路"), ("云岭居委会", "云岭东路"),
         ("泸定居委会", "泸定路"), ("白玉居委会", "白玉路")),
    ),
    StreetData(
        "宜川路街道", "宜川", "SUBDISTRICT", "310107020", 90_000, (31.2560, 121.4400),
        (("宜川路", 1, 600), ("中山北路", 1500, 2300), ("延长西路", 1, 300), ("交通路", 1, 800),
         ("中潭路", 1, 150)),
        ("宜川", "延长", "交通", "中潭", "中山"),
        (("宜川第一居委会", "宜川路"), ("宜川第二居委会", "宜川路"), ("延长西居委会", "延长西路"),
         ("交通居委会", "交通路")),
    ),
    StreetData(
        "甘泉路街道", "甘泉", "SUBDISTRICT", "310107016", 105_000, (31.2650, 121.4450),
        (("甘泉路", 1, 400), ("志丹路", 1, 600), ("延长西路", 300, 1000), ("子长路", 1, 300),
         ("西乡路", 1, 300), ("黄陵路", 1, 300), ("沪太路", 1, 800)),
        ("甘泉", "志丹", "子长", "西乡", "黄陵", "沪太"),
        (("甘泉居委会", "甘泉路"), ("志丹居委会", "志丹路"), ("子长居委会", "子长路"),
         ("西乡居委会", "西乡路"), ("黄陵居委会", "黄陵路")),
    ),
    StreetData(
        "石泉路街道", "石泉", "SUBDISTRICT", "310107017", 100_000, (31.2520, 121.4250),
        (("石泉路", 1, 600), ("中潭路", 150, 300), ("光新路", 1, 300), ("交通路", 800, 1600),
         ("岚皋路", 1, 600), ("新村路", 1, 800)),
        ("石泉", "光新", "岚皋", "泉源", "石岚"),
        (("石泉居委会", "石泉路"), ("中潭居委会", "中潭路"), ("光新居委会", "光新路"),
         ("岚皋居委会", "岚皋路"), ("新村居委会", "新村路")),
    ),
    StreetData(
        "真如镇街道", "真如", "SUBDISTRICT", "310107022", 190_000, (31.2520, 121.3950),
        (("真北路", 1500, 2200), ("真光路", 1, 1500), ("铜川路", 1, 2000), ("管弄路", 1, 300),
         ("清涧路", 1, 600)),
        ("真如", "真北", "真光", "铜川", "管弄", "清涧"),
        (("真光居委会", "真光路"), ("管弄居委会", "管弄路"), ("清涧居委会", "清涧路"),
         ("铜川居委会", "铜川路"), ("真北居委会", "真北路"), ("真如东居委会", "铜川路")),
    ),
    StreetData(
        "万里街道", "万里", "SUBDISTRICT", "310107021", 110_000, (31.2680, 121.3950),
        (("万镇路", 1, 400), ("真华路", 1, 1200), ("新村路", 1500, 2700), ("真北路", 2200, 3000)),
        ("万里", "万镇", "真华", "万福"),
        (("万里第一居委会", "万镇路"), ("万里第二居委会", "新村路"), ("真华居委会", "真华路"),
         ("万镇居委会", "万镇路")),
    ),
    StreetData(
        "长征镇", "长征", "TOWN", "310107102", 185_000, (31.2400, 121.3750),
        (("金沙江路", 2000, 3500), ("怒江北路", 1, 600), ("梅川路", 1, 1500), ("同普路", 1, 1500),
         ("中江路", 1, 600), ("真北路", 1, 1400)),
        ("长征", "梅川", "同普", "中江", "怒江", "金沙"),
        (("梅川居委会", "梅川路"), ("同普居委会", "同普路"), ("中江居委会", "中江路"),
         ("怒江居委会", "怒江北路"), ("金沙西居委会", "金沙江路")),
    ),
    StreetData(
        "桃浦镇", "桃浦", "TOWN", "310107103", 145_000, (31.2800, 121.3650),
        (("桃浦路", 1, 600), ("祁连山路", 1, 1200), ("武威路", 1, 1500), ("古浪路", 1, 500),
         ("敦煌路", 1, 800)),
        ("桃浦", "祁连", "武威", "古浪", "敦煌"),
        (("桃浦居委会", "桃浦路"), ("古浪居委会", "古浪路"), ("敦煌居委会", "敦煌路"),
         ("武威居委会", "武威路"), ("祁连居委会", "祁连山路")),
    ),
)

# District-wide drift of the resident population against 2024 (plausible, not statistics).
YEAR_FACTOR = {2023: 1.0030, 2024: 1.0, 2025: 0.9975, 2026: 0.9958}
POPULATION_SOURCE = "演示数据（虚构，按全区约124万分配） / demo figures, not statistics"

COMMUNITY_TOTAL = 330

# Suffix → (kind, built years, households) of an invented community name.
_OLD, _MID, _NEW, _TOWER = "old", "mid", "new", "tower"
_SUFFIX_KIND = {
    "一村": _OLD, "二村": _OLD, "三村": _OLD, "四村": _OLD, "新村": _OLD,
    "小区": _MID, "坊": _MID, "公寓": _TOWER, "大楼": _TOWER,
    "苑": _NEW, "雅苑": _NEW, "花园": _NEW, "家园": _NEW, "名邸": _NEW, "城": _NEW, "华庭": _NEW,
}
_KIND_YEARS = {_OLD: (1952, 1992), _MID: (1982, 2005), _TOWER: (1985, 2012), _NEW: (1996, 2022)}
_KIND_HOUSEHOLDS = {_OLD: (600, 3000), _MID: (250, 1500), _TOWER: (80, 420), _NEW: (200, 2200)}
_STEM_SUFFIXES = ("一村", "二村", "三村", "四村", "新村", "小区", "苑", "雅苑", "花园", "公寓", "家园", "坊", "大楼",
                  "名邸", "华庭")
_FANCY_STEMS = ("香樟", "玉兰", "海棠", "紫藤", "银杏", "金桂", "翠竹", "丹枫", "春晖", "晨曦", "明德", "和煦",
                "安康", "怡景", "瑞祥", "锦华", "嘉禾", "馨和", "康乐", "福泽", "悦澜", "水岸", "清风", "荷风",
                "松风", "芳华", "秋霞", "景泰", "恒安", "德馨")
_FANCY_SUFFIXES = ("苑", "雅苑", "花园", "家园", "名邸", "公寓", "坊", "城", "华庭")
# Well-known real estates left out of the invented names.
_RESERVED_NAMES = {f"曹杨{n}村" for n in "一二三四五六七八九"} | {"曹杨新村", "长风新村", "中远两湾城"}

_COMPANY_STEMS = (
    "普晟", "曹新", "兰庭", "枣林", "苏河", "金渡", "云屿", "泸川", "宜嘉", "甘霖", "石瑞", "真源", "万和", "桃溪",
    "祁安", "长和", "普泽", "沪西", "安澜", "锦川", "瑞普", "恒溪", "德邻", "和煦", "佳苑", "嘉陀", "陀林", "新曹",
    "潭光", "泰澄", "鸿普", "庆沐", "联普", "仁晖", "益邻", "乐居", "睿邻", "悦邻", "润普", "明苑", "涧川", "真悦",
    "铜源", "梅川", "江渡", "桃屿",
)
_COMPANY_SUFFIXES = ("物业管理有限公司", "物业服务有限公司", "物业有限公司")

_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任"
             "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方邹孟熊秦邱江尹薛段雷侯龙陶黎贺顾毛郝龚邵钱严戴孔汤")
_GIVEN = "建国明华伟芳丽敏静强磊军洋勇艳杰娟涛超霞平刚桂英玲文辉红萍斌宇浩婷雪琳晨欣佳慧志海春秀忠德毅峰亮健琴"
_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153",
                    "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189")


@dataclass(frozen=True)
class UserData:
    username: str
    role: str  # accounts.choices.Role
    display_name: str
    streets: tuple[str, ...] = ()
    department: str = ""  # Department.code
    property_company: bool = False  # the company that manages the most demo communities
    is_staff: bool = False
    is_superuser: bool = False
    cert_number: str = ""  # 执法证号 (行政处罚法 §42): every officer and lead holds one (invented numbers)


# Password of every demo login. "Anju@2026" fails the length validator (min 10), hence the longer one.
DEMO_PASSWORD = "Anju@Demo2026"
DEMO_USERS: tuple[UserData, ...] = (
    UserData("admin", "ADMIN", "系统管理员", is_staff=True, is_superuser=True),
    UserData("lead", "LEAD", "周立群（区局督察）", cert_number="31010720001"),
    UserData("officer", "OFFICER", "陈浩然（执法队员）", streets=("曹杨新村街道", "真如镇街道"),
             cert_number="31010720101"),
    # the second certified officer of officer's streets: investigation and decisions need two (§42)
    UserData("officer3", "OFFICER", "王立新（执法队员）", streets=("曹杨新村街道", "真如镇街道"),
             cert_number="31010720103"),
    UserData("officer2", "OFFICER", "沈嘉伟（执法队员）", streets=("长征镇",), cert_number="31010720102"),
    UserData("legal", "LEGAL", "郑文静（法制科）"),
    UserData("street", "STREET", "李秀梅（长风新村街道）", streets=("长风新村街道",)),
    UserData("street2", "STREET", "顾晓燕（桃浦镇）", streets=("桃浦镇",)),
    UserData("housing", "DEPARTMENT", "吴志刚（区房管局）", department="HOUSING"),
    UserData("greening", "DEPARTMENT", "许丽娟（区绿化市容局）", department="GREENING"),
    UserData("property", "PROPERTY", "韩建华（物业项目部）", property_company=True),
    UserData("city", "CITY", "孙振华（市城管执法局督察）"),
)
# Roles placed in the demo district (User.district); the administrator is the installation's, the city above it.
DISTRICT_ROLES = ("LEAD", "OFFICER", "STREET", "DEPARTMENT", "LEGAL")


@dataclass
class DemoData:
    companies: list[dict]  # name, credit_code, address, contact_phone, managers [(name, phone)]
    committees: list[dict]  # street, name, phone
    populations: list[dict]  # street, year, population
    communities: list[dict] = field(default_factory=list)  # rows in the import format (strings)
    busiest_company: str = ""  # name of the company managing the most communities


def credit_code_for(rng: random.Random) -> str:
    """A valid unified social credit code of a Putuo enterprise (91 = enterprise, 310107 = Putuo)."""
    body = "91310107" + "MA1" + "".join(rng.choice(credit_code.ALPHABET) for _ in range(6))
    return body + credit_code.check_character(body)


def person_name(rng: random.Random) -> str:
    given = rng.choice(_GIVEN) + (rng.choice(_GIVEN) if rng.random() < 0.75 else "")
    return rng.choice(_SURNAMES) + given


def mobile(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng: random.Random) -> str:
    return f"021-{rng.choice('56'):s}{rng.randrange(10**7):07d}"


def populations() -> list[dict]:
    rng = random.Random(SEED + 1)
    rows = []
    for street in STREETS:
        for year in YEARS:
            wobble = 1 + rng.uniform(-0.004, 0.004) if year != 2024 else 1
            value = round(street.population_2024 * YEAR_FACTOR[year] * wobble, -1)
            rows.append({"street": street.name, "year": year, "population": int(value)})
    return rows


def committees() -> list[dict]:
    rng = random.Random(SEED + 2)
    return [
        {"street": street.name, "name": name, "phone": landline(rng)}
        for street in STREETS
        for name, _road in street.committees
    ]


def companies() -> list[dict]:
    rng = random.Random(SEED + 3)
    codes, rows = set(), []
    all_roads = [road for street in STREETS for road, _lo, _hi in street.roads]
    for i, stem in enumerate(_COMPANY_STEMS):
        code = credit_code_for(rng)
        while code in codes:
            code = credit_code_for(rng)
        codes.add(code)
        managers, names = [], set()
        for _ in range(rng.randint(1, 4)):
            name = person_name(rng)
            while name in names:
                name = person_name(rng)
            names.add(name)
            managers.append((name, mobile(rng)))
        rows.append({
            "name": f"上海{stem}{_COMPANY_SUFFIXES[i % len(_COMPANY_SUFFIXES)]}",
            "credit_code": code,
            "address": f"上海市普陀区{rng.choice(all_roads)}{rng.randint(1, 300)}号",
            "contact_phone": landline(rng),
            "managers": managers,
        })
    return rows


class _DoorNumbers:
    """Hands out door numbers so that no two communities share a (road, number)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[str, set[int]] = {}

    def take(self, road: str, low: int, high: int, width: int = 0) -> tuple[int, int]:
        used = self.used.setdefault(road, set())
        for _ in range(500):
            first = self.rng.randint(low, max(low, high - width))
            span = range(first, first + width + 1)
            if not any(n in used for n in span):
                used.update(span)
                return first, first + width
        raise RuntimeError(f"no free door numbers left on {road}")


def _address(doors: _DoorNumbers, rng: random.Random, road: tuple[str, int, int], tower: bool) -> str:
    name, low, high = road
    if (tower and rng.random() < 0.7) or rng.random() < 0.12:  # towers mostly have 号 doors
        width = rng.choice((2, 4, 6, 8, 10)) if rng.random() < 0.3 else 0
        first, last = doors.take(name, low, high, width)
        return f"{name}{first}-{last}号" if width else f"{name}{first}号"
    width = rng.choice((2, 4, 6)) if rng.random() < 0.05 else 0
    first, last = doors.take(name, low, high, width)
    return f"{name}{first}-{last}弄" if width else f"{name}{first}弄"


def _candidate_names(rng: random.Random, street: StreetData, fancy: list[str]) -> list[str]:
    names = [stem + suffix for stem in street.stems for suffix in _STEM_SUFFIXES]
    names += [stem + suffix for stem in fancy for suffix in _FANCY_SUFFIXES]
    names += [street.short_name + stem + suffix for stem in fancy for suffix in ("苑", "花园", "公寓")]
    names = [name for name in dict.fromkeys(names) if "新新" not in name]
    rng.shuffle(names)
    return names


def _aliases(rng: random.Random, name: str, street: StreetData) -> list[str]:
    if rng.random() > 0.34:
        return []
    for numeral in "一二三四":
        if name.endswith(f"{numeral}村"):
            stem = name[:-2]
            return [f"{stem}新村{numeral}村", f"{stem}{'一二三四'.index(numeral) + 1}村"]
    if name.endswith("新村"):
        return [name[:-2] + "小区"]
    if name.endswith("公寓"):
        return [name[:-2] + "大厦"]
    if name.endswith("小区"):
        return [name[:-2] + "新村"]
    if not name.startswith(street.short_name):
        return [street.short_name + name]
    return []


def _communities(rng: random.Random, company_rows: list[dict]) -> list[dict]:
    doors = _DoorNumbers(rng)
    total_population = sum(s.population_2024 for s in STREETS)
    fancy = list(_FANCY_STEMS)
    rng.shuffle(fancy)
    fancy_per_street = len(fancy) // len(STREETS)
    taken: set[str] = set(_RESERVED_NAMES)
    rows: list[dict] = []
    # Each company works mostly in one or two home streets, as local companies do.
    homes = {c["name"]: rng.sample(range(len(STREETS)), 2) for c in company_rows}
    for index, street in enumerate(STREETS):
        count = round(COMMUNITY_TOTAL * street.population_2024 / total_population)
        own_fancy = fancy[index * fancy_per_street:(index + 1) * fancy_per_street]
        names = [n for n in _candidate_names(rng, street, own_fancy) if n not in taken][:count]
        local = [c for c in company_rows if index in homes[c["name"]]]
        committee_by_road = {road: name for name, road in street.committees}
        for name in names:
            taken.add(name)
            kind = next(k for suffix, k in sorted(_SUFFIX_KIND.items(), key=lambda s: -len(s[0]))
                        if name.endswith(suffix))
            tower = kind == _TOWER
            roads = list(street.roads)
            first_road = rng.choice(roads)
            address_count = rng.choices((1, 2, 3), weights=(6, 3, 1) if kind != _TOWER else (9, 1, 0))[0]
            picked = [first_road] + [
                first_road if rng.random() < 0.5 else rng.choice(roads) for _ in range(address_count - 1)
            ]
            address_list = [_address(doors, rng, road, tower) for road in picked]
            households = rng.randint(*_KIND_HOUSEHOLDS[kind])
            population = round(households * rng.uniform(2.2, 2.9))
            committee = committee_by_road.get(first_road[0]) or rng.choice(street.committees)[0]
            lat = min(max(rng.gauss(street.centre[0], 0.005), LAT_RANGE[0] + 0.0005), LAT_RANGE[1] - 0.0005)
            lng = min(max(rng.gauss(street.centre[1], 0.006), LNG_RANGE[0] + 0.0005), LNG_RANGE[1] - 0.0005)
            company = manager = code = ""
            if rng.random() >= 0.05:  # about 5 % are self-managed (业主自治)
                draw = rng.random()
                # the first company is the district's largest, working in every street
                chosen = (company_rows[0] if draw < 0.05 else rng.choice(local) if local and draw < 0.85
                          else rng.choice(company_rows))
                company, code = chosen["name"], chosen["credit_code"]
                manager = rng.choice(chosen["managers"])[0]
            has_owners_committee = not company or rng.random() < 0.85
            rows.append({
                "name": name,
                "aliases": ";".join(_aliases(rng, name, street)),
                "addresses": ";".join(address_list),
                "street": street.name,
                "committee": committee,
                "households": str(households),
                "population": str(population),
                "property_company": company,
                "credit_code": code,
                "project_manager": manager,
                "lat": f"{lat:.6f}",
                "lng": f"{lng:.6f}",
                "grade": rng.choices("ABC", weights=(3, 5, 2 if kind != _OLD else 4))[0],
                "is_pilot": "0",
                "pilot_batch": "",
                "owners_committee_contact": person_name(rng) if has_owners_committee else "",
                "owners_committee_phone": mobile(rng) if has_owners_committee else "",
                "built_year": str(rng.randint(*_KIND_YEARS[kind])),
            })
    _give_every_company_work(rng, rows, company_rows)
    _drop_alias_clashes(rows)
    _choose_pilots(rng, rows)
    return rows


def _give_every_company_work(rng: random.Random, rows: list[dict], company_rows: list[dict]) -> None:
    """A company in the registry manages at least one community: hand idle ones a community of a busy one."""
    for company in company_rows:
        managed = Counter(row["property_company"] for row in rows if row["property_company"])
        if managed[company["name"]]:
            continue
        busy = [row for row in rows if managed[row["property_company"]] >= 4
                and row["property_company"] != company_rows[0]["name"]]
        row = rng.choice(busy)
        row["property_company"], row["credit_code"] = company["name"], company["credit_code"]
        row["project_manager"] = rng.choice(company["managers"])[0]


def _drop_alias_clashes(rows: list[dict]) -> None:
    """An alias must not be another community's name or alias, or address matching turns ambiguous."""
    seen = Counter(row["name"] for row in rows)
    for row in rows:
        kept = []
        for alias in filter(None, row["aliases"].split(";")):
            if not seen[alias]:
                seen[alias] += 1
                kept.append(alias)
        row["aliases"] = ";".join(kept)


def _choose_pilots(rng: random.Random, rows: list[dict]) -> None:
    """15 pilot communities of the first batch, at least one per street."""
    by_street: dict[str, list[dict]] = {}
    for row in rows:
        if row["property_company"]:
            by_street.setdefault(row["street"], []).append(row)
    chosen = [rng.choice(candidates) for candidates in by_street.values()]
    rest = [row for candidates in by_street.values() for row in candidates if row not in chosen]
    chosen += rng.sample(rest, PILOT_COUNT - len(chosen))
    for row in chosen:
        row["is_pilot"], row["pilot_batch"] = "1", PILOT_BATCH


@cache
def build() -> DemoData:
    """The whole demo registry, identical on every call and every machine."""
    company_rows = companies()
    rows = _communities(random.Random(SEED), company_rows)
    managed = Counter(row["property_company"] for row in rows if row["property_company"])
    busiest = max(managed.items(), key=lambda item: (item[1], item[0]))[0]
    return DemoData(companies=company_rows, committees=committees(), populations=populations(),
                    communities=rows, busiest_company=busiest)


# --- Loading (Django) ---------------------------------------------------------------------------------

Progress = Callable[[Iterable, str], Iterable]


class Tally:
    """created / updated / unchanged per kind of record, for the command's report."""

    def __init__(self):
        self.counts: dict[str, Counter] = {}

    def add(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def created(self) -> int:
        return sum(c["created"] for c in self.counts.values())

    @property
    def updated(self) -> int:
        return sum(c["updated"] for c in self.counts.values())

    def lines(self) -> list[str]:
        return [
            f"{kind}: 新增 created {c['created']}，更新 updated {c['updated']}，未变 unchanged {c['unchanged']}"
            for kind, c in self.counts.items()
        ]


def _no_progress(items: Iterable, label: str) -> Iterable:
    return items


def apply(obj, values: dict) -> bool:
    """Set the values that differ; save (and so write history) only when one did."""
    changed = [key for key, value in values.items() if getattr(obj, key) != value]
    for key in changed:
        setattr(obj, key, values[key])
    if changed:
        obj.full_clean()
        obj.save()
    return bool(changed)


def ensure(model, lookup: dict, values: dict, tally: Tally, kind: str):
    """Create the record, or bring it up to date without touching it when it already is."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        tally.add(kind, "created")
        return obj
    tally.add(kind, "updated" if apply(obj, values) else "unchanged")
    return obj


def load_registry(*, tally: Tally, progress: Progress = _no_progress) -> DemoData:
    """District, streets and populations, committees, companies and managers, communities."""
    from registry import services
    from registry.models import Committee, District, ProjectManager, PropertyCompany, Street, StreetPopulation

    data = build()
    district = ensure(District, {"name": DISTRICT["name"]}, {"code": DISTRICT["code"]}, tally, "区 district")
    streets = {}
    for s in STREETS:
        streets[s.name] = ensure(
            Street, {"district": district, "name": s.name},
            {"short_name": s.short_name, "kind": s.kind, "code": s.code}, tally, "街镇 streets",
        )
    for row in data.populations:
        ensure(StreetPopulation, {"street": streets[row["street"]], "year": row["year"]},
               {"population": row["population"], "source": POPULATION_SOURCE}, tally, "街镇人口 populations")
    for row in data.committees:
        ensure(Committee, {"street": streets[row["street"]], "name": row["name"]}, {"phone": row["phone"]},
               tally, "居委会 committees")
    for row in progress(data.companies, "物业企业 companies"):
        existed = PropertyCompany.objects.filter(credit_code=row["credit_code"]).exists()
        company = services.company_resolve(name=row["name"], code=row["credit_code"])
        changed = apply(company, {"address": row["address"], "contact_phone": row["contact_phone"]})
        tally.add("物业企业 companies", "created" if not existed else "updated" if changed else "unchanged")
        for name, phone in row["managers"]:
            ensure(ProjectManager, {"company": company, "name": name}, {"phone": phone}, tally, "项目经理 managers")
    for row in progress(data.communities, "住宅小区 communities"):
        _, outcome = services.community_upsert(row=row, streets=streets)
        tally.add("住宅小区 communities", outcome)
    return data


def load_users(*, tally: Tally, password: str = DEMO_PASSWORD) -> None:
    """The demo logins of DEMO_USERS, through accounts.services.user_create."""
    from accounts.models import User
    from accounts.services import user_create
    from registry.models import Department, District, PropertyCompany, Street

    busiest = build().busiest_company
    district = District.objects.get(name=DISTRICT["name"])
    for spec in DEMO_USERS:
        existed = User.objects.filter(username=spec.username).exists()
        user_create(
            username=spec.username,
            password=password,
            role=spec.role,
            display_name=spec.display_name,
            streets=[Street.objects.get(district=district, name=name) for name in spec.streets],
            district=district if spec.role in DISTRICT_ROLES else None,
            department=Department.objects.get(code=spec.department) if spec.department else None,
            property_company=PropertyCompany.objects.get(name=busiest) if spec.property_company else None,
            is_staff=spec.is_staff,
            is_superuser=spec.is_superuser,
        )
        user = User.objects.get(username=spec.username)
        if user.cert_number != spec.cert_number:
            user.cert_number = spec.cert_number
            user._change_reason = "演示数据：执法证号"
            user.save(update_fields=["cert_number"])
        tally.add("演示账号 demo users", "unchanged" if existed else "created")
