"""The administrative penalty procedure in the demo (行政处罚法; cases.workflow): what the investigation found
(经查 per violation type), the intended fines inside their legal ranges, and the dated steps a fine takes —
事先告知 → 送达 → 陈述申辩 (复核, 放弃, or the period running out) or 听证 → 法制审核 (major or heard cases) →
集体讨论 (major) → 负责人审批 → 行政处罚决定书 → 送达 → 缴纳, 催告, 申请人民法院强制执行 — and the summary procedure
(当场处罚). demo.cases plans them for its cases and demo.credit for the negligence chains' fines; both run each
step through cases.services at the moment it stands for (time_machine), so every date rule of the workflow (service
after issue, the defence period, the hearing notice, the 90-day limit, the court window) is checked as for real use.

Who holds an enforcement certificate (执法证号, §42) and the legal reviewer: `certify` and `legal_reviewer` give
the demo's officers and supervisors cert numbers and add the login "legal" when the demo users lack them."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

LEGAL_USERNAME = "legal"
COURT = "上海市普陀区人民法院"
HEARING_PLACE = "区城管执法局听证室（普陀区大渡河路）"
DISCUSSION_PARTICIPANTS = "周立群（区局督察）、法制科负责人、执法大队大队长、承办中队中队长"
MANNERS = {"IN_PERSON": 6, "POST": 3, "LEFT": 1}
SUMMARY_TYPES = {"EBIKE_CHARGING", "SMALL_ADS", "EBIKE_PARKING"}
SUMMARY_SHARE = 0.6            # of those types' fined cases: decided on the spot (简易程序)
DEFENCE = {"statement": 3, "waiver": 3, "lapse": 4}   # what the party does after the notice was served
REVIEW = {"PARTLY": 2, "REJECTED": 3}
# A few plans get a rarer fate (the demo's planner counts them): hearings, court enforcement, fines left overdue.
QUOTA = {"hearing_old": 1, "hearing_recent": 1, "court": 3, "overdue": 3}
# The first fines' defences, in this order, so that even a small demo shows each; the others are drawn (DEFENCE).
FIRST_DEFENCES = [("statement", "PARTLY"), ("statement", "REJECTED"), ("waiver", ""), ("lapse", "")]


def quota() -> dict:
    """A fresh count of the rarer fates and the first defences, for one run of the planner."""
    return {**QUOTA, "defences": list(FIRST_DEFENCES)}


# --- 经查: what the officers found on site ----------------------------------------------------------------------

def _place(rng, community) -> str:
    name = getattr(community, "name", None) or "辖区某小区"
    room = f"{rng.randint(1, 6)}0{rng.randint(1, 4)}室" if rng.random() < 0.6 else ""
    return f"{name}{rng.randint(1, 42)}号{room}"


def findings(rng, code: str, community, on: date, party_name: str = "当事人") -> str:
    """The 经查 paragraph of the case's documents: facts found on site, measured and dated, and what the party
    admitted — never the complaint's words."""
    place = _place(rng, community)
    day = f"{on.year}年{on.month}月{on.day}日"
    earlier = on - timedelta(days=rng.randint(20, 200))
    since = f"{earlier.year}年{earlier.month}月"
    length, width = Decimal(rng.randint(25, 80)) / 10, Decimal(rng.randint(20, 45)) / 10
    area = (length * width).quantize(Decimal("0.1"))
    texts = {
        "ILLEGAL_CONSTRUCTION": (
            f"经查，{party_name}于{since}起在{place}屋顶平台擅自搭建彩钢板结构房屋一间，{day}执法人员现场勘验，"
            f"该建筑长{length}米、宽{width}米、高约2.8米，建筑面积约{area}平方米，未取得建设工程规划许可证。"
            f"{party_name}在询问笔录中承认系其本人雇人搭建，用于堆放杂物，无法提供任何审批手续。"),
        "STRUCTURE_DAMAGE": (
            f"经查，{party_name}在{place}装修过程中，擅自拆除厨房与客厅之间的承重墙体，开设宽约{width}米的门洞，"
            f"{day}执法人员会同物业公司现场检查，墙体钢筋外露，未采取加固措施；经房屋安全鉴定机构初步查看，"
            f"该墙体属承重结构。{party_name}承认未经鉴定和审批即行拆除。"),
        "USE_CHANGE": (
            f"经查，{party_name}自{since}起将{place}住宅改作"
            f"“{rng.choice(['棋牌室', '民宿', '小型仓库', '美甲工作室'])}”经营使用，"
            f"{day}执法人员现场检查时室内有经营人员和顾客，设有收银台；{party_name}在询问笔录中承认擅自改变物业使用性质，"
            "未经有利害关系的业主同意。"),
        "COMMON_AREA_OCCUPATION": (
            f"经查，{party_name}自{since}起在{place}所在楼栋底层公共走道堆放杂物并加装铁门围占，占用面积约{area}平方米，"
            f"{day}执法人员现场测量并拍照取证，物业公司此前已两次书面劝阻未果。{party_name}承认上述事实。"),
        "FACADE_DAMAGE": (
            f"经查，{party_name}在{place}外墙擅自开凿窗洞并加装外挑雨棚，改变房屋外立面，开洞宽约{width}米，"
            f"{day}执法人员现场勘验、拍照取证；{party_name}承认未经业主大会同意和有关部门审批即行施工。"),
        "RENOVATION_UNREGISTERED": (
            f"经查，{place}自{since}起进行室内装修，{day}执法人员现场检查时装修已进行约{rng.randint(10, 40)}天，"
            f"{party_name}未向物业服务企业申报登记，也未签订装饰装修管理服务协议。{party_name}在询问笔录中承认上述事实。"),
        "GREEN_DAMAGE": (
            f"经查，{party_name}于{since}擅自铲除{place}楼前公共绿地草坪，铺设水泥地坪用于停放车辆，"
            f"{day}执法人员现场测量，被占用绿地面积{area}平方米，绿化植物已灭失。"
            f"{party_name}承认系其本人所为。"),
        "SMALL_ADS": (
            f"经查，{party_name}于{day}在{place}周边楼道、电表箱等处张贴"
            f"“{rng.choice(['疏通下水道', '开锁换锁', '上门回收'])}”小广告{rng.randint(12, 60)}张，被执法人员当场查获，"
            f"现场收缴未张贴的小广告一叠；{party_name}承认系其张贴。"),
        "EBIKE_CHARGING": (
            f"经查，{day}执法人员在{place}楼道内发现{party_name}从室内私拉电线为电动自行车充电，电线横跨楼梯通道约"
            f"{rng.randint(4, 12)}米，现场拍照取证；{party_name}承认系其所为，当场拔除电源。"),
        "EBIKE_PARKING": (
            f"经查，{day}执法人员在{place}所在楼栋电梯轿厢内发现{party_name}推入电动自行车一辆，经调取电梯监控，"
            f"{party_name}此前{rng.randint(2, 6)}次将电动自行车推入电梯，物业曾多次劝阻。{party_name}承认上述事实。"),
        "HOUSEHOLD_WASTE": (
            f"经查，{party_name}于{since}起多次在{place}楼下投放点将湿垃圾与干垃圾混合投放，经志愿者和执法人员劝导并"
            f"责令改正后，{day}复查时仍有混投行为，现场拍照取证，{party_name}拒不改正。"),
        "PROPERTY_NEGLIGENCE": (
            f"经查，{place}小区内发生的违法行为持续多日，{party_name}作为物业服务企业，巡查台账无相应记录，"
            f"未对违法行为进行劝阻、制止，也未在规定时间内向城管执法部门和居委会报告；{day}执法人员调取巡查台账、"
            "询问项目经理，对方承认未履行上述义务。"),
        "GROUP_RENTING": (
            f"经查，{day}执法人员会同房管、公安部门对{place}进行检查，该房屋建筑面积约{rng.randint(60, 95)}平方米，"
            f"被分隔为{rng.randint(5, 9)}间出租，居住{rng.randint(9, 16)}人，人均居住面积不足5平方米；"
            "出租人承认上述事实。"),
        "CONSTRUCTION_WASTE": (
            f"经查，{day}执法人员在{place}旁公共通道发现装修垃圾约{rng.randint(2, 8)}立方米，未按规定袋装、"
            f"未交由有资质单位清运，经核实系{party_name}装修产生，{party_name}承认上述事实。"),
    }
    return texts.get(code) or (f"经查，{day}执法人员在{place}现场检查，{party_name}存在违法行为，事实清楚，"
                               f"{party_name}承认上述事实。")


