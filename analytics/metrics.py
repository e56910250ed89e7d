"""Every figure of the analytics pages, the bulletins and the assessment, each defined ONCE here (DEFINITIONS),
with the text shown beside it (what is counted, and against what).

Who sees what (policy ANALYTICS_VIEW): the administrator, the bureau's leads and the departments see the whole
district; an officer or a street user sees its own street(s) and their communities, plus the district's total
of 投诉万人比 (a count, no records); asking for another street's or community's figures raises
django.core.exceptions.PermissionDenied (the API answers 403); a property company is refused everything.
With `street=None`, effectiveness figures of a street user are its own streets'.
Several districts in one installation (issue 12): "the district" is the user's own (accounts.scope.district_streets);
the city bureau (市局) and SYSTEM see every district, and `district=` narrows a figure to one of them (the city page,
analytics/city.py).

Without a user (the `bulletin` command, the assessment's scoring, scheduled tasks) pass `analytics.metrics.SYSTEM`:
it sees the district as the bureau does; `system_for(district)` sees one district of several (a district's
bulletin). `user=None` is refused (TypeError), so a forgotten user never leaks.

Complaint counts (受理, 投诉万人比, by type, the trend) are read from the daily aggregate
(analytics.models.DailyComplaintCount, kept by analytics.aggregates), never by counting complaints; case, referral,
supervision and 12345-reply figures are counted from their tables (one grouped query each).

Every Figure carries `list_url`: the complaint list (intake:queue) or the case list (cases:list) filtered to the
records behind the numerator (channel_group, received_after/before, street, community, violation_type, status on
the complaint list; opened/closed/owed/reopened_after/before, overdue_at, recurred, on_time on the case list —
their rules are cases.indicators', shared with the figures here). None where no list can show them: per-stage
on time, rectification, referrals, satisfaction, supervision orders. The lists are the reader's own scope, so a
department user (who sees every figure) finds there only the rows referred to it.

Case figures are counted as the cases stand now (a case's current stage deadline, its state today): 应结案 and
超期 of a past period are those cases' current view, not a snapshot taken at the period's end.
"""
from dataclasses import dataclass
from datetime import date, timedelta
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from accounts import policy, scope
from analytics import aggregates
from analytics.aggregates import bounds
from analytics.models import CaseStageExit, DailyCaseCount, DailyComplaintCount, MonthlyComplaintCount
from analytics.periods import Period
from cases import indicators
from cases.choices import CaseState
from cases.indicators import REOPEN_WINDOW
from cases.models import CaseTransition, EnforcementCase, Referral, SupervisionOrder
from cases.workflow import STATE_STAGE
from intake.choices import ComplaintStatus, ReferralStatus, Satisfaction
from intake.models import Complaint, HotlineReply
from registry.models import Community, District, Street, StreetPopulation, ViolationType

RECURRENCE_WINDOW = REOPEN_WINDOW  # 90 days, the same window as a case's 回潮 reopening (cases.indicators)
STAGES = [s for s in CaseState.values if s in STATE_STAGE]   # the states that have a deadline


