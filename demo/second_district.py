"""A second district beside Putuo (issue 12: several districts in one installation under the city bureau): 静安区's
real streets and road names, a handful of invented communities and companies, a year of complaints in a few
dozen, a few cases, and its lead's and officer's logins. Loaded by `seed_demo --second-district`, after Putuo;
idempotent like the rest of the demo (a second run creates nothing).

Small on purpose: enough for the city page to compare two districts and for each district's users to see only
their own. Street codes are left blank (no statistical code is invented); the populations are demo figures.
One Putuo company also manages a 静安 community: property companies work in several districts.
"""
import random
from dataclasses import dataclass
from datetime import timedelta

from demo import district as putuo

SEED = 20261207
DISTRICT = {"name": "静安区", "code": "310106", "number_prefix": "JA", "document_prefix": "静城管",
            "bureau_name": "上海市静安区城市管理行政执法局"}
POPULATION_SOURCE = "演示数据（虚构） / demo figures, not statistics"


@dataclass(frozen=True)
class StreetData:
    name: str
    short_name: str
    population: int
    roads: tuple[str, ...]  # real roads of the street


STREETS = (
    StreetData("江宁路街道", "江宁", 61_000, ("江宁路", "武定路", "康定路", "昌平路")),
    StreetData("静安寺街道", "静安寺", 38_000, ("愚园路", "华山路", "延安中路")),
    StreetData("南京西路街道", "南京西路", 41_000, ("南京西路", "威海路", "泰兴路")),
    StreetData("曹家渡街道", "曹家渡", 72_000, ("万航渡路", "余姚路", "胶州路")),
    StreetData("石门二路街道", "石门二路", 35_000, ("新闸路", "山海关路", "大田路")),
)
# (name, street, road, lane, households, company index; -1: the Putuo demo's busiest company)
COMMUNITIES = (
    ("武定坊", "江宁路街道", "武定路", 930, 640, 0),
    ("昌平新苑", "江宁路街道", "昌平路", 401, 820, -1),
    ("愚园雅舍", "静安寺街道", "愚园路", 361, 310, 1),
    ("华山里", "静安寺街道", "华山路", 229, 260, 0),
    ("泰兴公寓", "南京西路街道", "泰兴路", 118, 420, 1),
    ("万航新村", "曹家渡街道", "万航渡路", 1384, 1180, 0),
    ("余姚小区", "曹家渡街道", "余姚路", 60, 950, -1),
    ("新闸大楼", "石门二路街道", "新闸路", 1124, 380, 1),
    ("山海关里", "石门二路街道", "山海关路", 274, 520, 0),
)
COMPANIES = (
    {"name": "上海静联物业管理有限公司", "body": "91310106MA1JA0001"},
    {"name": "上海安和物业服务有限公司", "body": "91310106MA1JA0002"},
)
USERS = (
    putuo.UserData("jingan_lead", "LEAD", "陆文静（静安区局督察）"),
    putuo.UserData("jingan_officer", "OFFICER", "蒋一帆（执法队员·静安）", streets=("江宁路街道", "曹家渡街道")),
)
# what residents and patrols report, by violation type (invented texts)
TEXTS = {
    "EBIKE_PARKING": "{door}楼道里长期停放电动自行车，堵塞疏散通道，请城管处理",
    "EBIKE_CHARGING": "{door}有居民从楼上飞线给电动自行车充电，电线垂到地面，很危险",
    "GROUP_RENTING": "{door}一套房子隔成多间出租，住了十几个人，进出人员复杂，怀疑群租",
    "ILLEGAL_CONSTRUCTION": "{door}底楼住户在天井里搭建阳光房，正在施工，属于违法搭建",
    "COMMON_AREA_OCCUPATION": "{door}楼道和屋顶平台堆满杂物，占用公共部位，物业不管",
    "CONSTRUCTION_WASTE": "{door}装修垃圾堆在绿化带边上好几天没人清运",
    "SMALL_ADS": "{door}单元门口和电梯里贴满小广告，反复张贴",
}
COMPLAINTS = 48   # a year's complaints of the second district (12345 and patrols)
CASES = 6         # opened from the patrol findings


def _credit_code(body: str) -> str:
    from registry import credit_code

    return body + credit_code.check_character(body)


def load(*, tally, now, progress=putuo._no_progress) -> None:
    """The district, its registry, logins, complaints and cases (the complaints and cases only once)."""
    district = load_registry(tally=tally)
    load_users(tally=tally, district=district)
    load_activity(tally=tally, now=now, district=district)


