"""The dashboards: district overview, street and community pages (drill-down), the duty room's wall (大屏) and
their JSON data. Thin views: every figure comes from analytics.metrics (defined once there, scoped by the user),
the hotspot alerts from analytics.hotspots; a street or community outside the user's scope is 404, a role
without ANALYTICS_VIEW / ANALYTICS_WALL 403."""
import time
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import policy, scope
from accounts.policy import may
from analytics import forms, hotspots, metrics
from analytics.periods import Period
from cases import selectors as case_selectors
from cases.choices import CaseState
from core import replica
from intake import selectors as intake_selectors
from intake.models import Complaint
from registry.models import Community, Street

# the effectiveness figures in the order the page shows them (codes the metrics module does not give are skipped)
HEADLINE = ("received", "filed", "due", "closed", "closing_rate", "on_time", "on_time_rate", "overdue")
MORE = ("rework_rate", "rectification_rate", "recurrence_rate", "repeated_complaints", "referral_on_time_rate",
        "satisfaction_rate", "supervision_answered_rate")
TREND_MONTHS = 12
WALL_CACHE_SECONDS = 50


def _require(user, action):
    if not may(user, action):
        raise PermissionDenied


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def period_label(period) -> str:
    return period.label_en if _english() else period.label


def _definition(code):
    return metrics.DEFINITIONS.get(code) or metrics.DEFINITIONS.get(code.split(":", 1)[0])


def _figure_row(code, figure) -> dict:
    d = _definition(code)
    english = _english()
    name = (d.name_en if english else d.name) if d else code
    text = (d.text_en if english else d.text) if d else ""
    rate = (d.unit == "percent") if d else code.endswith("rate")
    if english and code.startswith("stage_on_time:"):  # the state's own (translated) name, not its code
        state = code.split(":", 1)[1]
        label = str(CaseState(state).label) if state in CaseState.values else state
        name, text = f"On time: {label}", text.replace(f"stage {state}", f"stage “{label}”")
    return {"code": code, "name": name, "text": text, "value": figure.value, "rate": rate,
            "numerator": figure.numerator, "denominator": figure.denominator, "url": figure.list_url}


def _figures(user, period, **unit) -> dict:
    figs = metrics.effectiveness(user, period, **unit)
    rows = {code: _figure_row(code, f) for code, f in figs.items()}
    headline = [rows[c] for c in HEADLINE if c in rows]
    more = [rows[c] for c in MORE if c in rows]
    more += [r for c, r in rows.items() if c not in HEADLINE and c not in MORE and not c.startswith("stage_on_time")]
    stages = [r for c, r in rows.items() if c.startswith("stage_on_time")]
    return {"headline": headline, "more": more, "stages": stages}


def _goal(user, sel, level, unit_id):
    change = metrics.per_10k_change(user, sel.period, sel.baseline, level=level, unit_id=unit_id)
    if forms.fall_back_when_empty(sel, change["baseline"].complaints):
        change = metrics.per_10k_change(user, sel.period, sel.baseline, level=level, unit_id=unit_id)
    forms.note_partial_baseline(sel, hotspots.data_start(user))
    d = metrics.DEFINITIONS["complaints_per_10k"]
    change["definition"] = d.text_en if _english() else d.text
    change["name"] = d.name_en if _english() else d.name
    return change