class _System:
    """The user of commands and tasks that run without one: sees the district as the bureau does. `streets`: the
    street ids it is limited to (system_for: one district of several); None: the whole installation."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    role = "SYSTEM"
    pk = None

    def __init__(self, streets: list[int] | None = None):
        self.streets = streets

    def __str__(self):
        return "system"


SYSTEM = _System()


def system_for(district) -> _System:
    """SYSTEM narrowed to one district (a district's bulletin): its streets, so every figure is that district's
    and "the district" line is its own. An installation of one district gets SYSTEM itself, whose figures count
    every complaint (those no street was found for included), as they always did."""
    if district is None or District.objects.count() <= 1:
        return SYSTEM
    return _System(list(Street.objects.filter(district_id=_ident(district)).values_list("pk", flat=True)))


# --- definitions ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    name_en: str
    text: str
    text_en: str
    unit: str = "count"   # "count" | "percent" | "per_10k"


def _d(code, name, name_en, text, text_en, unit="count"):
    return code, Definition(code, name, name_en, text, text_en, unit)


_DUE_TEXT = ("应结案数：本期内结案的案件，加上截至统计时仍在办、且当前阶段办理期限落在本期内的案件"
             "（移交他部门的案件不计）",
             "cases due: cases closed in the period, plus cases still open whose current stage deadline fell in "
             "the period (cases referred to another department are left out)")

DEFINITIONS: dict[str, Definition] = dict([
    _d("complaints_per_10k", "投诉万人比", "Complaints per 10,000 residents",
       "居民投诉件数 ÷ 常住人口 × 10,000。居民投诉：12345热线、社区工作室、媒体曝光、人工录入的居民投诉，"
       "按受理日期（上海时间）计，每次来电均计一件（含重复件）；不含巡查、智能感知、第三方检查、督察发现和物业报告。"
       "人口：街镇取统计期末所在年份及以前最近一年的常住人口，全区为各街镇之和，小区取小区登记人口；"
       "未匹配小区的投诉计入全区及其所属街镇（街镇已知时）。",
       "Complaints from residents ÷ resident population × 10,000. Residents' complaints: 12345 hotline, community "
       "workstation, media and residents' complaints entered by hand, by the day received (Shanghai time), every "
       "call counted (duplicates included); not patrol, sensor, third-party inspection or supervision findings, nor "
       "property reports. Population: a street's of the latest year on record not after the period's end; the "
       "district the sum of its streets; a community its own. Complaints matched to no community count for the "
       "district and for their street when known.", "per_10k"),
    _d("other_reports", "非居民来源线索", "Findings and reports (not residents')",
       "本期受理的巡查发现、智能感知、第三方检查、督察发现和物业报告件数，单列，不计入投诉万人比。",
       "Patrol, sensor, third-party inspection and supervision findings and property reports received in the "
       "period: shown apart, not part of complaints per 10k."),
    _d("received", "受理数", "Received",
       "本期受理的全部诉件和线索（所有渠道，按受理日期，含重复件）。",
       "Every complaint and clue received in the period (all channels, by day received, duplicates included)."),
    _d("filed", "立案数", "Cases opened", "本期登记的执法案件数（由诉件或巡查线索登记）。",
       "Enforcement cases registered in the period."),
    _d("due", "应结案数", "Cases due", _DUE_TEXT[0] + "。", _DUE_TEXT[1] + "."),
    _d("closed", "结案数", "Cases closed", "应结案中本期内结案的案件数。", "Cases due that were closed in the period."),
    _d("closing_rate", "结案率", "Closing rate", "结案数 ÷ 应结案数。" + _DUE_TEXT[0] + "。",
       "Cases closed ÷ cases due. " + _DUE_TEXT[1] + ".", "percent"),
    _d("on_time", "按期结案数", "Closed on time",
       "本期结案、且每一办理阶段都在该阶段期限内完成的案件数（阶段期限按违法类型的各阶段期限和工作日历计算）。",
       "Cases closed in the period that left every stage within that stage's deadline (the violation type's stage "
       "deadlines in working days)."),
    _d("on_time_rate", "按期结案率", "On-time closing rate", "按期结案数 ÷ 应结案数。" + _DUE_TEXT[0] + "。",
       "Cases closed on time ÷ cases due. " + _DUE_TEXT[1] + ".", "percent"),
    _d("overdue", "超期数", "Overdue",
       "统计期末（期间未结束的，截至今日）仍在办、且当前阶段期限已过的案件数（按案件当前状态计）。",
       "Cases open past their current stage deadline at the period's end, or today for a period still running "
       "(as the cases stand now)."),
    _d("rework", "返工数", "Rework", "本期内因回潮被重新打开（重新核查）的已结案件数。",
       "Closed cases reopened in the period because the problem came back (回潮)."),
    _d("rework_rate", "返工率", "Rework rate", "返工数 ÷ 结案数（本期）。",
       "Cases reopened in the period ÷ cases closed in the period.", "percent"),
    _d("rectification_rate", "整改率", "Rectification rate",
       "本期复查认定整改到位而结案的案件数 ÷ 本期完成复查的案件数（整改到位 + 整改不到位转入进一步处理）。",
       "Reviews in the period that found the problem put right (closed as rectified) ÷ all reviews concluded in "
       "the period (rectified + not rectified and escalated).", "percent"),
    _d("recurrence_rate", "回潮率", "Recurrence rate",
       "本期结案的案件中，结案后90日内同一小区、同一违法类型又收到诉件或线索，或回头看发现回潮的案件所占比例"
       "（近期结案的案件观察期未满；回头看发现回潮而重新打开的案件，再次结案后计入）。",
       "Of the cases closed in the period, the share after whose closing a complaint or clue of the same type in "
       "the same community came within 90 days, or whose re-check (回头看) found the violation again (recently "
       "closed cases have not had their 90 days yet; a case reopened by a re-check counts once closed again).",
       "percent"),
    _d("repeated_complaints", "重复投诉", "Repeated complaints",
       "本期受理的诉件中被认定为同一事项重复反映（重复件）的件数；分母为本期受理数。",
       "Complaints received in the period found to repeat an earlier one (duplicates), of all received.",
       "count"),
    _d("referral_on_time_rate", "移交按时答复率", "Referrals answered on time",
       "反馈期限落在本期内的移交（撤回的不计）中，在期限内（含当日）反馈或退回的比例。",
       "Of the referrals whose answer was due in the period (withdrawn ones left out), the share answered or "
       "returned by the deadline (that day included).", "percent"),
    _d("satisfaction_rate", "市民满意率", "Residents' satisfaction",
       "本期答复的12345工单中，市民评价“满意”或“基本满意”的件数 ÷ 有满意度评价的件数（未评价的不计）。",
       "12345 work orders answered in the period that the caller rated satisfied or basically satisfied ÷ those "
       "with a rating (unrated ones left out).", "percent"),
    _d("supervision_answered_rate", "督办按时回复率", "Supervision orders answered on time",
       "回复期限落在本期内的督办单中，在期限内（含当日）回复的比例。",
       "Of the supervision (督办) orders whose answer was due in the period, the share answered by the deadline.",
       "percent"),
    _d("by_type", "分类型件数", "Complaints by type",
       "本期受理的全部诉件和线索按违法类型计数，与上一个等长周期比较。",
       "Complaints and clues received in the period per violation type, against the period of the same length "
       "before."),
])

for _state in STAGES:
    _label = CaseState(_state).label
    DEFINITIONS[f"stage_on_time:{_state}"] = Definition(
        f"stage_on_time:{_state}", f"{_label}阶段按期率", f"On time in stage {_state}",
        f"本期内离开“{_label}”阶段的案件中，在该阶段期限内（含当日）完成的比例（无期限的不计）。",
        f"Of the cases that left the stage {_state} in the period, the share that left it by its deadline (that "
        f"day included; stages without a deadline left out).", "percent")


@dataclass
class Figure:
    code: str
    value: float | None
    numerator: int | None
    denominator: int | None
    list_url: str | None = None

    @property
    def definition(self) -> Definition:
        return DEFINITIONS[self.code.split(":")[0] if self.code not in DEFINITIONS else self.code]


@dataclass
class UnitRate:
    unit: str
    unit_id: int | None
    level: str              # "district" | "street" | "community"
    complaints: int
    population: int | None
    per_10k: float | None
    list_url: str | None = None


def _rate(numerator: int, denominator: int | None) -> float | None:
    return round(100.0 * numerator / denominator, 2) if denominator else None


def _per_10k(n: int, population: int | None) -> float | None:
    return round(10000.0 * n / population, 2) if population else None


def _pct_change(current: float | None, baseline: float | None) -> float | None:
    if current is None or not baseline:
        return None
    return round(100.0 * (current - baseline) / baseline, 2)


# --- scope ------------------------------------------------------------------------------------------

def _ident(value) -> int | None:
    return getattr(value, "pk", value)


def allowed_streets(user) -> list[int] | None:
    """The street ids whose figures `user` may see; None: the whole district. PermissionDenied when none."""
    if user is None:
        raise TypeError("metrics need a user: pass analytics.metrics.SYSTEM for commands and tasks")
    if isinstance(user, _System):
        return user.streets
    if not policy.may(user, policy.ANALYTICS_VIEW):
        raise PermissionDenied("无权查看统计数据 / not allowed to see the figures")
    if scope.role_of(user) in scope.STREET_SCOPED:
        return list(scope.street_ids(user))
    return scope.district_streets(user)


def _district_line_streets(user, district=None) -> list[int] | None:
    """The streets of "the district" line: `district`'s, else the user's district's (a street user's too); None:
    the whole installation."""
    if district is not None:
        return list(Street.objects.filter(district_id=_ident(district)).values_list("pk", flat=True))
    return user.streets if isinstance(user, _System) else scope.district_streets(user)


def _narrow(user, street=None, community=None, district=None) -> tuple[list[int] | None, int | None]:
    """(street ids, community id) a query is limited to; PermissionDenied outside the user's streets."""
    allowed = allowed_streets(user)
    street_id, community_id = _ident(street), _ident(community)
    if district is not None and street_id is None and community_id is None:
        ids = _district_line_streets(user, district)
        if allowed is not None and not set(ids) <= set(allowed):
            raise PermissionDenied("无权查看该区的统计 / not allowed to see this district's figures")
        return ids, None
    if community_id is not None:
        owner = Community.objects.filter(pk=community_id).values_list("street_id", flat=True).first()
        if owner is None or (allowed is not None and owner not in allowed):
            raise PermissionDenied("无权查看该小区的统计 / not allowed to see this community's figures")
        if street_id is not None and street_id != owner:
            raise PermissionDenied("该小区不属于所选街镇 / the community is not in that street")
        street_id = owner
    if street_id is not None:
        if allowed is not None and street_id not in allowed:
            raise PermissionDenied("无权查看该街镇的统计 / not allowed to see this street's figures")
        return [street_id], community_id
    return allowed, community_id


