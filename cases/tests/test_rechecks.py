"""回头看 (R3.6): closing schedules re-checks per type; a re-check records photos and a result; 回潮 reopens the case
within its window (history kept) or opens a new linked case; both count in 回潮; overdue re-checks are 慢作为;
pages and API refuse other streets and departments."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import indicators, services
from cases.choices import CaseState, ReCheckResult, ReCheckStatus
from cases.models import EnforcementCase, ReCheck, ReCheckRule
from cases.tests.test_paths import with_team
from cases.tests.test_workflow_core import photo
from core.errors import ApplicationError
from intake import services as intake_services
from intake.choices import Channel

pytestmark = pytest.mark.django_db


def closed_case(world, content="楼道飞线充电", address="兰溪路88弄3号201室"):
    complaint = intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content=content, address=address, received_at=timezone.now()))
    case = services.case_open_from_complaint(complaint=complaint, actor=world.oscar)
    step = lambda action, **kw: services.case_transition(case=case, action=action, actor=world.oscar, **kw)  # noqa: E731
    case = step("start_verification")
    case = services.case_transition(case=case, action="file", actor=world.oscar, files=[photo()])
    case = services.case_transition(case=with_team(case), action="investigate", actor=world.oscar)
    services.party_add(case=case, actor=world.oscar, role="OWNER", name="赵某", id_number="310107199001011234",
                       address="兰溪路88弄3号201室")
    case = services.case_transition(case=case, action="decide", actor=world.oscar, measures=["ORDER_CORRECT"],
                                    findings="经查，当事人在楼道内私拉电线为电动自行车充电。")
    case = services.case_transition(case=case, action="order_rectification", actor=world.oscar,
                                     rectify_due=timezone.localdate() + timedelta(days=3))
    case = services.case_transition(case=case, action="review", actor=world.oscar)
    return services.case_transition(case=case, action="close_rectified", actor=world.oscar,
                                    files=[photo("after.jpg")], reason="已拆除飞线")


def backdate(case, days):
    """The case closed `days` ago (its re-checks with it)."""
    closed = timezone.now() - timedelta(days=days)
    EnforcementCase.objects.filter(pk=case.pk).update(closed_at=closed)
    for recheck in ReCheck.objects.filter(case=case):
        ReCheck.objects.filter(pk=recheck.pk).update(closed_at=closed,
                                                     due=timezone.localtime(closed).date() + timedelta(days=recheck.round))
    case.refresh_from_db()
    return case


def test_closing_schedules_rechecks_per_type_from_the_admins_rule(world, keyword_classifier):
    case = closed_case(world)
    assert case.violation_type.code == "EBIKE_CHARGING"
    assert [(r.round, r.due, r.status) for r in case.rechecks.all()] == [
        (7, timezone.localdate() + timedelta(days=7), ReCheckStatus.DUE)]
    rule = ReCheckRule.objects.get(violation_type__code="ILLEGAL_CONSTRUCTION")   # seeded by the data migration
    assert rule.intervals == [30, 90]
    ReCheckRule.objects.filter(violation_type=case.violation_type).update(intervals=[3, 10])
    second = closed_case(world, address="兰溪路88弄5号302室")
    assert [r.round for r in second.rechecks.all()] == [3, 10]


def test_close_recheck_due_recurred_reopens_the_case_with_its_history(world, keyword_classifier):
    case = backdate(closed_case(world), 10)
    history = list(case.transitions.values_list("action", flat=True))
    recheck = case.rechecks.get()
    assert recheck in ReCheck.objects.filter(indicators.recheck_overdue_q())   # due 3 days ago: overdue
    with pytest.raises(ApplicationError):   # photos are required
        services.recheck_record(recheck=recheck, actor=world.oscar, result=ReCheckResult.RECURRED, note="又在充电")
    done = services.recheck_record(recheck=recheck, actor=world.oscar, result=ReCheckResult.RECURRED,
                                   note="楼道内又见飞线充电", files=[photo("again.jpg")])
    case.refresh_from_db()
    assert done.follow_up == case and case.state == CaseState.VERIFYING and case.closed_at is None
    assert list(case.transitions.values_list("action", flat=True)) == history + ["reopen"]
    assert case.transitions.last().reason.startswith("回头看发现回潮")
    assert case.evidence.filter(recheck=done).count() == 1
    with pytest.raises(ApplicationError):   # recorded once
        services.recheck_record(recheck=done, actor=world.oscar, result=ReCheckResult.CLEAN, note="",
                                files=[photo()])
    # closed again: counted recurred (re-check result), and the new closing schedules its own re-checks
    EnforcementCase.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_at=timezone.now())
    assert EnforcementCase.objects.filter(indicators.recurred_q(), pk=case.pk).exists()


def test_recurred_after_the_window_opens_a_new_case_linked_to_the_old(world, keyword_classifier):
    case = backdate(closed_case(world), 120)
    assert not EnforcementCase.objects.filter(indicators.recurred_q(), pk=case.pk).exists()
    done = services.recheck_record(recheck=case.rechecks.get(), actor=world.oscar, result=ReCheckResult.RECURRED,
                                   note="又见飞线", files=[photo()])
    case.refresh_from_db()
    new = done.follow_up
    assert case.state == CaseState.CLOSED and new.pk != case.pk and new.reopened_from == case
    assert new.state == CaseState.REGISTERED and new.street == case.street
    assert EnforcementCase.objects.filter(indicators.recurred_q(), pk=case.pk).exists()   # counts in 回潮


def test_the_window_is_the_rule_of_the_type(world, keyword_classifier):
    case = backdate(closed_case(world), 10)
    ReCheckRule.objects.filter(violation_type=case.violation_type).update(reopen_window_days=5)
    done = services.recheck_record(recheck=case.rechecks.get(), actor=world.oscar, result=ReCheckResult.RECURRED,
                                   note="又见飞线", files=[photo()])
    assert done.follow_up.reopened_from_id == case.pk


def test_a_clean_recheck_keeps_the_case_closed_and_recurrence_feeds_the_metric(world, keyword_classifier):
    from analytics import metrics
    from analytics.periods import Period

    case = closed_case(world)
    done = services.recheck_record(recheck=case.rechecks.get(), actor=world.oscar, result=ReCheckResult.CLEAN,
                                   note="", files=[photo()])
    case.refresh_from_db()
    assert done.follow_up is None and case.state == CaseState.CLOSED
    today = timezone.localdate()
    period = Period.between(today - timedelta(days=1), today)
    assert metrics.effectiveness(metrics.SYSTEM, period)["recurrence_rate"].numerator == 0
    other = closed_case(world, content="楼道停放电瓶车", address="兰溪路88弄7号101室")   # another type
    services.recheck_record(recheck=other.rechecks.get(), actor=world.oscar, result=ReCheckResult.RECURRED,
                            note="又见", files=[photo()])
    other.refresh_from_db()   # reopened: open now, counted once closed again
    assert metrics.effectiveness(metrics.SYSTEM, period)["recurrence_rate"].numerator == 0
    services.case_transition(case=other, action="dismiss", actor=world.oscar, reason="已整改")
    figure = metrics.effectiveness(metrics.SYSTEM, period)["recurrence_rate"]
    assert (figure.numerator, figure.denominator) == (1, 2)   # the daily case cells were recounted


def test_overdue_rechecks_are_slow_action(world, keyword_classifier):
    case = backdate(closed_case(world), 10)
    today = timezone.localdate()
    rows = {r["officer_id"]: r for r in indicators.officer_rows(world.alice, today - timedelta(days=30), today)}
    assert rows[world.oscar.pk]["overdue_rechecks"] == 1 and rows[world.oscar.pk]["slow_action"] >= 1
    streets = {r["street_id"]: r for r in indicators.street_rows(world.alice, today - timedelta(days=30), today)}
    assert streets[case.street_id]["overdue_rechecks"] == 1
    assert streets[world.changfeng.pk]["overdue_rechecks"] == 0


def test_reopening_cancels_the_rechecks_still_due(world, keyword_classifier):
    case = closed_case(world)
    services.case_transition(case=case, action="reopen", actor=world.oscar, reason="群众反映回潮")
    assert case.rechecks.get().status == ReCheckStatus.CANCELLED


# --- pages and API, from both sides ----------------------------------------------------------------------

def test_pages_list_filter_and_record(client, world, keyword_classifier):
    case = backdate(closed_case(world), 10)
    recheck = case.rechecks.get()
    client.force_login(world.oscar)
    page = client.get(reverse("cases:rechecks") + "?show=overdue")
    assert page.status_code == 200 and case.number in page.content.decode()
    assert case.number not in client.get(reverse("cases:rechecks") + "?show=done").content.decode()
    assert case.number in client.get(reverse("cases:workbench")).content.decode()
    url = reverse("cases:recheck", args=[recheck.pk])
    refused = client.post(url, {"result": "RECURRED", "note": "又见", "files": [photo()]})   # not confirmed
    assert refused.status_code == 400
    recheck.refresh_from_db()
    assert recheck.status == ReCheckStatus.DUE
    done = client.post(url, {"result": "RECURRED", "note": "又见", "files": [photo()], "confirm": "on"}, follow=True)
    assert "已重新打开" in done.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.VERIFYING


@pytest.mark.parametrize("who", ["owen", "sam", "hana"])
def test_other_streets_and_departments_are_refused(client, world, keyword_classifier, who):
    case = closed_case(world)
    recheck = case.rechecks.get()
    user = getattr(world, who)
    client.force_login(user)
    listing = client.get(reverse("cases:rechecks"))
    assert listing.status_code == (403 if who == "hana" else 200)
    assert case.number not in listing.content.decode()
    assert client.get(reverse("cases:recheck", args=[recheck.pk])).status_code in (403, 404)
    post = client.post(reverse("cases:recheck", args=[recheck.pk]),
                       {"result": "CLEAN", "files": [photo()], "confirm": "on"})
    assert post.status_code in (403, 404)
    api = client.get("/api/v1/rechecks/")
    assert api.status_code == (403 if who == "hana" else 200)
    if who != "hana":
        assert api.json()["results"] == [] if "results" in api.json() else api.json() == []
    assert client.post(f"/api/v1/rechecks/{recheck.pk}/record/",
                       {"result": "CLEAN", "files": [photo()], "confirm": "true"}).status_code in (403, 404)
    recheck.refresh_from_db()
    assert recheck.status == ReCheckStatus.DUE


def test_the_street_follows_its_rechecks_but_records_none(client, world, keyword_classifier):
    from tests.personas import make_user

    case = closed_case(world)
    street_user = make_user("sally", "STREET", streets=[world.caoyang])
    client.force_login(street_user)
    assert case.number in client.get(reverse("cases:rechecks")).content.decode()
    recheck = case.rechecks.get()
    assert client.post(reverse("cases:recheck", args=[recheck.pk]),
                       {"result": "CLEAN", "files": [photo()], "confirm": "on"}).status_code == 403


def test_api_lists_and_records(client, world, keyword_classifier):
    case = closed_case(world)
    recheck = case.rechecks.get()
    client.force_login(world.oscar)
    body = client.get("/api/v1/rechecks/?show=due").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["id"] for r in rows] == [recheck.pk]
    bad = client.post(f"/api/v1/rechecks/{recheck.pk}/record/", {"result": "CLEAN", "files": [photo()]})
    assert bad.status_code == 400
    ok = client.post(f"/api/v1/rechecks/{recheck.pk}/record/",
                     {"result": "CLEAN", "files": [photo()], "confirm": "true"})
    assert ok.status_code == 200 and ok.json()["status"] == "DONE"
    again = client.post(f"/api/v1/rechecks/{recheck.pk}/record/",
                        {"result": "CLEAN", "files": [photo()], "confirm": "true"})
    assert again.status_code == 400 and again.json()["detail_en"]
