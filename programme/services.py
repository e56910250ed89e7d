"""Writes of the illegal-construction inventory (存量违建台账, R5). Pages, the API, the import, the demo seed
and the case hooks all come through here, so the same checks and the same change history apply whichever
way an item is written.

`actor=None` means the system itself (a management command run without --user, the demo seed, a case
moving): no scope applies. Every page and API call passes the signed-in user.
"""
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts import scope
from accounts.choices import Role
from accounts.messages import text
from accounts.policy import CASE_OPEN, may
from cases.choices import CaseState
from core import dates
from core.busy import retry_when_busy
from core.errors import ApplicationError
from programme import rules
from programme.choices import StructureKind, StructureMaterial, StructureStatus
from programme.models import IllegalStructure, LedgerSequence

S = StructureStatus
MAX_AREA = Decimal("9999999.99")  # the field's nine digits
EDITABLE = ("community", "location", "kind", "found_on", "area_m2", "material", "measure", "target_date",
            "owner_hint", "note")
NUMBER_RE = re.compile(rf"^(?:(?P<district>[A-Z]{{1,8}})-)?{rules.NUMBER_PREFIX}-(?P<street>[0-9A-Za-z]+)"
                       rf"-(?P<year>\d{{4}})-(?P<seq>\d+)$")


class OutOfScope(ApplicationError):
    pass


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _measure_label(code: str) -> str:
    from registry.choices import Measure

    return _label(Measure, code) if code else ""


# --- ledger numbers -----------------------------------------------------------------------------

def street_code(street) -> str:
    """The street part of a ledger number: the last three digits of the street's code (310107005 → 005),
    or its id when it has no code."""
    code = re.sub(r"\W", "", street.code or "")
    return code[-3:] if code else f"{street.pk:03d}"


def _sequence(prefix: str) -> LedgerSequence:
    """The locked sequence row of a prefix, created on first use (a concurrent creation is retried)."""
    if not LedgerSequence.objects.filter(prefix=prefix).exists():
        try:
            with transaction.atomic():
                LedgerSequence.objects.create(prefix=prefix)
        except IntegrityError:
            pass  # created at the same moment by another registration
    return LedgerSequence.objects.select_for_update().get(prefix=prefix)


def number_next(*, street, year: int) -> str:
    """The next ledger number of a street and year, e.g. WJ-005-2024-0013 (JA-WJ-005-2024-0013 in a district with
    a number prefix: two districts' streets may share the last three digits of their codes). Never given twice:
    the sequence row is locked while it advances and skips a number that is somehow already on the ledger."""
    district = street.district.number_prefix if street.district_id else ""
    prefix = f"{district + '-' if district else ''}{rules.NUMBER_PREFIX}-{street_code(street)}-{year}"
    sequence = _sequence(prefix)
    while True:
        sequence.last += 1
        number = f"{prefix}-{sequence.last:0{rules.NUMBER_DIGITS}d}"
        if not IllegalStructure.objects.filter(number=number).exists():
            break
    sequence.save(update_fields=["last"])
    return number


def _number_taken(number: str) -> None:
    """A number given in a file takes its place in the sequence, so it is not given again later."""
    match = NUMBER_RE.match(number)
    if not match:
        return
    district = f"{match['district']}-" if match["district"] else ""
    prefix = f"{district}{rules.NUMBER_PREFIX}-{match['street']}-{match['year']}"
    sequence = _sequence(prefix)
    if int(match["seq"]) > sequence.last:
        sequence.last = int(match["seq"])
        sequence.save(update_fields=["last"])


# --- access ---------------------------------------------------------------------------------------

def may_change_in(actor, community) -> bool:
    """Whether the actor may register or edit items in a community. The rule is accounts.scope.inventory_q;
    for "change" it names only the street (`street_id`), which a community has too, so the same Q is asked of
    the community (companies and departments change nothing: their Q is empty)."""
    if actor is None:
        return True
    from registry.models import Community

    return Community.objects.filter(pk=community.pk).filter(scope.inventory_q(actor, "change")).exists()


def _locked(item: IllegalStructure, actor) -> IllegalStructure:
    qs = IllegalStructure.objects.select_for_update(of=("self",)).select_related("community", "street", "case")
    if actor is not None:
        qs = qs.filter(pk__in=IllegalStructure.objects.restrict(actor, "change").values("pk"))
    found = qs.filter(pk=item.pk).first()
    if found is None:
        raise OutOfScope("该台账条目不在您的管理范围内", "this item is outside your scope")
    return found


# --- validation -----------------------------------------------------------------------------------

def _area(value) -> Decimal:
    if isinstance(value, str):
        value = value.strip()
    try:
        area = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ApplicationError(f"面积“{value}”不是数字", f"area '{value}' is not a number") from None
    if area <= 0:
        raise ApplicationError("面积须大于0", "the area must be greater than 0")
    if area > MAX_AREA:
        raise ApplicationError("面积超出范围", "the area is too large")
    return area