def _where(streets, community_id, prefix=""):
    q = Q()
    if streets is not None:
        q &= Q(**{f"{prefix}street_id__in": streets})
    if community_id is not None:
        q &= Q(**{f"{prefix}community_id": community_id})
    return q


# --- list addresses -------------------------------------------------------------------------------------

def _url(name: str, **params) -> str:
    query = {k: v for k, v in params.items() if v is not None}
    return f"{reverse(name)}?{urlencode(query)}" if query else reverse(name)


def complaint_list_url(period: Period, *, street=None, community=None, group=None, channel=None, status="",
                       violation_type=None) -> str:
    """The complaint list (intake:queue) of the complaints received in the period; status "" = every status (the
    queue opens on the open ones otherwise)."""
    return _url("intake:queue", status=status, received_after=period.start.isoformat(),
                received_before=period.end.isoformat(), channel_group=group, channel=channel, street=street,
                community=community, violation_type=violation_type)


def case_list_url(*, street=None, community=None, **params) -> str:
    return _url("cases:list", street=street, community=community, **{k: str(v) for k, v in params.items()
                                                                      if v is not None})


# --- 投诉万人比 --------------------------------------------------------------------------------------------

def street_populations(year: int, street_ids=None) -> dict[int, int]:
    """street id -> resident population of the latest year on record not after `year`."""
    rows = StreetPopulation.objects.filter(year__lte=year)
    if street_ids is not None:
        rows = rows.filter(street_id__in=street_ids)
    latest: dict[int, tuple[int, int]] = {}
    for street_id, y, population in rows.values_list("street_id", "year", "population"):
        if street_id not in latest or y > latest[street_id][0]:
            latest[street_id] = (y, population)
    return {k: v[1] for k, v in latest.items()}


