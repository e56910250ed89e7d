"""The demo runner on hand-made plans: the shapes the random plans produce only on some days."""
import random
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.choices import SupervisionStatus
from cases.models import SupervisionOrder
from cases.tests.test_paths import complaint_for
from demo import cases as case_demo

pytestmark = pytest.mark.django_db


def test_two_supervision_orders_of_one_stage_are_each_answered_when_they_interleave(world):
    """督办 A, 督办 B, then the answers to A and to B: once a plan's steps are sorted by time this happens
    when a stage runs late twice. Each answer goes to its own order (answering B twice failed a CI run)."""
    rng = random.Random(7)
    start = timezone.now() - timedelta(days=30)
    at = [start + timedelta(days=day) for day in range(6)]
    supervise_a = case_demo.Step("supervise", at[2], {"lead": world.alice})
    supervise_b = case_demo.Step("supervise", at[3], {"lead": world.alice})
    plan = case_demo.Plan(complaint=complaint_for("EBIKE_CHARGING", world.caoyang_a), officer=world.oscar,
                     opener=world.oscar, steps=[
                         case_demo.Step("open", at[0]), case_demo.Step("start_verification", at[1]),
                         supervise_a, supervise_b,
                         case_demo.Step("respond", at[4], {"order": supervise_a}),
                         case_demo.Step("respond", at[5], {"order": supervise_b})])
    runner = case_demo.Runner(lead=world.alice, departments={}, dept_users={}, now=timezone.now(),
                         clock=case_demo.Clock(rng), rng=rng)

    case = runner.run(plan)

    orders = SupervisionOrder.objects.filter(case=case).order_by("pk")
    assert [order.status for order in orders] == [SupervisionStatus.ANSWERED] * 2
    responded = runner.updates
    assert [responded[(SupervisionOrder, order.pk)]["responded_at"] for order in orders] == [at[4], at[5]]