def _check(item: IllegalStructure, *, before: str | None, reason: str, today: date) -> None:
    """The rules every write of an item obeys; `before` is the status before this write (None: new item)."""
    item.location = (item.location or "").strip()
    if not item.location:
        raise ApplicationError("请填写具体位置（楼号、室号、部位）", "the location is required")
    if item.found_on is None:
        raise ApplicationError("请填写发现日期", "the date found is required")
    if item.found_on > today:
        raise ApplicationError("发现日期不能晚于今天", "the date found cannot be in the future")
    dates.date_check(item.found_on, label="发现日期", label_en="found_on", today=today)
    dates.date_check(item.target_date, kind=dates.DUE, label="计划完成日期", label_en="target_date", today=today)
    item.area_m2 = _area(item.area_m2)
    if item.kind not in StructureKind.values:
        raise ApplicationError(f"类别“{item.kind}”无效", f"unknown kind '{item.kind}'")
    if item.material not in StructureMaterial.values:
        raise ApplicationError(f"结构“{item.material}”无效", f"unknown structure '{item.material}'")
    if item.status not in S.values:
        raise ApplicationError(f"状态“{item.status}”无效", f"unknown status '{item.status}'")
    if item.target_date and item.target_date < item.found_on:
        raise ApplicationError("计划完成日期不能早于发现日期", "the target date cannot be before the date found")

    if before is not None and item.status != before:
        if item.status not in rules.STATUS_MOVES[before]:
            raise ApplicationError(f"状态不能从“{_label(S, before)}”改为“{_label(S, item.status)}”",
                                   f"the status cannot go from {before} to {item.status}")
        if item.case_id and item.case.is_open:
            raise ApplicationError(f"该条目由案件 {item.case.number} 办理中，状态随案件结案自动更新",
                                   f"case {item.case.number} is handling this item: its status follows the case")
        if rules.is_cleared(before) and not rules.is_cleared(item.status) and not reason.strip():
            raise ApplicationError("重新打开已销项的条目须说明理由", "reopening a cleared item needs a reason")

    allowed = rules.MEASURES_BY_KIND[item.kind]
    if rules.is_cleared(item.status):
        if item.kind == StructureKind.NEW and item.status != S.DEMOLISHED:
            raise ApplicationError("新增（在建）违建一律拆除，只能以“已拆除”销项",
                                   "a construction in progress is always demolished: it clears only as demolished")
        if not item.measure:
            item.measure = rules.DEFAULT_MEASURE[item.status]
        if rules.CLEARS_WITH.get(item.measure) != item.status:
            raise ApplicationError(
                f"处置措施“{_measure_label(item.measure)}”与状态“{_label(S, item.status)}”不符",
                f"measure {item.measure} does not clear an item as {item.status}")
        if item.cleared_on is None:
            item.cleared_on = today
        if item.cleared_on > today:
            raise ApplicationError("销项日期不能晚于今天", "the date cleared cannot be in the future")
        if item.cleared_on < item.found_on:
            raise ApplicationError("销项日期不能早于发现日期", "the date cleared cannot be before the date found")
    elif item.cleared_on is not None:
        if before is not None and rules.is_cleared(before):
            item.cleared_on = None  # reopened: off the cleared count again
        else:
            raise ApplicationError("未销项的条目不能填写销项日期", "only a cleared item has a date cleared")
    if item.measure and item.measure not in allowed:
        kind = _label(StructureKind, item.kind)
        raise ApplicationError(f"{kind}不适用处置措施“{_measure_label(item.measure)}”",
                               f"measure {item.measure} does not apply to {item.kind}")
    item.note = (item.note or "").strip()
    item.owner_hint = (item.owner_hint or "").strip()


def _save(item: IllegalStructure, actor, reason: str) -> None:
    try:
        item.full_clean(exclude=["number"] if item.pk is None else None, validate_unique=item.pk is None)
    except ValidationError as exc:
        raise ApplicationError("；".join(exc.messages), "; ".join(exc.messages)) from exc
    item._history_user = actor
    item._change_reason = (reason or "")[:100]
    item.save()


def _duplicate(community, location: str, found_on, exclude=None) -> IllegalStructure | None:
    qs = IllegalStructure.objects.filter(community=community, location=location.strip(), found_on=found_on)
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.first()


# --- create and update ----------------------------------------------------------------------------

