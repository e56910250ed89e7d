"""The city bureau's page (市局): every district of the installation side by side and ranked — the 市、区两级
supervision of 沪城管执〔2022〕52号 §四(一).

Nothing is counted here: each district's line is analytics.metrics' own figures with `district=` (the same
numbers the district's lead reads on their overview), so a rule changes in one place only. Only the city bureau
and a superuser open it (policy CITY_OVERVIEW); a district's lead, who sees only their own district, is refused.
"""
import time

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from accounts import policy
from analytics import forms, metrics
from core import replica
from core.exports import export_response
from registry.models import District

# the effectiveness figures a district's line shows, in order (codes of analytics.metrics.DEFINITIONS)
COLUMNS = ("received", "filed", "closing_rate", "on_time_rate", "overdue", "recurrence_rate",
           "referral_on_time_rate", "satisfaction_rate")


def districts_ranked(user, period, baseline=None) -> list[dict]:
    """One row per district: 投诉万人比 now and in the baseline (default a year before) with its change, and the
    effectiveness figures of COLUMNS; ranked like the streets (analytics.metrics.streets_ranked): the highest
    投诉万人比 first, districts without population last."""
    if not policy.may(user, policy.CITY_OVERVIEW):
        raise PermissionDenied("只有市局可比较各区 / only the city bureau compares the districts")
    baseline = baseline or period.year_ago()
    rows = []
    for district in District.objects.order_by("code", "name"):
        now = metrics.complaints_per_10k(user, period, "district", district=district)[0]
        then = metrics.complaints_per_10k(user, baseline, "district", district=district)[0]
        figures = metrics.effectiveness(user, period, district=district)
        rows.append({
            "district_id": district.pk, "district": district.name, "complaints": now.complaints,
            "population": now.population, "per_10k": now.per_10k, "baseline_per_10k": then.per_10k,
            "change_pct": metrics._pct_change(now.per_10k, then.per_10k),
            "figures": {code: figures[code] for code in COLUMNS},
        })
    rows.sort(key=lambda r: (r["per_10k"] is None, -(r["per_10k"] or 0), r["district"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def _column_names() -> list[dict]:
    english = (translation.get_language() or "").startswith("en")
    out = []
    for code in COLUMNS:
        d = metrics.DEFINITIONS[code]
        out.append({"code": code, "name": d.name_en if english else d.name, "text": d.text_en if english else d.text,
                    "rate": d.unit == "percent"})
    return out


def _export_columns(columns) -> list:
    """The table as shown: rank, district, 投诉万人比 with its parts and change, then each figure of COLUMNS."""
    keys = [(_("名次"), "rank"), (_("区"), "district"), (_("居民投诉"), "complaints"), (_("人口"), "population"),
            (_("万人比"), "per_10k"), (_("基期万人比"), "baseline_per_10k"), (_("较基期"), "change_pct")]
    out = [(name, lambda r, key=key: r[key]) for name, key in keys]
    out += [(c["name"], lambda r, code=c["code"]: r["figures"][code].value) for c in columns]
    return out


@login_required
@replica.reading()
def city(request):
    """全市各区: the districts ranked for the period picked (the dashboards' picker and default period)."""
    started = time.perf_counter()
    if not policy.may(request.user, policy.CITY_OVERVIEW):
        raise PermissionDenied
    sel = forms.selection(request.GET)
    rows = districts_ranked(request.user, sel.period, sel.baseline)
    columns = _column_names()
    if (fmt := request.GET.get("export")) in {"csv", "xlsx"}:
        title = _("全市各区排名")
        return export_response(fmt, title, rows, _export_columns(columns), title)
    for row in rows:
        row["cells"] = [{"value": row["figures"][c["code"]].value, "rate": c["rate"]} for c in columns]
    english = (translation.get_language() or "").startswith("en")
    per_10k = metrics.DEFINITIONS["complaints_per_10k"]
    return render(request, "analytics/city.html", {
        "sel": sel, "choices": sel.choices(), "rows": rows, "columns": columns,
        "period_label": sel.period.label_en if english else sel.period.label,
        "baseline_label": sel.baseline.label_en if english else sel.baseline.label,
        "per_10k_text": per_10k.text_en if english else per_10k.text,
        "elapsed_ms": round((time.perf_counter() - started) * 1000),
    })
