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