@retry_when_busy
@transaction.atomic
def structure_create(*, actor, community, location: str, found_on: date, area_m2, material: str = "OTHER",
                     kind: str = StructureKind.EXISTING, status: str = S.EXISTING, measure: str = "",
                     target_date: date | None = None, cleared_on: date | None = None, owner_hint: str = "",
                     note: str = "", number: str = "", case=None, reason: str = "") -> IllegalStructure:
    """Register an item. The number is given by the ledger unless the caller brings one (an import)."""
    if community is None:
        raise ApplicationError("请选择小区", "choose the community")
    if not may_change_in(actor, community):
        raise OutOfScope("该小区不在您的管理范围内", "this community is outside your scope")
    today = timezone.localdate()
    item = IllegalStructure(community=community, street_id=community.street_id, location=location, kind=kind,
                            found_on=found_on, area_m2=area_m2, material=material or StructureMaterial.OTHER,
                            status=status, measure=measure or "", target_date=target_date, cleared_on=cleared_on,
                            owner_hint=owner_hint, note=note)
    _check(item, before=None, reason=reason, today=today)
    if _duplicate(community, item.location, found_on) is not None:
        other = _duplicate(community, item.location, found_on)
        raise ApplicationError(f"该位置同日发现的违建已登记：{other.number}",
                               f"already on the ledger as {other.number}", extra={"number": other.number})
    number = (number or "").strip()
    if number:
        if IllegalStructure.objects.filter(number=number).exists():
            raise ApplicationError(f"台账编号 {number} 已被使用", f"ledger number {number} is taken")
        _number_taken(number)
        item.number = number
    else:
        item.number = number_next(street=community.street, year=found_on.year)
    _save(item, actor, reason or "登记")
    if case is not None:
        item = structure_link_case(item=item, case=case, actor=actor)
    return item


@retry_when_busy
@transaction.atomic
def structure_update(*, item: IllegalStructure, actor, reason: str = "", **changes) -> IllegalStructure:
    """Change an item's fields and/or its status (with cleared_on). Returns the item; nothing is written when
    nothing changed. A status change follows rules.STATUS_MOVES; an item with an open case is moved by it."""
    unknown = set(changes) - set(EDITABLE) - {"status", "cleared_on"}
    if unknown:
        names = sorted(unknown)
        raise ApplicationError(f"不能修改：{'、'.join(names)}", f"cannot change: {', '.join(names)}")
    item = _locked(item, actor)
    before = {name: getattr(item, name) for name in (*EDITABLE, "status", "cleared_on", "street_id")}
    if "community" in changes and changes["community"] is not None and changes["community"] != item.community:
        if item.case_id:
            raise ApplicationError("已关联案件的条目不能改换小区",
                                   "an item with a case cannot move to another community")
        if not may_change_in(actor, changes["community"]):
            raise OutOfScope("该小区不在您的管理范围内", "this community is outside your scope")
        item.street_id = changes["community"].street_id
    for name, value in changes.items():
        if name == "community" and value is None:
            raise ApplicationError("请选择小区", "choose the community")
        setattr(item, name, value)
    if "status" in changes and not rules.is_cleared(item.status) and "cleared_on" not in changes:
        item.cleared_on = None if rules.is_cleared(before["status"]) else item.cleared_on
    if "status" in changes and rules.is_cleared(item.status) and not rules.is_cleared(before["status"]) \
            and "measure" not in changes and rules.CLEARS_WITH.get(item.measure) != item.status:
        item.measure = ""  # a planned measure that does not clear (罚款) gives way to the status's own
    _check(item, before=before["status"], reason=reason, today=timezone.localdate())
    if any(n in changes for n in ("community", "location", "found_on")):
        other = _duplicate(item.community, item.location, item.found_on, exclude=item.pk)
        if other is not None:
            raise ApplicationError(f"该位置同日发现的违建已登记：{other.number}",
                                   f"already on the ledger as {other.number}")
    after = {name: getattr(item, name) for name in before}
    if after == before:
        return item
    if not reason and item.status != before["status"]:
        reason = f"{_label(S, before['status'])}→{_label(S, item.status)}"
    _save(item, actor, reason or "修改")
    return item


def changed_fields(item: IllegalStructure, values: dict) -> list[str]:
    return [name for name, value in values.items() if getattr(item, name) != value]


# --- cases ----------------------------------------------------------------------------------------

def _closing(item: IllegalStructure, case) -> None:
    """Set an item as its closed case left it: cleared with the status of the case's measures, or back to
    存量 when the case closed without demolishing, annotating or correcting (不属实, 罚款 only)."""
    outcome = rules.closing_status(case.measures)
    if outcome:
        item.status, item.measure = outcome
        closed = timezone.localdate(case.closed_at) if case.closed_at else timezone.localdate()
        item.cleared_on = max(closed, item.found_on)
    else:
        item.status, item.cleared_on = S.EXISTING, None


