"""Every status change of a demo complaint has its transition row, dated at the moment it stands for: the
receipt at `received_at`, 立案 at the case's register, 结案 at its closing move, a referral's answer, a
settling or a return at its step — in order, and all before the moment the demo is loaded.

A small district year (the demo registry and logins, 500 generated 12345 orders, patrols, property reports,
the cases and the credit chains) is seeded once for the module, as of a fixed moment taken before it starts,
inside a transaction rolled back at the end. A row the demo forgot to date carries the real time of the
run, after that moment, and fails."""
from collections import Counter, defaultdict

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from cases.choices import CaseState
from cases.models import CaseTransition
from demo import cases as case_demo
from demo import credit as credit_demo
from demo import district
from intake import workflow
from intake.models import Complaint, ComplaintTransition

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The moment the demo is loaded as of (every step is given it)."""
    from demo import hotline

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=str(media)):
        with transaction.atomic():
            connection.ensure_connection()
            now = timezone.now()
            tally = district.Tally()
            district.load_registry(tally=tally)
            district.load_users(tally=tally)
            hotline.load_complaints(tally=tally, orders=500, patrols=40, reports=20, now=now)
            case_demo.seed(tally=tally, now=now)
            credit_demo.seed(tally=tally, progress=lambda items, label: items, now=now)
            yield now
            transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db]


def chain_faults(loaded) -> list[str]:
    """What is wrong with the complaints' transition rows (empty when nothing is): each complaint's rows, in the
    order they were written, form the chain of its moves from its receipt to its status, dated from its
    receipt on, in order, before `loaded`."""
    complaints = {pk: (status, received) for pk, status, received in
                  Complaint.objects.values_list("pk", "status", "received_at")}
    rows = defaultdict(list)
    for row in ComplaintTransition.objects.order_by("complaint_id", "id").values_list(
            "complaint_id", "action", "from_status", "to_status", "at"):
        rows[row[0]].append(row[1:])
    faults = []
    for pk, (status, received) in complaints.items():
        chain = rows.get(pk)
        if not chain:
            faults.append(f"{pk}: no transition row")
            continue
        action, source, _target, at = chain[0]
        if (action, source, at) != ("receive", workflow.RECEIVED, received):
            faults.append(f"{pk}: begins with {action} from {source!r} at {at}, received at {received}")
        previous, before = workflow.RECEIVED, received
        for action, source, target, at in chain:
            if source != previous:
                faults.append(f"{pk}: {action} from {source}, but it was {previous}")
            if not before <= at < loaded:
                faults.append(f"{pk}: {action} at {at}, after {before} / received {received} / loaded {loaded}")
            previous, before = target, max(before, at)
        if previous != status:
            faults.append(f"{pk}: the last move leads to {previous}, the complaint is {status}")
    return faults


def case_faults() -> list[str]:
    """A case's 立案 row at its register transition, its 结案 rows at a closing move (the first, for a case
    reopened later: its complaints stay closed; a repeat received after it, linked to the case at its opening,
    is closed when it arrives)."""
    register, closing = {}, defaultdict(list)
    for case_id, action, target, at in CaseTransition.objects.order_by("id").values_list(
            "case_id", "action", "to_state", "at"):
        if action == "register":
            register[case_id] = at
        elif target == CaseState.CLOSED:
            closing[case_id].append(at)
    faults = []
    for pk, payload, at in ComplaintTransition.objects.filter(action="open_case").values_list("pk", "payload", "at"):
        if at != register.get(payload["case"]):
            faults.append(f"open_case {pk} of case {payload['case']} at {at}, not {register.get(payload['case'])}")
    for pk, payload, at, received in ComplaintTransition.objects.filter(action="case_closed").values_list(
            "pk", "payload", "at", "complaint__received_at"):
        if at not in {max(moment, received) for moment in closing[payload["case"]]}:
            faults.append(f"case_closed {pk} of case {payload['case']} at {at}, not {closing[payload['case']]}")
    return faults


def history_faults(loaded) -> list[str]:
    """Complaints' history rows: none dated before the complaint's receipt or at or after `loaded`."""
    history = Complaint.history.model
    return [f"history {pk} of {complaint} at {at}" for pk, complaint, at, received in history.objects.values_list(
        "history_id", "id", "history_date", "received_at") if not received <= at < loaded]


def figures() -> dict:
    return {"complaints": Complaint.objects.count(), "transitions": ComplaintTransition.objects.count(),
            "by action": dict(Counter(ComplaintTransition.objects.values_list("action", flat=True)))}


def test_every_complaint_has_the_chain_of_its_moves_dated_in_order(loaded):
    moves = figures()["by action"]
    assert {"receive", "open_case", "case_closed", "settle", "return", "confirm", "referral_answered"} <= set(moves)
    faults = chain_faults(loaded)
    assert not faults, faults[:20]


def test_a_cases_complaints_move_when_it_is_registered_and_closed(loaded):
    assert ComplaintTransition.objects.filter(action="open_case").count() >= 50
    faults = case_faults()
    assert not faults, faults[:20]


def test_the_complaints_history_is_dated_like_their_moves(loaded):
    faults = history_faults(loaded)
    assert not faults, faults[:20]
