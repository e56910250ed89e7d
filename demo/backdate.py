"""Back-dating: the one place where the demo moves the rows the services wrote just now to the moment their step
stands for (a case's transitions, its evidence, fines, documents, notices, history rows, …).

The services write every row as of now; the demo then restates the dates, without save() (so no signal, no
history row, no `auto_now`). Two ways, both generic over models:

- `Stamps`: collect (model, pk) → {field: value} while running, write them all at the end with `apply` (one
  UPDATE per row, sent in batches), e.g. `stamps.stamp(CaseTransition, pk, at=moment)`;
- `restamp(queryset, **values)`: set the values on those rows at once.

`mark(model)` and `stamp_since(...)` date every row of a model written after a mark, e.g. the transition rows
a service call wrote: `before = mark(ComplaintTransition)`, the call, then
`stamp_since(stamps, ComplaintTransition, before, at=moment)`.

`complaint_marks()` and `complaints_moved(...)` do the same for a complaint's moves: its transition rows
(intake.models.ComplaintTransition) and its history rows, written by a service call between the two, are
dated at the moment of the step (never before a complaint's receipt: a repeat that came in after its
primary's case was opened follows it when it arrives). `complaints_received` dates the receipts.

`case_moved` restates a case after its last move (used by the credit chains); the cases step dates whole
timelines in demo.cases._backdate with the same pieces. Deadlines come from the cases app
(`cases.services.stage_deadline`), never recomputed here."""
from collections import defaultdict
from datetime import datetime


class Stamps(defaultdict):
    """(model, pk) → {field: value} to write back onto rows; later stamps of a field win."""

    def __init__(self):
        super().__init__(dict)

    def stamp(self, model, pk, **values):
        self[(model, pk)].update(values)

    def apply(self):
        apply(self)
        self.clear()


def apply(updates: dict):
    """One UPDATE … WHERE pk = … per row, sent in batches (executemany), values adapted per field."""
    from django.db import connection

    grouped = defaultdict(list)
    for (model, pk), values in updates.items():
        grouped[(model, tuple(sorted(values)))].append((pk, values))
    with connection.cursor() as cursor:
        for (model, names), rows in grouped.items():
            meta = model._meta
            fields = [meta.get_field(name) for name in names]
            sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
            sql = (f"UPDATE {connection.ops.quote_name(meta.db_table)} SET {sets} "
                   f"WHERE {connection.ops.quote_name(meta.pk.column)} = %s")
            params = [[f.get_db_prep_value(values[f.name], connection) for f in fields] + [pk] for pk, values in rows]
            cursor.executemany(sql, params)


def restamp(queryset, **values) -> int:
    """Set `values` on every row of `queryset` (no save(), no history): the rows a stage just wrote."""
    return queryset.update(**values)


def mark(model) -> int:
    """The highest pk of `model` now: rows written after this call have a higher one."""
    return model._default_manager.order_by("-pk").values_list("pk", flat=True).first() or 0


def stamp_since(stamps: Stamps, model, since: int, **values) -> list:
    """Stamp every row of `model` written after the mark `since` with `values`; returns their pks."""
    pks = list(model._default_manager.filter(pk__gt=since).order_by("pk").values_list("pk", flat=True))
    for pk in pks:
        stamps.stamp(model, pk, **values)
    return pks


def complaint_marks() -> tuple[int, int]:
    """Marks of the complaints' transition rows and history rows, for `complaints_moved`."""
    from intake.models import Complaint, ComplaintTransition

    return mark(ComplaintTransition), mark(Complaint.history.model)


def complaints_moved(stamps: Stamps | None, marks: tuple[int, int], when: datetime) -> tuple[int, int]:
    """Date at `when` (or at the complaint's receipt, when that is later) the complaint transition rows and
    history rows written since `marks`; into `stamps`, or at once when it is None. Returns the marks after
    them (for the next step, when nothing else writes such rows in between)."""
    from intake.models import Complaint, ComplaintTransition

    history = Complaint.history.model
    own = stamps if stamps is not None else Stamps()
    last_move, last_save = marks
    for pk, received in ComplaintTransition.objects.filter(pk__gt=last_move).values_list(
            "pk", "complaint__received_at"):
        own.stamp(ComplaintTransition, pk, at=max(when, received))
        last_move = max(last_move, pk)
    for pk, received in history.objects.filter(pk__gt=last_save).values_list("pk", "received_at"):
        own.stamp(history, pk, history_date=max(when, received))
        last_save = max(last_save, pk)
    if stamps is None:
        own.apply()
    return last_move, last_save


def complaints_received(marks: tuple[int, int]) -> int:
    """The complaints received since `marks` (an import, the forms): their receipts (the `receive` rows and
    the history rows that created them) at their `received_at`."""
    from django.db.models import F, OuterRef, Subquery

    from intake.models import Complaint, ComplaintTransition

    received = Complaint.objects.filter(pk=OuterRef("complaint_id")).values("received_at")[:1]
    count = restamp(ComplaintTransition.objects.filter(pk__gt=marks[0], action="receive"), at=Subquery(received))
    restamp(Complaint.history.model.objects.filter(pk__gt=marks[1], history_type="+"), history_date=F("received_at"))
    return count


def case_moved(case, when: datetime, *, created: bool = False):
    """`case`'s last move (and its files) happened at `when`, and its stage deadline counts from then; with
    `created`, the case was opened then too (every transition and file of it). Returns the case re-read."""
    from django.utils import timezone

    from cases import services
    from cases.choices import CaseState
    from cases.models import CaseTransition, EnforcementCase, Evidence

    case.refresh_from_db()
    values = {"state_entered_at": when, "updated_at": when,
              "state_due": services.stage_deadline(case, case.state, timezone.localtime(when).date())}
    if created:
        values["created_at"] = when
        restamp(CaseTransition.objects.filter(case=case), at=when)
        restamp(Evidence.objects.filter(case=case), uploaded_at=when)
    else:
        last = case.transitions.order_by("-at", "-id").first()
        restamp(CaseTransition.objects.filter(pk=last.pk), at=when)
        restamp(Evidence.objects.filter(transition=last), uploaded_at=when)
    if case.state == CaseState.CLOSED:
        values.update(closed_at=when, state_due=None)
    restamp(EnforcementCase.objects.filter(pk=case.pk), **values)
    case.refresh_from_db()
    return case