@retry_when_busy
@transaction.atomic
def structure_link_case(*, item: IllegalStructure, case, actor) -> IllegalStructure:
    """Link an item to the enforcement case that handles it: an open case puts it 在办; a closed one clears it
    as the case's measures say."""
    from cases.models import EnforcementCase

    item = _locked(item, actor)
    visible = EnforcementCase.objects.all() if actor is None else EnforcementCase.objects.restrict(actor, "view")
    case = visible.select_related("violation_type").filter(pk=getattr(case, "pk", case)).first()
    if case is None:
        raise ApplicationError("找不到该案件或不在您的范围内", "case not found or outside your scope")
    if case.violation_type.code != rules.VIOLATION_TYPE:
        raise ApplicationError("只能关联违法搭建案件", "only an illegal-construction case can be linked")
    if case.state == CaseState.REFERRED:
        raise ApplicationError("该案件已移交其他部门，不能关联", "a referred case cannot be linked")
    if (case.community_id and case.community_id != item.community_id) or case.street_id != item.street_id:
        raise ApplicationError("案件的小区与台账条目不一致", "the case is about another community")
    if item.case_id == case.pk:
        raise ApplicationError(f"已关联案件 {case.number}", f"already linked to {case.number}")
    if item.case_id and item.case.is_open:
        raise ApplicationError(f"该条目已关联在办案件 {item.case.number}",
                               f"this item is linked to the open case {item.case.number}")
    if case.is_open:
        if item.is_cleared:
            raise ApplicationError("已销项的条目不能关联在办案件；违建回潮请先重新打开条目",
                                   "a cleared item cannot take an open case: reopen it first")
        item.status, item.cleared_on = S.HANDLING, None
    else:
        if rules.closing_status(case.measures) is None:
            raise ApplicationError("该案件结案时未拆除、注记或整改，不能据此销项",
                                   "the case closed without a measure that clears the item")
        _closing(item, case)
    item.case = case
    item.full_clean(validate_unique=False)
    item._history_user, item._change_reason = actor, f"关联案件 {case.number}"
    item.save()
    return item


@retry_when_busy
@transaction.atomic
def structure_open_case(*, item: IllegalStructure, actor, officer=None, summary: str = ""):
    """Open an ILLEGAL_CONSTRUCTION case for an item (cases.services.case_open) and put the item 在办.
    A new (在建) item opens a case of a construction in progress, which must be stopped and demolished."""
    from accounts.models import User
    from cases import services as case_services
    from registry.models import ViolationType

    if actor is None or not may(actor, CASE_OPEN):
        raise ApplicationError("只有执法队员或区局可以立案", "only officers and the bureau open cases")
    item = _locked(item, actor)
    if item.is_cleared:
        raise ApplicationError("该条目已销项", "this item is already cleared")
    if item.case_id and item.case.is_open:
        raise ApplicationError(f"该条目已有在办案件 {item.case.number}", f"open case {item.case.number} exists")
    if officer is not None and not User.objects.filter(pk=officer.pk, role=Role.OFFICER, is_active=True,
                                                        streets=item.street_id).exists():
        raise ApplicationError("该队员不在本街镇执法", "this officer does not work in the item's street")
    if officer is None and scope.role_of(actor) == Role.OFFICER:
        officer = actor
    kind = _label(StructureKind, item.kind)
    summary = summary.strip() or (f"存量违建台账 {item.number}：{item.community.name} {item.location}，"
                                  f"{_label(StructureMaterial, item.material)}，约{item.area_m2}㎡（{kind}）")
    case = case_services.case_open(
        violation_type=ViolationType.objects.get(code=rules.VIOLATION_TYPE), community=item.community,
        summary=summary, actor=actor, officer=officer, location=item.location,
        reason=text(gettext_noop("由违建台账 {number} 立案"), number=item.number), origin="inventory",
        payload={"structure": item.pk})
    if item.kind == StructureKind.NEW:
        case.in_progress = True
        case._change_reason = "正在搭建（新增违建）"
        case._history_user = actor
        case.save(update_fields=["in_progress", "updated_at"])
    item.case, item.status, item.cleared_on = case, S.HANDLING, None
    item._history_user, item._change_reason = actor, f"立案 {case.number}"
    item.save()
    return case


@transaction.atomic
def structure_from_case(*, case, actor, location: str = "", area_m2, material: str = "OTHER",
                        found_on: date | None = None, target_date: date | None = None, owner_hint: str = "",
                        note: str = "") -> IllegalStructure:
    """Register the structure an enforcement case found (a construction in progress when the case says so)."""
    if case.community_id is None:
        raise ApplicationError("该案件未关联小区，请先在案件中确定小区", "the case has no community")
    return structure_create(
        actor=actor, community=case.community, location=location or case.location, area_m2=area_m2,
        material=material, kind=StructureKind.NEW if case.in_progress else StructureKind.EXISTING,
        found_on=found_on or timezone.localdate(case.created_at), target_date=target_date, owner_hint=owner_hint,
        note=note, case=case, reason=f"由案件 {case.number} 登记")