# --- the intended fines -----------------------------------------------------------------------------------------

def ranges(code: str) -> list:
    """The fine ranges of a violation type's penalty articles (none: its article is 待核实, so no fine)."""
    from registry.choices import BasisRole
    from registry.models import FineRange

    return list(FineRange.objects.filter(basis__violation_type__code=code, basis__role=BasisRole.PENALTY)
                .order_by("basis_id", "low", "id"))


def fineable(code: str) -> bool:
    return bool(ranges(code))


def _round(value: Decimal, step: int) -> Decimal:
    return (value / step).quantize(Decimal(1)) * step


@dataclass
class Fine:
    """One intended fine of a plan (the party is the case's first, known only when the case runs)."""

    range: int
    amount: Decimal
    quantity: Decimal | None = None
    party_kind: str = "PERSON"

    def item(self, party_pk, amount=None) -> dict:
        return {"party": party_pk, "range": self.range, "amount": f"{amount or self.amount:.2f}",
                "quantity": None if self.quantity is None else f"{self.quantity:.2f}"}


def choose_fine(rng, code: str, party_kind: str = "PERSON", *, summary: bool = False, label: str = "") -> Fine | None:
    """A range of the type that fits the party (the first whose label has `label`, if one does), and an amount
    inside it: mostly its lower part (first offence, admitted); per-unit ranges with a measured quantity."""
    options = [r for r in ranges(code) if r.party_kind in ("", party_kind) and r.unit != "MULTIPLE"]
    options = [r for r in options if label and label in r.label] or options
    if not options:
        return None
    fine_range = options[0]
    quantity = None
    low, high = fine_range.low, fine_range.high
    if fine_range.unit:
        quantity = Decimal(rng.randint(15, 60)) / 10
        low, high = (low * quantity).quantize(Decimal("0.01")), (high * quantity).quantize(Decimal("0.01"))
    if summary:
        high = min(high, Decimal(200 if party_kind == "PERSON" else 3000))
    step = 1000 if low >= 10_000 else 100 if low >= 500 else 10
    amount = _round(low + (high - low) * Decimal(str(round(rng.triangular(0, 1, 0.15), 3))), step)
    amount = min(max(amount, low), high)
    if amount < low:  # rounding below a range's odd lower bound
        amount = low
    return Fine(range=fine_range.pk, amount=amount, quantity=quantity, party_kind=party_kind)


