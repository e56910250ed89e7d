"""The dashboards' period picker: which period, against which baseline.

GET parameters: `kind` (month | quarter | year | custom) with `month` (2026-11), `quarter` (2026-Q4), `year`
(2026) or `start` and `end` (YYYY-MM-DD); `baseline` (year_ago | previous). Without them: the latest full month
against the same month a year before, or against the month before when the year-ago month has no data (the page
says so). A bad value is refused with a bilingual message and the default shown instead (never a 500).
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analytics.periods import Period

KINDS = (("month", _("月度")), ("quarter", _("季度")), ("year", _("年度")), ("custom", _("自定义")))
BASELINES = (("year_ago", _("上年同期")), ("previous", _("上一期")))


@dataclass
class Selection:
    period: object
    baseline: object
    kind: str
    baseline_kind: str
    explicit_baseline: bool
    errors: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def query(self) -> str:
        """The GET parameters that select this period and baseline again (for links between pages)."""
        p = self.period
        if p.kind == "custom":
            base = f"kind=custom&start={p.start}&end={p.end}"
        else:
            base = f"kind={p.kind}&{p.kind}={p.code}"
        return f"{base}&baseline={self.baseline_kind}"

    def choices(self) -> dict:
        """Options of the picker's selects: recent quarters and years."""
        today = timezone.localdate()
        quarters = []
        y, q = today.year, (today.month - 1) // 3 + 1
        for _i in range(8):
            quarters.append(f"{y}-Q{q}")
            y, q = (y, q - 1) if q > 1 else (y - 1, 4)
        return {"quarters": quarters, "years": [str(today.year - i) for i in range(4)], "kinds": KINDS,
                "baselines": BASELINES}


def latest_full_month(today: date | None = None):
    today = today or timezone.localdate()
    last = today.replace(day=1) - timedelta(days=1)
    return Period.parse(last.strftime("%Y-%m"))


def _parse_date(text: str, label: str, label_en: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValueError(f"{label}“{text}”不是有效日期（YYYY-MM-DD） / the {label_en} {text!r} is not a date "
                         f"(YYYY-MM-DD)") from None


def _period(params) -> tuple[object, str]:
    kind = params.get("kind") or ""
    if not kind:
        for k in ("month", "quarter", "year"):
            if params.get(k):
                kind = k
                break
        else:
            if params.get("period"):
                p = Period.parse(params["period"])
                return p, p.kind
            if params.get("start") or params.get("end"):
                kind = "custom"
    if not kind:
        return latest_full_month(), "month"
    if kind not in dict(KINDS):
        raise ValueError(f"未知的期间类型“{kind}” / unknown kind of period {kind!r}")
    if kind == "custom":
        start = _parse_date(params.get("start"), "起始日期", "start")
        end = _parse_date(params.get("end"), "截止日期", "end")
        return Period.between(start, end), kind
    text = params.get(kind) or ""
    if not text:
        raise ValueError(f"请选择{dict(KINDS)[kind]} / choose the {kind}")
    period = Period.parse(text)
    return period, period.kind


def selection(params) -> Selection:
    """The period and baseline the GET parameters ask for (the default when they ask for nothing valid)."""
    errors = []
    try:
        period, kind = _period(params)
    except ValueError as exc:
        errors.append(str(exc))
        period, kind = latest_full_month(), "month"
    baseline_kind = params.get("baseline") or ""
    explicit = bool(baseline_kind)
    if baseline_kind and baseline_kind not in dict(BASELINES):
        errors.append(f"未知的基期“{baseline_kind}” / unknown baseline {baseline_kind!r}")
        baseline_kind, explicit = "", False
    baseline_kind = baseline_kind or "year_ago"
    try:
        baseline = _baseline(period, baseline_kind)
    except ValueError as exc:  # a period at the edge of the plausible range has no baseline before it
        errors.append(f"无法取该期间的基期 / no baseline for that period: {exc}")
        period, kind = latest_full_month(), "month"
        baseline = _baseline(period, baseline_kind)
    return Selection(period, baseline, kind, baseline_kind, explicit, errors)


def _baseline(period, baseline_kind: str):
    return period.year_ago() if baseline_kind == "year_ago" else period.previous()


def note_partial_baseline(sel: Selection, first_day) -> None:
    """A baseline that starts before the first complaint on record is compared only in part: said on the page."""
    if first_day and sel.baseline.start < first_day <= sel.baseline.end:
        sel.notes.append(_("基期部分早于平台最早的诉件（%(day)s），变化率仅供参考。") % {"day": first_day.isoformat()})


def fall_back_when_empty(sel: Selection, baseline_complaints: int) -> bool:
    """With no baseline asked for and a year-ago period without data, take the previous period instead (noted on
    the page). True when the baseline changed."""
    if sel.explicit_baseline or sel.baseline_kind != "year_ago" or baseline_complaints:
        if sel.explicit_baseline and not baseline_complaints:
            sel.notes.append(_("所选基期没有诉件数据，变化率无法计算。"))
        return False
    sel.baseline_kind = "previous"
    sel.baseline = sel.period.previous()
    sel.notes.append(_("上年同期没有诉件数据，基期改为上一期。"))
    return True