def structures_follow_case(*, case, move, actor=None) -> int:
    """The hook of programme.receivers: a case that closes closes its items; a reopened case (回潮) puts them
    back 在办; a referred one back to 存量; a decision records the measure the items will clear with. Runs inside
    the case's transaction."""
    items = list(IllegalStructure.objects.select_for_update(of=("self",)).filter(case=case))
    for item in items:
        if move.target == CaseState.CLOSED:
            _closing(item, case)
            reason = f"案件 {case.number} 结案"
        elif move.action == "reopen":
            item.status, item.cleared_on = S.HANDLING, None
            reason = f"案件 {case.number} 回潮重新核查"
        elif move.target == CaseState.REFERRED:  # no longer the bureau's case: back on the books
            item.status = S.EXISTING
            reason = f"案件 {case.number} 已移交其他部门"
        elif (move.target == CaseState.DECIDED and not move.records_only   # a decision: decide, escalate, approve …
              and (outcome := rules.closing_status(case.measures))):
            if outcome[1] not in rules.MEASURES_BY_KIND[item.kind] or item.measure == outcome[1]:
                continue
            item.measure = outcome[1]
            reason = f"案件 {case.number} 处理决定"
        else:
            continue
        item._history_user, item._change_reason = actor, reason
        item.save()
    return len(items)


# --- campaigns 专项行动 and their three lists (R6.1, R6.2) -----------------------------------------------

WINDOW_DAYS = 90      # the problem list reads the 90 days up to the compile day (or the campaign's end)
HOTSPOT_MIN = 5       # a community with at least this many residents' complaints in the window …
HOTSPOT_TOP = 10      # … and among the ten with most is a hotspot (投诉集中小区)
EVIDENCE_MAX = 50     # complaints or items linked to one problem; its count (件数) says how many there were


def _may_manage(actor, campaign) -> None:
    from accounts.policy import CAMPAIGN_MANAGE

    if actor is not None and not may(actor, CAMPAIGN_MANAGE, campaign):
        raise OutOfScope("您不能管理该专项行动", "you may not manage this campaign")


def _check_dates(start, end, what: str, what_en: str) -> None:
    if start is None or (end is not None and end < start):
        raise ApplicationError(f"{what}的结束日期早于开始日期", f"{what_en} ends before it starts")


@transaction.atomic
def campaign_create(*, actor, name: str, starts_on: date, ends_on: date | None = None, kind: str = "SPECIAL_ACTION",
                    level: str = "DISTRICT", document_no: str = "", issuer: str = "", district=None, streets=(),
                    violation_types=(), goals: str = "", phases=()):
    """A campaign with its phases ({name, starts_on, ends_on, tasks_text}); the standing duties of its
    responsibility list are filled from the departments' duties (seed 000 §六)."""
    from accounts.policy import CAMPAIGN_MANAGE
    from programme.models import Campaign

    if actor is not None and not may(actor, CAMPAIGN_MANAGE):
        raise OutOfScope("您不能设立专项行动", "you may not set up a campaign")
    if not (name or "").strip():
        raise ApplicationError("请填写名称", "name is required")
    _check_dates(starts_on, ends_on, "专项行动", "the campaign")
    for day in (starts_on, ends_on):
        dates.date_check(day, kind=dates.DUE, label="日期", label_en="date")
    campaign = Campaign.objects.create(name=name.strip(), kind=kind, level=level, document_no=document_no,
                                       issuer=issuer, district=district, starts_on=starts_on, ends_on=ends_on,
                                       goals=goals)
    campaign.streets.set(streets)
    campaign.violation_types.set(violation_types)
    for order, phase in enumerate(phases, start=1):
        _check_dates(phase["starts_on"], phase["ends_on"], phase["name"], "a phase")
        campaign.phases.create(order=order, **phase)
    responsibilities_standing(campaign=campaign)
    return campaign


def phase_set_status(*, phase, status: str, actor, today: date | None = None):
    """进行中 / 已完成 only once the phase has begun; back to 未开始 at any time."""
    from programme.choices import PhaseStatus

    _may_manage(actor, phase.campaign)
    today = today or timezone.localdate()
    if status not in PhaseStatus.values:
        raise ApplicationError("状态无效", "invalid status")
    if status != PhaseStatus.PLANNED and phase.starts_on > today:
        raise ApplicationError(f"{phase.name}尚未开始（{phase.starts_on}），不能标为{PhaseStatus(status).label}",
                               f"{phase.name} has not begun ({phase.starts_on})")
    phase.status = status
    phase._history_user = actor
    phase.save(update_fields=["status"])
    return phase


