"""What a bulletin says, gathered once from analytics.metrics: the headline figures, the tables, the chart
series and the metric definitions. The Word builder (bulletins.docx) and the Excel builder (bulletins.xlsx)
both print this one structure, so the two files carry the same figures.

Rates follow ../shared/INDICATORS.md (and analytics.metrics, where each is defined once): 结案率 and 按期结案率
are counted against 应结案数, and every rate is printed with its numerator and denominator."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

from analytics import metrics, selectors
from analytics.periods import MONTH, QUARTER, Period, PeriodError

# Column kinds: text, int (a count), pct (a rate in %, 0-100), num (a ratio such as per 10k), change (± %).
# points: a difference of two rates, in percentage points. A cell may also be (value, kind): its own kind.
TEXT, INT, PCT, NUM, CHANGE, POINTS = "text", "int", "pct", "num", "change", "points"
DASH = "—"
RATES = {"closing_rate", "on_time_rate", "rework_rate", "recurrence_rate", "referral_on_time_rate",
         "satisfaction_rate", "supervision_answered_rate"}
EFFECTIVENESS = ("received", "filed", "due", "closed", "closing_rate", "on_time", "on_time_rate", "overdue",
                 "rework_rate", "recurrence_rate", "supervision_answered_rate", "satisfaction_rate")
UNIT_FIGURES = ("received", "filed", "due", "closed", "closing_rate", "on_time_rate", "overdue")
# The supervision, overdue and per-community lists are long in a busy month: the Word file prints the first
# rows (the Excel file has them all) and says how many there are.
DOCX_LIST_ROWS = 40


@dataclass
class Column:
    title: str
    kind: str = TEXT
    width: float = 12   # characters (Excel)
    wrap: bool = False  # in Word, this column takes the width the others leave, and wraps


@dataclass
class Table:
    key: str                 # the Excel sheet's name
    title: str               # 表一 …
    columns: list[Column]
    rows: list[list]
    note: str = ""
    docx_rows: int | None = None  # print only the first rows in Word (the note says so)


@dataclass
class Chart:
    key: str
    title: str
    data: dict


@dataclass
class Content:
    title: str
    scope_name: str           # 全区 or the street's name
    period: Period
    baseline: Period
    issuer: str
    issued_on: date
    summary: list[str] = field(default_factory=list)  # the opening paragraphs
    headline: Table | None = None
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    definitions: list[tuple[str, str]] = field(default_factory=list)
    baseline_empty: bool = False  # the baseline lies (partly) before the platform's first record
    data_start: date | None = None
    as_of: date | None = None     # the period's end, or today while the period runs


def parse_period(text: str) -> Period:
    """A bulletin's period: a month (2026-11) or a quarter (2026-Q4); PeriodError otherwise."""
    period = Period.parse(text)
    if period.kind not in (MONTH, QUARTER):
        raise PeriodError(f"通报按月或按季度制作，“{text}”不是月份或季度（应为 2026-11 或 2026-Q4）",
                          f"bulletins are monthly or quarterly: {text!r} is neither (expected 2026-11 or 2026-Q4)")
    return period


def district_name(district=None) -> str:
    """The district's name: `district`'s, else the installation's (ANJU_DISTRICT_NAME)."""
    if district is not None:
        return district.name
    return getattr(settings, "ANJU_DISTRICT_NAME", "") or "普陀区"


def issuer_for(district=None) -> str:
    """Who issues the bulletin: the district's bureau (registry.District.bureau_name, else named after it)."""
    if district is not None and district.bureau_name:
        return district.bureau_name
    return f"{district_name(district)}城市管理行政执法局"


def title_for(period: Period, street=None, district=None) -> str:
    where = street.name if street is not None else district_name(district)
    return f"{where}住宅小区违法违规行为治理工作通报（{period.label}）"


def fmt(value, kind: str) -> str:
    """A cell as printed in Word: no None, no NaN; rates with two decimals and %."""
    if value is None or (isinstance(value, float) and value != value):
        return DASH
    if kind == INT:
        return f"{int(value):,}"
    if kind == PCT:
        return f"{value:.2f}%"
    if kind == NUM:
        return f"{value:.2f}"
    if kind == CHANGE:
        return f"{value:+.2f}%" if value else "0.00%"
    if kind == POINTS:
        return f"{value:+.2f}个百分点" if value else "持平"
    return str(value)


def cell(value, kind: str) -> tuple:
    """(value, kind) of a table cell: a (value, kind) pair keeps its own kind."""
    if isinstance(value, tuple):
        return value
    return value, kind


def _change(current, previous) -> float | None:
    if current is None or not previous:
        return None
    return round((current - previous) / previous * 100, 2)