def lowered(rng, fine: Fine) -> Decimal:
    """The amount after a defence accepted in part: lower, never under the range."""
    from registry.models import FineRange

    fine_range = FineRange.objects.get(pk=fine.range)
    low = fine_range.low * (fine.quantity or 1) if fine_range.unit else fine_range.low
    step = 1000 if low >= 10_000 else 100 if low >= 500 else 10
    cut = _round(fine.amount * Decimal(str(rng.choice([0.7, 0.8, 0.85]))), step)
    return max(low.quantize(Decimal("0.01")), cut)


def _reaches(kind: str, fine: Fine, amount: Decimal) -> bool:
    from cases import penalties

    return penalties.reaches(kind, [SimpleNamespace(party=SimpleNamespace(kind=fine.party_kind), amount=amount)])


def offers_hearing(fine: Fine) -> bool:
    from registry.choices import ThresholdKind

    return _reaches(ThresholdKind.HEARING, fine, fine.amount)


def is_major(fine: Fine, amount: Decimal) -> bool:
    from registry.choices import ThresholdKind

    return _reaches(ThresholdKind.MAJOR, fine, amount)


# --- the steps --------------------------------------------------------------------------------------------------

STATEMENTS = ["当事人称系初次违法，已认识到错误并正在自行整改，家庭经济困难，请求从轻处罚。",
              "当事人称对违法事实无异议，但认为拟罚款金额过高，已主动配合调查，请求减轻处罚。",
              "当事人称该设施系前任业主所建，其购房时已存在，不应由其承担责任。",
              "当事人称已于告知后自行拆除大部分违法设施，请求从轻处罚。"]