def _district_name(streets=None) -> str:
    """The name of "the district" line: the district of `streets`, or the installation's only district; 全市
    (the city) for the whole of an installation of several."""
    districts = District.objects.order_by("pk")
    if streets is not None:
        districts = districts.filter(streets__in=streets).distinct()
    names = list(districts.values_list("name", flat=True)[:2])
    if len(names) == 1:
        return names[0]
    return "全市" if names else "全区"


def _counts(period: Period, key: str | None, *, resident: bool | None = True, streets=None, community_id=None):
    rows = DailyComplaintCount.objects.filter(day__gte=period.start, day__lte=period.end)
    if resident is not None:
        rows = rows.filter(resident=resident)
    rows = rows.filter(_where(streets, community_id))
    if key is None:
        return rows.aggregate(n=Sum("count"))["n"] or 0
    return {r[key]: r["n"] for r in rows.order_by().values(key).annotate(n=Sum("count"))}


def complaints_per_10k(user, period: Period, by: str = "district", street=None, district=None) -> list[UnitRate]:
    """投诉万人比 per unit. by="district": the district's line; by="street": the district's line, then one line
    per street the user may see; by="community": the district's line, then one per community of those streets
    (or of `street`). Units with no complaints are listed with 0. "The district" is the user's own (or `district`)."""
    if by not in ("district", "street", "community"):
        raise ValueError(f"by must be district, street or community, not {by!r}")
    streets, _ = _narrow(user, street, district=district)
    whole = _district_line_streets(user, district)
    year = period.end.year
    populations = street_populations(year)
    district_population = sum(p for pk, p in populations.items() if whole is None or pk in whole) or None
    total = _counts(period, None, streets=whole)
    lines = [UnitRate(_district_name(whole), _ident(district), "district", total, district_population,
                      _per_10k(total, district_population), complaint_list_url(period, group="resident"))]
    if by == "district":
        return lines
    if by == "street":
        counts = _counts(period, "street_id", streets=streets)
        queryset = Street.objects.order_by("code", "name")
        if streets is not None:
            queryset = queryset.filter(pk__in=streets)
        for s in queryset.values("pk", "name"):
            n, population = counts.get(s["pk"], 0), populations.get(s["pk"])
            lines.append(UnitRate(s["name"], s["pk"], "street", n, population, _per_10k(n, population),
                                  complaint_list_url(period, group="resident", street=s["pk"])))
        return lines
    counts = _counts(period, "community_id", streets=streets)
    queryset = Community.objects.order_by("street__code", "name")
    if streets is not None:
        queryset = queryset.filter(street_id__in=streets)
    for c in queryset.values("pk", "name", "population"):
        n = counts.get(c["pk"], 0)
        lines.append(UnitRate(c["name"], c["pk"], "community", n, c["population"], _per_10k(n, c["population"]),
                              complaint_list_url(period, group="resident", community=c["pk"])))
    return lines