def _ratio(figure) -> str:
    if figure is None or figure.denominator is None:
        return DASH
    return f"{figure.numerator or 0:,} ÷ {figure.denominator:,}"


def _fig_value(figures: dict, code: str):
    figure = figures.get(code)
    return None if figure is None else figure.value


def _definition(code: str) -> tuple[str, str] | None:
    definition = metrics.DEFINITIONS.get(code)
    if definition is None:
        return None
    return definition.name, definition.text


def _name(row: dict) -> str:
    return str(row.get("street") or row.get("unit") or row.get("name") or DASH)


def _unit_row(rate, figures: dict) -> list:
    name = "全区合计" if rate.level == "district" else rate.unit
    return [name, rate.complaints, rate.population, rate.per_10k] + [_fig_value(figures, c) for c in UNIT_FIGURES]


def gather(period: Period, street=None, *, district=None, user=None,
           progress: Callable[[int], None] | None = None) -> Content:
    """Everything the bulletin prints. `district`: whose bulletin (a street's: the street's district); its
    figures count that district's streets, communities, complaints and cases only. `user`: whose view of the
    figures (default analytics.metrics.system_for(district): the district's view, the whole installation's
    while it holds one district; who may make which bulletin is checked before, in bulletins.services)."""
    if district is None and street is not None:
        district = street.district
    user = user if user is not None else metrics.system_for(district)
    step = progress or (lambda pct: None)
    baseline = period.year_ago()
    where = street.name if street is not None else "全区"
    content = Content(title=title_for(period, street, district), scope_name=where, period=period,
                      baseline=baseline, issuer=issuer_for(district), issued_on=timezone.localdate())
    content.as_of = min(period.end, content.issued_on)

    # --- headline figures ----------------------------------------------------------------------------
    level = "street" if street is not None else "district"
    per10k = metrics.per_10k_change(user, period, baseline, level=level,
                                    unit_id=street.pk if street is not None else None)
    now = metrics.effectiveness(user, period, street=street)
    before = metrics.effectiveness(user, baseline, street=street)
    step(20)
    previous = period.previous()
    per10k_prev = metrics.per_10k_change(user, period, previous, level=level,
                                         unit_id=street.pk if street is not None else None)
    earlier = metrics.effectiveness(user, previous, street=street)
    cur, base, prev = per10k["current"], per10k["baseline"], per10k_prev["baseline"]
    content.data_start = selectors.records_since(metrics.allowed_streets(user))
    nothing = not base.complaints and not _fig_value(before, "received") and not _fig_value(before, "due")
    partial = content.data_start is not None and content.data_start > baseline.start
    content.baseline_empty = nothing or partial
    if content.baseline_empty:  # the baseline lies (partly) before the platform's data: say so, no false changes
        before, base = {}, None
    rows = [["投诉万人比", (cur.per_10k, NUM),
             f"{cur.complaints:,} 件 ÷ {cur.population:,} 人 × 10000" if cur.population else
             f"{cur.complaints:,} 件（人口未录入）", (prev.per_10k, NUM), (per10k_prev["change_pct"], CHANGE),
             (base.per_10k if base else None, NUM), (per10k["change_pct"] if base else None, CHANGE)]]
    for code in EFFECTIVENESS:
        figure = now.get(code)
        if figure is None:
            continue
        old, last = _fig_value(before, code), _fig_value(earlier, code)
        if code in RATES:
            rows.append([figure.definition.name, (figure.value, PCT), _ratio(figure), (last, PCT),
                         (_points(figure.value, last), POINTS), (old, PCT), (_points(figure.value, old), POINTS)])
        else:
            rows.append([figure.definition.name, (figure.value, INT), "", (last, INT),
                         (_change(figure.value, last), CHANGE), (old, INT), (_change(figure.value, old), CHANGE)])
    content.headline = Table("主要指标", "表一  主要指标", [
        Column("指标", TEXT, 12), Column("本期", NUM, 10), Column("计算（分子 ÷ 分母）", TEXT, 24, wrap=True),
        Column(f"上期（{previous.label}）", NUM, 12), Column("环比", CHANGE, 11),
        Column(f"基期（{baseline.label}）", NUM, 12), Column("同比", CHANGE, 11)], rows,
        note="结案率、按期结案率的分母为应结案数；比率的环比、同比以百分点计。"
             + (f"{_baseline_gap(content)}，不作同比。" if content.baseline_empty else ""))
    if content.baseline_empty:  # the two baseline columns would be dashes only
        content.headline.columns = content.headline.columns[:5]
        content.headline.rows = [row[:5] for row in content.headline.rows]
    per10k_used = per10k_prev if content.baseline_empty else per10k

    content.summary = _summary(content, per10k_used, now, earlier if content.baseline_empty else before,
                               previous if content.baseline_empty else baseline)

    # --- per street (district) or per community (street) ------------------------------------------------
    n = 2
    if street is None:
        rows = []
        for rate in metrics.complaints_per_10k(user, period, by="street"):
            figures = metrics.effectiveness(user, period, street=rate.unit_id)
            rows.append(_unit_row(rate, figures))
        rows.sort(key=lambda r: r[0] == "全区合计")
        content.tables.append(Table("各街镇", f"表{_cn(n)}  各街镇主要指标", _unit_columns("街镇"), rows,
                                    note="居民投诉：计入投诉万人比的居民投诉件数；受理：各渠道线索数。"))
    else:
        rows = []
        for rate in metrics.complaints_per_10k(user, period, by="community", street=street):
            if rate.level != "community":
                continue
            figures = metrics.effectiveness(user, period, street=street, community=rate.unit_id)
            rows.append(_unit_row(rate, figures))
        rows.sort(key=lambda r: (-(r[1] or 0), -(r[4] or 0), r[0]))
        content.tables.append(Table("各小区", f"表{_cn(n)}  各小区主要指标", _unit_columns("小区"), rows,
                                    note="按居民投诉量从多到少排列；小区人口未录入的，万人比记为“—”。",
                                    docx_rows=DOCX_LIST_ROWS))
    n += 1
    step(45)

    # --- per violation type -------------------------------------------------------------------------
    types = metrics.by_type(user, period, street=street)
    content.tables.append(Table("违法类型", f"表{_cn(n)}  各类违法违规行为诉件数", [
        Column("违法类型", TEXT, 30, wrap=True), Column(f"{period.label}", INT, 10), Column("上期", INT, 10),
        Column("环比变化", CHANGE, 10)],
        [[t["name"], t["count"], t.get("previous"), t.get("change_pct")] for t in types],
        note="上期：紧邻本期之前的同长度期间。"))
    n += 1

    # --- streets ranked (district only) -----------------------------------------------------------------
    if street is None:
        ranked = metrics.streets_ranked(user, period, baseline=baseline)
        content.tables.append(Table("街镇排名", f"表{_cn(n)}  各街镇投诉万人比排名", [
            Column("名次", INT, 6), Column("街镇", TEXT, 16, wrap=True), Column("投诉万人比", NUM, 11),
            Column("同比变化", CHANGE, 10), Column("结案率", PCT, 10), Column("按期结案率", PCT, 11),
            Column("超期数", INT, 8)],
            [[r.get("rank", i), _name(r), r.get("per_10k"), None if content.baseline_empty else r.get("change_pct"),
              r.get("closing_rate"), r.get("on_time_rate"), r.get("overdue")] for i, r in enumerate(ranked, start=1)],
            note="按投诉万人比从高到低排列；同比变化为与基期投诉万人比相比的增减幅度。"
                 + (f"{_baseline_gap(content)}，同比变化记为“—”。" if content.baseline_empty else "")))
        n += 1
    step(60)

    # --- overdue and supervised cases ---------------------------------------------------------------
    as_of = content.as_of
    overdue = metrics.overdue_cases(user, as_of, street=street)
    overdue = overdue.select_related("community", "violation_type", "street").order_by("state_due", "number")
    rows = [[c.number, c.street.name if c.street_id else DASH, c.community.name if c.community_id else DASH,
             c.violation_type.name, str(c.get_state_display()), c.state_due.isoformat() if c.state_due else DASH,
             (as_of - c.state_due).days + 1 if c.state_due else None] for c in overdue]
    content.tables.append(Table("超期案件", f"表{_cn(n)}  超期案件清单（截至{cn_date(as_of)}）", [
        Column("案件编号", TEXT, 18), Column("街镇", TEXT, 12, wrap=True), Column("小区", TEXT, 18, wrap=True),
        Column("违法类型", TEXT, 22, wrap=True),
        Column("所处阶段", TEXT, 10), Column("阶段期限", TEXT, 12), Column("超期天数", INT, 8)], rows,
        note=f"共 {len(rows)} 件；超期天数：至{cn_date(as_of)}已超过阶段期限的自然日数（含当日）。",
        docx_rows=DOCX_LIST_ROWS))
    n += 1
    orders = metrics.supervised_cases(user, period, street=street)
    orders = orders.select_related("case", "case__community", "case__violation_type", "case__street")
    rows = []
    for order in orders.order_by("issued_at", "pk"):
        case = order.case
        rows.append([case.number, case.street.name if case.street_id else DASH,
                     case.community.name if case.community_id else DASH, case.violation_type.name,
                     timezone.localdate(order.issued_at).isoformat(), order.response_due.isoformat(),
                     str(order.get_status_display())])
    content.tables.append(Table("督办案件", f"表{_cn(n)}  督办案件清单", [
        Column("案件编号", TEXT, 18), Column("街镇", TEXT, 12, wrap=True), Column("小区", TEXT, 18, wrap=True),
        Column("违法类型", TEXT, 22, wrap=True),
        Column("督办日期", TEXT, 12), Column("回复期限", TEXT, 12), Column("状态", TEXT, 10)], rows,
        note=f"{period.label}内发出或回复期限在{period.label}内的督办令共 {len(rows)} 件。", docx_rows=DOCX_LIST_ROWS))
    step(70)

    # --- charts -------------------------------------------------------------------------------------
    first = date(period.end.year - 1, period.end.month, 1) if period.end.month < 12 else date(period.end.year, 1, 1)
    trend = metrics.monthly_trend(user, first, period.end, street=street)
    content.charts.append(Chart("trend", f"图1  {where}近12个月居民投诉量与投诉万人比", {"trend": trend}))
    content.charts.append(Chart("types", f"图2  {period.label}各类违法违规行为诉件数", {"types": types[:10],
                                                                              "label": period.label}))
    step(80)

    for code in ("complaints_per_10k", *EFFECTIVENESS):
        if (pair := _definition(code)) is not None:
            content.definitions.append(pair)
    return content


