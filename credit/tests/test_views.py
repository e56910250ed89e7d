"""Credit pages, tested from the side of the user who must be refused: company B never sees company A's
checks, ledger or name; street staff and the housing bureau follow checks but do not decide them; a late
answer is refused on the page with the reason; only the deciders remove listings and decide disputes."""
import io
import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.choices import Role
from accounts.models import Notification
from credit import services
from credit.choices import DisputeStatus, DutyOutcome
from credit.models import CreditDispute, CreditPolicy, CreditRecord, CreditRule, DutyCheck, PunishmentListing
from credit.tests.helpers import check_of, filed_owner_case, fine_final, past_deadline
from intake.choices import Channel, ComplaintStatus
from intake.models import Complaint
from registry.models import Department, ViolationType
from tests.personas import make_user

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def photo(name="劝阻照片.jpg"):
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def url(name, *args):
    return reverse(f"credit:{name}", args=args)


def page(client, user, path, status=200):
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.content.decode() if status == 200 else response


@pytest.fixture
def check(world):
    """A pending duty check on company A (普安物业) for an owner case filed in 曹杨 by oscar."""
    return check_of(filed_owner_case(world))


@pytest.fixture
def changfeng_check(world):
    """A pending check on company B in 长风, which sam (street staff) follows and oscar does not work in."""
    return check_of(filed_owner_case(world, community=world.changfeng_b, actor=world.alice))


def failed_and_fined(world, check, *, actor=None):
    """The company answered, the officer found it failed, the negligence case's fine became final."""
    actor = actor or world.oscar
    company_user = world.paul if check.company_id == world.company_a.pk else world.carl
    services.duty_check_answer(check=check, actor=company_user, statement="我司未发现该搭建行为")
    check = services.duty_check_decide(check=check, actor=actor, outcome=DutyOutcome.FAILED,
                                       reasons="业主搭建持续两周，物业未劝阻、未报告", failure_rule="NOT_STOPPED")
    fine_final(world, check.negligence_case, actor=actor)
    return check


# --- the duty-check list ------------------------------------------------------------------------------

@pytest.mark.parametrize("persona, sees", [
    ("oscar", True), ("alice", True), ("ada", True), ("hana", True), ("sam", False)])
def test_duty_check_list_shows_the_checks_in_scope(client, world, check, persona, sees):
    html = page(client, getattr(world, persona), url("duty-checks"))
    assert (check.case.number in html) is sees


@pytest.mark.parametrize("persona", ["paul", "carl"])
def test_a_company_is_sent_to_its_own_area_from_the_bureau_list(client, world, check, persona):
    response = page(client, getattr(world, persona), url("duty-checks"), status=302)
    assert response.url == url("mine")


def test_duty_check_list_filters_and_puts_the_oldest_pending_first(client, world, check, changfeng_check):
    DutyCheck.objects.filter(pk=changfeng_check.pk).update(created_at=timezone.now() - timedelta(days=3))
    html = page(client, world.alice, url("duty-checks") + "?pending=true")
    assert html.index(changfeng_check.case.number) < html.index(check.case.number)
    html = page(client, world.alice, url("duty-checks") + f"?company={world.company_b.pk}")
    assert changfeng_check.case.number in html and check.case.number not in html
    past_deadline(check)
    html = page(client, world.alice, url("duty-checks") + "?overdue=true")
    assert check.case.number in html and changfeng_check.case.number not in html
    html = page(client, world.alice, url("duty-checks") + f"?street={world.changfeng.pk}")
    assert changfeng_check.case.number in html and check.case.number not in html


def test_duty_check_list_exports_xlsx_of_the_users_scope(client, world, check, changfeng_check):
    client.force_login(world.oscar)
    response = client.get(url("duty-checks") + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == [check.case.number]  # 长风's check is outside oscar's streets


# --- one duty check -------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona, status", [
    ("oscar", 200), ("alice", 200), ("hana", 200), ("paul", 200), ("carl", 404), ("sam", 404)])