def _trend_range(period) -> tuple[date, date]:
    end = period.end
    first = date(end.year, end.month, 1)
    for _i in range(TREND_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, end


def _map_points(user, period, street=None, alerts=()) -> list[dict]:
    """Communities with coordinates, coloured by complaints per 10k over the period; each links to its page; those
    with a hotspot alert flagged (drawn rippling)."""
    alerting = {a.community_id for a in alerts}
    rates = {r.unit_id: r for r in metrics.complaints_per_10k(user, period, by="community", street=street)[1:]}
    qs = Community.objects.restrict(user, "view").filter(lat__isnull=False, lng__isnull=False)
    if street is not None:
        qs = qs.filter(street=street)
    points = []
    for c in qs.select_related("street").only("pk", "name", "lat", "lng", "street__name"):
        r = rates.get(c.pk)
        points.append({"id": c.pk, "name": c.name, "street": c.street.name, "lng": float(c.lng), "lat": float(c.lat),
                       "per_10k": r.per_10k if r else None, "complaints": r.complaints if r else 0,
                       "url": reverse("analytics:community", args=[c.pk]), "alert": c.pk in alerting})
    return points


SPARK_W, SPARK_H = 84, 20


def _types(user, period, **unit) -> list[dict]:
    """Counts per violation type against the period before, each with its monthly counts over the trend's 12
    months drawn as a sparkline (an SVG polyline's points)."""
    rows = metrics.by_type(user, period, **unit)
    start, end = _trend_range(period)
    months = Period.between(start, end).months()
    per_month = metrics.by_type_per_month(user, months, **unit)
    for row in rows:
        series = [m.get(row["code"], 0) for m in per_month]
        top = max(series) or 1
        step = SPARK_W / max(1, len(series) - 1)
        row["spark"] = " ".join(f"{i * step:.1f},{SPARK_H - 2 - v / top * (SPARK_H - 4):.1f}"
                                for i, v in enumerate(series))
        row["spark_title"] = " · ".join(f"{m.code} {v}" for m, v in zip(months, series, strict=True))
    return rows


def _base_context(request, sel, level, title):
    return {"sel": sel, "level": level, "title": title, "period_label": period_label(sel.period),
            "own_streets_only": scope.role_of(request.user) in scope.STREET_SCOPED,
            "my_streets": [s.name for s in Street.objects.restrict(request.user, "view")],
            "baseline_label": period_label(sel.baseline), "choices": sel.choices(),
            "rule_text": hotspots.RULE_TEXT, "measured": hotspots.MEASURED}


def _timed(request, context):
    context["elapsed_ms"] = round((time.perf_counter() - request._analytics_t0) * 1000)
    return context


@login_required
@replica.reading()
def overview(request):
    """The district overview (a street user: the district line and their own street's figures)."""
    request._analytics_t0 = time.perf_counter()
    user = request.user
    _require(user, policy.ANALYTICS_VIEW)
    sel = forms.selection(request.GET)
    goal = _goal(user, sel, "district", None)
    trend_start, trend_end = _trend_range(sel.period)
    context = _base_context(request, sel, "district", _("全区"))
    context.update(
        goal=goal, figures=_figures(user, sel.period), types=_types(user, sel.period),
        trend=metrics.monthly_trend(user, trend_start, trend_end),
        streets=metrics.streets_ranked(user, sel.period, sel.baseline),
        alerts=hotspots.current_alerts(user),
    )
    context["points"] = _map_points(user, sel.period, alerts=context["alerts"])
    for row in context["streets"]:
        row["page_url"] = reverse("analytics:street", args=[row["street_id"]])
    return render(request, "analytics/dashboard.html", _timed(request, context))


@login_required
@replica.reading()
def street(request, pk):
    request._analytics_t0 = time.perf_counter()
    user = request.user
    _require(user, policy.ANALYTICS_VIEW)
    obj = get_object_or_404(Street.objects.restrict(user, "view"), pk=pk)
    sel = forms.selection(request.GET)
    goal = _goal(user, sel, "street", obj.pk)
    trend_start, trend_end = _trend_range(sel.period)
    communities = sorted(metrics.complaints_per_10k(user, sel.period, by="community", street=obj)[1:],
                         key=lambda r: (r.per_10k is None, -(r.per_10k or 0), -r.complaints))
    context = _base_context(request, sel, "street", obj.name)
    context.update(
        street=obj, goal=goal, figures=_figures(user, sel.period, street=obj),
        types=_types(user, sel.period, street=obj),
        trend=metrics.monthly_trend(user, trend_start, trend_end, street=obj),
        communities=[{"rate": r, "page_url": reverse("analytics:community", args=[r.unit_id])}
                     for r in communities if r.unit_id],
        alerts=hotspots.current_alerts(user, street=obj),
    )
    context["points"] = _map_points(user, sel.period, street=obj, alerts=context["alerts"])
    return render(request, "analytics/dashboard.html", _timed(request, context))


@login_required
@replica.reading()
def community(request, pk):
    request._analytics_t0 = time.perf_counter()
    user = request.user
    _require(user, policy.ANALYTICS_VIEW)
    obj = get_object_or_404(Community.objects.restrict(user, "view").select_related("street"), pk=pk)
    sel = forms.selection(request.GET)
    goal = _goal(user, sel, "community", obj.pk)
    trend_start, trend_end = _trend_range(sel.period)
    context = _base_context(request, sel, "community", obj.name)
    context.update(
        community=obj, street=obj.street, street_visible=Street.objects.restrict(user, "view")
        .filter(pk=obj.street_id).exists(),
        goal=goal, figures=_figures(user, sel.period, community=obj),
        types=_types(user, sel.period, community=obj),
        trend=metrics.monthly_trend(user, trend_start, trend_end, community=obj),
        weekly=_weekly(user, obj),
        alerts=[a for a in hotspots.current_alerts(user, street=obj.street_id) if a.community_id == obj.pk],
    )
    return render(request, "analytics/dashboard.html", _timed(request, context))


def _weekly(user, community_obj, weeks=26) -> dict:
    """The community's resident complaints in the last `weeks` 7-day blocks, with the alert threshold of each."""
    end = timezone.localdate() - timedelta(days=1)
    first = hotspots.data_start(user)
    start = end - timedelta(days=7 * (weeks + hotspots.WEEKS_HISTORY) - 1)
    days = hotspots.daily_counts(user, start, end, street=community_obj.street_id).get(community_obj.pk, {})
    series = hotspots.block_counts(days, end, weeks + hotspots.WEEKS_HISTORY)
    rows = []
    for i in range(hotspots.WEEKS_HISTORY, len(series)):
        week_end = end - timedelta(days=7 * (len(series) - 1 - i))
        usable = hotspots.usable_history(week_end, first)
        j = hotspots.judge(series[i - usable:i] if usable else [], series[i])
        if week_end - timedelta(days=6) < (first or week_end):
            continue
        rows.append({"end": week_end.isoformat(), "count": series[i], "mean": j.mean, "alert": j.alert,
                     "threshold": hotspots.threshold(j.mean) if j.mean is not None else None})
    return {"rows": rows}


# --- the wall 大屏 ------------------------------------------------------------------------------------

@login_required
def wall(request):
    _require(request.user, policy.ANALYTICS_WALL)
    return render(request, "analytics/wall.html", {"data_url": reverse("analytics:wall-data"),
                                                   "rule_text": hotspots.RULE_TEXT})


def wall_payload(user) -> dict:
    today = timezone.localdate()
    sel = forms.selection({})
    goal = _goal(user, sel, "district", None)
    figs = metrics.effectiveness(user, sel.period)
    complaints = Complaint.objects.restrict(user, "view")
    trend_start, trend_end = _trend_range(sel.period)
    trend = metrics.monthly_trend(user, trend_start, trend_end)

    def fig(code):
        f = figs.get(code)
        return {"value": f.value, "numerator": f.numerator, "denominator": f.denominator} if f else None

    current, baseline = goal["current"], goal["baseline"]
    alerts = hotspots.current_alerts(user)
    return {
        "generated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S"),
        "today": today.isoformat(),
        "intake_today": complaints.filter(received_at__date=today).count(),
        "overdue_complaints": complaints.filter(intake_selectors.overdue_q()).count(),
        "overdue_cases": case_selectors.overdue(case_selectors.case_list(user=user)).count(),
        "period": period_label(sel.period), "baseline": period_label(sel.baseline),
        "per_10k": current.per_10k, "per_10k_baseline": baseline.per_10k, "change_pct": goal["change_pct"],
        "complaints": current.complaints,
        "closing_rate": fig("closing_rate"), "on_time_rate": fig("on_time_rate"),
        "trend": [{"month": r["month"], "per_10k": r["per_10k"], "complaints": r["complaints"]} for r in trend],
        "points": _map_points(user, sel.period, alerts=alerts),
        "alerts": [{"community": a.community, "street": a.street, "count": a.count, "mean": a.mean,
                    "url": reverse("analytics:community", args=[a.community_id])}
                   for a in alerts[:8]],
        "types": [{"name": t["name"], "count": t["count"]} for t in _types(user, sel.period)[:8]],
    }


@login_required
@replica.reading()
def wall_data(request):
    _require(request.user, policy.ANALYTICS_WALL)
    # several screens of one user share a payload for WALL_CACHE_SECONDS (the wall asks every 60 s)
    key = f"analytics:wall:{request.user.pk}:{translation.get_language()}"
    payload = cache.get(key)
    if payload is None:
        payload = wall_payload(request.user)
        cache.set(key, payload, WALL_CACHE_SECONDS)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