def responsibilities_standing(*, campaign) -> int:
    """The standing duties (no task) of each department (seed 000 §六, registry.Department.duties) and of each
    street in scope; idempotent: a party that has its row keeps it."""
    from programme.models import Responsibility
    from registry.models import Department

    have = set(Responsibility.objects.filter(campaign=campaign, task=None).values_list("department_id", "street_id"))
    street_duty = Department.objects.filter(code="STREET").values_list("duties", flat=True).first() or ""
    rows = [Responsibility(campaign=campaign, department=d, role="LEAD" if d.code == "CHENGGUAN" else "ASSIST",
                           duty=d.duties)
            for d in Department.objects.exclude(code="STREET").order_by("pk") if (d.pk, None) not in have]
    rows += [Responsibility(campaign=campaign, street=s, role="ASSIST", duty=street_duty)
             for s in campaign_streets(campaign) if (None, s.pk) not in have]
    Responsibility.objects.bulk_create(rows)
    return len(rows)


def campaign_streets(campaign):
    """The streets a campaign covers: its own list, or its district's, or every street."""
    from registry.models import Street

    chosen = list(campaign.streets.order_by("code", "name"))
    if chosen:
        return chosen
    streets = Street.objects.order_by("code", "name")
    return list(streets.filter(district=campaign.district_id) if campaign.district_id else streets)


def compile_window(campaign, today: date) -> tuple[date, date]:
    from datetime import timedelta

    end = min(today, campaign.ends_on) if campaign.ends_on else today
    return end - timedelta(days=WINDOW_DAYS - 1), end


def _found_problems(campaign, today: date) -> list[dict]:
    """Each problem the data shows: {key, source, title, detail, street_id, community_id, violation_type_id,
    department_id, weight, evidence: [(kind, field, id)…]}."""
    from datetime import datetime, time, timedelta

    from django.db.models import Count, Q

    from credit.models import DutyCheck
    from intake.choices import RESIDENT_CHANNELS
    from intake.models import Complaint
    from registry.models import Community, Department, ViolationType

    start, end = compile_window(campaign, today)
    streets = [s.pk for s in campaign_streets(campaign)]
    types = list(campaign.violation_types.values_list("pk", flat=True))
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    complaints = Complaint.objects.filter(street_id__in=streets, community__isnull=False, received_at__gte=since,
                                          received_at__lt=until, channel__in=sorted(RESIDENT_CHANNELS),
                                          duplicate_of__isnull=True)
    if types:
        complaints = complaints.filter(violation_type_id__in=types)
    names = {}

    def community(pk):
        if pk not in names:
            names[pk] = Community.objects.select_related("street").get(pk=pk)
        return names[pk]

    def latest(queryset):
        return list(queryset.order_by("-received_at", "-pk").values_list("pk", flat=True)[:EVIDENCE_MAX])

    found = []
    hot = (complaints.order_by().values("community_id").annotate(n=Count("pk")).filter(n__gte=HOTSPOT_MIN)
           .order_by("-n", "community_id")[:HOTSPOT_TOP])
    for row in hot:
        c = community(row["community_id"])
        found.append({"key": f"hotspot:{c.pk}", "source": "HOTSPOT", "street_id": c.street_id, "community_id": c.pk,
                      "title": f"{c.name}：{start}至{end}居民投诉{row['n']}件", "weight": row["n"],
                      "evidence": [("COMMUNITY", "community", c.pk)]
                      + [("COMPLAINT", "complaint", pk) for pk in latest(complaints.filter(community_id=c.pk))]})
    repeats = (complaints.filter(needs_consultation=True, violation_type__isnull=False).order_by()
               .values("community_id", "violation_type_id").annotate(n=Count("pk"))
               .order_by("-n", "community_id", "violation_type_id"))
    kinds = {t.pk: t for t in ViolationType.objects.all()}
    for row in repeats:
        c, vt = community(row["community_id"]), kinds[row["violation_type_id"]]
        found.append({"key": f"repeat:{c.pk}:{vt.pk}", "source": "REPEATED", "street_id": c.street_id,
                      "community_id": c.pk, "violation_type_id": vt.pk, "weight": row["n"],
                      "title": f"{c.name}：{vt.name}重复投诉{row['n']}件",
                      "evidence": [("COMPLAINT", "complaint", pk) for pk in latest(
                          complaints.filter(needs_consultation=True, community_id=c.pk, violation_type_id=vt.pk))]})
    construction = ViolationType.objects.filter(code="ILLEGAL_CONSTRUCTION").values_list("pk", flat=True).first()
    if not types or construction in types:
        remaining = IllegalStructure.objects.filter(street_id__in=streets, found_on__lte=end).filter(
            Q(cleared_on__isnull=True) | Q(cleared_on__gt=end))
        for row in (remaining.order_by().values("community_id").annotate(n=Count("pk"))
                    .order_by("-n", "community_id")):
            c = community(row["community_id"])
            items = remaining.filter(community_id=c.pk).order_by("found_on", "pk").values_list("pk", flat=True)
            found.append({"key": f"inventory:{c.pk}", "source": "INVENTORY", "street_id": c.street_id,
                          "community_id": c.pk, "violation_type_id": construction, "weight": row["n"],
                          "title": f"{c.name}：存量违建{row['n']}处未销项（截至{end}）",
                          "evidence": [("STRUCTURE", "structure", pk) for pk in items[:EVIDENCE_MAX]]})
    housing = Department.objects.filter(code="HOUSING").values_list("pk", flat=True).first()
    failed = DutyCheck.objects.filter(outcome="FAILED", street_id__in=streets, decided_at__gte=since,
                                      decided_at__lt=until)
    for row in (failed.order_by().values("community_id", "company_id", "company__name").annotate(n=Count("pk"))
                .order_by("-n", "community_id", "company_id")):
        c = community(row["community_id"])
        checks = failed.filter(community_id=c.pk, company_id=row["company_id"]).order_by("-decided_at", "-pk")
        found.append({"key": f"duty:{c.pk}:{row['company_id']}", "source": "DUTY_CHECK", "street_id": c.street_id,
                      "community_id": c.pk, "department_id": housing, "weight": row["n"],
                      "title": f"{c.name}：物业（{row['company__name']}）未履职{row['n']}次",
                      "evidence": [("DUTY_CHECK", "duty_check", pk)
                                   for pk in checks.values_list("pk", flat=True)[:EVIDENCE_MAX]]})
    return found


