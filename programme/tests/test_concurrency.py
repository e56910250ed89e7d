"""Registrations at the same moment take different ledger numbers (the sequence row is locked), also when the
street's sequence for the year does not exist yet. Each thread has its own connection: PostgreSQL only."""
import pytest

from cases.tests.test_concurrency import _run_together
from programme.models import IllegalStructure
from programme.tests.helpers import days_ago, item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_four_registrations_at_once_get_four_numbers(world):
    found = days_ago(10)

    def register(n):
        return lambda: item(world, location=f"{n}号楼 屋顶", found_on=found).number

    numbers = _run_together(*(register(n) for n in range(1, 5)))
    assert all(isinstance(n, str) for n in numbers), numbers
    assert sorted(numbers) == [f"WJ-01-{found.year}-{n:04d}" for n in range(1, 5)]
    assert IllegalStructure.objects.count() == 4