def unit_rate(user, period: Period, level: str = "district", unit_id=None) -> UnitRate:
    """One unit's 投诉万人比 (the district, a street or a community)."""
    unit_id = _ident(unit_id)
    if level == "district":
        allowed_streets(user)
        return complaints_per_10k(user, period, "district")[0]
    if level == "street":
        streets, _ = _narrow(user, street=unit_id)
        population = street_populations(period.end.year, streets).get(unit_id)
        n = _counts(period, None, streets=streets)
        name = Street.objects.filter(pk=unit_id).values_list("name", flat=True).first() or ""
        return UnitRate(name, unit_id, "street", n, population, _per_10k(n, population),
                        complaint_list_url(period, group="resident", street=unit_id))
    if level == "community":
        streets, community_id = _narrow(user, community=unit_id)
        community = Community.objects.filter(pk=community_id).values("name", "population").first()
        n = _counts(period, None, streets=streets, community_id=community_id)
        return UnitRate(community["name"], community_id, "community", n, community["population"],
                        _per_10k(n, community["population"]),
                        complaint_list_url(period, group="resident", community=community_id))
    raise ValueError(f"level must be district, street or community, not {level!r}")


def per_10k_change(user, period: Period, baseline: Period, level: str = "district", unit_id=None) -> dict:
    """The unit's 投诉万人比 now and in the baseline period, the change in % and whether it went down (the goal)."""
    current = unit_rate(user, period, level, unit_id)
    base = unit_rate(user, baseline, level, unit_id)
    change = _pct_change(current.per_10k, base.per_10k)
    goal_met = None if current.per_10k is None or base.per_10k is None else current.per_10k < base.per_10k
    return {"current": current, "baseline": base, "change_pct": change, "goal_met": goal_met}


# --- effectiveness ---------------------------------------------------------------------------------------

def _cases(streets, community_id):
    return EnforcementCase.objects.filter(_where(streets, community_id))


def _due_q(period: Period) -> Q:
    return indicators.owed_in_q(period.start, period.end)


CASE_COUNTS = ("filed", "due", "closed", "on_time", "overdue")


def _case_filters(period: Period) -> dict[str, Q]:
    """The case counts of a period, each a condition on the case (the rules are cases.indicators')."""
    low, high = bounds(period.start, period.end)
    closed_q = indicators.closed_in_q(period.start, period.end)
    return {"filed": Q(created_at__gte=low, created_at__lt=high), "due": _due_q(period), "closed": closed_q,
            "late": closed_q & Q(aggregates.late_exit()),   # 按期 = closed minus these
            # 回潮: a complaint of the same community and type within 90 days after the closing (cases.indicators)
            "recurred": closed_q & indicators.recurred_q(RECURRENCE_WINDOW),
            "overdue": indicators.overdue_at_q(_overdue_at(period))}


def _overdue_at(period: Period) -> date:
    return min(period.end, timezone.localdate())  # a period still running: overdue as of today


def _kind_filters(period: Period) -> dict[str, Q]:
    """The same counts as _case_filters, as sums of the daily case counts (DailyCaseCount kinds)."""
    D = DailyCaseCount
    span = Q(day__gte=period.start, day__lte=period.end)
    return {"filed": span & Q(kind=D.FILED), "due": span & Q(kind__in=[D.CLOSED, D.OPEN_DUE]),
            "closed": span & Q(kind=D.CLOSED), "late": span & Q(kind=D.CLOSED_LATE),
            "recurred": span & Q(kind=D.CLOSED_RECURRED),
            "overdue": Q(kind=D.OPEN_DUE, day__lte=_overdue_at(period))}


def _grouped(rows, counts: dict, key):
    if key is None:
        return {None: rows.aggregate(**counts)}
    return {row.pop(key): row for row in rows.values(key).annotate(**counts)}


def _case_counts(streets, community_id, periods: dict, names=CASE_COUNTS, key=None):
    """The case counts `names` of every period in `periods` (label -> Period) in one query: {label: {name: n}},
    or with `key` ("street_id") {street id: {label: {name: n}}}. The district and streets sum the daily case
    counts (a few rows a day, whatever the history); a community counts its cases."""
    wanted = [n for n in names if n != "on_time"] + (["closed", "late"] if "on_time" in names else [])
    wanted = list(dict.fromkeys(wanted))
    if community_id is None:
        filters = {label: _kind_filters(period) for label, period in periods.items()}
        rows = DailyCaseCount.objects.filter(_where(streets, None)).order_by()
        total = Sum
    else:
        filters = {label: _case_filters(period) for label, period in periods.items()}
        rows = _cases(streets, community_id).order_by()
        total = Count
    field = "count" if community_id is None else "pk"
    counts = {f"{label}__{name}": total(field, filter=filters[label][name]) for label in periods for name in wanted}
    rows = rows.filter(reduce(or_, [filters[label][name] for label in periods for name in wanted]))
    out = {}
    for value, row in _grouped(rows, counts, key).items():
        out[value] = {}
        for label in periods:
            found = {name: row[f"{label}__{name}"] or 0 for name in wanted}
            if "on_time" in names:
                found["on_time"] = found["closed"] - found["late"]
            out[value][label] = {name: found[name] for name in names}
    if key is None:
        return out.get(None) or {label: dict.fromkeys(names, 0) for label in periods}
    return out


