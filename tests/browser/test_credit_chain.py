"""Issue 5's chain in the browser. An owner builds illegally and a resident calls 12345; the officer files the
case from the complaint page, which opens a duty check on the property company; the company answers on its
own pages; the officer finds it failed, which opens a negligence case; that case is taken to a fine on the
case pages; when the officer makes the fine final (生效) on the case page, the company sees its points, and the housing bureau sees the company on
the joint credit-punishment list and the notice on its home page. And the other story: the company reported
the building first, so the check ends fulfilled and no points are given."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import EnforcementCase
from credit.choices import DutyOutcome
from credit.models import CreditPolicy, CreditRecord, DutyCheck, PunishmentListing
from intake.tests.fakes import keyword_classifier  # noqa: F401  (the live server runs in this process)
from tests.browser.test_case_flow import (
    expect_state,
    login,
    logout,
    move,
    name_co_officer,
    open_form,
    png,
    receive,
    submit,
)
from tests.personas import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def aside(page, label):
    page.locator("aside").get_by_role("link", name=re.compile(label)).click()


def file_case_from_complaint(page, base, complaint, evidence):
    """The officer opens a case from the complaint page and files it (立案): the duty check opens with it."""
    page.goto(f"{base}/intake/{complaint.pk}/")
    page.get_by_test_id("open-case").click()
    expect(page.get_by_test_id("case-number")).to_have_text(re.compile(r"AJ\d{4}-\d{6}"))
    move(page, "start_verification")
    expect_state(page, "核查")
    open_form(page, "file")
    page.get_by_test_id("form-file").locator("input[type=file]").set_input_files(evidence)
    submit(page, "file")
    expect_state(page, "立案")
    return page.get_by_test_id("case-number").inner_text()


def test_company_that_did_not_report_is_found_failed_fined_scored_and_listed(
        live_server, page, screenshot, keyword_classifier, tmp_path):  # noqa: F811
    world = build_world()
    CreditPolicy.objects.update(threshold=5)  # NOT_STOPPED gives the company 6 points: one failure lists it
    complaint = receive("兰溪路88弄5号楼顶有业主正在搭建彩钢板房", "兰溪路88弄", "12345-2026-0101")
    site = png(tmp_path / "site.png", (190, 90, 60))
    statement = png(tmp_path / "statement.png", (60, 120, 190))
    base = live_server.url

    # the officer files the owner's case from the complaint; the duty check on 普安物业 opens
    login(page, base, "oscar")
    number = file_case_from_complaint(page, base, complaint, site)
    aside(page, "物业履职检查")
    row = page.get_by_test_id("duty-check-row").filter(has_text=number)
    expect(row).to_contain_text(world.company_a.name)
    expect(row.get_by_test_id("outcome")).to_have_text("待认定")
    screenshot("credit-duty-check-list")
    logout(page)

    # the company is told on its home page and answers from its own area, before the deadline
    login(page, base, "paul")
    expect(page.get_by_test_id("notification").first).to_contain_text(number)
    screenshot("credit-company-home")
    aside(page, "本企业履职与信用")
    my_check = page.get_by_test_id("my-check").filter(has_text=number)
    my_check.get_by_test_id("answer-button").click()
    form = page.get_by_test_id("answer-form")
    form.locator("input[name=discovered][value=false]").check()
    form.locator("input[name=dissuaded][value=false]").check()
    form.locator("input[name=stopped][value=false]").check()
    form.locator("input[name=reported][value=false]").check()
    form.locator("textarea[name=statement]").fill("该楼顶平台由业主自行封闭管理，我司巡查未能发现搭建行为。")
    form.locator("input[type=file]").set_input_files(statement)
    screenshot("credit-company-answer-form")
    page.get_by_test_id("answer-submit").click()
    expect(page.get_by_role("alert").first).to_contain_text("情况说明已提交")
    expect(page.get_by_test_id("statement")).to_contain_text("巡查未能发现")
    expect(page.get_by_test_id("attachment")).to_have_count(1)
    expect(page.get_by_test_id("no-prior-report")).to_be_visible()
    logout(page)

    # the officer finds the duty failed: a PROPERTY_NEGLIGENCE case opens against the company
    login(page, base, "oscar")
    aside(page, "物业履职检查")
    page.get_by_test_id("duty-check-row").filter(has_text=number).get_by_test_id("duty-check-link").click()
    expect(page.get_by_test_id("statement")).to_contain_text("巡查未能发现")
    decide = page.get_by_test_id("decide-form")
    for duty in ("discovered", "dissuaded", "stopped", "reported"):
        decide.locator(f"input[name={duty}][value=false]").check()
    decide.get_by_label("未履职（立物业未履职案件）").check()
    decide.locator("select[name=failure_rule]").select_option(label="未劝阻、制止业主违法行为（6分）")
    decide.locator("textarea[name=reasons]").fill("搭建持续两周，物业未发现、未劝阻制止、未向执法部门报告。")
    page.get_by_test_id("decide-submit").click()
    expect(page.get_by_role("alert").first).to_contain_text("已立物业未履职案件")
    expect(page.get_by_test_id("decision").get_by_test_id("outcome")).to_have_text("未履职")
    screenshot("credit-duty-check-failed")

    # the negligence case, on the case pages: verification, filing, investigation, a fine decision
    page.get_by_test_id("negligence-case").get_by_role("link").click()
    expect(page.get_by_test_id("case-type")).to_have_text("物业未履职")
    case_page = page.url
    expect(page.get_by_test_id("parties")).to_contain_text(world.company_a.name)
    move(page, "start_verification")
    open_form(page, "file")
    page.get_by_test_id("form-file").locator("input[type=file]").set_input_files(site)
    submit(page, "file")
    expect_state(page, "立案")
    name_co_officer(page, "奥蒂斯队员")   # two officers investigate (行政处罚法 §42)
    move(page, "investigate")
    expect_state(page, "调查取证")
    # the intended fine, told to the company before any decision (§44)
    open_form(page, "notify")
    notify = page.get_by_test_id("form-notify")
    notify.locator("textarea[name=findings]").fill("经查，该物业服务企业对小区内业主违法搭建持续两周未劝阻、制止，也未向执法部门报告。")
    notify.get_by_label("责令改正").check()
    notify.get_by_label("罚款").check()
    notify.locator("select[name$=_range]").first.select_option(index=1)
    notify.locator("input[name$=_amount]").first.fill("5000")
    screenshot("case-notify-form")
    submit(page, "notify")
    expect_state(page, "事先告知")
    expect(page.get_by_test_id("document").filter(has_text="行政处罚事先告知书")).to_have_count(1)
    open_form(page, "serve_notice")
    serve = page.get_by_test_id("form-serve_notice")
    serve.locator("input[name=served_on]").fill(timezone.localdate().isoformat())
    serve.locator("select[name=manner]").select_option("IN_PERSON")
    submit(page, "serve_notice")
    expect_state(page, "陈述申辩")
    open_form(page, "record_waiver")
    page.get_by_test_id("form-record_waiver").locator("textarea[name=reason]").fill("当事人书面表示放弃陈述、申辩")
    submit(page, "record_waiver")
    move(page, "submit_approval")
    expect_state(page, "负责人审批")
    logout(page)
    login(page, base, "alice")   # the head approves (负责人审批)
    page.goto(case_page)
    move(page, "approve")
    expect_state(page, "处理决定")
    expect(page.get_by_test_id("fine")).to_contain_text("5000")
    logout(page)
    login(page, base, "oscar")
    page.goto(case_page)
    page.get_by_test_id("document-PENALTY_DECISION").click()
    expect(page.locator("#doc-PENALTY_DECISION")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_test_id("document-submit-PENALTY_DECISION").click()
    expect(page.get_by_test_id("document").filter(has_text="行政处罚决定书")).to_have_count(1)
    expect(page.get_by_test_id("document-PENALTY_DECISION")).to_have_count(0)  # every fine is on it now
    expect(page.get_by_test_id("negligence-of-link")).to_contain_text(number)  # the check it came from
    expect(page.get_by_test_id("credit-record")).to_have_count(0)

    # the time for review and lawsuit has passed: the officer makes the penalty final (生效), told first
    # what that means and that the company gets its credit points
    page.get_by_test_id("fine-final-toggle").click()
    expect(page.locator("#fines .collapse")).to_have_class(re.compile(r"\bshow\b"))  # opened, not still sliding
    confirm = page.get_by_test_id("fine-final-form")
    expect(confirm).to_contain_text("复议、提起行政诉讼的期限已满")
    expect(page.get_by_test_id("fine-final-credit")).to_contain_text("物业未履职案件")
    screenshot("case-fine-final-confirm")
    page.get_by_test_id("fine-final-submit").click()
    expect(page.get_by_role("alert").first).to_contain_text("处罚决定已生效")
    expect(page.get_by_test_id("fine-final")).to_have_text("已生效")
    expect(page.get_by_test_id("fine-final-toggle")).to_have_count(0)
    expect(page.get_by_test_id("credit-record")).to_have_count(2)  # the company and 王建国
    screenshot("case-fine-final")
    negligence = EnforcementCase.objects.get(negligence_of__case__number=number)
    fine = negligence.fines.get()
    assert fine.is_final and fine.history.first().history_user == world.oscar
    logout(page)

    # the company sees its points against the threshold, its listing and the record it may dispute
    login(page, base, "paul")
    aside(page, "本企业履职与信用")
    expect(page.get_by_test_id("points")).to_have_text("6")
    expect(page.get_by_test_id("listed")).to_be_visible()
    rows = page.get_by_test_id("ledger-row")
    expect(rows).to_have_count(2)  # the company and its project manager 王建国
    expect(page.get_by_test_id("ledger")).to_contain_text("王建国")
    expect(page.get_by_test_id("rank")).to_have_text("第 1 位")  # of the 失信记分排名: the most points
    expect(page.locator("body")).not_to_contain_text(world.company_b.name)
    screenshot("credit-company-area")
    logout(page)

    # the housing bureau: the notice and the list on the home page, the list, the ranking, the company
    login(page, base, "hana")
    expect(page.get_by_test_id("listings-alert")).to_contain_text("1 家物业企业列入联合信用惩戒名单")
    notice = page.get_by_test_id("notification").filter(has_text="列入联合信用惩戒名单")
    expect(notice).to_contain_text(world.company_a.name)
    screenshot("credit-housing-home")
    notice.get_by_test_id("notification-dismiss").click()
    expect(page.get_by_test_id("notification").filter(has_text="列入联合信用惩戒名单")).to_have_count(0)
    page.get_by_test_id("listings-alert").click()
    expect(page.get_by_test_id("listing")).to_have_count(1)
    expect(page.get_by_test_id("listing")).to_contain_text(world.company_a.name)
    screenshot("credit-listings")
    aside(page, "物业信用排名")
    first = page.get_by_test_id("ranking-row").first
    expect(first).to_contain_text(world.company_a.name)
    expect(first.get_by_test_id("listed-badge")).to_be_visible()
    expect(page.get_by_test_id("ranking-chart").locator("svg")).to_have_count(1)
    screenshot("credit-ranking")
    first.get_by_test_id("ranking-company").click()
    expect(page.get_by_test_id("company-name")).to_contain_text(world.company_a.name)
    expect(page.get_by_test_id("ledger-row")).to_have_count(2)
    screenshot("credit-company-page")

    check = DutyCheck.objects.get(case__number=number)
    assert check.outcome == DutyOutcome.FAILED
    assert sorted(CreditRecord.objects.values_list("subject", "points")) == [("COMPANY", 6), ("MANAGER", 3)]
    assert PunishmentListing.objects.filter(company=world.company_a, removed_on__isnull=True).exists()


def test_company_that_reported_first_is_found_fulfilled_and_gets_no_points(
        live_server, page, screenshot, keyword_classifier, tmp_path):  # noqa: F811
    world = build_world()
    site = png(tmp_path / "site.png", (190, 90, 60))
    base = live_server.url

    # the company reports the building on the platform, two days before anyone calls 12345
    login(page, base, "paul")
    aside(page, "违法行为报告")
    page.locator("#id_community").select_option(label=world.caoyang_a.name)
    page.locator("#id_address").fill("5号楼顶层")
    page.locator("#id_content").fill("5号楼顶层业主在露台搭建彩钢板房，已上门劝阻，业主拒不停止")
    reported_at = timezone.localtime() - timedelta(days=2)
    page.locator("#id_discovered_at").fill(reported_at.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_dissuaded").check()
    page.get_by_role("button", name=re.compile("提交报告")).click()
    expect(page.get_by_role("alert").first).to_contain_text("报告已提交")
    logout(page)

    complaint = receive("兰溪路88弄5号楼顶有人搭建彩钢板房", "兰溪路88弄", "12345-2026-0102")
    login(page, base, "oscar")
    number = file_case_from_complaint(page, base, complaint, site)
    aside(page, "物业履职检查")
    page.get_by_test_id("duty-check-row").filter(has_text=number).get_by_test_id("duty-check-link").click()
    expect(page.get_by_test_id("prior-report")).to_contain_text("企业已在投诉之前通过平台报告")
    expect(page.get_by_test_id("report-lead")).to_contain_text("早于投诉 2天")
    expect(page.get_by_test_id("duty-reported").first).to_have_attribute("data-value", "yes")
    screenshot("credit-duty-check-reported-first")
    decide = page.get_by_test_id("decide-form")
    decide.get_by_label("已履职").check()
    decide.locator("textarea[name=reasons]").fill("企业已于投诉前两日通过平台报告，并已劝阻。")
    page.get_by_test_id("decide-submit").click()
    expect(page.get_by_test_id("decision").get_by_test_id("outcome")).to_have_text("已履职")
    expect(page.get_by_test_id("negligence-case")).to_have_count(0)
    screenshot("credit-duty-check-fulfilled")
    logout(page)

    login(page, base, "paul")
    aside(page, "本企业履职与信用")
    expect(page.get_by_test_id("points")).to_have_text("0")
    expect(page.get_by_test_id("ledger-empty")).to_be_visible()
    expect(page.get_by_test_id("decided-checks")).to_contain_text("已履职")
    expect(page.get_by_test_id("my-reports")).to_contain_text("彩钢板房")
    assert not CreditRecord.objects.exists() and not EnforcementCase.objects.filter(
        violation_type__code="PROPERTY_NEGLIGENCE").exists()


def test_company_disputes_a_record_and_housing_upholds_it_with_a_correction(
        live_server, page, screenshot, keyword_classifier, tmp_path):  # noqa: F811
    from credit import services
    from credit.tests.helpers import check_of, filed_owner_case, fine_final

    world = build_world()
    check = check_of(filed_owner_case(world))
    services.duty_check_answer(check=check, actor=world.paul, statement="我司未发现")
    check = services.duty_check_decide(check=check, actor=world.oscar, outcome=DutyOutcome.FAILED,
                                       reasons="未劝阻、未报告", failure_rule="NOT_STOPPED")
    fine_final(world, check.negligence_case)
    base = live_server.url

    login(page, base, "paul")
    aside(page, "本企业履职与信用")
    record = CreditRecord.objects.get(subject="COMPANY")
    page.locator(f"#record-{record.pk}").get_by_test_id("dispute-open").click()
    form = page.locator(f"#dispute-{record.pk}").get_by_test_id("dispute-form")
    expect(form).to_be_visible()
    form.locator("textarea[name=reason]").fill("该小区5号楼顶层平台于今年3月才移交我司管理，搭建发生在移交之前。")
    screenshot("credit-dispute-form")
    form.get_by_test_id("dispute-submit").click()
    expect(page.get_by_test_id("my-disputes")).to_contain_text("待处理")
    logout(page)

    login(page, base, "hana")
    page.goto(f"{base}/credit/disputes/")
    item = page.get_by_test_id("dispute")
    expect(item).to_contain_text("移交之前")
    item.get_by_label("异议成立，修正记分").check()
    item.locator("textarea[name=decision]").fill("经核实移交时间在搭建之后，异议成立，撤销该记分。")
    screenshot("credit-disputes")
    item.get_by_test_id("dispute-decide-submit").click()
    expect(page.get_by_role("alert").first).to_contain_text("异议成立，记分已修正")
    logout(page)

    login(page, base, "paul")
    aside(page, "本企业履职与信用")
    expect(page.get_by_test_id("correction")).to_have_count(1)
    expect(page.get_by_test_id("points")).to_have_text("0")
    expect(page.get_by_test_id("my-disputes")).to_contain_text("异议成立")
    screenshot("credit-company-area-corrected")
    assert sorted(CreditRecord.objects.filter(subject="COMPANY").values_list("points", flat=True)) == [-6, 6]
