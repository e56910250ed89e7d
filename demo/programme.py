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

Then the campaigns (专项行动, `seed_campaigns`): both seeds' plans with their real dates — the city's 2022 special
action (沪城管执〔2022〕52号: 调查排摸 early July, 执法整治 mid-July to October, 总结提升 November) and Putuo's work
plan (普府办〔2024〕18号: three phases to Q1 2025) — their tasks done, owned as seed 000 §六 says, and the 清零
campaign of the inventory's year, whose dates the burn-down reads, with a task per street at the street's own
progress and its problem list compiled from the data. A campaign found by name is left as it is.
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


CITY_2022 = "2022年本市住宅小区环境专项执法行动"
PUTUO_2024 = "普陀区住宅小区违法行为综合治理工作方案"
# 52号 §二: the three classes of problems it targets
TYPES_2022 = ["ILLEGAL_CONSTRUCTION", "STRUCTURE_DAMAGE", "EBIKE_PARKING", "USE_CHANGE", "FACADE_DAMAGE",
              "GROUP_RENTING", "HOUSEHOLD_WASTE", "GREEN_DAMAGE", "PROPERTY_NEGLIGENCE"]


def _phase(name, start, end, text, today):
    status = "DONE" if end < today else "ACTIVE" if start <= today else "PLANNED"
    return {"name": name, "starts_on": start, "ends_on": end, "tasks_text": text, "status": status}


def _task(campaign, title, *, owner, start, end, phase, assisting=(), progress=None, today, detail=""):
    """A task due on the phase's end (its working days counted from the start), done on time when its phase is
    over, else at `progress`."""
    from core.calendar import working_days_between
    from programme import services

    field = "owner_department" if owner._meta.model_name == "department" else "owner_street"
    task = services.task_create(campaign=campaign, actor=None, title=title, detail=detail, starts_on=start,
                                working_days=max(1, working_days_between(start, end)), phase=phase,
                                assisting=assisting, **{field: owner})
    done = 100 if phase.ends_on < today else progress
    if done:
        services.task_progress(task=task, actor=None, progress=done, today=min(task.due_on, today),
                               note="按期完成" if done == 100 else "")
    return task