def _unit_columns(unit: str) -> list[Column]:
    return [Column(unit, TEXT, 20, wrap=True), Column("居民投诉", INT, 9), Column("常住人口", INT, 13),
            Column("万人比", NUM, 9),
            Column("受理", INT, 8), Column("立案", INT, 8), Column("应结案", INT, 8), Column("结案", INT, 8),
            Column("结案率", PCT, 12), Column("按期结案率", PCT, 12), Column("超期", INT, 7)]


def _baseline_gap(content: Content) -> str:
    if content.data_start is None or content.data_start > content.baseline.end:
        return f"基期（{content.baseline.label}）平台尚无数据"
    return f"平台数据自{cn_date(content.data_start)}起，基期（{content.baseline.label}）数据不完整"


def _points(a, b) -> float | None:
    return None if a is None or b is None else round(a - b, 2)


def _summary(content: Content, per10k: dict, now: dict, before: dict, against: Period) -> list[str]:
    cur, change = per10k["current"], per10k["change_pct"]
    where = content.scope_name
    text = (f"{content.period.label}，{where}共受理居民投诉 {cur.complaints:,} 件，投诉万人比 "
            f"{fmt(cur.per_10k, NUM)}")
    if change is None:
        text += "，基期无可比数据。"
    else:
        direction = "下降" if change < 0 else ("上升" if change > 0 else "持平")
        text += f"，较{against.label}{direction}" + (f" {abs(change):.2f}%。" if change else "。")
    paragraphs = [text]
    if {"received", "due", "closed", "closing_rate", "on_time_rate"} <= set(now):
        paragraphs.append(
            f"当期受理线索 {fmt(now['received'].value, INT)} 件，立案 {fmt(_fig_value(now, 'filed'), INT)} 件，"
            f"应结案 {fmt(now['due'].value, INT)} 件，结案 {fmt(now['closed'].value, INT)} 件，"
            f"结案率 {fmt(now['closing_rate'].value, PCT)}；按期结案 {fmt(_fig_value(now, 'on_time'), INT)} 件，"
            f"按期结案率 {fmt(now['on_time_rate'].value, PCT)}；"
            f"期末超期未结 {fmt(_fig_value(now, 'overdue'), INT)} 件。")
        diffs = []
        for code in ("closing_rate", "on_time_rate"):
            a, b = now[code].value, _fig_value(before, code)
            if a is not None and b is not None:
                d = a - b
                word = "提高" if d > 0 else ("下降" if d < 0 else "持平")
                diffs.append(f"{now[code].definition.name}{word}" + (f" {abs(d):.2f} 个百分点" if d else ""))
        if diffs:
            paragraphs.append(f"与{against.label}相比，" + "，".join(diffs) + "。")
    if content.as_of and content.as_of < content.period.end:
        paragraphs.append(f"{content.period.label}尚未结束，数据截至{cn_date(content.as_of)}，"
                          "与整期的比较仅供参考。")
    if content.baseline_empty:
        paragraphs.append(f"{_baseline_gap(content)}，本期与上期（{against.label}）比较。")
    elif per10k.get("goal_met") is False:
        paragraphs.append(f"投诉万人比较基期（{content.baseline.label}）未下降，未实现下降目标，"
                          "请相关街镇查找原因、落实整改。")
    elif per10k.get("goal_met"):
        paragraphs.append(f"投诉万人比较基期（{content.baseline.label}）下降，实现下降目标。")
    return paragraphs


def _cn(n: int) -> str:
    return "零一二三四五六七八九十"[n] if n <= 10 else str(n)


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