@transaction.atomic
def problems_compile(*, campaign, actor, today: date | None = None) -> dict:
    """问题清单 from the data: hotspot communities, repeated complaints, open inventory items and failed duty
    checks in the campaign's streets and types, over the window of `compile_window`. Re-runnable: a problem
    is found again by its key and updated (its status and tasks kept), its evidence replaced; a problem the
    data no longer shows stays, marked by its older compile time. Survey findings are never touched."""
    from programme.models import Problem, ProblemEvidence

    _may_manage(actor, campaign)
    today = today or timezone.localdate()
    now = timezone.now()
    found = _found_problems(campaign, today)
    existing = {p.key: p for p in Problem.objects.filter(campaign=campaign, key__in=[f["key"] for f in found])}
    counts = {"created": 0, "updated": 0}
    for values in found:
        evidence = values.pop("evidence")
        values.setdefault("violation_type_id", None)
        values.setdefault("department_id", None)
        problem = existing.get(values["key"])
        if problem is None:
            problem = Problem(campaign=campaign, created_by=actor, **values)
            counts["created"] += 1
        else:
            for name, value in values.items():
                setattr(problem, name, value)
            counts["updated"] += 1
            problem.evidence.all().delete()
        problem.compiled_at = now
        problem._history_user = actor
        problem.save()
        ProblemEvidence.objects.bulk_create(ProblemEvidence(problem=problem, kind=kind, **{f"{field_}_id": pk})
                                            for kind, field_, pk in evidence)
    counts["stale"] = (Problem.objects.filter(campaign=campaign).exclude(key="")
                       .exclude(key__in=[f["key"] for f in found]).count())
    campaign.compiled_at = now
    campaign.save(update_fields=["compiled_at"])
    return counts


def problem_add(*, campaign, actor, title: str, street, detail: str = "", community=None, violation_type=None,
                department=None):
    """A survey finding (排摸发现) entered by hand: the bureau anywhere in the campaign, officers and street
    staff in their own streets; evidence: the community when one is named."""
    from accounts.policy import CAMPAIGN_SURVEY
    from programme.models import Problem, ProblemEvidence

    if actor is not None:
        if not may(actor, CAMPAIGN_SURVEY) or not type(campaign).objects.restrict(actor, "view").filter(
                pk=campaign.pk).exists():
            raise OutOfScope("您不能在该专项行动中录入问题", "you may not add problems to this campaign")
        if scope.role_of(actor) in scope.STREET_SCOPED and street.pk not in scope.street_ids(actor):
            raise OutOfScope("只能录入本街镇的问题", "only problems of your own street")
    if not (title or "").strip():
        raise ApplicationError("请填写问题", "the problem is required")
    if street.pk not in {s.pk for s in campaign_streets(campaign)}:
        raise ApplicationError(f"{street.name}不在该专项行动范围内", f"{street.name} is outside the campaign")
    if community is not None and community.street_id != street.pk:
        raise ApplicationError("小区不属于所选街镇", "the community is not in the chosen street")
    problem = Problem(campaign=campaign, source="SURVEY", title=title.strip(), detail=detail, street=street,
                      community=community, violation_type=violation_type, department=department,
                      weight=1, created_by=actor)
    problem._history_user = actor
    problem.save()
    if community is not None:
        ProblemEvidence.objects.create(problem=problem, kind="COMMUNITY", community=community)
    return problem