REVIEWS = {"PARTLY": ("经复核，当事人在告知后已主动整改，配合调查，属从轻情节，部分采纳其陈述申辩意见，"
                      "在法定幅度内降低罚款金额。"),
           "REJECTED": ("经复核，当事人提出的理由缺乏证据支持，违法事实清楚、证据确凿，拟作出的处罚在法定幅度内"
                        "且已考虑相关情节，不予采纳，维持原拟处罚。")}
OPINIONS = ["经审核，本案事实清楚，证据确凿，适用依据正确，程序合法，处罚幅度适当，同意提交负责人审批。",
            "经审核，违法事实有现场勘验笔录、照片和询问笔录为证，适用条款准确，已履行告知程序，裁量适当，同意。"]
MINUTES = ("局负责人集体讨论认为：本案违法事实清楚，证据确凿，当事人的陈述申辩已复核，法制审核意见同意；"
           "经讨论，一致同意按拟处罚内容作出行政处罚决定。")
HEARING_RECORDS = ("听证会依法公开举行，调查人员提出违法事实、证据和处罚建议，当事人及其委托代理人进行陈述、"
                   "申辩和质证；当事人对违法事实无异议，主要就罚款金额提出意见。笔录已经当事人核对签字。")


def step_time(clock, moment: datetime, days: int) -> datetime:
    return clock.after(moment, days)


def at_day(clock, day: date, earliest: time = time(9, 0)) -> datetime:
    return clock.at(day, earliest)


def general(*, add, rng, clock, at: datetime, filed_on: date, measures: list, findings_text: str, fine: Fine,
            hearing: bool = False, defences: list | None = None) -> tuple[datetime, date]:
    """Append (through `add(kind, at, data)`) the general procedure from the notice to the served decision;
    returns (the moment of the approval, the decision's service date). The supervisors' and the legal reviewer's
    steps name their roles ("by": "lead", "legal"); the others are the case's officer's. `defences`: the defences
    still to show (FIRST_DEFENCES; the next one is taken), else one is drawn."""
    from cases import penalties
    from core import calendar

    local = timezone.localtime
    due = penalties.decision_due(filed_on)

    def within_limit(moment: datetime, previous: datetime):
        """the 90-day limit: an extension approved before the step that would pass it"""
        nonlocal due
        if local(moment).date() > due:
            days = min(90, (local(moment).date() - due).days + 10)
            add("extend_time_limit", max(previous + timedelta(minutes=1), moment - timedelta(minutes=30)),
                {"by": "lead", "extend_days": days, "reason": "案情复杂，需进一步调查取证，经负责人批准延长办案期限"})
            due += timedelta(days=days)

    within_limit(at, at - timedelta(hours=1))
    add("notify", at, {"measures": measures, "findings": findings_text, "fine": fine,
                       "reason": "经调查取证，违法事实清楚，拟作出行政处罚"})
    served = clock.after(at, rng.choice([0, 1, 1, 2]))
    served_on = local(served).date()
    add("serve_notice", served, {"served_on": served_on, "manner": _weighted(rng, MANNERS)})
    offered = offers_hearing(fine)
    amount = fine.amount
    heard = False
    if hearing and offered:
        asked = clock.after(served, rng.choice([1, 2, 3]))
        add("request_hearing", asked, {"requested_on": local(asked).date()})
        scheduled = clock.after(asked, 1)
        hearing_day = calendar.add_working_days(local(scheduled).date(), penalties.HEARING_NOTICE_WORKING_DAYS + 1)
        hearing_at = datetime.combine(hearing_day, time(9, 30), tzinfo=timezone.get_current_timezone())
        add("schedule_hearing", scheduled, {"by": "lead", "hearing_at": hearing_at, "hearing_place": HEARING_PLACE,
                                            "presider": "legal"})
        held = hearing_at + timedelta(hours=rng.choice([2, 3, 5]))
        add("hold_hearing", held, {"hearing_record": HEARING_RECORDS})
        heard, last = True, held
    else:
        kind, result = defences.pop(0) if defences else (_weighted(rng, DEFENCE), "")
        if kind == "statement":
            said = clock.after(served, rng.choice([1, 1, 2]))
            add("record_statement", said, {"statement": rng.choice(STATEMENTS), "statement_on": local(said).date()})
            reviewed = clock.after(said, rng.choice([0, 1, 2]))
            result = result or _weighted(rng, REVIEW)
            data = {"review_result": result, "review_text": REVIEWS[result]}
            if result == "PARTLY":
                amount = lowered(rng, fine)
                data["lower_to"] = amount
            add("review_statement", reviewed, data)
            last = clock.after(reviewed, rng.choice([0, 1]))
        elif kind == "waiver":
            waived = clock.after(served, rng.choice([0, 0, 1]))
            add("record_waiver", waived, {"reason": "当事人书面表示对拟作出的处罚无异议，放弃陈述、申辩"
                                                    + ("和听证" if offered else "") + "权利"})
            last = clock.after(waived, rng.choice([0, 1]))
        else:  # the period runs out
            until = penalties.defence_until(served_on, offered)
            last = at_day(clock, calendar.add_working_days(until, rng.choice([1, 1, 2])))
    major = is_major(fine, amount)
    if heard or major:
        if not heard:
            add("submit_legal_review", last, {})
        reviewed = clock.after(last, rng.choice([1, 2, 3]))
        add("pass_legal_review", reviewed, {"by": "legal", "opinion": rng.choice(OPINIONS)})
        last = reviewed
    else:
        add("submit_approval", last, {})
    if major:
        last = clock.after(last, rng.choice([1, 2, 3]))
        add("record_discussion", last, {"by": "lead", "minutes": MINUTES, "participants": DISCUSSION_PARTICIPANTS,
                                        "discussion_on": local(last).date()})
    approved = clock.after(last, rng.choice([0, 1, 2]))
    within_limit(approved, last)
    add("approve", approved, {"by": "lead", "reason": "同意作出行政处罚决定"})
    add("document", approved + timedelta(minutes=5), {"kind": "PENALTY_DECISION"})
    served_decision = clock.after(approved + timedelta(minutes=5), rng.choice([0, 1, 2, 3]))
    add("serve_decision", served_decision, {"served_on": local(served_decision).date(),
                                            "manner": _weighted(rng, MANNERS), "proof": True})
    return approved, local(served_decision).date()


