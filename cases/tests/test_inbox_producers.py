"""The services that cause an inbox item make exactly one, for the right user and nobody else (R3.8); the daily
deadline task makes each item once however often it runs."""
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.choices import InboxKind
from accounts.models import InboxItem
from cases import referrals, reminders, services
from cases.models import EnforcementCase
from cases.tests.test_paths import open_case

pytestmark = pytest.mark.django_db


def only(kind):
    """Every item of the kind, as (user, about pk)."""
    return sorted((item.user.username, item.about_pk) for item in InboxItem.objects.filter(kind=kind))


def test_assignment_tells_the_officer_once_and_a_reassignment_is_news_again(world):
    case = open_case(world, "ILLEGAL_CONSTRUCTION", actor=world.alice)
    case = services.case_assign(case=case, officer=world.oscar, actor=world.alice, version=case.version)
    assert only(InboxKind.ASSIGNED) == [("oscar", case.pk)]
    item = InboxItem.objects.get()
    assert case.number in item.title and item.url == reverse("cases:detail", args=[case.pk])
    case = services.case_assign(case=case, officer=world.otis, actor=world.alice, version=case.version,
                                reason="调整")
    assert only(InboxKind.ASSIGNED) == [("oscar", case.pk), ("otis", case.pk)]


def test_a_claim_tells_nobody(world):
    case = open_case(world, "ILLEGAL_CONSTRUCTION", actor=world.alice)
    services.case_assign(case=case, officer=world.oscar, actor=world.oscar, version=case.version)
    assert not InboxItem.objects.exists()


def test_supervision_goes_to_the_cases_officer_or_else_the_streets_officers(world):
    case = open_case(world, "ILLEGAL_CONSTRUCTION")   # oscar's
    order = services.supervision_issue(case=case, actor=world.alice, instruction="尽快处置")
    assert only(InboxKind.SUPERVISION) == [("oscar", order.pk)]
    unassigned = open_case(world, "ILLEGAL_CONSTRUCTION", actor=world.alice)
    other = services.supervision_issue(case=unassigned, actor=world.alice, instruction="请认领")
    assert only(InboxKind.SUPERVISION) == [("oscar", order.pk), ("oscar", other.pk), ("otis", other.pk)]
    assert InboxItem.objects.count() == 3


def test_a_referral_tells_the_department_then_its_answer_tells_the_sender(world):
    case = open_case(world, "ILLEGAL_CONSTRUCTION")
    housing = world.hana.department
    referral = referrals.referral_send(department=housing, matter="群租疑似，请核查", actor=world.oscar, case=case)
    again = referrals.referral_send(department=housing, matter="群租疑似，请核查", actor=world.oscar, case=case)
    assert again.pk == referral.pk
    assert only(InboxKind.REFERRAL_RECEIVED) == [("hana", referral.pk)]   # not gina (绿化), not pete (规划)
    assert InboxItem.objects.get().url == reverse("cases:inbox")
    referral = referrals.referral_sign(referral=referral, actor=world.hana)
    assert InboxItem.objects.count() == 1
    referrals.referral_answer(referral=referral, actor=world.hana, answer="已核查，已处理")
    assert only(InboxKind.REFERRAL_ANSWERED) == [("oscar", referral.pk)]
    assert InboxItem.objects.count() == 2


def test_a_returned_referral_tells_the_sender(world):
    case = open_case(world, "ILLEGAL_CONSTRUCTION")
    referral = referrals.referral_send(department=world.gina.department, matter="毁绿", actor=world.alice, case=case)
    referrals.referral_return(referral=referral, actor=world.gina, reason="不属本部门")
    assert only(InboxKind.REFERRAL_RECEIVED) == [("gina", referral.pk)]
    assert only(InboxKind.REFERRAL_ANSWERED) == [("alice", referral.pk)]
    assert "退回" in InboxItem.objects.get(kind=InboxKind.REFERRAL_ANSWERED).title


def test_the_daily_task_tells_each_officer_once_per_deadline(world):
    today = timezone.localdate()
    soon = open_case(world, "ILLEGAL_CONSTRUCTION")                       # oscar's
    late = open_case(world, "ILLEGAL_CONSTRUCTION", community=world.changfeng_b, actor=world.owen)
    nobody = open_case(world, "ILLEGAL_CONSTRUCTION", actor=world.alice)  # no officer yet
    far = open_case(world, "ILLEGAL_CONSTRUCTION", actor=world.otis)
    EnforcementCase.objects.filter(pk__in=[soon.pk, nobody.pk]).update(state_due=today + timedelta(days=1))
    EnforcementCase.objects.filter(pk=late.pk).update(state_due=today - timedelta(days=3))
    EnforcementCase.objects.filter(pk=far.pk).update(state_due=today + timedelta(days=30))
    InboxItem.objects.all().delete()
    assert reminders.inbox_due(today) == {InboxKind.DUE_SOON: 1, InboxKind.OVERDUE: 1, InboxKind.RECHECK_DUE: 0}
    assert only(InboxKind.DUE_SOON) == [("oscar", soon.pk)]
    assert only(InboxKind.OVERDUE) == [("owen", late.pk)]
    # idempotent: the next run, the next day, and the command make nothing new while the deadline stands
    assert reminders.inbox_due(today) == {InboxKind.DUE_SOON: 0, InboxKind.OVERDUE: 0, InboxKind.RECHECK_DUE: 0}
    call_command("inbox_due", stdout=open("/dev/null", "w"))
    assert InboxItem.objects.count() == 2
    # a new stage deadline that is passed again is news again
    EnforcementCase.objects.filter(pk=late.pk).update(state_due=today - timedelta(days=1))
    assert reminders.inbox_due(today)[InboxKind.OVERDUE] == 1
    assert only(InboxKind.OVERDUE) == [("owen", late.pk), ("owen", late.pk)]


def test_a_recheck_falling_due_tells_the_officer_of_its_case_once(world):
    from cases.models import ReCheck

    today = timezone.localdate()
    mine = open_case(world, "ILLEGAL_CONSTRUCTION")                                         # oscar's
    other = open_case(world, "ILLEGAL_CONSTRUCTION", community=world.changfeng_b, actor=world.owen)
    due = ReCheck.objects.create(case=mine, closed_at=timezone.now(), round=30, due=today)
    ReCheck.objects.create(case=other, closed_at=timezone.now(), round=30, due=today + timedelta(days=30))  # far
    ReCheck.objects.create(case=other, closed_at=timezone.now(), round=7, due=today, status="DONE")      # done
    InboxItem.objects.all().delete()
    assert reminders.inbox_due(today)[InboxKind.RECHECK_DUE] == 1
    assert only(InboxKind.RECHECK_DUE) == [("oscar", due.pk)]
    assert InboxItem.objects.get(kind=InboxKind.RECHECK_DUE).url == reverse("cases:recheck", args=[due.pk])
    assert reminders.inbox_due(today)[InboxKind.RECHECK_DUE] == 0


def test_the_inbox_and_sms_pages_in_english(client, world):
    from tests.test_i18n import chinese_interface, english

    case = open_case(world, "ILLEGAL_CONSTRUCTION")
    services.supervision_issue(case=case, actor=world.alice, instruction="尽快处置")
    html = english(client, world.oscar, reverse("accounts:inbox"))
    assert f"Supervision order: case {case.number}" in html and "Mark all as read" in html
    assert chinese_interface(html) == []
    assert chinese_interface(english(client, world.oscar, reverse("accounts:sms"))) == []