def _referrals_due(period: Period):
    """移交 whose answer was due in the period, withdrawn ones left out."""
    return (Referral.objects.filter(due__gte=period.start, due__lte=period.end)
            .exclude(status=ReferralStatus.WITHDRAWN))


def _answered_by_due(rows, due: str, answered: str, key: str | None = None) -> dict:
    """{key value (None without key): (answered by the due day, all)} of these rows: answered on or before the due
    day, Shanghai time (that day included); counted in SQL, one grouped query."""
    rows = rows.order_by().annotate(answered_day=TruncDate(answered, tzinfo=aggregates.TZ))
    counts = {"n": Count("pk"), "ok": Count("pk", filter=Q(answered_day__lte=F(due)))}
    found = _grouped(rows, counts, key)
    return {value: (row["ok"], row["n"]) for value, row in found.items()}


def _referral_figure(ok_n: tuple[int, int]) -> Figure:
    """referral_on_time_rate: answered (or returned: it sets answered_at) by the due day, Shanghai time."""
    ok, n = ok_n
    return Figure("referral_on_time_rate", _rate(ok, n), ok, n, None)


def referral_on_time_by_department(user, period: Period) -> dict[int, Figure]:
    """referral_on_time_rate per receiving department (department id -> Figure), for the departments' annual
    assessment; the district's view only (a street user is refused: departments are not a street's)."""
    if allowed_streets(user) is not None:
        raise PermissionDenied("只有全区视角可按部门统计移交 / referrals by department need the district's view")
    grouped = _answered_by_due(_referrals_due(period), "due", "answered_at", key="department_id")
    return {department_id: _referral_figure(ok_n) for department_id, ok_n in grouped.items()}


def effectiveness(user, period: Period, street=None, community=None, district=None) -> dict[str, Figure]:
    """The effectiveness figures (DEFINITIONS) of the district (the user's, or `district`), a street or a
    community in the period."""
    streets, community_id = _narrow(user, street, community, district)
    low, high = bounds(period.start, period.end)
    street_id = streets[0] if streets is not None and len(streets) == 1 else None
    loc = {"street": street_id, "community": community_id}
    figures: dict[str, Figure] = {}

    # complaints, from the daily aggregate
    received = _counts(period, None, resident=None, streets=streets, community_id=community_id)
    others = _counts(period, None, resident=False, streets=streets, community_id=community_id)
    figures["received"] = Figure("received", received, received, None, complaint_list_url(period, **loc))
    figures["other_reports"] = Figure("other_reports", others, others, None,
                                      complaint_list_url(period, group="other", **loc))
    complaints = Complaint.objects.filter(_where(streets, community_id), received_at__gte=low, received_at__lt=high)
    repeated = complaints.filter(status=ComplaintStatus.DUPLICATE).count()
    figures["repeated_complaints"] = Figure("repeated_complaints", repeated, repeated, received,
                                            complaint_list_url(period, status=ComplaintStatus.DUPLICATE, **loc))

    # cases
    in_scope = _where(streets, community_id, prefix="case__")  # rows of other tables: by their case's place
    overdue_at = _overdue_at(period)
    counts = _case_counts(streets, community_id, {"p": period}, CASE_COUNTS + ("recurred",))["p"]
    due, closed, on_time = counts["due"], counts["closed"], counts["on_time"]
    span = {"closed_after": period.start.isoformat(), "closed_before": period.end.isoformat()}
    figures["filed"] = Figure("filed", counts["filed"], counts["filed"], None,
                              case_list_url(**loc, opened_after=period.start, opened_before=period.end))
    figures["due"] = Figure("due", due, due, None,
                            case_list_url(**loc, owed_after=period.start, owed_before=period.end))
    figures["closed"] = Figure("closed", closed, closed, due, case_list_url(**loc, **span))
    figures["closing_rate"] = Figure("closing_rate", _rate(closed, due), closed, due, case_list_url(**loc, **span))
    on_time_url = case_list_url(**loc, **span, on_time="true")
    figures["on_time"] = Figure("on_time", on_time, on_time, due, on_time_url)
    figures["on_time_rate"] = Figure("on_time_rate", _rate(on_time, due), on_time, due, on_time_url)
    figures["overdue"] = Figure("overdue", counts["overdue"], counts["overdue"], None,
                                case_list_url(**loc, overdue_at=overdue_at))

    # per stage: moves out of a stage in the period (cases.indicators.stage_exits, stored as CaseStageExit)
    per_stage = {s: [0, 0] for s in STAGES}
    exits = (CaseStageExit.objects.filter(_where(streets, community_id), left_on__gte=period.start,
                                          left_on__lte=period.end,
                                          deadline__isnull=False).order_by().values("stage")
             .annotate(n=Count("pk"), ok=Count("pk", filter=Q(late=False))))
    for row in exits:
        if row["stage"] in per_stage:
            per_stage[row["stage"]] = [row["ok"], row["n"]]
    for stage, (n, d) in per_stage.items():
        code = f"stage_on_time:{stage}"
        figures[code] = Figure(code, _rate(n, d), n, d, None)

    # rework, rectification
    moves = (CaseTransition.objects.filter(in_scope, at__gte=low, at__lt=high)
             .aggregate(reopened=Count("pk", filter=Q(action="reopen")),
                        rectified=Count("pk", filter=Q(action="close_rectified")),
                        escalated=Count("pk", filter=Q(action="escalate"))))
    figures["rework"] = Figure("rework", moves["reopened"], moves["reopened"], closed,
                               case_list_url(**loc, reopened_after=period.start, reopened_before=period.end))
    figures["rework_rate"] = Figure("rework_rate", _rate(moves["reopened"], closed), moves["reopened"], closed,
                                    figures["rework"].list_url)
    reviews = moves["rectified"] + moves["escalated"]
    figures["rectification_rate"] = Figure("rectification_rate", _rate(moves["rectified"], reviews),
                                           moves["rectified"], reviews, None)

    # recurrence: a complaint of the same community and type within 90 days after the closing (cases.indicators)
    recurred = counts["recurred"]
    figures["recurrence_rate"] = Figure("recurrence_rate", _rate(recurred, closed), recurred, closed,
                                        case_list_url(**loc, **span, recurred="true"))

    # referrals answered on time
    referrals = _referrals_due(period).filter(_where(streets, None))
    if community_id is not None:
        referrals = referrals.filter(Q(complaint__community_id=community_id) | Q(case__community_id=community_id))
    figures["referral_on_time_rate"] = _referral_figure(_answered_by_due(referrals, "due", "answered_at")[None])

    # 12345 satisfaction
    replies = HotlineReply.objects.filter(replied_at__gte=low, replied_at__lt=high).exclude(satisfaction="")
    replies = replies.filter(_where(streets, community_id, prefix="complaint__"))
    sat = replies.aggregate(n=Count("pk"), ok=Count("pk", filter=Q(
        satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY])))
    figures["satisfaction_rate"] = Figure("satisfaction_rate", _rate(sat["ok"], sat["n"]), sat["ok"], sat["n"], None)

    # supervision orders answered on time
    orders = SupervisionOrder.objects.filter(in_scope, response_due__gte=period.start,
                                             response_due__lte=period.end)
    ok, n = _answered_by_due(orders, "response_due", "responded_at")[None]
    figures["supervision_answered_rate"] = Figure("supervision_answered_rate", _rate(ok, n), ok, n, None)
    return figures