def _weighted(rng, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]


# --- the demo's people ------------------------------------------------------------------------------------------

def certify():
    """执法证号 for every officer and supervisor of the demo without one (the demo logins get theirs from the
    user-creation code once it sets them; this fills only the empty ones, in username order)."""
    from accounts.choices import Role
    from accounts.models import User

    users = User.objects.filter(role__in=[Role.OFFICER, Role.LEAD], cert_number="").order_by("username")
    taken = set(User.objects.exclude(cert_number="").values_list("cert_number", flat=True))
    number = 1
    for user in users:
        while f"3101072026{number:04d}" in taken:
            number += 1
        User.objects.filter(pk=user.pk).update(cert_number=f"3101072026{number:04d}")
        taken.add(f"3101072026{number:04d}")


def legal_reviewer(tally=None):
    """The district's 法制审核人员: the login "legal" (added here, idempotently, when the demo users lack one)."""
    from accounts.choices import Role
    from accounts.models import User
    from accounts.services import user_create
    from demo import district
    from registry.models import District

    user = User.objects.filter(role=Role.LEGAL, is_active=True).order_by("username").first()
    if user is not None:
        return user
    user = user_create(username=LEGAL_USERNAME, password=district.DEMO_PASSWORD, role=Role.LEGAL,
                       display_name="钱文静（法制科审核员）",
                       district=District.objects.get(name=district.DISTRICT["name"]))
    if tally is not None:
        tally.add("演示账号 demo users", "created")
    return user


def proof(name: str = "送达回证.png"):
    """The party's signed receipt, scanned (a small image)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from demo.cases import _png

    return SimpleUploadedFile(name, _png(len(name), "before"), content_type="image/png")
