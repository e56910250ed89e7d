"""A year of enforcement cases for the demo district (seed_demo's "案件" step).

Cases are opened from the demo's own complaints — the 12345 orders, patrol findings and property reports
that routing sent to a street as enforcement matters — and driven through the real services
(`case_open_from_complaint`, `case_transition`, `case_assign`, `case_set_co_officer`, `case_set_in_progress`,
`party_add`, evidence, documents, payments, referrals, 督办, 12345 replies), each step at the moment it stands for
(time_machine travels there while the service runs), so every rule of the workflow — its date rules too — holds
for the demo as for real use. Every case has two certified officers (承办 and 协办, 行政处罚法 §42) and its
findings (经查, demo.penalty); a fine goes through the Administrative Penalty Law's procedure (demo.penalty:
notice, service, statement or waiver or the period running out, a hearing for a few, legal review and collective
discussion when major, approval, the decision and its service, payment, 催告 and the court for a few) or, for a
few small ones, the summary procedure; types whose penalty article is 待核实 are not fined. Some recent cases wait
in each state of the procedure (WAITING), a few fines are overdue.
Each case follows a plan drawn from a fixed seed: most clues are verified and either dismissed or filed and
taken to closing, some are referred, new illegal constructions are stopped and demolished, household waste
is educated first and fined on refusal (escalate_penalty), a few closings are reopened (回潮). Steps run while
they lie before the
moment the demo is loaded (`performed`; a case whose opening would come later is not opened: its complaint
waits); a plan that reaches beyond now leaves its case open, and the slow ones among those are overdue and
draw a 督办. Afterwards the timeline is restated as planned (`_backdate`: deadlines recomputed over the
working-day calendar; a case of last year takes last year's number), so the year reads like a real one.

Idempotent: the officers this step adds (one per street, usernames zf_…) are its mark — when they exist,
the cases were made (seed_demo runs in one transaction) and nothing is added. Recent complaints (under two
days old) and a few older ones are left unopened, as a real queue has them.

Then the matters that are not the bureau's (routing: NON_ENFORCEMENT, 待移交 until a person confirms them):
the bureau confirms most of them within a day or two through `intake.services.complaint_confirm`, which refers
each to its department (cases.referrals); the departments sign for them and answer, mostly within the five
working days, some late, and a few of the last weeks' are still unsigned or unanswered — overdue for the
supervisors' board. Each order's fate is drawn from a random generator seeded with its ticket number, so a
second run finds the confirmed ones referred and draws the same "not yet" for the others: nothing is added.
"""
import random
import struct
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from demo import backdate, penalty

SEED = 2026_0401
KIND = "执法案件 cases"
OFFICER_PREFIX = "zf_"
LEAVE_RECENT = timedelta(days=2)       # the newest complaints wait in the queue
UNTOUCHED_SHARE = 0.02                 # older ones nobody acted on (不作为 has something to show)
# Share of the routed enforcement complaints opened as a case: the types whose confirmation checks the property
# company (R4.1) more often in communities that have one, so credit has cases to check. The others are verified
# and settled without a case (dissuaded and corrected on the spot, or nothing found: intake.dispatch).
OPEN_SHARE = 0.12
OPEN_SHARE_DUTY = 0.3
OPEN_SHARE_CHANNEL = {"PATROL": 0.5, "PROPERTY_REPORT": 0.45}
# How a case ends once verified, by weight.
OUTCOMES = {"dismiss": 12, "refer": 3, "rectify": 55, "execute": 30}
OUTCOMES_DUTY = {"dismiss": 8, "refer": 2, "rectify": 58, "execute": 32}
REFER_TO = {"GROUP_RENTING": "HOUSING", "USE_CHANGE": "HOUSING", "RENOVATION_UNREGISTERED": "HOUSING",
            "GREEN_DAMAGE": "GREENING", "PROPERTY_NEGLIGENCE": "HOUSING", "COMMON_AREA_OCCUPATION": "HOUSING"}
IN_PROGRESS_SHARE = 0.7                # illegal constructions reported while being built, found so on site
SLOW_SHARE = 0.12                      # cases that overrun one stage deadline
REOPEN_SHARE = 0.03                    # closings reopened (回潮) within 90 days
STALLED_SHARE = 0.05                   # recent cases stuck after a move: overdue now, with 督办
STALL_WITHIN = timedelta(days=150)
DOCUMENTS_FOR = timedelta(days=30)     # decisions of the last weeks have their numbered documents
ISSUED_AFTER = timedelta(minutes=5)    # a decision's document is issued with it, before any further step
REASSIGN_SHARE = 0.04
LEAD_OPENS_SHARE = 0.12                # opened by the lead without an officer, then assigned or claimed
# Fines in yuan (LEGAL.md ranges; group renting's are 待核实, so none is imposed in the demo).
FINE_YUAN = {
    "ILLEGAL_CONSTRUCTION": (10_000, 50_000), "STRUCTURE_DAMAGE": (10_000, 60_000), "USE_CHANGE": (10_000, 30_000),
    "COMMON_AREA_OCCUPATION": (1_000, 8_000), "FACADE_DAMAGE": (1_000, 8_000), "PROPERTY_NEGLIGENCE": (1_000, 10_000),
    "RENOVATION_UNREGISTERED": (500, 1_000), "EBIKE_CHARGING": (50, 500), "EBIKE_PARKING": (200, 500),
    "SMALL_ADS": (100, 1_000), "HOUSEHOLD_WASTE": (50, 200), "GREEN_DAMAGE": (500, 2_000),
    "CONSTRUCTION_WASTE": (1_000, 5_000),
}
DISMISS_REASONS = ["现场核查未发现所述违法行为", "经核查，当事人已自行整改到位", "现场核实为合法设施，不构成违法",
                   "诉求地址无法核实到具体楼栋，经走访未发现问题"]
REFER_REASONS = {"HOUSING": "经核查属物业服务与房屋使用管理事项，移交区房管局",
                 "GREENING": "经核查属绿化养护管理事项，移交区绿化市容局"}
CLOSE_REASONS = {"STOP": "已当场制止并拆除完毕", "DEMOLISH": "违法建筑已拆除，现场恢复", "FINE": "罚款已缴纳，执行完毕",
                 "ANNOTATE": "已办理注记并缴纳罚款", "FORCED_DEMOLITION": "已依法强制拆除"}
ANSWERS = {"HOUSING": "已上门核查并约谈物业，责令限期整改，结果已回复诉求人", "GREENING": "已现场核查，绿化已补种恢复"}
# Orders that were not the bureau's: returned to the hotline (退单) or referred to their department.
WRONGLY_SENT = {"return": 0.025, "department": 0.012}
RETURN_REASONS = ["经现场核实，诉求地址与所述小区不符，实为相邻区辖区，请热线重新派单",
                  "经联系诉求人，反映事项为物业服务合同纠纷，非执法事项，建议转派房管部门",
                  "重复派单：同一诉求已由本街镇另一工单办理完毕", "诉求人来电表示误报，要求撤销工单"]
