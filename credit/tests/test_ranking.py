"""The company ranking: points in the window, checks, complaints per 1,000 managed households, listing, rank —
in a fixed number of queries whatever the number of companies, and each persona sees only what it may."""
from datetime import timedelta

import pytest
from django.utils import timezone

from credit import selectors, services
from credit.models import CreditPolicy
from credit.tests.helpers import check_of, filed_owner_case, fine_final
from intake.choices import Channel
from intake.models import Complaint
from registry.models import Community, PropertyCompany, ViolationType
from tests.personas import valid_code

pytestmark = pytest.mark.django_db


def complaint(community, *, days_ago=1, channel=Channel.HOTLINE):
    return Complaint.objects.create(channel=channel, received_at=timezone.now() - timedelta(days=days_ago),
                                    content="投诉", community=community, street=community.street,
                                    violation_type=ViolationType.objects.get(code="COMMON_AREA_OCCUPATION"))


def test_rows_count_points_checks_and_complaints_per_1000_households(world):
    check = services.duty_check_answer(check=check_of(filed_owner_case(world)), actor=world.paul, statement="未发现")
    check = services.duty_check_decide(check=check, actor=world.oscar, outcome="FAILED", reasons="未劝阻",
                                       failure_rule="NOT_STOPPED")
    fine_final(world, check.negligence_case)
    services.duty_check_decide(check=check_of(filed_owner_case(world, "USE_CHANGE")), actor=world.oscar,
                               outcome="FULFILLED", reasons="")
    complaint(world.changfeng_b)
    complaint(world.changfeng_b)
    complaint(world.changfeng_b, days_ago=400)  # older than 12 months
    complaint(world.caoyang_a, channel=Channel.PROPERTY_REPORT)  # the company's own report does not count against it

    rows = {row["name"]: row for row in selectors.company_ranking(user=world.alice)}
    a, b = rows[world.company_a.name], rows[world.company_b.name]
    # company A: the owner cases' patrol complaints (2) in 兰溪一村; 2 communities × 800 households
    assert (a["points"], a["failed_checks"], a["checks"], a["households"], a["communities"]) == (6, 1, 2, 1600, 2)
    assert a["complaints"] == 2 and a["complaints_per_1000_households"] == 1.25
    assert (b["points"], b["complaints"], b["households"], b["complaints_per_1000_households"]) == (0, 2, 800, 2.5)
    assert (a["rank"], b["rank"], a["of"]) == (1, 2, 2)
    assert a["listed"] is False


def test_ties_share_a_rank_and_a_company_sees_its_own_true_rank(world):
    for n in range(3):
        PropertyCompany.objects.create(name=f"演示物业{n}", credit_code=valid_code(f"91310107MA1G1000{n}"))
    check = services.duty_check_answer(check=check_of(filed_owner_case(world, community=world.changfeng_b,
                                                                        actor=world.alice)),
                                       actor=world.carl, statement="未发现")
    check = services.duty_check_decide(check=check, actor=world.alice, outcome="FAILED", reasons="未报告",
                                       failure_rule="NOT_REPORTED")
    fine_final(world, check.negligence_case, actor=world.alice)
    ranks = {row["name"]: row["rank"] for row in selectors.company_ranking(user=world.hana)}
    assert ranks[world.company_b.name] == 1
    assert {ranks[name] for name in ranks if name != world.company_b.name} == {2}
    mine = selectors.company_ranking(user=world.carl)
    assert [(row["name"], row["rank"], row["of"]) for row in mine] == [(world.company_b.name, 1, 5)]
    assert [row["rank"] for row in selectors.company_ranking(user=world.paul)] == [2]


def test_the_ranking_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    CreditPolicy.current()
    for n in range(30):
        company = PropertyCompany.objects.create(name=f"物业{n:02d}", credit_code=valid_code(f"91310107MA1H{n:05d}"))
        community = Community.objects.create(name=f"小区{n:02d}", street=world.caoyang, property_company=company,
                                             households=100 + n)
        complaint(community)
    with django_assert_max_num_queries(9):  # 8, and the installation's district count (accounts.scope, issue 12)
        rows = selectors.company_ranking(user=world.alice)
    assert len(rows) == 32


def test_departments_other_than_housing_see_no_ranking(world):
    greening = world.gina
    assert selectors.company_ranking(user=greening) == []
    assert len(selectors.company_ranking(user=world.sam)) == 2
