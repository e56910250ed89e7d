"""Hotspot alerts (热点预警): a community whose complaints of the last week jump against its own history.

The rule (one place; the pages print RULE_TEXT):

- x = the community's resident complaints (the channels that count towards 投诉万人比) received in the 7 days
  ending yesterday (the last complete day);
- λ = the mean of its counts in the WEEKS_HISTORY (12) 7-day blocks before that week, never below MEAN_FLOOR
  (1 a week: a community quiet so far does not alert on 0 → 2); blocks before the first day the platform has
  data are left out, and a community with fewer than MIN_HISTORY (4) blocks of history is not judged;
- alert when the Poisson upper tail p = P(X ≥ x | λ) < ALPHA (0.001) and x ≥ MIN_COUNT (3).

False-alarm rate measured on the demo district (`measure()`: the rule run over every community and every 7-day
block of the demo year, 2025-12-07 … 2026-12-06, on 2026-12-06): 15,888 community-weeks judged (331 communities ×
48 weeks with at least 4 weeks of history), 4 alerts = 0.025 % of community-weeks, about 4 a year for the whole
district. The demo plants no jumps, so all 4 count as false alarms (an upper bound: they are weeks of 6 and 7
calls against a history of about 1 a week). Under a pure Poisson model the rule's nominal rate is below α = 0.1 %
per community-week; the floor and MIN_COUNT make it lower still. An injected jump (a community's last week at 8 or
9 calls over a history of 1–2 a week) is found, and a steady series is not (analytics/tests/test_hotspots.py).
"""
import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKS_HISTORY = 12
MIN_HISTORY = 4
MEAN_FLOOR = 1.0
ALPHA = 0.001
MIN_COUNT = 3

# measured by measure() on the seeded demo district (see the docstring); printed on the pages
MEASURED = {"tested": 15888, "alerts": 4, "rate": 4 / 15888, "rate_pct": "0.025", "on": "2026-12-06"}

RULE_TEXT = _("规则：小区近7天居民投诉数 x，对照其前12周的周均值 λ（不低于每周1件，历史不足4周不判断），"
              "按泊松分布计算 P(X≥x)；P < 0.001 且 x ≥ 3 时预警。")


def poisson_tail(x: int, lam: float) -> float:
    """P(X ≥ x) for X ~ Poisson(lam)."""
    if x <= 0:
        return 1.0
    term = math.exp(-lam)
    below = term
    for k in range(1, x):
        term *= lam / k
        below += term
    return max(0.0, 1.0 - below)


def threshold(mean: float) -> int:
    """The smallest weekly count that alerts against a history of this mean."""
    lam, x = max(mean, MEAN_FLOOR), MIN_COUNT
    while poisson_tail(x, lam) >= ALPHA:
        x += 1
    return x


@dataclass
class Judgement:
    count: int
    mean: float | None      # the history's mean (before the floor); None when not judged
    p: float | None
    alert: bool


def judge(history: list[int], count: int) -> Judgement:
    """The rule on one community-week: `history` is the counts of the blocks before (oldest first)."""
    history = history[-WEEKS_HISTORY:]
    if len(history) < MIN_HISTORY:
        return Judgement(count, None, None, False)
    mean = sum(history) / len(history)
    p = poisson_tail(count, max(mean, MEAN_FLOOR))
    return Judgement(count, round(mean, 2), p, count >= MIN_COUNT and p < ALPHA)


@dataclass
class Alert:
    community_id: int
    community: str
    street: str
    start: date
    end: date
    count: int
    mean: float
    p: float

    @property
    def ratio(self) -> float | None:
        return round(self.count / self.mean, 1) if self.mean else None

    @property
    def p_text(self) -> str:
        return "< 0.0001" if self.p < 0.0001 else f"{self.p:.4f}"


def data_start(user, street=None) -> date | None:
    """The first day with a resident's complaint matched to a community in the user's scope (history before it is
    not history but no data); from the daily aggregate (analytics.selectors), scoped as the figures are."""
    from analytics import selectors
    return selectors.first_day(user, street=street, matched=True)


def daily_counts(user, start: date, end: date, street=None) -> dict[int, dict[date, int]]:
    """{community id: {day: residents' complaints}} for start…end (both included), in the user's scope: the daily
    aggregate's (analytics.selectors), so the cost follows the days asked, not the complaint table."""
    from analytics import selectors
    return selectors.daily_resident_counts(user, start, end, street=street)


def block_counts(days: dict[date, int], end: date, blocks: int) -> list[int]:
    """Counts of `blocks` 7-day blocks ending on `end`, oldest first."""
    out = []
    for b in range(blocks - 1, -1, -1):
        last = end - timedelta(days=7 * b)
        out.append(sum(days.get(last - timedelta(days=i), 0) for i in range(7)))
    return out


def usable_history(end: date, first: date | None) -> int:
    """How many history blocks before the week ending `end` lie wholly on or after the first data day."""
    if first is None:
        return 0
    week_start = end - timedelta(days=6)
    return max(0, min(WEEKS_HISTORY, (week_start - first).days // 7))


def current_alerts(user, end: date | None = None, street=None) -> list[Alert]:
    """The alerts of the 7 days ending `end` (default: yesterday) for the communities in the user's scope."""
    from registry.models import Community
    end = end or timezone.localdate() - timedelta(days=1)
    history = usable_history(end, data_start(user))
    if history < MIN_HISTORY:
        return []
    start = end - timedelta(days=7 * (history + 1) - 1)
    counts = daily_counts(user, start, end, street)
    found = []
    for community_id, days in counts.items():
        series = block_counts(days, end, history + 1)
        j = judge(series[:-1], series[-1])
        if j.alert:
            found.append((community_id, j))
    names = {c.pk: c for c in Community.objects.restrict(user, "view").filter(pk__in=[c for c, _ in found])
             .select_related("street")}
    alerts = [Alert(cid, names[cid].name, names[cid].street.name, end - timedelta(days=6), end, j.count, j.mean, j.p)
              for cid, j in found if cid in names]
    return sorted(alerts, key=lambda a: a.p)


def measure(user, start: date, end: date) -> dict:
    """The rule over every community of the user's scope and every 7-day block ending start+6 … end: how many
    community-weeks were judged and how many alerted (the false-alarm rate when no jump is planted)."""
    from registry.models import Community
    first = data_start(user) or start
    counts = daily_counts(user, first, end)
    communities = list(Community.objects.restrict(user, "view").values_list("pk", flat=True))
    tested = alerts = 0
    examples = []
    week_end = end
    while week_end - timedelta(days=6) >= start:
        history = usable_history(week_end, first)
        if history >= MIN_HISTORY:
            for cid in communities:
                series = block_counts(counts.get(cid, {}), week_end, history + 1)
                j = judge(series[:-1], series[-1])
                tested += 1
                if j.alert:
                    alerts += 1
                    examples.append((cid, week_end, j))
        week_end -= timedelta(days=7)
    return {"tested": tested, "alerts": alerts, "rate": alerts / tested if tested else None, "examples": examples}
