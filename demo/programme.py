"""The demo district's illegal-construction inventory (seed_demo calls `seed`).

About 400 invented items over the demo communities (older communities have more), found over the past seven
years — most in the survey of July four years back (沪城管执〔2022〕52号's 摸底排查) — and a campaign this year
that has cleared most of what remained: each street planned its items by quarter (计划完成日期) and clears at
its own pace, so the streets' burn-downs differ and some items are overdue. About one in ten are new ones
(在建) found by patrols, nearly all demolished within days. When the demo has illegal-construction cases
(demo/cases.py), each one with a community is tied to the ledger: an open case takes over a waiting item of its
community (which goes 在办), any other case registers the structure it found, linked, so it follows the case.

Deterministic (random.Random with a fixed seed) and idempotent: the items are written through
programme.services with their ledger numbers, and a second run finds them all and writes nothing.
"""
import random
from datetime import date, timedelta

from django.utils import timezone

from core.errors import ApplicationError

SEED = 20260525
ITEMS_PER_100_HOUSEHOLDS = 0.05
NEW_SHARE = 0.1

LOCATIONS = [  # (template, weight, area range m², usual structures)
    ("{b}号楼 屋顶平台", 5, (15, 80), ["COLOUR_STEEL", "BRICK", "STEEL"]),
    ("{b}号楼{r}室 阳台外挑", 4, (3, 12), ["GLASS", "STEEL", "COLOUR_STEEL"]),
    ("{b}号楼底层 天井", 5, (6, 30), ["BRICK", "GLASS", "COLOUR_STEEL"]),
    ("{b}号楼{r}室 露台阳光房", 3, (10, 40), ["GLASS", "STEEL"]),
    ("{b}号楼东侧 公共绿地", 2, (5, 25), ["COLOUR_STEEL", "WOOD", "BRICK"]),
    ("{b}号楼北侧 自行车棚旁", 1, (4, 15), ["COLOUR_STEEL", "WOOD"]),
    ("{b}号楼 顶层加层", 1, (20, 90), ["BRICK", "CONCRETE"]),
    ("{b}号楼{r}室 入户花园围合", 2, (4, 18), ["BRICK", "GLASS", "OTHER"]),
]
CLEARING = [("DEMOLISHED", "DEMOLISH", 35), ("DEMOLISHED", "FORCED_DEMOLITION", 12), ("ANNOTATED", "ANNOTATE", 20),
            ("RECTIFIED", "RESTORE", 23), ("RECTIFIED", "ORDER_CORRECT", 10)]
NOTES = ["", "", "", "当事人已签订自拆承诺书", "涉及多户，需与居委会共同做工作", "已向业主送达告知书",
         "建于2000年前，拟注记后纳入城市更新", "当事人长期不在沪，已联系家属", "已结合“美丽家园”改造同步拆除"]


def _weighted(rng: random.Random, rows, weight_index: int):
    return rng.choices(rows, weights=[row[weight_index] for row in rows])[0]


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def campaign_year(today: date) -> int:
    """The year whose campaign the demo tells: this year's, or in January and February, last year's (this
    year's has only begun)."""
    return today.year if today.month >= 3 else today.year - 1