BEING_BUILT = ("正在", "在建", "施工", "开工", "连夜", "工人")  # words of a report about building going on now
REPLIES = {
    "dismiss": ("UNSOLVED", "经执法队员现场核查，未发现所反映的违法行为。如再发现可随时反映。"),
    "refer": ("PARTLY", "经核查，该事项属相关职能部门职责，已移交其办理并跟踪反馈。"),
    "close_rectified": ("SOLVED", "经现场核查属实，已依法责令当事人整改，复查已整改到位。"),
    "close_executed": ("SOLVED", "经现场核查属实，已依法作出处理决定并执行完毕。"),
}
SATISFACTION = {"SATISFIED": 70, "BASICALLY": 20, "UNSATISFIED": 10}
SETTLED = [("SOLVED", "经执法队员现场核查劝导，当事人已当场整改。", 78),
           ("PARTLY", "经现场劝导，当事人已部分整改，将持续跟进。", 6),
           ("UNSOLVED", "经执法队员现场核查，未发现所反映的问题。", 16)]


# Non-enforcement matters: the bureau confirms (and so refers) this share of those older than LEAVE_RECENT,
# at once or within two working days; the departments sign and answer, except a share of the last weeks'.
CONFIRM_SHARE = 0.96
CONFIRM_AFTER = [0, 0, 0, 1, 1, 2]          # working days after the order came in
SIGN_AFTER = [0, 0, 0, 1, 1, 1, 2]          # after the referral was sent
ANSWER_AFTER = [1, 1, 1, 2, 2, 2, 3, 3, 4, 7]  # after signing: mostly within the 5 working days, some late
PENDING_WITHIN = timedelta(days=45)         # referrals of these last weeks may still be unsigned or unanswered
PENDING_SHARE = 0.1
LIAISON_PREFIX = "bm_"                      # a referral liaison for each department without a demo login
REFERRAL_ANSWERS = {
    "HOUSING": ["已约谈物业服务企业，督促其按物业服务合同履行义务，处理结果已告知诉求人",
                "已指导业主委员会依法履职，相关事项按程序办理，已向诉求人说明",
                "经核查，维修资金使用申请已受理，正在按程序审核，已告知诉求人"],
    "GREENING": ["已安排绿化养护单位现场修剪，隐患已消除", "已现场核查，责成养护单位补种恢复"],
    "PLANNING": ["已现场核查，相关规划许可情况已向诉求人说明", "已转规划监察部门依法核查处理"],
    "JUSTICE": ["已安排人民调解员介入调解，双方达成调解协议", "已为诉求人提供法律咨询，告知维权途径"],
    "FIRE": ["已派员现场检查，督促物业清理消防通道，整改到位", "已对小区消防设施开展检查，督促物业维修更换"],
    "SPORTS": ["已上门核查信鸽饲养情况，督促饲养人规范饲养、减少扰民"],
    "POLICE": ["已由属地派出所民警上门劝导，噪声扰民已制止", "已由属地派出所依法处置，结果已告知诉求人"],
    "STREET": ["已由居委会上门协调，邻里双方达成谅解", "已由街道网格员现场处置，结果已告知诉求人"],
}


@dataclass
class Step:
    kind: str                       # a workflow move's action, or one of the other steps below
    at: datetime
    data: dict = field(default_factory=dict)


@dataclass
class Plan:
    complaint: object
    officer: object                 # who handles it (None while unassigned)
    opener: object
    steps: list[Step] = field(default_factory=list)
    slow: bool = False
    kind: str = "case"              # or "return" (退单) / "department" (改派部门): sent here wrongly


# --- officers ------------------------------------------------------------------------------------

def _officers(rng: random.Random, tally) -> dict[int, list]:
    """Every street gets one more officer (zf_<street code>), so each has someone; the demo logins
    `officer` and `officer2` come first in their own streets."""
    import secrets

    from accounts.choices import Role
    from accounts.models import User
    from accounts.services import user_create
    from demo import district
    from registry.models import Street

    streets = list(Street.objects.order_by("code", "name"))
    for street in streets:
        # two officers holding certificates in every street (行政处罚法 §42): a second one where no demo login works
        usernames = [f"{OFFICER_PREFIX}{street.code or street.pk}"]
        if not User.objects.filter(role=Role.OFFICER, is_active=True, streets=street).exclude(
                username__startswith=OFFICER_PREFIX).exists():
            usernames.append(f"{OFFICER_PREFIX}{street.code or street.pk}_2")
        for username in usernames:
            if not User.objects.filter(username=username).exists():
                user_create(username=username, password=secrets.token_urlsafe(24), role=Role.OFFICER,
                            display_name=f"{district.person_name(rng)}（执法队员）", streets=[street])
                tally.add("执法队员 officers", "created")
    penalty.certify()
    by_street: dict[int, list] = defaultdict(list)
    officers = User.objects.filter(role=Role.OFFICER, is_active=True).prefetch_related("streets")
    for user in sorted(officers, key=lambda u: (u.username.startswith(OFFICER_PREFIX), u.username)):
        for street in user.streets.all():
            by_street[street.pk].append(user)
    return by_street


# --- the plans -----------------------------------------------------------------------------------

class Clock:
    """Office hours over the working-day calendar (cases.calendar)."""

    def __init__(self, rng: random.Random):
        from core import calendar

        self.rng, self.calendar = rng, calendar
        self.tz = timezone.get_current_timezone()

    def at(self, day: date, earliest: time = time(8, 45)) -> datetime:
        minutes = self.rng.randint(earliest.hour * 60 + earliest.minute, 17 * 60 + 30)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)

    def after(self, moment: datetime, days: int) -> datetime:
        """`days` working days after `moment` (0: later the same working day, or the next one)."""
        local = timezone.localtime(moment)
        if days <= 0:
            later = local + timedelta(minutes=self.rng.randint(20, 240))
            if later.time() <= time(18, 0) and self.calendar.is_working_day(later.date()):
                return later
            days = 1
        return self.at(self.calendar.add_working_days(local.date(), days))

    def deadline(self, moment: datetime, days: int) -> date:
        return self.calendar.add_working_days(timezone.localtime(moment).date(), days)


def _weighted(rng, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]


def _delay(rng, allowed: int | None, slow: bool) -> int:
    """Working days a step takes in a stage that allows `allowed`: mostly well within it."""
    allowed = 3 if allowed is None else allowed
    if slow:
        return allowed + rng.randint(2, 12)
    return min(allowed, int(rng.triangular(0, allowed + 0.99, 0.3 * allowed)))


def _measures(rng, code: str, in_progress: bool, path: str) -> tuple[list[str], list[str]]:
    """(decision's measures, measures recorded as done at closing) per seed 001 §二 (cases.rules)."""
    fine = path == "execute" or rng.random() < 0.3
    if code == "ILLEGAL_CONSTRUCTION":
        if in_progress:
            return (["STOP", "DEMOLISH", "FINE"] if fine else ["STOP", "DEMOLISH"]), ["STOP", "DEMOLISH"]
        options = [["ORDER_CORRECT", "DEMOLISH"], ["ORDER_CORRECT", "RESTORE"], ["ANNOTATE", "FINE"],
                   ["ORDER_CORRECT", "DEMOLISH", "FINE"]]
        chosen = rng.choices(options, weights=[5, 2, 2, 2])[0]
        return chosen, [m for m in chosen if m in {"DEMOLISH", "RESTORE"}]
    if code == "STRUCTURE_DAMAGE":
        return (["ORDER_CORRECT", "RESTORE", "FINE"] if fine else ["ORDER_CORRECT", "RESTORE"]), ["RESTORE"]
    if code == "HOUSEHOLD_WASTE":
        return ["EDUCATE"], []
    if code == "GROUP_RENTING":
        return ["ORDER_CORRECT"], []
    base = ["ORDER_CORRECT"]
    if code in {"COMMON_AREA_OCCUPATION", "FACADE_DAMAGE", "USE_CHANGE", "GREEN_DAMAGE"} and rng.random() < 0.4:
        base.append("RESTORE")
    return (base + ["FINE"] if fine and code in FINE_YUAN else base), []