def _responsible(task, party, role: str) -> None:
    from programme.models import Responsibility

    field_ = "department" if party._meta.model_name == "department" else "street"
    Responsibility.objects.update_or_create(campaign=task.campaign, task=task, **{field_: party},
                                            defaults={"role": role})


@transaction.atomic
def task_create(*, campaign, actor, title: str, starts_on: date, working_days: int, owner_department=None,
                owner_street=None, phase=None, problem=None, detail: str = "", assisting=()):
    """A task of the task list: one owner (a department or a street), due `working_days` working days after
    its start (core.calendar, holidays included); its owner is 牵头 in the responsibility list, the parties in
    `assisting` (departments or streets) 配合."""
    from core.calendar import add_working_days
    from programme.models import Task

    _may_manage(actor, campaign)
    if (owner_department is None) == (owner_street is None):
        raise ApplicationError("请指定一个责任部门或一个责任街镇", "name one owner: a department or a street")
    if not (title or "").strip():
        raise ApplicationError("请填写任务", "the task is required")
    if working_days is None or int(working_days) < 1 or int(working_days) > 1000:
        raise ApplicationError("时限应为 1 至 1000 个工作日", "the time limit is 1 to 1000 working days")
    if owner_street is not None and owner_street.pk not in {s.pk for s in campaign_streets(campaign)}:
        raise ApplicationError(f"{owner_street.name}不在该专项行动范围内",
                               f"{owner_street.name} is outside the campaign")
    for part in (phase, problem):
        if part is not None and part.campaign_id != campaign.pk:
            raise ApplicationError("阶段或问题不属于该专项行动", "the phase or problem is of another campaign")
    dates.date_check(starts_on, kind=dates.DUE, label="开始日期", label_en="start date")
    task = Task(campaign=campaign, phase=phase, problem=problem, title=title.strip(), detail=detail,
                owner_department=owner_department, owner_street=owner_street, starts_on=starts_on,
                working_days=int(working_days), due_on=add_working_days(starts_on, int(working_days)))
    task._history_user = actor
    task.save()
    _responsible(task, task.owner, "LEAD")
    for party in assisting:
        if party != task.owner:
            _responsible(task, party, "ASSIST")
    _notify_owner(task)
    return task


def _owner_users(task) -> list[int]:
    """Who answers for a task (任务清单的责任人): a street's staff; a department's users; for the bureau's own tasks
    (区城管执法局), the leads of the campaign's district."""
    from accounts.models import User

    users = User.objects.filter(is_active=True)
    if task.owner_street_id:
        users = users.filter(role=Role.STREET, streets=task.owner_street_id)
    elif task.owner_department.code == "CHENGGUAN":
        users = users.filter(role=Role.LEAD)
        if task.campaign.district_id:
            users = users.filter(Q(district_id=task.campaign.district_id) | Q(district__isnull=True))
    else:
        users = users.filter(role=Role.DEPARTMENT, department_id=task.owner_department_id)
    return list(users.values_list("pk", flat=True).distinct())


def _notify_owner(task):
    """A new task reaches its owners' inboxes (待办提醒), with its due date."""
    from django.urls import reverse

    from accounts import inbox
    from accounts.choices import InboxKind

    inbox.notify(_owner_users(task), InboxKind.CAMPAIGN_TASK,
                 text(gettext_noop("专项任务：{title}（{campaign}），请于 {due} 前完成"), title=task.title[:60],
                      campaign=task.campaign.name, due=task.due_on),
                 reverse("programme:task-detail", args=[task.pk]), about=task)


@transaction.atomic
def task_progress(*, task, actor, progress: int, note: str = "", cases=None, today: date | None = None):
    """Progress of a task by its owner (or the bureau): 0 未开始, 1–99 推进中, 100 已完成 (dated today);
    `cases` (already scoped by the caller) replaces the linked cases when given."""
    from accounts.policy import CAMPAIGN_TASK_UPDATE
    from programme.choices import TaskStatus
    from programme.models import Task

    if actor is not None and not may(actor, CAMPAIGN_TASK_UPDATE, task):
        raise OutOfScope("您不能更新该任务", "you may not update this task")
    try:
        progress = int(progress)
    except (TypeError, ValueError):
        progress = -1
    if not 0 <= progress <= 100:
        raise ApplicationError("进度应为 0 至 100", "progress is 0 to 100")
    task = Task.objects.select_for_update().get(pk=task.pk)
    today = today or timezone.localdate()
    task.progress = progress
    task.status = TaskStatus.DONE if progress == 100 else TaskStatus.ACTIVE if progress else TaskStatus.OPEN
    task.done_on = (task.done_on or today) if progress == 100 else None
    if note:
        task.progress_note = note
    task._history_user = actor
    task.save()
    if cases is not None:
        task.cases.set(cases)
    return task