def plan(communities, today: date) -> list[dict]:
    """The items as rows of keyword arguments for services.structure_create, numbers included."""
    rng = random.Random(SEED)
    year = campaign_year(today)
    today = min(today, date(year, 12, 31))  # in January and February the story ends with last year
    survey = date(year - 4, 7, 1)  # 2022 for a 2026 demo, as 52号's survey
    campaign_start = date(year, 1, 1)
    quarters = [date(year, 3, 31), date(year, 6, 30), date(year, 9, 30), date(year, 12, 31)]
    pace = {}  # street → how briskly it clears this year (0.55 … 0.97 of its items by today)
    rows = []
    for community in communities:
        pace.setdefault(community.street_id, rng.uniform(0.55, 0.97))
        age = max(0, 2000 - (community.built_year or 2000)) / 10  # pre-2000 estates have more add-ons
        expected = (community.households or 300) / 100 * ITEMS_PER_100_HOUSEHOLDS * (1 + age)
        count = int(expected) + (1 if rng.random() < expected % 1 else 0)
        used = set()
        for _ in range(count):
            template, _w, (low, high), materials = _weighted(rng, LOCATIONS, 1)
            location = template.format(b=rng.randint(1, 30), r=rng.choice([1, 2, 3, 5, 6]) * 100 + rng.randint(1, 4))
            if location in used:
                continue
            used.add(location)
            new = rng.random() < NEW_SHARE
            if new:
                found = _day(rng, today - timedelta(days=330), today - timedelta(days=1))
            else:
                bucket = rng.random()
                if bucket < 0.2:
                    found = _day(rng, date(year - 7, 1, 1), survey - timedelta(days=1))
                elif bucket < 0.6:
                    found = _day(rng, survey, survey + timedelta(days=45))  # the survey
                else:
                    found = _day(rng, survey + timedelta(days=46), min(today, date(year, 10, 31)))
            row = {"community": community, "location": location, "found_on": found,
                   "area_m2": f"{rng.uniform(low, high):.1f}", "material": rng.choice(materials),
                   "kind": "NEW" if new else "EXISTING", "note": rng.choice(NOTES),
                   "owner_hint": f"{location.split(' ')[0]}业主" if "室" in location else ""}
            status, measure, cleared, target = "EXISTING", "", None, None
            if new:
                if rng.random() < 0.93:  # 一律制止、拆除: within days
                    status, measure = "DEMOLISHED", "DEMOLISH"
                    cleared = min(today, found + timedelta(days=rng.randint(1, 20)))
                else:
                    status, target = "HANDLING", min(date(year, 12, 31), found + timedelta(days=30))
                    measure = "STOP"
            elif found + timedelta(days=20) < campaign_start and rng.random() < 0.22:  # cleared in earlier years
                status, measure, _w = _weighted(rng, CLEARING, 2)
                cleared = _day(rng, found + timedelta(days=20), campaign_start - timedelta(days=1))
            else:
                target = rng.choice(quarters)
                if target < found:
                    target = quarters[-1]
                if rng.random() < pace[community.street_id]:
                    status, measure, _w = _weighted(rng, CLEARING, 2)
                    begin = max(found, campaign_start)
                    cleared = _day(rng, begin, min(today, target + timedelta(days=25)))
                else:
                    status = "HANDLING" if rng.random() < 0.55 else "EXISTING"
                    measure = rng.choice(["", "ORDER_CORRECT", "FINE"]) if status == "HANDLING" else ""
            if cleared is not None and cleared > today:  # never after the day the demo is loaded
                cleared = today
            row.update(status=status, measure=measure, cleared_on=cleared, target_date=target)
            rows.append(row)
    rows.sort(key=lambda r: (r["community"].street.code, r["found_on"], r["community"].name, r["location"]))
    from programme.services import street_code

    sequence: dict = {}
    for row in rows:
        key = (street_code(row["community"].street), row["found_on"].year)
        sequence[key] = sequence.get(key, 0) + 1
        row["number"] = f"WJ-{key[0]}-{key[1]}-{sequence[key]:04d}"
    return rows


def seed(*, tally, progress, now=None):
    from cases.models import EnforcementCase
    from programme import services
    from programme.models import IllegalStructure
    from registry.models import Community

    kind = "存量违建台账 illegal constructions"
    communities = list(Community.objects.select_related("street").order_by("street__code", "name"))
    if not communities:
        return
    rows = plan(communities, timezone.localdate(now))
    existing = set(IllegalStructure.objects.filter(number__in=[r["number"] for r in rows])
                   .values_list("number", flat=True))
    for row in progress(rows, "存量违建台账"):
        if row["number"] in existing:
            tally.add(kind, "unchanged")
            continue
        services.structure_create(actor=None, reason="演示数据", **row)
        tally.add(kind, "created")

    cases = (EnforcementCase.objects.filter(violation_type__code="ILLEGAL_CONSTRUCTION", community__isnull=False)
             .exclude(state="REFERRED").select_related("community").order_by("number"))
    linked = set(IllegalStructure.objects.filter(case__isnull=False).values_list("case_id", flat=True))
    rng = random.Random(SEED + 1)
    for case in cases:
        if case.pk in linked:
            tally.add(kind, "unchanged")
            continue
        kind_of_case = "NEW" if case.in_progress else "EXISTING"
        waiting = None
        if case.is_open:  # a complaint about a structure already on the ledger: the case takes it over
            waiting = (IllegalStructure.objects
                       .filter(community=case.community_id, kind=kind_of_case, case__isnull=True,
                               status__in=["EXISTING", "HANDLING"])
                       .order_by("found_on", "pk").first())
        template, _w, (low, high), materials = _weighted(rng, LOCATIONS, 1)
        try:
            if waiting is not None:
                services.structure_link_case(item=waiting, case=case, actor=None)
            else:
                services.structure_from_case(
                    case=case, actor=None, location=case.location or template.format(b=rng.randint(1, 30), r=601),
                    area_m2=f"{rng.uniform(low, high):.1f}", material=rng.choice(materials))
        except ApplicationError:
            continue  # e.g. a case dismissed as 不属实: nothing to put on the ledger
        tally.add(kind, "updated" if waiting is not None else "created")