def _parties(rng, code: str, community) -> list[dict]:
    from demo import district

    def person(role):
        return {"role": role, "name": district.person_name(rng), "phone": district.mobile(rng)}

    if code == "PROPERTY_NEGLIGENCE":
        company = community.property_company
        return [{"role": "PROPERTY_COMPANY", "kind": "ORGANISATION", "name": company.name,
                 "id_number": company.credit_code, "property_company": company}]
    if code == "GROUP_RENTING":
        agency_name = f"上海{rng.choice('安居佳家德诚')}房地产经纪有限公司"
        agency = ({"role": "AGENCY", "kind": "ORGANISATION", "name": agency_name}
                  if rng.random() < 0.5 else person("AGENT"))
        return [person("OWNER"), person("TENANT"), agency]
    return [person(rng.choice(["OWNER", "OWNER", "USER"]))]


def _plan(complaint, rng, clock: Clock, officers: dict, lead, duty_codes: set, now: datetime,
          quota: dict | None = None) -> Plan | None:
    """The plan of one complaint. `quota`: how many plans may still take the rarer fates (penalty.QUOTA: hearings,
    court enforcement, fines left overdue); taken as they are given (none without it)."""
    vt = complaint.violation_type
    code = vt.code
    community = complaint.community
    with_company = community is not None and community.property_company_id is not None
    if code == "PROPERTY_NEGLIGENCE" and not with_company:
        return None  # no company to name as the party
    duty = code in duty_codes and with_company
    staff = officers.get(complaint.street_id) or []
    if not staff:
        return None
    officer = staff[0] if rng.random() < 0.8 or len(staff) == 1 else rng.choice(staff[1:])
    draw = rng.random()
    if complaint.channel == "HOTLINE" and draw < sum(WRONGLY_SENT.values()):
        kind = "return" if draw < WRONGLY_SENT["return"] or code not in REFER_TO else "department"
        at = clock.after(complaint.received_at, rng.choice([0, 1, 1, 2]))
        plan = Plan(complaint=complaint, officer=officer, opener=officer, kind=kind)
        if kind == "return":
            plan.steps.append(Step("return", at, {"reason": rng.choice(RETURN_REASONS)}))
        else:
            department = REFER_TO[code]
            plan.steps.append(Step("department", at, {"department": department, "reason": REFER_REASONS[department]}))
            signed = clock.after(at, rng.choice([0, 1, 2]))
            answered = clock.after(signed, rng.choice([1, 2, 3, 5]))
            plan.steps += [Step("sign", signed), Step("answer", answered, {"answer": ANSWERS[department]})]
        return plan
    if rng.random() < UNTOUCHED_SHARE:
        return None
    share = OPEN_SHARE_CHANNEL.get(complaint.channel, OPEN_SHARE_DUTY if duty else OPEN_SHARE)
    if rng.random() >= share:
        result, text, _weight = rng.choices(SETTLED, weights=[row[2] for row in SETTLED])[0]
        at = clock.after(complaint.received_at, rng.choice([0, 0, 1, 1, 2, 3]))
        return Plan(complaint=complaint, officer=officer, opener=officer, kind="settle",
                    steps=[Step("settle", at, {"result": result, "reply": text})])
    days = dict(vt.stage_deadlines or {})
    slow = rng.random() < SLOW_SHARE
    slow_stage = rng.choice(["VERIFY", "FILE", "INVESTIGATE", "DECIDE", "REVIEW"]) if slow else ""
    opened_by_lead = rng.random() < LEAD_OPENS_SHARE
    plan = Plan(complaint=complaint, officer=None if opened_by_lead else officer,
                opener=lead if opened_by_lead else officer, slow=slow)
    steps = plan.steps
    received = complaint.received_at
    start = clock.after(received, 0 if complaint.channel == "PATROL" else rng.choice([0, 0, 1]))
    steps.append(Step("open", start))
    at = start
    if opened_by_lead:
        at = clock.after(at, 0)
        steps.append(Step("claim" if rng.random() < 0.5 else "assign", at, {"officer": officer}))

    building_now = any(word in complaint.content for word in BEING_BUILT)
    in_progress = code == "ILLEGAL_CONSTRUCTION" and rng.random() < (IN_PROGRESS_SHARE if building_now else 0.05)
    if in_progress:
        days["VERIFY"] = 0  # cases.rules: being built — verified the same day
        at = clock.after(at, 0)
        steps.append(Step("in_progress", at, {"reason": "接报称正在施工，现场仍有工人作业"}))

    def next_at(stage: str, prev: datetime) -> datetime:
        late = slow and stage == slow_stage
        moment = clock.after(prev, _delay(rng, days.get(stage), late))
        if late and days.get(stage) is not None:  # overdue in this stage: the lead issues 督办
            _add_supervision(plan, rng, clock, lead, clock.deadline(prev, int(days[stage])), moment)
        return moment

    at = next_at("VERIFY", at)
    steps.append(Step("start_verification", at))
    path = _weighted(rng, OUTCOMES_DUTY if duty else OUTCOMES)
    if in_progress:
        path = "execute"
    if path == "refer" and code not in REFER_TO:
        path = "dismiss"
    if path == "dismiss":
        photo = {"photo": "before"} if rng.random() < 0.93 else {}  # the rest count as closed without evidence
        steps.append(Step("dismiss", next_at("VERIFY", at), {"reason": rng.choice(DISMISS_REASONS), **photo}))
        steps.sort(key=lambda step: step.at)
        return plan
    if path == "refer":
        department = REFER_TO[code]
        at = next_at("VERIFY", at)
        steps.append(Step("refer", at, {"department": department, "reason": REFER_REASONS[department]}))
        if rng.random() < 0.92:
            signed = clock.after(at, rng.choice([0, 1, 1, 2, 4]))
            steps.append(Step("sign", signed))
            if rng.random() < 0.9:
                steps.append(Step("answer", clock.after(signed, rng.choice([1, 2, 3, 4, 6, 8])),
                                  {"answer": ANSWERS[department]}))
        steps.sort(key=lambda step: step.at)
        return plan

    at = next_at("VERIFY", at)
    parties = _parties(rng, code, community)
    party_name = parties[0]["name"]
    colleague = next((user for user in staff if user.pk != getattr(officer, "pk", None)), None)
    if (path == "execute" and not in_progress and code in penalty.SUMMARY_TYPES and colleague is not None
            and rng.random() < penalty.SUMMARY_SHARE):
        # two officers decide on the spot too (行政处罚法 §42): the street's other officer goes along
        steps.append(Step("co_officer", at, {"officer": colleague}))
        return _summary(plan, rng, clock, at, parties)
    steps.append(Step("file", at, {"photo": "before"}))
    filed_on = timezone.localtime(at).date()
    if plan_co := _co_officer(rng, staff, officer):
        steps.append(Step("co_officer", at + timedelta(minutes=10), {"officer": plan_co}))
    at = next_at("FILE", at + timedelta(minutes=10))
    steps.append(Step("investigate", at))
    at = clock.after(at, rng.choice([0, 1, 2]))
    steps.append(Step("parties", at, {"parties": parties}))
    measures, done = _measures(rng, code, in_progress, path)
    fine = None
    if "FINE" in measures:
        fine = penalty.choose_fine(rng, code, parties[0].get("kind", "PERSON"))
        if fine is None:  # no fine range on record (待核实): not fined in the demo
            measures = [m for m in measures if m != "FINE"]
    at = next_at("INVESTIGATE", at)
    found = penalty.findings(rng, code, community, timezone.localtime(at).date(), party_name)
    served_on = None
    if fine is not None:
        approved, served_on = penalty.general(
            add=lambda kind, moment, data: steps.append(Step(kind, moment, data)), rng=rng, clock=clock, at=at,
            filed_on=filed_on, measures=measures, findings_text=found, fine=fine,
            hearing=_hearing(quota, fine, at, now), defences=quota and quota["defences"])
        decided = approved
        at = steps[-1].at  # the decision served
    else:
        steps.append(Step("decide", at, {"measures": measures, "findings": found,
                                         "reason": "经调查取证，违法事实清楚"}))
        decided = at
    documents = decided >= now - DOCUMENTS_FOR  # the decision documents of the last weeks are on file
    corrective = bool(set(measures) & {"ORDER_CORRECT", "RESTORE", "DEMOLISH"})

    if path == "execute" or in_progress:
        if documents and corrective:
            steps.append(Step("document", decided + ISSUED_AFTER, {"kind": "ORDER_CORRECT",
                                                                  "rectify_due": clock.deadline(decided, 3)}))
        if fine is not None:
            fate = _fate(quota, served_on, now)
            at = _payment(steps, rng, clock, at, served_on, fate, court_closes=quota is None or quota["court"] > 0)
            if at is None:  # overdue, or at the court: the case is not closed by a payment
                steps.sort(key=lambda step: step.at)
                return plan
        at = next_at("DECIDE", at)
        reason = CLOSE_REASONS.get(next((m for m in measures if m in CLOSE_REASONS), "FINE"), "执行完毕")
        steps.append(Step("close_executed", at, {"reason": reason, "measures_done": done}))
    else:
        at = next_at("DECIDE", at)
        rectify_days = int(days.get("RECTIFY") or 15)
        steps.append(Step("order_rectification", at, {"rectify_days": rectify_days}))
        if documents and corrective:  # 责令改正通知书 states the same deadline
            steps.append(Step("document", decided + ISSUED_AFTER, {
                "kind": "ORDER_CORRECT", "rectify_due": clock.deadline(at, rectify_days)}))
        if fine is not None:  # paid within the rectification period
            steps.append(Step("pay", clock.after(at, rng.randint(1, max(1, rectify_days - 1)))))
        review = clock.after(at, rectify_days + (rng.randint(1, 3) if rng.random() < 0.15 else 0))
        steps.append(Step("review", review))
        at = next_at("REVIEW", review)
        refused = code == "HOUSEHOLD_WASTE" and rng.random() < 0.3
        waste_fine = penalty.choose_fine(rng, code) if refused else None
        if waste_fine is not None:  # 拒不整改: back to the investigation, then the notice and the fine
            steps.append(Step("escalate_penalty", at, {"reason": "复查仍未按规定分类投放，拒不整改"}))
            at = clock.after(at, rng.choice([1, 2]))
            found = penalty.findings(rng, code, community, timezone.localtime(at).date(), party_name)
            penalty.general(add=lambda kind, moment, data: steps.append(Step(kind, moment, data)), rng=rng,
                            clock=clock, at=at, filed_on=filed_on, measures=["ORDER_CORRECT", "FINE"],
                            findings_text=found, fine=waste_fine)
            at = clock.after(steps[-1].at, rng.randint(2, 8))
            steps.append(Step("pay", at))
            steps.append(Step("close_executed", clock.after(at, 1), {"reason": "罚款已缴纳", "measures_done": []}))
        else:
            steps.append(Step("close_rectified", at, {"photo": "after", "measures_done": done,
                                                      "reason": "复查整改到位"}))
    if rng.random() < REOPEN_SHARE and plan.steps[-1].kind in {"close_rectified", "close_executed"}:
        _add_reopening(plan, rng, clock, days)
    plan.steps.sort(key=lambda step: step.at)  # 督办 falls inside the stage it is about
    if start >= now - STALL_WITHIN and rng.random() < STALLED_SHARE:
        _stall(plan, rng, clock, lead, days)
    return plan


