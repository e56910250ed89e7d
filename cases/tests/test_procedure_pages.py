"""The penalty procedure on the case page: each move's form asks for what its needs read and posts it to the
service, refusals keep the input and say why, the procedure panel shows what was recorded, the co-officer form,
the old fine form gone, and the legal reviewer's page and queue."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import workflow
from cases.choices import CaseState
from cases.models import EnforcementCase, Fine, PenaltyProcedure
from cases.tests.test_paths import move
from tests import procedure as P

pytestmark = pytest.mark.django_db


def page(client, user, case):
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def post(client, user, case, action, data):
    client.force_login(user)
    case = EnforcementCase.objects.get(pk=case.pk)
    return client.post(reverse("cases:move", args=[case.pk, action]), {"version": case.version, **data})


def test_every_move_says_what_it_does_before_and_after():
    for m in workflow.MOVES:
        assert str(m.consequence).strip(), m.action
        assert str(m.done).strip(), m.action


def test_notify_from_the_page_with_one_penalty_row_per_party(client, world):
    case = P.investigating(world)
    html = page(client, world.oscar, case)
    party = case.parties.get()
    rng = P.fine_range(case)
    assert 'data-testid="form-notify"' in html and f'name="penalty_{party.pk}_range"' in html
    assert "非机动车" in html and "200元以上500元以下" in html   # the range labelled with its article
    assert 'data-testid="consequence-notify"' in html
    response = post(client, world.oscar, case, "notify", {
        "findings": "经查，电梯内停放电动自行车。", "measures": ["ORDER_CORRECT", "FINE"],
        f"penalty_{party.pk}_range": rng.pk, f"penalty_{party.pk}_amount": "300"})
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.state == CaseState.NOTICE and case.findings.startswith("经查")
    assert PenaltyProcedure.objects.get(case=case).proposed[0]["amount"] == "300.00"
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "已出具行政处罚事先告知书" in html and "事先告知" in html     # the message names the new state
    assert 'data-testid="procedure-penalty"' in html and "¥300" in html


def test_an_amount_outside_the_range_is_refused_with_the_range_and_keeps_the_input(client, world):
    case = P.investigating(world)
    party = case.parties.get()
    response = post(client, world.oscar, case, "notify", {
        "findings": "经查，电梯内停放电动自行车。", "measures": ["ORDER_CORRECT", "FINE"],
        f"penalty_{party.pk}_range": P.fine_range(case).pk, f"penalty_{party.pk}_amount": "900"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "超出法定幅度" in html and 'value="900' in html and "经查，电梯内停放电动自行车。" in html
    assert EnforcementCase.objects.get(pk=case.pk).state == CaseState.INVESTIGATING


def test_a_bad_number_in_a_penalty_row_is_a_form_error_not_a_500(client, world):
    case = P.investigating(world)
    party = case.parties.get()
    response = post(client, world.oscar, case, "notify", {
        "findings": "x", "measures": ["FINE"], f"penalty_{party.pk}_range": "99999999",
        f"penalty_{party.pk}_amount": "abc"})
    assert response.status_code == 400


def test_the_two_officer_rule_is_a_clear_hint_and_the_co_officer_form_lifts_it(client, world):
    from cases.tests.test_paths import move, open_case, photo

    case = open_case(world, "EBIKE_PARKING")
    case = move(move(case, "start_verification", world.oscar), "file", world.oscar, files=[photo()])
    html = page(client, world.oscar, case)
    assert 'data-testid="hints-investigate"' in html and "请先指派承办队员和协办队员" in html
    assert 'data-testid="co-officer-form"' in html
    world.otis.streets.add(case.street_id)
    response = client.post(reverse("cases:co-officer", args=[case.pk]),
                           {"version": case.version, "co_officer": world.otis.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.co_officer == world.otis
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "已指定协办队员" in html and "奥蒂斯队员" in html
    assert "请先指派承办队员和协办队员" not in html


def test_the_co_officer_cannot_be_the_officer(client, world):
    from cases.tests.test_paths import open_case

    case = open_case(world, "EBIKE_PARKING")
    client.force_login(world.alice)
    response = client.post(reverse("cases:co-officer", args=[case.pk]),
                           {"version": case.version, "co_officer": world.oscar.pk})
    assert response.status_code == 400
    assert EnforcementCase.objects.get(pk=case.pk).co_officer_id is None


def test_service_statement_and_review_from_the_page(client, world):
    case = P.notified(world)
    html = page(client, world.oscar, case)
    assert 'name="served_on"' in html and 'name="manner"' in html
    response = post(client, world.oscar, case, "serve_notice", {"served_on": timezone.localdate().isoformat(),
                                                                "manner": "POST"})
    assert response.status_code == 302
    response = post(client, world.oscar, case, "record_statement", {"statement": "初犯，请求从轻。",
                                                                    "statement_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "案件仍处于" in html and "初犯，请求从轻。" in html and 'data-testid="procedure-statement"' in html
    party = case.parties.get()
    # a defence can never raise the penalty (§45): refused, nothing changes
    response = post(client, world.oscar, case, "review_statement", {
        "review_result": "PARTLY", "review_text": "初犯属实", f"penalty_{party.pk}_range": P.fine_range(case).pk,
        f"penalty_{party.pk}_amount": "400"})
    assert response.status_code == 400 and "不得因当事人陈述申辩而加重处罚" in response.content.decode()
    response = post(client, world.oscar, case, "review_statement", {
        "review_result": "PARTLY", "review_text": "初犯属实", f"penalty_{party.pk}_range": P.fine_range(case).pk,
        f"penalty_{party.pk}_amount": "200"})
    assert response.status_code == 302
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="procedure-lowered"' in html and "部分采纳" in html


def test_a_missing_service_date_is_shown_on_the_field(client, world):
    case = P.notified(world)
    response = post(client, world.oscar, case, "serve_notice", {"manner": "POST"})
    assert response.status_code == 400
    assert EnforcementCase.objects.get(pk=case.pk).state == CaseState.NOTICE


def test_hearing_schedule_offers_presiders_who_are_not_investigators(client, world):
    case = P.in_hearing(world)
    client.force_login(world.alice)
    response = client.get(reverse("cases:detail", args=[case.pk]))
    form = next(f for f in response.context["move_forms"] if f.move.action == "schedule_hearing")
    presiders = set(form.fields["presider"].queryset)
    assert world.ada in presiders and world.lena in presiders
    assert world.oscar not in presiders and case.co_officer not in presiders
    # posting an investigator by hand is refused
    response = post(client, world.alice, case, "schedule_hearing", {
        "hearing_at": "2030-01-10T09:00", "hearing_place": "听证室", "presider": world.oscar.pk})
    assert response.status_code == 400


def test_the_legal_reviewer_sees_only_the_review_moves_and_passes_it(client, world):
    case = P.in_legal_review(world)
    html = page(client, world.lena, case)
    assert [f.move.action for f in client.get(reverse("cases:detail", args=[case.pk])).context["move_forms"]] == [
        "pass_legal_review", "return_legal_review"]
    for absent in ('data-testid="party-form"', 'data-testid="evidence-form"', 'data-testid="co-officer-form"',
                   'data-testid="assign-form"', "document-PENALTY_DECISION"):
        assert absent not in html
    assert 'data-testid="procedure-hearing"' in html and "区城管执法局听证室" in html
    assert "310107198001011234" in html or "3101" in html  # parties as the role sees them (LEGAL: full)
    response = post(client, world.lena, case, "pass_legal_review", {"opinion": "事实清楚，程序合法。"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.APPROVAL
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "负责人审批" in html and 'data-testid="procedure-legal"' in html
    # the reviewer adds no parties, evidence or documents
    assert client.post(reverse("cases:party-add", args=[case.pk]), {"role": "OWNER", "name": "x"}).status_code == 403
    assert client.post(reverse("cases:document-issue", args=[case.pk, "ORDER_CORRECT"])).status_code == 403


def test_an_officer_cannot_pass_the_legal_review(client, world):
    case = P.in_legal_review(world)
    html = page(client, world.oscar, case)
    assert "move-pass_legal_review" not in html
    response = post(client, world.oscar, case, "pass_legal_review", {"opinion": "自己审核"})
    assert response.status_code == 400
    assert EnforcementCase.objects.get(pk=case.pk).state == CaseState.LEGAL_REVIEW


def test_the_legal_queue_is_in_the_reviewers_menu(client, world):
    from accounts.navigation import menu_for

    urls = [item["url"] for item in menu_for(world.lena)]
    assert "/cases/?state=LEGAL_REVIEW" in urls
    assert all("LEGAL_REVIEW" not in item["url"] for item in menu_for(world.oscar))
    waiting = P.in_legal_review(world)
    client.force_login(world.lena)
    html = client.get("/cases/?state=LEGAL_REVIEW").content.decode()
    assert waiting.number in html


def test_approval_discussion_and_the_panel_after_the_decision(client, world):
    case = P.in_legal_review(world)
    move(case, "pass_legal_review", world.lena, opinion="同意")
    case = EnforcementCase.objects.get(pk=case.pk)
    html = page(client, world.alice, case)
    assert 'data-testid="form-record_discussion"' in html and 'name="participants"' in html
    assert "重大案件须先记录集体讨论" in html
    response = post(client, world.alice, case, "approve", {})
    assert response.status_code == 400 and "集体讨论" in response.content.decode()
    post(client, world.alice, case, "record_discussion", {"participants": "局长、副局长", "minutes": "同意",
                                                           "discussion_on": timezone.localdate().isoformat()})
    response = post(client, world.alice, case, "approve", {})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED and Fine.objects.filter(case=case).count() == 1
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "案件现处于" in html and "处理决定" in html
    assert 'data-testid="procedure-decision-service"' in html and "尚未送达" in html


def test_the_panel_shows_the_due_date_and_todays_surcharge_of_an_unpaid_fine(client, world):
    case = P.overdue_fine(world)
    fine = case.fines.get()
    html = page(client, world.oscar, case)
    assert 'data-testid="procedure-unpaid"' in html and fine.due.isoformat() in html
    assert P.surcharge_today(fine) > 0
    assert f"¥{P.surcharge_today(fine):,.2f}".rstrip("0").rstrip(".")[:5] in html
    assert 'data-testid="surcharge"' in html


def test_the_time_limit_shows_with_its_flag(client, world):
    case = P.investigating(world)
    EnforcementCase.objects.filter(pk=case.pk).update(decision_due=timezone.localdate() - timedelta(days=1))
    html = page(client, world.oscar, case)
    assert 'data-testid="procedure-due"' in html and 'data-testid="due-overdue"' in html


def test_the_old_fine_form_is_gone_and_its_address_refuses_naming_the_procedure(client, world):
    case = P.decided(world)
    html = page(client, world.oscar, case)
    assert 'data-testid="fine-form"' not in html and "录入罚款" not in html
    response = client.post(reverse("cases:fine-impose", args=[case.pk]), {"amount": "200"})
    assert response.status_code == 400
    assert "行政处罚程序" in response.content.decode()
    assert Fine.objects.filter(case=case).count() == 1


def test_street_staff_see_the_panel_without_moves(client, world):
    case = P.in_defence(world)
    world.sam.streets.add(case.street_id)
    html = page(client, world.sam, case)
    assert 'data-testid="procedure"' in html and 'data-testid="moves"' not in html
    assert "310107198001011234" not in html
