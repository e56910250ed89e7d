"""Two people act on the same check or case at the same moment: one decision wins, one award is made. Each thread
has its own connection, so this needs PostgreSQL's row locks; on SQLite the root conftest.py skips it."""
import pytest

from cases import documents, fines
from cases.choices import DocumentKind
from cases.models import EnforcementCase, Fine
from cases.tests.test_concurrency import _run_together
from cases.tests.test_paths import notify_fine, serve_notice, to_decision
from core.errors import ApplicationError
from credit import services
from credit.models import CreditRecord, DutyCheck
from credit.tests.helpers import check_of, filed_owner_case, move, past_deadline, to_investigating

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_two_decisions_at_once_one_wins_and_one_case_is_opened(world):
    check = past_deadline(check_of(filed_owner_case(world)))
    cases_before = EnforcementCase.objects.count()

    def decide(actor, outcome):
        def job():
            fresh = DutyCheck.objects.get(pk=check.pk)
            return services.duty_check_decide(check=fresh, actor=actor, outcome=outcome, reasons="逾期未说明",
                                              failure_rule="NOT_STOPPED" if outcome == "FAILED" else None)
        return job

    results = _run_together(decide(world.oscar, "FAILED"), decide(world.alice, "FAILED"))
    winners = [r for r in results if isinstance(r, DutyCheck)]
    losers = [r for r in results if isinstance(r, ApplicationError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "已认定" in losers[0].message
    assert EnforcementCase.objects.count() == cases_before + 1
    assert DutyCheck.objects.get(pk=check.pk).negligence_case_id == winners[0].negligence_case_id


def test_two_fines_of_one_case_made_final_at_once_award_points_once(world):
    check = services.duty_check_answer(check=check_of(filed_owner_case(world)), actor=world.paul, statement="未发现")
    check = services.duty_check_decide(check=check, actor=world.oscar, outcome="FAILED", reasons="未劝阻",
                                       failure_rule="NOT_STOPPED")
    case = to_investigating(check.negligence_case, world.oscar)
    case = notify_fine(case, world.oscar, "3000", measures=["ORDER_CORRECT", "FINE"])
    case = to_decision(serve_notice(case, world.oscar), world)
    first = case.fines.get()
    # a second fine of the company on the same decision (two penalty articles, say)
    second = Fine.objects.create(case=case, party=first.party, amount=2000, decided_at=first.decided_at)
    documents.document_issue(case=case, kind=DocumentKind.PENALTY_DECISION, actor=world.oscar)

    def final(fine):
        return lambda: fines.fine_make_final(fine=Fine.objects.get(pk=fine.pk), actor=world.oscar)

    results = _run_together(final(first), final(second))
    assert all(isinstance(r, Fine) for r in results), results
    assert sorted(CreditRecord.objects.values_list("subject", "points")) == [("COMPANY", 6), ("MANAGER", 3)]