def _co_officer(rng, staff: list, officer):
    """协办队员: another officer of the street (None when the street has only one)."""
    others = [user for user in staff if user.pk != getattr(officer, "pk", None)]
    return rng.choice(others) if others else None


def _summary(plan: Plan, rng, clock: Clock, at: datetime, parties: list[dict]) -> Plan:
    """简易程序: a small fine decided on the spot from the verification (no 立案, notice or hearing), paid within
    the 15 days, then closed."""
    code = plan.complaint.violation_type.code
    steps = plan.steps
    fine = penalty.choose_fine(rng, code, summary=True)
    steps.append(Step("parties", at, {"parties": parties}))
    found = penalty.findings(rng, code, plan.complaint.community, timezone.localtime(at).date(), parties[0]["name"])
    steps.append(Step("summary_penalty", at + timedelta(minutes=10),
                      {"findings": found, "fine": fine, "photo": "before", "reason": "违法事实确凿，当场作出罚款决定"}))
    paid = clock.after(at, rng.randint(0, 6))
    steps.append(Step("pay", paid))
    steps.append(Step("close_executed", clock.after(paid, rng.choice([0, 1])),
                      {"reason": "罚款已缴纳，执行完毕", "measures_done": []}))
    steps.sort(key=lambda step: step.at)
    return plan


def _take(quota: dict | None, name: str) -> bool:
    if quota is None or quota.get(name, 0) <= 0:
        return False
    quota[name] -= 1
    return True


def _hearing(quota: dict | None, fine, notify: datetime, now: datetime) -> bool:
    """One old hearing, and one of the last days still waiting for its hearing, among the fines that offer one."""
    if quota is None or not penalty.offers_hearing(fine):
        return False
    if notify <= now - timedelta(days=45):
        return _take(quota, "hearing_old")
    if now - timedelta(days=14) <= notify <= now - timedelta(days=4):
        return _take(quota, "hearing_recent")
    return False


def _fate(quota: dict | None, served_on: date, now: datetime) -> str:
    """What happens to a served fine: paid in time (mostly), paid after a 催告, left overdue (a few of the last
    months'), or taken to the court (a few served six to nine months ago)."""
    today = timezone.localtime(now).date()
    due = served_on + timedelta(days=15)
    if today - timedelta(days=270) <= served_on <= today - timedelta(days=195) and _take(quota, "court"):
        return "court"
    if today - timedelta(days=150) <= due <= today - timedelta(days=5) and _take(quota, "overdue"):
        return "overdue"
    return "paid"


