"""accounts.policy: one table decides who may do what, and the services ask it too (they are the last line)."""
import pytest

from accounts import policy
from accounts.navigation import menu_for
from accounts.policy import may
from core.errors import ApplicationError

pytestmark = pytest.mark.django_db


def test_every_row_names_known_roles_and_conditions():
    from accounts.choices import Role

    for action, rule in policy.POLICY.items():
        assert rule.roles, action
        for role in rule.roles:
            assert (role if isinstance(role, str) else role[0]) in Role.values, action
        assert not rule.check or rule.check in policy.CHECKS, action


def test_an_unknown_action_is_a_programming_error(world):
    with pytest.raises(KeyError):
        may(world.alice, "case.delete_everything")


def test_nobody_signed_out_and_no_inactive_user_may_anything(world):
    from django.contrib.auth.models import AnonymousUser

    world.alice.is_active = False
    for action in policy.POLICY:
        assert not may(AnonymousUser(), action)
        assert not may(world.alice, action)


def test_a_department_pair_names_one_department(world):
    assert may(world.hana, policy.CREDIT_OVERVIEW) and may(world.hana, policy.DUTY_CHECK_LIST)
    assert not may(world.gina, policy.CREDIT_OVERVIEW) and not may(world.pete, policy.DUTY_CHECK_LIST)


def test_object_rules_ask_the_users_scope(world):
    from cases.tests.test_paths import open_case

    case = open_case(world, "EBIKE_PARKING")   # 曹杨: oscar's street
    assert may(world.oscar, policy.CASE_HANDLE, case)
    assert may(world.owen, policy.CASE_HANDLE) and not may(world.owen, policy.CASE_HANDLE, case)
    assert not may(world.sam, policy.CASE_HANDLE, case)


def test_a_lead_does_not_answer_his_own_supervision_order_even_through_the_service(world):
    from cases import services
    from cases.tests.test_paths import open_case

    case = open_case(world, "EBIKE_PARKING")
    order = services.supervision_issue(case=case, actor=world.alice, instruction="三日内回复")
    assert not may(world.alice, policy.SUPERVISION_RESPOND, order)
    assert not may(world.owen, policy.SUPERVISION_RESPOND, order)   # another street's officer
    with pytest.raises(ApplicationError):
        services.supervision_respond(order=order, actor=world.alice, response="已阅")
    assert services.supervision_respond(order=order, actor=world.oscar, response="已到场").status == "ANSWERED"


def test_the_credit_overview_is_for_the_bureau_and_the_housing_bureau_not_the_streets(world, client):
    assert not may(world.sam, policy.CREDIT_OVERVIEW)
    client.force_login(world.sam)
    assert client.get("/credit/ranking/").status_code == 403
    assert client.get("/api/v1/credit-ranking/").status_code == 403
    assert "credit:ranking" not in {item["name"] for item in menu_for(world.sam)}


def test_the_template_filter_asks_the_same_table(world):
    from django.template import Context, Template

    template = Template('{% load policy %}{% if user|may:"credit.overview" %}yes{% else %}no{% endif %}')
    assert template.render(Context({"user": world.hana})) == "yes"
    assert template.render(Context({"user": world.sam})) == "no"
