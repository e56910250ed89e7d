"""Two people move the same case at the same time (R11.3): exactly one move wins, the other is told the case
changed (StaleCase) and nothing of it is recorded. Each thread has its own database connection, so this needs
PostgreSQL's row locks (`select_for_update`); on SQLite the root conftest.py skips it."""
import threading
import time

import pytest
from django.db import connection, transaction

from cases import services
from cases.choices import CaseState
from cases.models import CaseTransition, EnforcementCase, Referral
from cases.tests.test_paths import move, open_case

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TIMEOUT = 30


def _run_together(*jobs):
    """Run each job in its own thread (and connection), released together by a barrier."""
    barrier = threading.Barrier(len(jobs), timeout=TIMEOUT)
    results: list = [None] * len(jobs)

    def worker(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 — the outcome is what the test asserts
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a move hung"
    return results


def _verifying_case(world):
    return move(open_case(world, "COMMON_AREA_OCCUPATION"), "start_verification", world.oscar)


def _attempt(pk, action, actor, version, **data):
    def job():
        case = EnforcementCase.objects.get(pk=pk)
        return services.case_transition(case=case, action=action, actor=actor, version=version, **data)
    return job


@pytest.mark.parametrize("round_", range(3))
def test_two_moves_at_once_one_wins_the_other_is_told_the_case_changed(world, round_):
    case = _verifying_case(world)
    version, steps = case.version, case.transitions.count()
    results = _run_together(
        _attempt(case.pk, "dismiss", world.oscar, version, reason="现场核查不属实"),
        _attempt(case.pk, "refer", world.alice, version, reason="属房管职责", department="HOUSING"),
    )
    winners = [r for r in results if isinstance(r, EnforcementCase)]
    losers = [r for r in results if isinstance(r, services.StaleCase)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].extra == {"code": "stale", "version": version + 1}

    case.refresh_from_db()
    assert case.version == version + 1
    assert case.transitions.count() == steps + 1
    last = case.transitions.last()
    assert case.state == winners[0].state == last.to_state
    assert case.state in {CaseState.CLOSED, CaseState.REFERRED}
    # the losing move left nothing behind: no referral without a refer transition
    assert Referral.objects.filter(case=case).exists() == (last.action == "refer")


def test_a_move_waiting_on_the_row_lock_is_told_the_case_changed(world):
    """The first move holds the row lock while the second starts; the second waits, then sees the new version."""
    case = _verifying_case(world)
    version, steps = case.version, case.transitions.count()
    locked = threading.Event()

    def slow_dismiss():
        with transaction.atomic():
            EnforcementCase.objects.select_for_update().get(pk=case.pk)
            locked.set()
            time.sleep(0.5)  # the other move is now blocked on the lock
            return services.case_transition(case=EnforcementCase.objects.get(pk=case.pk), action="dismiss",
                                            actor=world.oscar, version=version, reason="不属实")

    def refer_when_locked():
        assert locked.wait(TIMEOUT)
        started = time.monotonic()
        try:
            return services.case_transition(case=EnforcementCase.objects.get(pk=case.pk), action="refer",
                                            actor=world.alice, version=version, reason="移交", department="HOUSING")
        finally:
            refer_when_locked.waited = time.monotonic() - started

    first, second = _run_together(slow_dismiss, refer_when_locked)
    assert isinstance(first, EnforcementCase) and first.state == CaseState.CLOSED
    assert isinstance(second, services.StaleCase), second
    assert refer_when_locked.waited >= 0.3  # it really waited for the lock
    case.refresh_from_db()
    assert (case.state, case.version, case.transitions.count()) == (CaseState.CLOSED, version + 1, steps + 1)
    assert not Referral.objects.filter(case=case).exists()


def test_moves_in_sequence_with_fresh_versions_both_succeed(world):
    """The version check refuses only stale moves: one after the other, each with what it saw, both pass."""
    case = _verifying_case(world)
    case = move(case, "dismiss", world.oscar, reason="不属实")
    case = move(case, "reopen", world.alice, reason="回潮")
    assert case.state == CaseState.VERIFYING
    assert CaseTransition.objects.filter(case=case).count() == 4