def _payment(steps: list, rng, clock: Clock, at: datetime, served_on: date, fate: str, court_closes: bool):
    """The payment of a served decision (or the 催告 and the court); returns the moment it was paid, None when
    it was not (left overdue, or at the court)."""
    from cases import penalties

    due = penalties.payment_due(served_on)
    if fate == "paid" and rng.random() < 0.85:
        paid = clock.after(at, rng.randint(1, 9))
        if timezone.localtime(paid).date() <= due:
            steps.append(Step("pay", paid))
            return paid
    urged = clock.at(clock.calendar.add_working_days(due, rng.randint(1, 4)))
    steps.append(Step("urge_payment", urged, {"served_on": timezone.localtime(urged).date()}))
    if fate == "overdue":
        return None
    if fate == "court":
        first, _last = penalties.court_window(served_on)
        applied = clock.at(clock.calendar.add_working_days(first, rng.randint(1, 8)))
        steps.append(Step("apply_court", applied, {"by": "lead", "court": penalty.COURT,
                                                   "reason": "当事人逾期不缴纳罚款，经催告仍不履行，申请强制执行"}))
        if court_closes:
            steps.append(Step("close_enforced", clock.after(applied, rng.randint(25, 50)),
                              {"reason": "人民法院裁定准予强制执行，罚款及加处罚款已执行到位"}))
        return None
    paid = clock.after(urged, rng.randint(2, 8))  # paid after the 催告
    steps.append(Step("pay", paid))
    return paid


# The procedure's states each role's pages show work in: at least this many cases wait in each now.
WAITING = {"NOTICE": 2, "DEFENCE": 2, "HEARING": 1, "LEGAL_REVIEW": 2, "APPROVAL": 2, "ENFORCING": 1}


def plan_states(steps: list[Step]) -> list[str]:
    """The state a case is in after each of `steps` (the workflow table's targets; other steps keep it)."""
    from cases import workflow

    state, states = "", []
    for step in steps:
        if step.kind == "open":
            state = "REGISTERED"
        else:
            move = workflow.find(state, step.kind)
            if move is not None:
                state = move.target
        states.append(state)
    return states


def _hold(plans: list[Plan], rng, now: datetime):
    """Cases waiting in each state of the procedure (WAITING): when too few are there by chance, the newest
    cases that passed through one stop there (the next step has not been taken yet)."""
    waiting = Counter()
    passing = defaultdict(list)  # state → [(plan, index of the step that entered it)], newest first
    for plan in reversed(plans):
        if plan.kind != "case":
            continue
        done = performed(plan, now)
        states = plan_states(done)
        if states:
            waiting[states[-1]] += 1
        for index, state in enumerate(states):
            if state in WAITING and (index == 0 or states[index - 1] != state):
                passing[state].append((plan, index))
    held = set()
    for state, wanted in WAITING.items():
        for plan, index in passing[state]:
            if waiting[state] >= wanted:
                break
            if id(plan) in held:
                continue
            current = plan_states(performed(plan, now))[-1]
            if current == state:
                continue
            plan.steps[:] = plan.steps[:index + 1]
            held.add(id(plan))
            waiting[current] -= 1
            waiting[state] += 1


def _stall(plan: Plan, rng, clock: Clock, lead, days: dict):
    """A case that got stuck: nothing happens after one of its moves, so it is overdue today and the lead
    has issued 督办 (answered or not)."""
    from cases import workflow

    targets = {m.action: m.target for m in workflow.MOVES}
    stops = [i for i, step in enumerate(plan.steps)
             if step.kind in {"start_verification", "file", "investigate", "decide", "review"}]
    if not stops:
        return
    cut = rng.choice(stops)
    stop = plan.steps[cut]
    kept = plan.steps[:cut + 1]
    for step in plan.steps[cut + 1:]:
        if step.kind not in {"parties", "fine", "document"}:
            break
        kept.append(step)
    stage = workflow.STATE_STAGE.get(targets[stop.kind])
    plan.steps[:] = [step for step in kept if step.kind not in {"supervise", "respond"}]
    plan.slow = True
    if stage in days:
        _add_supervision(plan, rng, clock, lead, clock.deadline(stop.at, int(days[stage])),
                         stop.at + timedelta(days=3650), answered=0.5)
        plan.steps.sort(key=lambda step: step.at)


REOPENED_FINDINGS = "经查，该处违法行为结案后回潮，执法人员复查时现场拍照取证，当事人承认上述事实。"


def _add_reopening(plan: Plan, rng, clock: Clock, days: dict):
    """回潮: found again within 90 days of closing, verified, filed and taken to closing again."""
    closed = plan.steps[-1].at
    at = clock.after(closed, rng.randint(8, 55))
    steps = plan.steps
    steps.append(Step("reopen", at, {"reason": "回头看复查发现违法行为回潮"}))
    at = clock.after(at, rng.randint(0, 2))
    steps.append(Step("file", at, {"photo": "before"}))
    at = clock.after(at, rng.randint(1, 3))
    steps.append(Step("investigate", at))
    measures = [m for m in next(s for s in steps if s.kind in {"decide", "notify"}).data["measures"] if m != "FINE"]
    if plan.complaint.violation_type.code == "HOUSEHOLD_WASTE":
        measures = ["EDUCATE"]
    at = clock.after(at, rng.randint(2, 8))
    steps.append(Step("decide", at, {"measures": measures or ["ORDER_CORRECT"], "reason": "回潮，再次责令整改",
                                     "findings": REOPENED_FINDINGS}))
    at = clock.after(at, rng.randint(1, 3))
    steps.append(Step("order_rectification", at, {"rectify_days": int(days.get("RECTIFY") or 15)}))
    review = clock.after(at, int(days.get("RECTIFY") or 15))
    steps.append(Step("review", review))
    done = next(s for s in steps if s.kind in {"close_rectified", "close_executed"}).data.get("measures_done", [])
    steps.append(Step("close_rectified", clock.after(review, rng.randint(0, 3)),
                      {"photo": "after", "measures_done": done, "reason": "回潮问题已整改到位"}))


def _add_supervision(plan: Plan, rng, clock: Clock, lead, due: date, done: datetime, answered: float = 1.0):
    """督办 of a case past its stage deadline: issued a few working days after it, while the stage is still
    open, and (mostly) answered by the case's officer."""
    issued = clock.at(clock.calendar.add_working_days(due, rng.randint(1, 3)))
    if issued >= done:
        return
    supervise = Step("supervise", issued, {"lead": lead})
    plan.steps.append(supervise)
    if rng.random() < answered:  # an answer due after today leaves it open
        # The answer names its own order: two orders in one stage may interleave once the steps are sorted.
        plan.steps.append(Step("respond", clock.after(issued, rng.randint(0, 3)), {"order": supervise}))


# --- running a plan ------------------------------------------------------------------------------

def performed(plan: Plan, now: datetime) -> list[Step]:
    """The steps of `plan` that have happened by `now`, in order: those before it, up to the first that lies
    at or after it (that one has not happened yet, nor has anything after it). None at all when the first has
    not — a case not opened yet leaves its complaint waiting where it is."""
    done = []
    for step in plan.steps:
        if step.at >= now:
            break
        done.append(step)
    return done


def reply_at(closed: datetime, now: datetime) -> datetime:
    """When the 12345 reply of a case ended at `closed` was made: two hours later, or halfway to `now` when
    that would be after it."""
    later = closed + timedelta(hours=2)
    return later if later < now else closed + (now - closed) / 2