def test_duty_check_page_is_404_outside_scope(client, world, check, persona, status):
    page(client, getattr(world, persona), url("duty-check", check.pk), status=status)


def test_company_sees_the_case_it_answers_for_without_a_link_into_the_bureaus_case(client, world, check):
    html = page(client, world.paul, url("duty-check", check.pk))
    assert check.case.number in html and check.case.summary in html
    assert reverse("cases:detail", args=[check.case_id]) not in html  # cases are not the company's pages
    assert 'data-testid="answer-form"' in html and 'data-testid="decide-form"' not in html
    html = page(client, world.oscar, url("duty-check", check.pk))
    assert reverse("cases:detail", args=[check.case_id]) in html
    assert 'data-testid="decide-form"' in html and 'data-testid="answer-form"' not in html


def test_company_answers_with_files_and_the_officer_sees_them(client, world, check, media):
    client.force_login(world.paul)
    response = client.post(url("duty-check-answer", check.pk), {
        "statement": "5月3日巡查发现，当日上门劝阻并发出整改通知", "discovered": "true", "dissuaded": "true",
        "stopped": "false", "reported": "", "files": [photo()]})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.answered_by == world.paul and (check.discovered, check.dissuaded, check.stopped) == (
        True, True, False)
    attachment = check.attachments.get()
    assert client.get(url("duty-check-file", attachment.pk)).status_code == 200
    html = page(client, world.oscar, url("duty-check", check.pk))
    assert "当日上门劝阻" in html and "劝阻照片.jpg" in html
    assert client.get(url("duty-check-file", attachment.pk)).status_code == 200
    client.force_login(world.carl)
    assert client.get(url("duty-check-file", attachment.pk)).status_code == 404


def test_company_b_cannot_answer_or_attach_to_company_as_check(client, world, check):
    client.force_login(world.carl)
    assert client.post(url("duty-check-answer", check.pk), {"statement": "冒名说明"}).status_code == 404
    assert client.post(url("duty-check-attach", check.pk), {"file": photo()}).status_code == 404
    check.refresh_from_db()
    assert check.answered_at is None and check.attachments.count() == 0


def test_late_answer_is_refused_on_the_page_with_a_clear_message(client, world, check):
    past_deadline(check)
    html = page(client, world.paul, url("duty-check", check.pk))
    assert 'data-testid="answer-closed"' in html and "说明期限已于" in html
    assert 'data-testid="answer-form"' not in html
    response = client.post(url("duty-check-answer", check.pk), {"statement": "补交说明"})
    assert response.status_code == 400
    assert "已超过说明期限" in response.content.decode()
    check.refresh_from_db()
    assert check.answered_at is None and check.statement == ""


def test_street_staff_and_housing_follow_a_check_but_cannot_decide_it(client, world, changfeng_check):
    html = page(client, world.sam, url("duty-check", changfeng_check.pk))
    assert 'data-testid="decide-form"' not in html
    data = {"outcome": "FULFILLED", "reasons": "已履职"}
    for persona in (world.sam, world.hana):
        client.force_login(persona)
        assert client.post(url("duty-check-decide", changfeng_check.pk), data).status_code == 403
    client.force_login(world.carl)  # the company checked cannot decide its own check either
    assert client.post(url("duty-check-decide", changfeng_check.pk), data).status_code == 403
    changfeng_check.refresh_from_db()
    assert changfeng_check.outcome == DutyOutcome.PENDING


