"""Hooks through which the apps above cases (credit, programme) add their part to the case page without cases
importing them. Each app registers its handlers in its AppConfig.ready(); cases only calls what is registered.

- `register_related_records(fn)`: fn(user, case) -> dict, merged into the case page's `related` panel (the duty
  checks and credit points of the case; the inventory items it handles). Keys the page reads: duty_check,
  negligence_of, credit_records, company_credit_pages (credit); structures, tracks_structures,
  may_register_structure (programme).
- `register_fine_gives_credit(fn)`: fn(case) -> bool, whether a final fine of the case puts credit points on a
  property company (told to the handler before the fine is confirmed).
"""
from collections.abc import Callable
from typing import Any

RelatedRecords = Callable[[Any, Any], dict]
FineGivesCredit = Callable[[Any], bool]

_related_records: list[RelatedRecords] = []
_fine_gives_credit: list[FineGivesCredit] = []


def register_related_records(fn: RelatedRecords) -> RelatedRecords:
    if fn not in _related_records:
        _related_records.append(fn)
    return fn


def register_fine_gives_credit(fn: FineGivesCredit) -> FineGivesCredit:
    if fn not in _fine_gives_credit:
        _fine_gives_credit.append(fn)
    return fn


def related_records(user, case) -> dict:
    related: dict = {}
    for fn in _related_records:
        related.update(fn(user, case))
    return related


def fine_gives_credit(case) -> bool:
    return any(fn(case) for fn in _fine_gives_credit)
