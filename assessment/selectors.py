"""Reads of the assessment: each street's and each department's score for a year (or the year so far), with
every indicator's figure, points and the reason for them; the ranking; who may open which breakdown."""
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.scope import role_of, street_ids
from analytics.periods import Period
from assessment import figures, rules
from assessment.catalogue import METRICS, definition
from assessment.choices import Direction, Subject, subjects_of
from assessment.models import Indicator, Scheme
from core.errors import ApplicationError
from registry.models import Department, Street

FIRST_YEAR = 2020


@dataclass
class Line:
    """One indicator of one unit's score."""

    indicator: Indicator
    name: str
    name_en: str
    text: str
    text_en: str
    unit: str
    figure: figures.Shown
    points: Decimal | None
    why: str

    @property
    def value(self):
        return self.figure.value


@dataclass
class Score:
    subject: str
    unit_id: int
    name: str
    lines: list = field(default_factory=list)
    total: Decimal | None = None
    rank: int | None = None
    weight_counted: int = 0

    @property
    def label(self) -> str:
        return self.name


def years(today: date | None = None) -> list[int]:
    today = today or timezone.localdate()
    return list(range(today.year, FIRST_YEAR - 1, -1))


def period_of(year: int, today: date | None = None) -> Period:
    """The year, or the year so far when it is the current one; a future year is refused."""
    today = today or timezone.localdate()
    if year > today.year:
        raise ApplicationError(f"{year}年尚未开始，无法考核", f"{year} has not begun: nothing to assess")
    if year < FIRST_YEAR:
        raise ApplicationError(f"考核年度应不早于{FIRST_YEAR}年", f"the assessment starts in {FIRST_YEAR}")
    if year == today.year:
        return Period.between(date(year, 1, 1), today)
    return Period.year(year)


def parse_year(text, today: date | None = None) -> int:
    today = today or timezone.localdate()
    if text in (None, ""):
        return today.year
    try:
        year = int(str(text).strip())
    except ValueError:
        raise ApplicationError(f"考核年度“{text}”无效", f"no assessment year {text!r}") from None
    period_of(year, today)  # refuses a future or too early year
    return year


def indicators_of(scheme: Scheme, subject: str) -> list[Indicator]:
    return [i for i in scheme.indicators.all() if subject in subjects_of(i.applies_to)]


def _number(x) -> str:
    if x is None:
        return "—"
    d = Decimal(str(x)).quantize(Decimal("0.01"))
    return f"{d.normalize():f}" if d != d.to_integral() else f"{int(d)}"


def _why(indicator: Indicator, shown: figures.Shown, points) -> str:
    """The points in one sentence, numbers in."""
    weight, floor, target, value = indicator.weight, indicator.floor, indicator.target, shown.value
    if value is None and shown.note:
        english = (translation.get_language() or "").startswith("en")
        return (shown.note_en if english and shown.note_en else shown.note) + _("：不计分，权重不计入总分折算")
    if value is None:
        return _("本期无数据（分母为 0），不计分，权重不计入总分折算")
    better = (Decimal(str(value)) >= target) if indicator.direction == Direction.HIGHER else (
        Decimal(str(value)) <= target)
    worse = (Decimal(str(value)) <= floor) if indicator.direction == Direction.HIGHER else (
        Decimal(str(value)) >= floor)
    if better:
        return _("达到满分值 %(target)s，得满分 %(weight)s 分") % {"target": _number(target), "weight": weight}
    if worse:
        return _("未达零分值 %(floor)s，得 0 分") % {"floor": _number(floor)}
    return _("%(weight)s × (%(value)s − %(floor)s) ÷ (%(target)s − %(floor)s) = %(points)s 分") % {
        "weight": weight, "value": _number(value), "floor": _number(floor), "target": _number(target),
        "points": _number(points)}


def _line(indicator: Indicator, shown: figures.Shown) -> Line:
    name, name_en, text, text_en = definition(indicator.metric)
    source = METRICS.get(indicator.metric)
    points = rules.indicator_points(shown.value, weight=indicator.weight, floor=indicator.floor,
                                    target=indicator.target)
    return Line(indicator, name, name_en, text, text_en, source.unit if source else "", shown, points,
                _why(indicator, shown, points))


def _score(subject, unit_id, name, indicators, shown: dict) -> Score:
    lines = [_line(i, shown.get(i.metric) or figures.Shown(None, None, None)) for i in indicators]
    total = rules.total_score([(line.points, line.indicator.weight) for line in lines])
    counted = sum(line.indicator.weight for line in lines if line.points is not None)
    return Score(subject, unit_id, name, lines, total, None, counted)


def _ranked(scores: list[Score]) -> list[Score]:
    for score, rank in zip(scores, rules.ranks([s.total for s in scores]), strict=True):
        score.rank = rank
    return sorted(scores, key=lambda s: (s.rank is None, s.rank or 0, s.name))


def street_scores(scheme: Scheme, period: Period, only=None) -> list[Score]:
    """Every street's score, ranked (only: street ids to compute; their ranks are then among themselves)."""
    indicators = indicators_of(scheme, Subject.STREET)
    codes = [i.metric for i in indicators]
    streets = Street.objects.order_by("code", "pk")
    if only is not None:
        streets = streets.filter(pk__in=only)
    scores = [_score(Subject.STREET, s.pk, s.name, indicators, figures.street_figures(period, s, codes))
              for s in streets]
    return _ranked(scores)


def departments() -> list[Department]:
    """The departments assessed: every district department but the bureau itself."""
    return list(Department.objects.exclude(code="CHENGGUAN").order_by("pk"))


def department_scores(scheme: Scheme, period: Period) -> list[Score]:
    indicators = indicators_of(scheme, Subject.DEPARTMENT)
    units = departments()
    shown = figures.department_figures(period, units)
    return _ranked([_score(Subject.DEPARTMENT, d.pk, d.label, indicators, shown[d.pk]) for d in units])


def scores(scheme: Scheme, period: Period, subject: str) -> list[Score]:
    return street_scores(scheme, period) if subject == Subject.STREET else department_scores(scheme, period)


# --- who sees which breakdown ------------------------------------------------------------------------

def may_open_all(user) -> bool:
    return role_of(user) in {Role.ADMIN, Role.LEAD}


def may_open(user, subject: str, unit_id: int) -> bool:
    """The bureau opens every breakdown; a street its own street's; a department its own."""
    role = role_of(user)
    if role in {Role.ADMIN, Role.LEAD}:
        return True
    if role == Role.STREET:
        return subject == Subject.STREET and unit_id in street_ids(user)
    if role == Role.DEPARTMENT:
        return subject == Subject.DEPARTMENT and unit_id == user.department_id
    return False


def breakdown(user, scheme: Scheme, period: Period, subject: str, unit_id: int) -> Score:
    """One unit's score with its rank among all; 404 for a unit the user may not open (existence not told)."""
    if subject not in Subject.values or not may_open(user, subject, unit_id):
        raise Http404
    for score in scores(scheme, period, subject):
        if score.unit_id == unit_id:
            if subject == Subject.DEPARTMENT and role_of(user) == Role.DEPARTMENT:
                # the department's own referrals are listed in its inbox (the bureau has no referral list)
                for line in score.lines:
                    line.figure.list_url = line.figure.list_url or reverse("cases:inbox") + "?show=all"
            return score
    raise Http404
