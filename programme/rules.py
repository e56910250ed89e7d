"""The inventory's rules as data (one place each): which status may follow which, which measure clears an
item with which status, which measures fit new and existing constructions, and how ledger numbers look.

The measures allowed per situation are the case rules' (cases.rules.MEASURE_RULES, seed 001 §二): 正在搭建的
一律制止、拆除并罚款; 存量违建责令恢复原状、罚款、注记、强制拆除. An item is cleared (销项) only by a measure
that ends the structure's illegality: demolished (拆除/强制拆除), annotated on the title (注记), or restored /
corrected (恢复原状/责令改正).
"""
from cases.rules import MEASURE_RULES
from programme.choices import CLEARED, StructureKind, StructureStatus

S = StructureStatus

# Manual status changes (pages, API, import). Cleared → 存量/在办 is a reopening: it needs a reason and
# empties cleared_on. An item with an open case is moved by the case only (programme.receivers).
STATUS_MOVES: dict[str, frozenset] = {
    S.EXISTING: frozenset({S.HANDLING, S.DEMOLISHED, S.ANNOTATED, S.RECTIFIED}),
    S.HANDLING: frozenset({S.EXISTING, S.DEMOLISHED, S.ANNOTATED, S.RECTIFIED}),
    S.DEMOLISHED: frozenset({S.EXISTING, S.HANDLING}),
    # an annotated structure still stands: it may be demolished later
    S.ANNOTATED: frozenset({S.EXISTING, S.HANDLING, S.DEMOLISHED}),
    S.RECTIFIED: frozenset({S.EXISTING, S.HANDLING}),
}

# Measure that clears → the status it clears with. Order matters when a case took several measures:
# the first that the case took decides (a structure demolished after being annotated is demolished).
CLEARING_MEASURES: tuple[tuple[str, str], ...] = (
    ("DEMOLISH", S.DEMOLISHED),
    ("FORCED_DEMOLITION", S.DEMOLISHED),
    ("RESTORE", S.RECTIFIED),
    ("ANNOTATE", S.ANNOTATED),
    ("ORDER_CORRECT", S.RECTIFIED),
)
CLEARS_WITH = dict(CLEARING_MEASURES)

# The measure recorded when an item is cleared by hand without naming one.
DEFAULT_MEASURE = {S.DEMOLISHED: "DEMOLISH", S.ANNOTATED: "ANNOTATE", S.RECTIFIED: "RESTORE"}

_RULE = MEASURE_RULES["ILLEGAL_CONSTRUCTION"]
MEASURES_BY_KIND: dict[str, list[str]] = {
    StructureKind.NEW: list(_RULE["when_in_progress"]["allows"]),
    StructureKind.EXISTING: list(_RULE["when_existing"]["allows"]),
}

# Ledger numbers: WJ-<street code, last three digits>-<year found>-<sequence of four digits>, e.g. WJ-005-2024-0012.
NUMBER_PREFIX = "WJ"
NUMBER_DIGITS = 4

VIOLATION_TYPE = "ILLEGAL_CONSTRUCTION"


def closing_status(measures) -> tuple[str, str] | None:
    """(status, measure) an item closes with when its case closed after taking these measures, or None."""
    taken = set(measures or ())
    for measure, status in CLEARING_MEASURES:
        if measure in taken:
            return status, measure
    return None


def is_cleared(status: str) -> bool:
    return status in CLEARED