# --- trend, types, streets ---------------------------------------------------------------------------------

def monthly_trend(user, start: date, end: date, street=None, community=None) -> list[dict]:
    """One row per calendar month touching start…end: residents' complaints, their per-10k (district and street;
    a community's own population), cases closed and the on-time closing rate (against 应结案)."""
    streets, community_id = _narrow(user, street, community)
    months = Period.between(start, end).months()
    whole = Period.between(months[0].start, months[-1].end)
    if community_id is None:  # whole calendar months of streets: the monthly cells (kept with the daily ones)
        rows = (MonthlyComplaintCount.objects.filter(month__gte=whole.start, month__lte=whole.end, resident=True)
                .filter(_where(streets, None)).order_by().values("month").annotate(n=Sum("count")))
        per_month = {(r["month"].year, r["month"].month): r["n"] for r in rows}
    else:  # one community: its own daily cells (an index on community)
        rows = (DailyComplaintCount.objects.filter(day__gte=whole.start, day__lte=whole.end, resident=True)
                .filter(_where(streets, community_id)).order_by().values("day__year", "day__month")
                .annotate(n=Sum("count")))
        per_month = {(r["day__year"], r["day__month"]): r["n"] for r in rows}
    closing = _case_counts(streets, community_id, {f"m{i}": m for i, m in enumerate(months)},
                           ("due", "closed", "on_time"))
    if community_id is not None:
        community_population = Community.objects.filter(pk=community_id).values_list("population", flat=True).first()
    populations_of = {}
    out = []
    for i, month in enumerate(months):
        n = per_month.get((month.start.year, month.start.month), 0)
        if community_id is not None:
            population = community_population
        else:
            if month.end.year not in populations_of:
                populations_of[month.end.year] = sum(street_populations(month.end.year, streets).values()) or None
            population = populations_of[month.end.year]
        due, closed, on_time = (closing[f"m{i}"][k] for k in ("due", "closed", "on_time"))
        out.append({"month": month.code, "complaints": n, "per_10k": _per_10k(n, population), "due": due,
                    "closed": closed, "closing_rate": _rate(closed, due), "on_time_rate": _rate(on_time, due)})
    return out