def test_officer_decides_failed_and_the_page_links_the_negligence_case(client, world, check):
    services.duty_check_answer(check=check, actor=world.paul, statement="我司未发现")
    client.force_login(world.oscar)
    response = client.post(url("duty-check-decide", check.pk), {"outcome": "FAILED", "reasons": "未劝阻、未报告"})
    assert response.status_code == 400 and "认定未履职须选择失信行为" in response.content.decode()
    rule = CreditRule.objects.get(code="NOT_STOPPED")
    response = client.post(url("duty-check-decide", check.pk), {
        "outcome": "FAILED", "reasons": "未劝阻、未报告", "failure_rule": rule.pk,
        "discovered": "false", "dissuaded": "false", "stopped": "false", "reported": "false"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.outcome == DutyOutcome.FAILED and check.negligence_case is not None
    html = page(client, world.oscar, url("duty-check", check.pk))
    assert reverse("cases:detail", args=[check.negligence_case_id]) in html
    html = page(client, world.paul, url("duty-check", check.pk))
    assert check.negligence_case.number in html and "未劝阻、未报告" in html
    assert reverse("cases:detail", args=[check.negligence_case_id]) not in html


def test_a_failure_before_the_company_could_answer_is_refused_and_changes_nothing(client, world, check):
    client.force_login(world.oscar)
    response = client.post(url("duty-check-decide", check.pk), {
        "outcome": "FAILED", "reasons": "未劝阻", "failure_rule": CreditRule.objects.get(code="NOT_STOPPED").pk})
    assert response.status_code == 400 and "暂不能认定未履职" in response.content.decode()
    assert "未劝阻" in response.content.decode()  # what the officer typed is kept
    check.refresh_from_db()
    assert check.outcome == DutyOutcome.PENDING and check.negligence_case is None


def test_reported_first_shows_the_report_and_its_lead_and_ends_fulfilled_without_points(client, world):
    report = Complaint.objects.create(
        channel=Channel.PROPERTY_REPORT, received_at=timezone.now() - timedelta(days=2, hours=3),
        content="5号楼顶层业主在露台搭建彩钢板房，已劝阻无效", address_text="兰溪路88弄",
        community=world.caoyang_a, street=world.caoyang, reporting_company=world.company_a, reporter=world.paul,
        violation_type=ViolationType.objects.get(code="ILLEGAL_CONSTRUCTION"), status=ComplaintStatus.ROUTED)
    check = check_of(filed_owner_case(world))
    assert check.prior_report == report
    html = page(client, world.oscar, url("duty-check", check.pk))
    assert 'data-testid="prior-report"' in html and "早于投诉 2天3小时" in html
    assert reverse("intake:detail", args=[report.pk]) in html
    html = page(client, world.paul, url("duty-check", check.pk))
    assert reverse("intake:detail", args=[report.pk]) in html  # the company opens its own report
    client.force_login(world.oscar)
    response = client.post(url("duty-check-decide", check.pk), {
        "outcome": "FULFILLED", "reasons": "企业已于投诉前报告", "discovered": "true", "reported": "true"})
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.outcome == DutyOutcome.FULFILLED and check.negligence_case is None
    assert not CreditRecord.objects.exists()
    assert "暂无失信记分记录" in page(client, world.paul, url("mine"))


# --- the company's own area -----------------------------------------------------------------------------

def test_company_area_shows_its_checks_ledger_points_and_rank_and_nothing_of_company_b(client, world, check,
                                                                                        changfeng_check):
    failed_and_fined(world, changfeng_check, actor=world.alice)  # company B has more points: ranked first
    html = page(client, world.paul, url("mine"))
    assert check.case.number in html and 'data-testid="answer-button"' in html
    assert "第 2 位" in html and "共 2 家企业" in html and "第 1 位记分最多、信用最差" in html
    assert world.company_b.name not in html and changfeng_check.case.number not in html
    assert world.changfeng_b.name not in html
    html = page(client, world.carl, url("mine"))
    assert world.company_a.name not in html and check.case.number not in html
    assert "第 1 位" in html and "第 1 名" not in html
    assert 'data-testid="points">6<' in html  # NOT_STOPPED: 6 points on the company


@pytest.mark.parametrize("persona", ["paul", "carl"])
def test_companies_do_not_see_the_ranking_or_other_companies_credit(client, world, persona):
    user = getattr(world, persona)
    assert page(client, user, url("ranking"), status=302).url == url("mine")
    assert page(client, user, url("listings"), status=302).url == url("mine")
    other = world.company_b if persona == "paul" else world.company_a
    page(client, user, url("company", other.pk), status=404)


def test_company_area_is_for_companies(client, world):
    assert page(client, world.hana, url("mine"), status=302).url == url("ranking")
    roads = Department.objects.exclude(code__in=["HOUSING", "CHENGGUAN"]).first()
    page(client, make_user("greta", Role.DEPARTMENT, department=roads), url("mine"), status=403)


def test_company_disputes_its_record_within_the_deadline_and_housing_upholds_it(client, world, check):
    failed_and_fined(world, check)
    record = CreditRecord.objects.get(subject="COMPANY")
    html = page(client, world.paul, url("mine"))
    assert 'data-testid="dispute-open"' in html
    client.force_login(world.carl)
    assert client.post(url("dispute-lodge", record.pk), {"reason": "冒名异议"}).status_code == 404
    client.force_login(world.paul)
    response = client.post(url("dispute-lodge", record.pk), {"reason": ""})
    assert response.status_code == 400 and not CreditDispute.objects.exists()
    response = client.post(url("dispute-lodge", record.pk), {"reason": "业主搭建发生在我司接管之前"})
    assert response.status_code == 302
    dispute = CreditDispute.objects.get()
    assert "异议处理中" in page(client, world.paul, url("mine"))

    html = page(client, world.hana, url("disputes"))
    assert "业主搭建发生在我司接管之前" in html and 'data-testid="dispute-decide-form"' in html
    client.force_login(world.oscar)  # officers follow credit; they do not decide disputes
    assert client.post(url("dispute-decide", dispute.pk), {"upheld": "true", "decision": "成立"}).status_code == 403
    client.force_login(world.hana)
    response = client.post(url("dispute-decide", dispute.pk), {"upheld": "true", "decision": "经核实接管时间在后"})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.UPHELD
    html = page(client, world.paul, url("mine"))
    assert 'data-testid="correction"' in html and "经核实接管时间在后" in html
    assert 'data-testid="points">0<' in html


def test_a_record_past_its_dispute_deadline_offers_no_dispute(client, world, check):
    failed_and_fined(world, check)
    CreditRecord.objects.update(occurred_on=timezone.localdate() - timedelta(days=30))
    html = page(client, world.paul, url("mine"))
    assert 'data-testid="dispute-open"' not in html
    record = CreditRecord.objects.get(subject="COMPANY")
    response = client.post(url("dispute-lodge", record.pk), {"reason": "迟到的异议"})
    assert response.status_code == 400 and "已超过异议期限" in response.content.decode()


# --- ranking, company credit page, listings -------------------------------------------------------------

@pytest.mark.parametrize("persona, status", [("hana", 200), ("alice", 200), ("oscar", 200), ("ada", 200)])
def test_bureau_and_housing_see_the_ranking_of_every_company(client, world, persona, status):
    html = page(client, getattr(world, persona), url("ranking"), status=status)
    assert world.company_a.name in html and world.company_b.name in html
    assert url("company", world.company_a.pk) in html


def test_other_departments_do_not_see_the_ranking(client, world):
    greening = Department.objects.exclude(code__in=["HOUSING", "CHENGGUAN"]).first()
    greta = make_user("greta", Role.DEPARTMENT, department=greening)
    page(client, greta, url("ranking"), status=403)
    page(client, greta, url("listings"), status=403)
    page(client, greta, url("company", world.company_a.pk), status=403)


def test_ranking_sorts_exports_and_badges_listed_companies(client, world, check):
    failed_and_fined(world, check)
    CreditPolicy.objects.update(threshold=5)
    services.listing_evaluate(company=world.company_a)
    html = page(client, world.hana, url("ranking"))
    assert html.index(world.company_a.name) < html.index(world.company_b.name)
    assert 'data-testid="listed-badge"' in html and 'id="ranking-data"' in html
    html = page(client, world.hana, url("ranking") + "?sort=points")
    assert html.index(world.company_b.name) < html.index(world.company_a.name)
    html = page(client, world.hana, url("ranking") + "?listed=1")
    assert world.company_a.name in html and world.company_b.name not in html
    response = client.get(url("ranking") + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("失信记分排名（第1位记分最多）", "物业企业", "统一社会信用代码", "统计周期内记分")
    assert rows[1][1] == world.company_a.name and rows[1][3] == 6 and rows[1][-1] == "是"


def test_company_credit_page_shows_ledger_managers_checks_and_listings(client, world, check):
    check = failed_and_fined(world, check)
    html = page(client, world.hana, url("company", world.company_a.pk))
    assert "王建国" in html and 'data-testid="ledger-row"' in html and check.case.number in html
    assert reverse("cases:detail", args=[check.negligence_case_id]) not in html  # housing sees no cases
    html = page(client, world.alice, url("company", world.company_a.pk))
    assert reverse("cases:detail", args=[check.negligence_case_id]) in html
    assert url("company", world.company_a.pk) in page(client, world.alice,
                                                      reverse("registry:company-detail", args=[world.company_a.pk]))


def test_every_company_in_an_officers_ranking_opens_also_outside_its_streets(client, world):
    """The ranking shows an officer every company (credit_q); its links must not answer 404 for the companies
    that manage nothing in the officer's streets (company B: 长风 only, oscar: 曹杨)."""
    html = page(client, world.oscar, url("ranking"))
    assert url("company", world.company_b.pk) in html
    assert world.company_b.name in page(client, world.oscar, url("company", world.company_b.pk))
    page(client, world.carl, url("company", world.company_a.pk), status=404)  # another company's: still 404
    page(client, world.carl, url("company", world.company_b.pk), status=302)  # its own: to 本企业


def test_housing_sees_the_listing_and_removes_it_with_a_reason_officers_cannot(client, world, check):
    CreditPolicy.objects.update(threshold=5)
    failed_and_fined(world, check)
    listing = PunishmentListing.objects.get(company=world.company_a)
    html = page(client, world.oscar, url("listings"))
    assert world.company_a.name in html and 'data-testid="remove-form"' not in html
    assert client.post(url("listing-remove", listing.pk), {"reason": "信用修复"}).status_code == 403
    html = page(client, world.hana, url("listings"))
    assert 'data-testid="remove-form"' in html
    response = client.post(url("listing-remove", listing.pk), {"reason": ""})
    assert response.status_code == 400
    response = client.post(url("listing-remove", listing.pk), {"reason": "完成信用修复"})
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.removed_on == timezone.localdate()
    html = page(client, world.hana, url("listings"))
    assert "已将 上海普安物业管理有限公司 移出联合信用惩戒名单" in html and 'data-testid="listing"' not in html
    html = page(client, world.hana, url("listings") + "?show=all")
    assert html.count('data-testid="listing"') == 1 and "完成信用修复" in html


# --- home page notifications ----------------------------------------------------------------------------

def test_housing_home_shows_the_listing_and_dismisses_notifications(client, world, check):
    CreditPolicy.objects.update(threshold=5)
    failed_and_fined(world, check)
    html = page(client, world.hana, reverse("home"))
    assert "1 家物业企业列入联合信用惩戒名单" in html and url("listings") in html
    notification = Notification.objects.get(department__code="HOUSING", kind="company_listed")
    assert f"{world.company_a.name} 列入联合信用惩戒名单" in html
    client.force_login(world.paul)  # another user's notice is not theirs to dismiss
    assert client.post(url("notification-dismiss", notification.pk)).status_code == 404
    client.force_login(world.hana)
    response = client.post(url("notification-dismiss", notification.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.content == b""
    html = page(client, world.hana, reverse("home"))
    assert f"{world.company_a.name} 列入联合信用惩戒名单" not in html
    assert "1 家物业企业列入联合信用惩戒名单" in html  # the list itself is still there


def test_company_home_shows_its_own_notices_only(client, world, check, changfeng_check):
    html = page(client, world.paul, reverse("home"))
    assert check.case.number in html and changfeng_check.case.number not in html
    assert "物业企业列入联合信用惩戒名单" not in html


def test_list_pages_do_not_query_per_row(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    CreditPolicy.objects.update(threshold=1)
    failed_and_fined(world, check_of(filed_owner_case(world)))  # one row on every page
    services.credit_dispute_lodge(record=CreditRecord.objects.get(subject="COMPANY"), actor=world.paul,
                                  reason="异议")
    client.force_login(world.alice)

    def count(path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    paths = (url("duty-checks"), url("ranking"), url("listings"), url("disputes") + "?show=all")
    one = {path: count(path) for path in paths}
    for community in (world.changfeng_a, world.changfeng_b):
        failed_and_fined(world, check_of(filed_owner_case(world, community=community, actor=world.alice)),
                         actor=world.alice)
    assert PunishmentListing.objects.count() == 2
    services.credit_dispute_lodge(record=CreditRecord.objects.get(subject="COMPANY", company=world.company_b),
                                  actor=world.carl, reason="异议")
    for path, queries in one.items():
        assert count(path) == queries, path


def test_a_check_decided_without_an_answer_says_so(client, world, check):
    past_deadline(check)
    services.duty_check_decide(check=check, actor=world.oscar, outcome=DutyOutcome.FAILED, reasons="逾期未说明",
                               failure_rule="NOT_STOPPED")
    html = page(client, world.alice, url("duty-check", check.pk))
    assert "企业未在说明期限" in html and "等待企业" not in html


def test_the_rank_reads_the_same_unambiguous_way_on_every_page_the_export_and_the_api(client, world, check,
                                                                                    changfeng_check):
    """Issue 10: "第5名" where 第1名 is the worst. The ranking is of 失信记分, most points first, and every place
    that shows a rank says so: 第 N 位 of the 失信记分排名, 第 1 位 = most points (worst credit)."""
    failed_and_fined(world, changfeng_check, actor=world.alice)  # company B: 6 points, first; company A: 0, second
    legend = "第 1 位记分最多、信用最差"
    mine = page(client, world.paul, url("mine"))
    assert "全区失信记分排名" in mine and 'data-testid="rank">第 2 位' in mine and legend in mine
    company = page(client, world.hana, url("company", world.company_a.pk))
    assert "全区失信记分排名" in company and 'data-testid="rank">第 2 位' in company and legend in company
    ranking = page(client, world.hana, url("ranking"))
    assert "失信记分排名" in ranking and "第 1 位失信记分最多、信用最差" in ranking
    assert re.findall(r'data-testid="ranking-rank">(第 \d+ 位)<', ranking) == ["第 1 位", "第 2 位"]
    for html in (mine, company, ranking):
        assert not re.search(r"第 ?\d+ ?名", html)
    sheet = load_workbook(io.BytesIO(b"".join(client.get(url("ranking") + "?export=xlsx").streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "失信记分排名（第1位记分最多）" and [r[:2] for r in rows[1:]] == [
        (1, world.company_b.name), (2, world.company_a.name)]
    api = client.get("/api/v1/credit-ranking/").json()
    assert [(r["rank"], r["name"]) for r in api["rows"]] == [(1, world.company_b.name), (2, world.company_a.name)]
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert "1 = 记分最多（信用最差）" in json.dumps(schema.json(), ensure_ascii=False)