def _png(seed: int, tone: str) -> bytes:
    """A small site photo stand-in: two colour bands (before: warm, after: green), one per case."""
    rng = random.Random(seed)
    base = (190, 90, 60) if tone == "before" else (70, 150, 90)
    top = tuple(max(0, min(255, c + rng.randint(-30, 30))) for c in base)
    bottom = tuple(max(0, min(255, c // 2 + rng.randint(0, 40))) for c in base)
    width, height = 96, 64

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(top if y < height * 2 // 3 else bottom) * width for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


class Runner:
    """Runs a plan's past steps through the services and notes, per row made, the time it belongs to."""

    def __init__(self, *, lead, departments: dict, dept_users: dict, now: datetime, clock: Clock, rng, legal=None):
        self.lead, self.departments, self.dept_users, self.now, self.clock = lead, departments, dept_users, now, clock
        self.rng = rng
        self._legal = legal                         # the legal reviewer (penalty.legal_reviewer when first needed)
        self.fines: dict[int, penalty.Fine] = {}    # case pk → the fine its notice intends
        self.updates = backdate.Stamps()           # (model, pk) → {field: value}
        self.rectify: dict[int, date] = {}          # case pk → the rectification deadline of its planned day
        self.stamps: dict[int, list[datetime]] = {}  # case pk → times of its timeline rows, in order
        self.made: Counter = Counter()

    def stamp(self, model, pk, **values):
        self.updates.stamp(model, pk, **values)

    def run(self, plan: Plan):
        """Perform the steps of `plan` that lie before `self.now`; returns the case (None if not opened yet)."""
        steps = performed(plan, self.now)
        if plan.kind != "case":
            return self._wrongly_sent(plan, steps)
        if not steps:
            return None
        from cases import services
        from cases.models import EnforcementCase

        officer = plan.officer
        complaint = plan.complaint
        # a case opened last year takes last year's number (the service numbers by the opening's year)
        marks = backdate.complaint_marks()
        with time_machine.travel(steps[0].at, tick=False):
            case = services.case_open_from_complaint(complaint=complaint, actor=plan.opener, officer=officer,
                                                     opened_at=steps[0].at)
        marks = backdate.complaints_moved(self.updates, marks, steps[0].at)  # 立案 of its complaint
        times = [steps[0].at]
        referral = None
        orders = {}  # id of a supervise step → the order it made
        for step in steps[1:]:
            # each step is made at the moment it stands for: the workflow checks its dates against that day
            with time_machine.travel(step.at, tick=False):
                officer, case = self._step(plan, case, officer, step, times, orders)
                if step.kind in {"sign", "answer"}:
                    referral = self._department_step(referral, step)
                elif step.kind == "refer":
                    referral = self._referred(case.referrals, step)
            marks = backdate.complaints_moved(self.updates, marks, step.at)  # 结案 of its complaints, 反馈
        case = EnforcementCase.objects.get(pk=case.pk)
        self.stamps[case.pk] = times
        self.made["cases"] += 1
        return case

    @property
    def legal(self):
        if self._legal is None:
            self._legal = penalty.legal_reviewer()
        return self._legal

    def _step(self, plan: Plan, case, officer, step: Step, times: list, orders: dict):
        """One step of a case's plan; returns (its officer, the case)."""
        from cases import fines, services
        from cases.models import SupervisionOrder

        kind, data = step.kind, step.data
        actor = officer or self.lead
        if kind in {"claim", "assign"}:
            officer = data["officer"]
            case = services.case_assign(case=case, officer=officer, actor=officer if kind == "claim" else self.lead,
                                        version=case.version)
            times.append(step.at)
            if kind == "assign":
                self._notified(officer, step.at)
        elif kind == "co_officer":  # 协办队员, named by the case's officer (the lead when it has none)
            case = services.case_set_co_officer(case=case, co_officer=data["officer"], actor=actor,
                                                version=case.version)
            times.append(step.at)
            self._notified(data["officer"], step.at)
        elif kind == "in_progress":
            case = services.case_set_in_progress(case=case, in_progress=True, actor=actor, reason=data["reason"],
                                                 version=case.version)
            times.append(step.at)
        elif kind == "parties":
            for party in data["parties"]:
                services.party_add(case=case, actor=actor, **party)
        elif kind == "pay":
            for fine in case.fines.filter(status="UNPAID").order_by("pk"):
                fines.fine_record_payment(fine=fine, actor=actor, status="PAID")
        elif kind in {"sign", "answer"}:
            pass  # the caller's: the referral it follows
        elif kind == "document":
            from cases import documents
            from cases.models import Document

            extra = {"rectify_due": data["rectify_due"]} if "rectify_due" in data else {}
            # the officer has checked the articles still marked 待核实 and issues the document marked so
            extra["confirm_unverified"] = True
            document = documents.document_issue(case=case, kind=data["kind"], actor=actor, extra=extra,
                                                issued_on=timezone.localtime(step.at).date())
            self.stamp(Document, document.pk, issued_at=step.at)
        elif kind == "supervise":
            order = services.supervision_issue(case=case, actor=data["lead"],
                                               instruction="该案已超过本阶段办理期限，请于3个工作日内办结并回复")
            self.stamp(SupervisionOrder, order.pk, issued_at=step.at,
                       response_due=services.supervision_response_due(timezone.localtime(step.at).date()))
            orders[id(step)] = order
        elif kind == "respond":
            order = orders[id(data["order"])]
            services.supervision_respond(order=order, actor=actor, response="已加快办理，近日完成并回复")
            self.stamp(SupervisionOrder, order.pk, responded_at=step.at)
        else:
            by = data.get("by")
            mover = self.lead if by == "lead" else self.legal if by == "legal" else actor
            case = self._move(case, step, mover)
            times.append(step.at)
            if kind in REPLIES:
                self._reply(case.complaints.all(), mover, step)
        return officer, case

    def _referred(self, referrals_qs, step: Step):
        from cases import referrals
        from cases.models import Referral

        referral = referrals_qs.select_related("department").exclude(status="WITHDRAWN").get()
        due = referrals.answer_due(timezone.localtime(step.at).date())
        self.stamp(Referral, referral.pk, created_at=step.at, updated_at=step.at, due=due)
        return referral

    def _department_step(self, referral, step: Step):
        """签收 / 反馈 by the department's demo user (departments without one leave it pending)."""
        from cases import referrals
        from cases.models import Referral

        user = self.dept_users.get(referral.department.code)
        if user is None:
            return referral
        if step.kind == "sign":
            referrals.referral_sign(referral=referral, actor=user)
            self.stamp(Referral, referral.pk, signed_at=step.at, updated_at=step.at)
        else:
            referrals.referral_answer(referral=referral, actor=user, answer=step.data["answer"])
            self.stamp(Referral, referral.pk, answered_at=step.at, updated_at=step.at)
        return Referral.objects.select_related("department").get(pk=referral.pk)

    def _reply(self, complaints, actor, step: Step):
        """答复 of the case's 12345 orders when it ends, with the caller's satisfaction for most."""
        from intake import hotline
        from intake.models import HotlineReply

        result, text = REPLIES[step.kind]
        for complaint in complaints:
            if complaint.channel != "HOTLINE":
                continue
            satisfaction = _weighted(self.rng, SATISFACTION) if self.rng.random() < 0.85 else ""
            reply = hotline.reply_record(complaint=complaint, actor=actor, reply=text, result=result,
                                         satisfaction=satisfaction)
            self.stamp(HotlineReply, reply.pk, replied_at=reply_at(step.at, self.now))
            self.made["replies"] += 1

    def _notified(self, officer, at: datetime):
        from accounts.models import Notification

        note = Notification.objects.filter(user=officer, kind="case_assigned").order_by("-pk").first()
        if note is not None:
            self.stamp(Notification, note.pk, created_at=at)
            if at < self.now - timedelta(days=3):
                note.read_by.add(officer)

    def _wrongly_sent(self, plan: Plan, steps: list[Step]):
        """A complaint handled without a case (intake.dispatch) at the planned time: 办结（未立案）, 退单 or
        改派部门. The 12345 orders that repeat it (its duplicates) are answered or returned with it."""
        from intake import dispatch
        from intake.models import Correction, HotlineReply

        complaint, officer = plan.complaint, plan.officer
        referral = None
        marks = backdate.complaint_marks()
        for step in steps:
            handled = [complaint]
            if step.kind in {"settle", "return"}:
                duplicates = complaint.duplicates.filter(case__isnull=True, status="DUPLICATE")
                if step.kind == "return":  # only 12345 orders go back to the hotline; a patrol's repeat stays
                    duplicates = duplicates.filter(channel="HOTLINE")
                handled += list(duplicates.order_by("received_at", "pk"))
            for item in handled:
                if step.kind == "settle":
                    satisfaction = _weighted(self.rng, SATISFACTION) if self.rng.random() < 0.8 else ""
                    dispatch.complaint_settle(complaint=item, actor=officer, reply=step.data["reply"],
                                              result=step.data["result"],
                                              satisfaction=satisfaction if item.channel == "HOTLINE" else "")
                elif step.kind == "return":
                    dispatch.complaint_return(complaint=item, actor=officer, reason=step.data["reason"])
                elif step.kind == "department":
                    dispatch.complaint_reroute_department(
                        complaint=item, actor=officer, department=self.departments[step.data["department"]],
                        reason=step.data["reason"])
                    referral = self._referred(item.referrals, step)
                    for pk in Correction.objects.filter(complaint=item).values_list("pk", flat=True):
                        self.stamp(Correction, pk, created_at=step.at)
                else:
                    referral = self._department_step(referral, step)
                    continue
                for pk in HotlineReply.objects.filter(complaint=item).values_list("pk", flat=True):
                    self.stamp(HotlineReply, pk, replied_at=step.at)
                self.made[plan.kind] += 1
            marks = backdate.complaints_moved(self.updates, marks, step.at)  # 办结 / 退单 / 改派, with its repeats


    def _move(self, case, step: Step, actor):
        from cases import services

        data = dict(step.data)
        data.pop("by", None)
        files = []
        fine = data.pop("fine", None)
        if fine is not None:  # the intended fine, on the case's party (known only now)
            self.fines[case.pk] = fine
            data["penalty"] = [fine.item(case.parties.order_by("pk").values_list("pk", flat=True).first())]
        if "lower_to" in data:  # a defence accepted in part: the same fine, lower
            fine = self.fines[case.pk]
            data["penalty"] = [fine.item(case.parties.order_by("pk").values_list("pk", flat=True).first(),
                                         data.pop("lower_to"))]
        if data.get("presider") == "legal":
            data["presider"] = self.legal
        if data.pop("proof", None):
            files.append(penalty.proof())
        if data.pop("photo", None):
            name = "复查照片.png" if step.data["photo"] == "after" else "现场核查照片.png"
            files.append(SimpleUploadedFile(name, _png(case.pk * 7 + len(step.kind), step.data["photo"]),
                                            content_type="image/png"))
        if "rectify_days" in data:
            days = data.pop("rectify_days")
            self.rectify[case.pk] = data["rectify_due"] = self.clock.deadline(step.at, days)
        case = services.case_transition(case=case, action=step.kind, actor=actor, version=case.version, files=files,
                                        **data)
        if "rectify_due" in data:  # the timeline states the deadline the case was given
            from cases.models import CaseTransition

            step_row = CaseTransition.objects.filter(case=case).order_by("-id").values("id", "payload").first()
            due = self.rectify[case.pk]
            self.stamp(CaseTransition, step_row["id"], payload={**step_row["payload"], "rectify_due": due.isoformat()})
        return case


# --- back-dating ---------------------------------------------------------------------------------

def _backdate(runner: Runner):
    """Restate what the runner made at the time its step was planned for. The steps ran at those moments
    (time_machine), so the services dated their rows themselves; this writes the rest: the timeline's times as
    planned, the evidence at its step, and each case's opening, last move and running deadline."""
    from cases import services
    from cases.models import CaseTransition, EnforcementCase, Evidence

    transitions = defaultdict(list)
    for row in CaseTransition.objects.filter(case_id__in=list(runner.stamps)).order_by("case_id", "id").values(
            "id", "case_id", "action", "from_state", "to_state"):
        transitions[row["case_id"]].append(row)
    for case_id, times in runner.stamps.items():
        rows = transitions[case_id]
        assert len(rows) == len(times), (case_id, rows, times)
        for row, at in zip(rows, times, strict=True):
            runner.stamp(CaseTransition, row["id"], at=at)
    by_transition = {}
    for model_key, values in list(runner.updates.items()):
        if model_key[0] is CaseTransition:
            by_transition[model_key[1]] = values["at"]
    for pk, transition_id in Evidence.objects.filter(transition_id__in=list(by_transition)).values_list(
            "pk", "transition_id"):
        runner.stamp(Evidence, pk, uploaded_at=by_transition[transition_id])
    runner.updates.apply()

    # the cases themselves: opened, last moved (events and recording steps keep the state), closed, and the
    # deadline now running
    for case in EnforcementCase.objects.filter(pk__in=list(runner.stamps)).select_related("violation_type"):
        times = runner.stamps[case.pk]
        entered = [at for row, at in zip(transitions[case.pk], times, strict=True)
                   if row["from_state"] != row["to_state"] or row["action"] == "register"][-1]
        rectify = runner.rectify.get(case.pk)
        if rectify:
            case.rectify_due = rectify
        case.state_due = services.stage_deadline(case, case.state, timezone.localtime(entered).date())
        backdate.restamp(EnforcementCase.objects.filter(pk=case.pk),
            created_at=times[0], updated_at=times[-1], state_entered_at=entered, state_due=case.state_due,
            rectify_due=case.rectify_due, closed_at=entered if case.closed_at else None)


# --- the step ------------------------------------------------------------------------------------

def seed(*, tally, progress=None, now: datetime | None = None) -> None:
    """`now`: the moment the demo is loaded (default: the clock's); nothing is dated at or after it."""
    now = now or timezone.now()
    _seed_cases(tally=tally, progress=progress, now=now)
    _seed_referrals(tally=tally, progress=progress, now=now)


def _seed_cases(*, tally, progress=None, now: datetime) -> None:
    from accounts.models import User
    from intake.choices import ComplaintStatus
    from intake.models import Complaint
    from registry.models import Department, ViolationType

    if User.objects.filter(username__startswith=OFFICER_PREFIX).exists():
        from cases.models import EnforcementCase

        tally.counts.setdefault(KIND, Counter())["unchanged"] += EnforcementCase.objects.count()
        return
    lead = User.objects.filter(username="lead").first()
    if lead is None:
        return
    rng = random.Random(SEED)
    officers = _officers(rng, tally)
    legal = penalty.legal_reviewer(tally)
    clock = Clock(rng)
    quota = penalty.quota()
    duty_codes = set(ViolationType.objects.filter(triggers_duty_check=True).values_list("code", flat=True))
    complaints = list(
        Complaint.objects.filter(status=ComplaintStatus.ROUTED, case__isnull=True, duplicate_of__isnull=True,
                                 street__isnull=False, violation_type__isnull=False,
                                 received_at__lt=now - LEAVE_RECENT)
        .exclude(violation_type__code="NON_ENFORCEMENT")
        .select_related("violation_type", "community__property_company", "street").order_by("received_at", "pk"))
    plans = [p for p in (_plan(c, rng, clock, officers, lead, duty_codes, now, quota) for c in complaints) if p]
    _hold(plans, rng, now)
    departments = {d.code: d for d in Department.objects.all()}
    dept_users = {u.department.code: u for u in User.objects.filter(role="DEPARTMENT", is_active=True,
                                                                     department__isnull=False)
                  .select_related("department").order_by("username")}
    runner = Runner(lead=lead, departments=departments, dept_users=dept_users, now=now, clock=clock, rng=rng,
                    legal=legal)
    for plan in (progress(plans, "案件 cases") if progress else plans):
        runner.run(plan)
    _backdate(runner)
    for kind, label in ((KIND, "cases"), ("12345答复 hotline replies", "replies"),
                        ("未立案办结 settled without a case", "settle"), ("退单 returned orders", "return"),
                        ("改派部门 re-routed orders", "department")):
        for _ in range(runner.made[label]):
            tally.add(kind, "created")


# --- matters referred to their departments -----------------------------------------------------------

def _liaisons(tally) -> dict[str, object]:
    """The user who signs and answers each department's referrals: its demo login, else a liaison added here
    (bm_<code>, a colleague rather than a login)."""
    import secrets

    from accounts.choices import Role
    from accounts.models import User
    from accounts.services import user_create
    from demo import district
    from registry.models import Department

    rng = random.Random(SEED + 7)
    users = {}
    for user in (User.objects.filter(role=Role.DEPARTMENT, is_active=True, department__isnull=False)
                 .select_related("department").order_by("username")):
        users.setdefault(user.department.code, user)
    for department in Department.objects.exclude(code="CHENGGUAN").order_by("code"):
        if department.code in users:
            continue
        users[department.code] = user_create(
            username=f"{LIAISON_PREFIX}{department.code.lower()}", password=secrets.token_urlsafe(24),
            role=Role.DEPARTMENT, display_name=f"{district.person_name(rng)}（{department.name}）",
            department=department)
        tally.add("部门联络员 department liaisons", "created")
    return users


def _triagers(lead) -> dict[int, object]:
    """Who confirms a street's clues: its first officer, in the cases step's order (demo logins first)."""
    from accounts.choices import Role
    from accounts.models import User

    by_street: dict[int, object] = {}
    officers = User.objects.filter(role=Role.OFFICER, is_active=True).prefetch_related("streets")
    for user in sorted(officers, key=lambda u: (u.username.startswith(OFFICER_PREFIX), u.username)):
        for street in user.streets.all():
            by_street.setdefault(street.pk, user)
    return by_street


def referral_times(complaint, clock: Clock, now: datetime):
    """When the bureau confirmed (and so referred) `complaint`, its department signed and answered: each None
    when it has not happened by `now`. Drawn from `clock.rng`; (None, None, None) when it still waits."""
    rng = clock.rng
    if rng.random() >= CONFIRM_SHARE:
        return None, None, None  # still waiting in the queue
    sent = clock.after(complaint.received_at, rng.choice(CONFIRM_AFTER))
    if sent >= now:
        return None, None, None
    signed = clock.after(sent, rng.choice(SIGN_AFTER))
    answered = clock.after(signed, rng.choice(ANSWER_AFTER))
    if sent >= now - PENDING_WITHIN and rng.random() < PENDING_SHARE:
        # unsigned, or signed and not answered yet: overdue once the deadline has passed
        answered = None
        if rng.random() < 0.4:
            signed = None
    if signed is not None and signed >= now:
        signed = answered = None
    if answered is not None and answered >= now:
        answered = None
    return sent, signed, answered


def _seed_referrals(*, tally, progress=None, now: datetime) -> None:
    """Confirm and refer the non-enforcement matters waiting 待移交, and have their departments sign and answer,
    each at its planned time (see the module's docstring)."""
    from accounts.models import User
    from cases import referrals
    from cases.models import Referral
    from intake import services as intake_services
    from intake.choices import ComplaintStatus, DecisionSource
    from intake.models import Complaint

    lead = User.objects.filter(username="lead").first()
    if lead is None:
        return
    waiting = list(Complaint.objects.filter(
        status=ComplaintStatus.REFERRED, type_source=DecisionSource.MODEL, case__isnull=True,
        duplicate_of__isnull=True, department__isnull=False, referrals__isnull=True,
        received_at__lt=now - LEAVE_RECENT).order_by("received_at", "pk"))
    if not waiting:
        return
    liaisons = _liaisons(tally)
    triagers = _triagers(lead)
    clock = Clock(random.Random(SEED))
    updates = backdate.Stamps()
    started = timezone.now()
    times: dict[int, list[datetime]] = {}  # referral pk → when it was sent, signed, answered
    marks = backdate.complaint_marks()  # the complaints' moves and history rows written since: dated per step
    for complaint in (progress(waiting, "移交 referrals") if progress else waiting):
        rng = clock.rng = random.Random(f"{SEED}:{complaint.external_no or complaint.pk}")
        sent, signed, answered = referral_times(complaint, clock, now)
        if sent is None:
            continue
        intake_services.complaint_confirm(complaint=complaint, actor=triagers.get(complaint.street_id, lead))
        marks = backdate.complaints_moved(updates, marks, sent)
        referral = Referral.objects.filter(complaint=complaint).select_related("department").first()
        if referral is None:
            continue
        tally.add("移交 referrals to departments", "created")
        department = referral.department.code
        liaison = liaisons.get(department)
        steps = [sent]
        values = {"created_at": sent, "updated_at": sent, "due": referrals.answer_due(timezone.localtime(sent).date())}
        if liaison is not None and signed is not None:
            referrals.referral_sign(referral=referral, actor=liaison)
            marks = backdate.complaints_moved(updates, marks, signed)
            steps.append(signed)
            values.update(signed_at=signed, updated_at=signed)
            if answered is not None:
                answer = rng.choice(REFERRAL_ANSWERS.get(department) or ["已办理，结果已告知诉求人"])
                referrals.referral_answer(referral=referral, actor=liaison, answer=answer)  # closes the complaint
                marks = backdate.complaints_moved(updates, marks, answered)
                steps.append(answered)
                values.update(answered_at=answered, updated_at=answered)
        updates.stamp(Referral, referral.pk, **values)
        times[referral.pk] = steps
    # the history rows written just now, moved to the times they stand for
    history = Referral.history.model
    for row in history.objects.filter(id__in=list(times), history_date__gte=started).order_by("id", "history_id") \
            .values("history_id", "id"):
        steps = times[row["id"]]
        updates[(history, row["history_id"])]["history_date"] = steps.pop(0) if len(steps) > 1 else steps[0]
    updates.apply()