def by_type(user, period: Period, street=None, community=None) -> list[dict]:
    """Complaints and clues received per violation type (every channel), against the period of the same length
    just before; most first. Complaints not yet classified are one row with code ""."""
    streets, community_id = _narrow(user, street, community)
    before = Period.between(period.start - timedelta(days=period.days), period.start - timedelta(days=1))
    now = _counts(period, "violation_type_id", resident=None, streets=streets, community_id=community_id)
    then = _counts(before, "violation_type_id", resident=None, streets=streets, community_id=community_id)
    types = {t["pk"]: t for t in ViolationType.objects.values("pk", "code", "name")}
    loc = {"street": streets[0] if streets is not None and len(streets) == 1 else None, "community": community_id}
    out = []
    for type_id in set(now) | set(then):
        kind = types.get(type_id, {"code": "", "name": "未分类"})
        count, previous = now.get(type_id, 0), then.get(type_id, 0)
        out.append({"code": kind["code"], "name": kind["name"], "count": count, "previous": previous,
                    "change_pct": _pct_change(count, previous),
                    "list_url": complaint_list_url(period, violation_type=kind["code"] or None, **loc)
                    if kind["code"] else None})
    return sorted(out, key=lambda r: (-r["count"], r["code"]))


def by_type_per_month(user, months: list[Period], street=None, community=None) -> list[dict[str, int]]:
    """by_type's counts (every channel, per violation type code; "" not yet classified) of each calendar month in
    `months`, from one grouped query: [{code: count}] in the order of `months`."""
    streets, community_id = _narrow(user, street, community)
    whole = Period.between(min(m.start for m in months), max(m.end for m in months))
    if community_id is None and all(m.start.day == 1 and (m.end + timedelta(days=1)).day == 1 for m in months):
        rows = (MonthlyComplaintCount.objects.filter(month__gte=whole.start, month__lte=whole.end)
                .filter(_where(streets, None)).order_by()
                .values_list("month__year", "month__month", "violation_type__code").annotate(n=Sum("count")))
    else:
        rows = (DailyComplaintCount.objects.filter(day__gte=whole.start, day__lte=whole.end)
                .filter(_where(streets, community_id)).order_by()
                .values_list("day__year", "day__month", "violation_type__code").annotate(n=Sum("count")))
    found: dict[tuple, dict[str, int]] = {}
    for year, month, code, n in rows:
        found.setdefault((year, month), {})
        found[(year, month)][code or ""] = found[(year, month)].get(code or "", 0) + n
    return [found.get((m.start.year, m.start.month), {}) for m in months]


def streets_ranked(user, period: Period, baseline: Period | None = None) -> list[dict]:
    """Per street the user may see: per_10k (and its change against `baseline`, default a year before),
    closing_rate, on_time_rate, overdue; ranked by per_10k, highest first (streets without population last)."""
    baseline = baseline or period.year_ago()
    now = {u.unit_id: u for u in complaints_per_10k(user, period, "street")[1:]}
    then = {u.unit_id: u for u in complaints_per_10k(user, baseline, "street")[1:]}
    # the case figures of every street in one query (the same counts as effectiveness())
    cases = _case_counts(list(now), None, {"p": period}, ("due", "closed", "on_time", "overdue"), key="street_id")
    out = []
    for street_id, line in now.items():
        c = cases.get(street_id, {}).get("p", {"due": 0, "closed": 0, "on_time": 0, "overdue": 0})
        out.append({"street_id": street_id, "street": line.unit, "complaints": line.complaints,
                    "population": line.population, "per_10k": line.per_10k,
                    "baseline_per_10k": then[street_id].per_10k if street_id in then else None,
                    "change_pct": _pct_change(line.per_10k, then[street_id].per_10k if street_id in then else None),
                    "closing_rate": _rate(c["closed"], c["due"]), "on_time_rate": _rate(c["on_time"], c["due"]),
                    "overdue": c["overdue"], "list_url": line.list_url})
    out.sort(key=lambda r: (r["per_10k"] is None, -(r["per_10k"] or 0), r["street"]))
    for rank, row in enumerate(out, 1):
        row["rank"] = rank
    return out


def overdue_cases(user, at: date, street=None):
    """Cases open now whose current stage deadline had passed at the end of day `at` (the 超期 figure's cases)."""
    streets, _ = _narrow(user, street)
    return (_cases(streets, None).filter(indicators.overdue_at_q(at))
            .select_related("street", "community", "violation_type", "officer").order_by("state_due", "number"))


def supervised_cases(user, period: Period, street=None):
    """督办 orders issued in the period or due in it, with their cases."""
    streets, _ = _narrow(user, street)
    low, high = bounds(period.start, period.end)
    return (SupervisionOrder.objects.filter(_where(streets, None, prefix="case__"))
            .filter(Q(issued_at__gte=low, issued_at__lt=high)
                    | Q(response_due__gte=period.start, response_due__lte=period.end))
            .select_related("case", "case__street", "case__community").order_by("response_due", "pk"))