def seed_campaigns(*, tally, now=None):
    from programme import services
    from programme.models import Campaign, IllegalStructure
    from registry.models import Department, District, Street, ViolationType

    kind = "专项行动 campaigns"
    today = timezone.localdate(now)
    district = District.objects.order_by("pk").first()
    streets = list(Street.objects.filter(district=district).order_by("code", "name"))
    if district is None or not streets:
        return
    dept = {d.code: d for d in Department.objects.all()}
    others = [dept[c] for c in ("HOUSING", "GREENING", "PLANNING", "JUSTICE", "FIRE", "SPORTS", "POLICE") if c in dept]

    def wanted(name):
        if Campaign.objects.filter(name=name).exists():
            tally.add(kind, "unchanged")
            return False
        tally.add(kind, "created")
        return True

    if wanted(CITY_2022):
        action = services.campaign_create(
            actor=None, name=CITY_2022, kind="SPECIAL_ACTION", level="CITY", document_no="沪城管执〔2022〕52号",
            issuer="上海市城市管理行政执法局", starts_on=date(2022, 7, 1), ends_on=date(2022, 11, 30),
            violation_types=ViolationType.objects.filter(code__in=TYPES_2022),
            goals="依法从严查处危及安全、破坏环境秩序、物业违规三类小区环境问题，推动存量违建清库清零。",
            phases=[_phase("调查排摸", date(2022, 7, 1), date(2022, 7, 10),
                           "听取居民意见，梳理12345诉件，实地排摸；制定问题清单、任务清单和责任清单", today),
                    _phase("执法整治", date(2022, 7, 11), date(2022, 10, 31),
                           "集中查处危及公共安全、破坏环境秩序、物业管理缺位等问题", today),
                    _phase("总结提升", date(2022, 11, 1), date(2022, 11, 30), "巩固成果，建立常态长效机制", today)])
        survey, enforcement, review = action.phases.order_by("order")
        services.problems_compile(campaign=action, actor=None, today=survey.ends_on)
        for street in streets:
            _task(action, f"{street.name}：调查排摸", owner=street, start=survey.starts_on, end=survey.ends_on,
                  phase=survey, today=today, detail="听取居民意见，梳理12345诉件，实地排摸小区突出问题")
        _task(action, "制定问题、任务、责任三张清单", owner=dept["CHENGGUAN"], start=survey.starts_on,
              end=survey.ends_on, phase=survey, today=today, assisting=[dept["HOUSING"]])
        _task(action, "依法查处危及安全行为，推动存量违建清库清零", owner=dept["CHENGGUAN"],
              start=enforcement.starts_on, end=enforcement.ends_on, phase=enforcement, today=today,
              assisting=[dept["HOUSING"], dept["PLANNING"]])
        _task(action, "同步检查物业企业履职，对未履职企业实施信用惩戒", owner=dept["HOUSING"],
              start=enforcement.starts_on, end=enforcement.ends_on, phase=enforcement, today=today,
              assisting=[dept["CHENGGUAN"]])
        _task(action, "总结提升，建立小区环境综合治理长效机制", owner=dept["CHENGGUAN"], start=review.starts_on,
              end=review.ends_on, phase=review, today=today)

    if wanted(PUTUO_2024):
        plan_ = services.campaign_create(
            actor=None, name=PUTUO_2024, kind="WORK_PLAN", level="DISTRICT", document_no="普府办〔2024〕18号",
            issuer="上海市普陀区人民政府办公室", district=district, starts_on=date(2024, 8, 26),
            ends_on=date(2025, 3, 31),
            goals="住宅小区城管类违法行为投诉万人比总量降低；执法实效提升，违法行为明显下降。",
            phases=[_phase("第一阶段：建章立制", date(2024, 8, 26), date(2024, 9, 30),
                           "建立协作会商工作机制，制定制度性文件；梳理相关法律、法规及其他文件规范", today),
                    _phase("第二阶段：试点推进", date(2024, 10, 1), date(2024, 12, 31),
                           "遴选10至20个住宅小区先行先试；总结经验，细化调整各项工作要求", today),
                    _phase("第三阶段：全区推广", date(2025, 1, 1), date(2025, 3, 31),
                           "在全区范围内推进工作方案落实；纳入年度常态化考核", today)])
        one, two, three = plan_.phases.order_by("order")
        _task(plan_, "建立协作会商工作机制，制定制度性文件", owner=dept["CHENGGUAN"], start=one.starts_on,
              end=one.ends_on, phase=one, today=today, assisting=others)
        _task(plan_, "梳理住宅小区治理相关法律、法规及规范", owner=dept["CHENGGUAN"], start=one.starts_on,
              end=one.ends_on, phase=one, today=today, assisting=[dept["JUSTICE"]])
        _task(plan_, "遴选10至20个住宅小区先行先试", owner=dept["CHENGGUAN"], start=two.starts_on, end=two.ends_on,
              phase=two, today=today, assisting=[dept["HOUSING"], dept["GREENING"], *streets])
        _task(plan_, "总结试点经验，细化调整工作要求", owner=dept["CHENGGUAN"], start=two.starts_on,
              end=two.ends_on, phase=two, today=today)
        for street in streets:
            _task(plan_, f"{street.name}：全区推广落实", owner=street, start=three.starts_on, end=three.ends_on,
                  phase=three, today=today, detail="落实住宅小区常态化管理巡查和综合执法工作")
        _task(plan_, "将综合治理工作纳入年度常态化考核", owner=dept["CHENGGUAN"], start=three.starts_on,
              end=three.ends_on, phase=three, today=today)

    year = campaign_year(today)
    name = f"{year}年存量违建清库清零"
    if wanted(name):
        end_of_year = date(year, 12, 31)
        clearance = services.campaign_create(
            actor=None, name=name, kind="INVENTORY", level="DISTRICT", district=district,
            starts_on=date(year, 1, 1), ends_on=end_of_year,
            violation_types=ViolationType.objects.filter(code="ILLEGAL_CONSTRUCTION"),
            goals="存量违建清库清零：各街镇按季度计划销项，年底前清零（沪城管执〔2022〕52号 二(一)）。",
            phases=[_phase("摸底建账", date(year, 1, 1), date(year, 1, 31), "核对台账，明确计划完成日期", today),
                    _phase("集中销项", date(year, 2, 1), date(year, 11, 30), "拆除、注记、恢复原状，逐项销项", today),
                    _phase("验收清零", date(year, 12, 1), end_of_year, "逐街镇验收，台账清零", today)])
        work = clearance.phases.get(order=2)
        for street in streets:
            items = IllegalStructure.objects.filter(street=street, found_on__lte=end_of_year).exclude(
                cleared_on__lt=clearance.starts_on)
            total = items.count()
            cleared = items.filter(cleared_on__isnull=False).count()
            share = min(99, round(100 * cleared / total)) if total else 0
            _task(clearance, f"{street.name}：存量违建销项", owner=street, start=clearance.starts_on,
                  end=work.ends_on, phase=work, today=today, progress=share, assisting=[dept["CHENGGUAN"]])
        services.problems_compile(campaign=clearance, actor=None, today=today)


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
    seed_campaigns(tally=tally, now=now)
