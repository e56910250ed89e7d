"""The scoring arithmetic, in one place and with no database (catalogue.RULE_TEXT says it in words).

- an indicator's points: weight × (value − floor) ÷ (target − floor), held between 0 and the weight, two
  decimals (ROUND_HALF_UP). The same line serves both directions: for "lower is better" the floor is above the
  target, so the fraction grows as the value falls.
- no value (the denominator was 0): no points and its weight left out; the total is the points ÷ the weights
  that had a value × 100 (a score out of 100 either way); no value at all: no total and no rank.
- ranks: highest total first; equal totals share a rank (1, 1, 3); no total, no rank.
"""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def _d(x) -> Decimal:
    return x if isinstance(x, Decimal) else Decimal(str(x))


def indicator_points(value, *, weight, floor, target) -> Decimal | None:
    if value is None:
        return None
    value, floor, target, weight = _d(value), _d(floor), _d(target), _d(weight)
    fraction = (value - floor) / (target - floor)
    fraction = min(Decimal(1), max(Decimal(0), fraction))
    return (weight * fraction).quantize(CENT, rounding=ROUND_HALF_UP)


def total_score(parts) -> Decimal | None:
    """parts: (points or None, weight) pairs."""
    counted = [(p, _d(w)) for p, w in parts if p is not None]
    weights = sum((w for _, w in counted), Decimal(0))
    if not counted or not weights:
        return None
    points = sum((p for p, _ in counted), Decimal(0))
    return (points / weights * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def ranks(totals) -> list[int | None]:
    """The rank of each total (same order as given)."""
    known = sorted((t for t in totals if t is not None), reverse=True)
    first = {}
    for i, t in enumerate(known, start=1):
        first.setdefault(t, i)
    return [first[t] if t is not None else None for t in totals]