def load_registry(*, tally):
    from registry import services
    from registry.models import District, PropertyCompany, Street, StreetPopulation

    district = putuo.ensure(District, {"name": DISTRICT["name"]},
                            {k: v for k, v in DISTRICT.items() if k != "name"}, tally, "区 district")
    streets = {}
    for s in STREETS:
        streets[s.name] = putuo.ensure(Street, {"district": district, "name": s.name},
                                       {"short_name": s.short_name}, tally, "街镇 streets")
        for year in putuo.YEARS:
            putuo.ensure(StreetPopulation, {"street": streets[s.name], "year": year},
                         {"population": s.population, "source": POPULATION_SOURCE}, tally, "街镇人口 populations")
    companies = []
    for row in COMPANIES:
        company = services.company_resolve(name=row["name"], code=_credit_code(row["body"]))
        companies.append(company)
    busiest = PropertyCompany.objects.filter(name=putuo.build().busiest_company).first()  # None before Putuo
    for name, street, road, lane, households, company_index in COMMUNITIES:
        company = busiest if company_index < 0 else companies[company_index]
        row = {"name": name, "street": street, "addresses": f"{road}{lane}弄", "households": str(households),
               "population": str(round(households * 2.6)), "property_company": company.name if company else "",
               "credit_code": company.credit_code if company else ""}
        _, outcome = services.community_upsert(row=row, streets=streets)
        tally.add("住宅小区 communities", outcome)
    return district


def load_users(*, tally, district, password: str = putuo.DEMO_PASSWORD) -> None:
    from accounts.models import User
    from accounts.services import user_create
    from registry.models import Street

    for spec in USERS:
        existed = User.objects.filter(username=spec.username).exists()
        user_create(username=spec.username, password=password, role=spec.role, display_name=spec.display_name,
                    streets=[Street.objects.get(district=district, name=name) for name in spec.streets],
                    district=district)
        tally.add("演示账号 demo users", "unchanged" if existed else "created")


def load_activity(*, tally, now, district) -> None:
    """A year of complaints before `now` (12345 orders and the officer's patrol findings, each about a chosen
    community), and cases opened from some patrol findings; nothing when the district has complaints already."""
    from django.utils import timezone

    from accounts.models import User
    from cases import services as case_services
    from demo import backdate
    from intake import services
    from intake.choices import Channel
    from intake.models import Complaint
    from registry.models import Community

    if Complaint.objects.filter(street__district=district).exists():
        tally.add("诉件 complaints (静安)", "unchanged")
        return
    rng = random.Random(SEED)
    officer = User.objects.get(username="jingan_officer")
    communities = list(Community.objects.filter(street__district=district).prefetch_related("addresses")
                       .order_by("pk"))
    patrolled = [c for c in communities if c.street_id in set(officer.streets.values_list("pk", flat=True))]
    end = timezone.localtime(now).replace(microsecond=0)
    marks = backdate.complaint_marks()
    records = []
    for n in range(COMPLAINTS):
        patrol = n % 4 == 0
        community = rng.choice(patrolled if patrol else communities)
        code = rng.choice(sorted(TEXTS))
        door = community.addresses.all()[0].label if community.addresses.all() else community.name
        received = end - timedelta(days=rng.uniform(1, 395), hours=rng.uniform(0, 8))
        records.append(services.ComplaintInput(
            channel=Channel.PATROL if patrol else Channel.HOTLINE,
            content=TEXTS[code].format(door=f"{community.name}（{door}）"),
            received_at=received, address=door, community=community,
            external_no="" if patrol else f"JA{received:%Y%m%d}{n:04d}",
            caller_name="" if patrol else putuo.person_name(rng), caller_phone="" if patrol else putuo.mobile(rng),
            reporter=officer if patrol else None))
    records.sort(key=lambda r: r.received_at)
    ctx = services.Context(since=records[0].received_at, lazy_dedup=False)  # one by one: one read
    received = []
    for data in records:
        received.append(services.complaint_receive(data=data, ctx=ctx))
        tally.add("诉件 complaints (静安)", "created")
    backdate.complaints_received(marks)
    opened = 0
    for complaint in received:
        if opened >= CASES:
            break
        complaint.refresh_from_db()
        if complaint.channel != Channel.PATROL or not complaint.is_enforcement or complaint.duplicate_of_id:
            continue
        case_services.case_open_from_complaint(complaint=complaint, actor=officer, opened_at=complaint.received_at)
        opened += 1
        tally.add("案件 cases (静安)", "created")
