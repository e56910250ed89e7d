"""Where each indicator's figure comes from: analytics.metrics for the streets (defined there, once), the
referrals for the departments (they have no street, so analytics' street figures do not reach them).

Every figure is read with the district's view (analytics.metrics.SYSTEM): a ranking compares every street and
department, whoever looks at it; the pages decide which breakdowns a reader may open, and the lists behind
the numerators keep their own scoping.
"""
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q

from analytics import metrics, selectors
from analytics.aggregates import bounds
from cases.models import Referral
from intake.choices import ReferralStatus


@dataclass
class Shown:
    """One figure as the assessment shows it."""

    value: float | None
    numerator: int | None
    denominator: int | None
    list_url: str | None = None
    extra: dict | None = None   # e.g. the two 万人比 of a change
    note: str = ""              # why there is no value, when it is not a zero denominator
    note_en: str = ""


def _shown(figure) -> Shown:
    return Shown(figure.value, figure.numerator, figure.denominator, figure.list_url)


CACHE_SECONDS = 600  # the streets' figures are slow to count (analytics.metrics.effectiveness per street)


def street_figures(period, street, codes) -> dict[str, Shown]:
    """The street's figures, kept CACHE_SECONDS in the cache (pages say how old they may be)."""
    key = f"assessment:street:{period.code}:{street.pk}:{','.join(sorted(codes))}"
    found = cache.get(key)
    if found is None:
        found = _street_figures(period, street, codes)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _street_figures(period, street, codes) -> dict[str, Shown]:
    out = {}
    wanted = set(codes)
    if wanted - {"per_10k_change"}:
        figures = metrics.effectiveness(metrics.SYSTEM, period, street=street)
        for code in wanted - {"per_10k_change"}:
            figure = figures.get(code)
            out[code] = _shown(figure) if figure is not None else Shown(None, None, None)
    if "per_10k_change" in wanted:
        change = metrics.per_10k_change(metrics.SYSTEM, period, period.year_ago(), level="street", unit_id=street.pk)
        current, baseline = change["current"], change["baseline"]
        since = selectors.records_since()
        value, note, note_en = change["change_pct"], "", ""
        if since is not None and since > period.year_ago().start:
            value = None
            note = f"上年同期（{period.year_ago().label}）早于平台最早的诉件记录（{since}），没有可比的基数"
            note_en = (f"The same period a year before ({period.year_ago().label_en}) starts before the platform's "
                       f"first complaint ({since}): no baseline to compare with")
        out["per_10k_change"] = Shown(
            value, current.complaints if current else None, baseline.complaints if baseline else None,
            current.list_url if current else None,
            extra={"current": current.per_10k if current else None,
                   "baseline": baseline.per_10k if baseline else None,
                   "baseline_label": period.year_ago().label},
            note=note, note_en=note_en,
        )
    return out


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator * 100 / denominator, 2) if denominator else None


def department_figures(period, departments) -> dict[int, dict[str, Shown]]:
    """referral_on_time_rate (analytics.metrics: answered, or returned, by the deadline, that day included) and
    referral_return_rate (catalogue) of each department."""
    on_time = metrics.referral_on_time_by_department(metrics.SYSTEM, period)
    low, high = bounds(period.start, period.end)
    received = (Referral.objects.exclude(status=ReferralStatus.WITHDRAWN)
                .filter(created_at__gte=low, created_at__lt=high)
                .values("department_id")
                .annotate(n=Count("pk"), returned=Count("pk", filter=Q(status=ReferralStatus.RETURNED))))
    received = {row["department_id"]: row for row in received}
    out = {}
    for department in departments:
        figure = on_time.get(department.pk)
        r = received.get(department.pk, {"n": 0, "returned": 0})
        out[department.pk] = {
            "referral_on_time_rate": _shown(figure) if figure is not None else Shown(None, 0, 0),
            "referral_return_rate": Shown(_rate(r["returned"], r["n"]), r["returned"], r["n"]),
        }
    return out
