"""An officer takes a 12345 complaint from the complaint page to a closed case; a lead sees every
overdue case on the board and issues 督办, which reaches the officer's workbench."""
import re
import struct
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import referrals, services
from cases.models import EnforcementCase, Referral
from intake import services as intake_services
from intake.choices import Channel
from intake.models import Complaint
from intake.tests.fakes import keyword_classifier  # noqa: F401  (the live server runs in this process)
from registry.models import Department
from tests.browser.helpers import login
from tests.personas import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def png(path, rgb, width=96, height=64):
    """A small solid-colour PNG, so the gallery shows a real thumbnail."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))
    path.write_bytes(data)
    return str(path)


def logout(page):
    page.get_by_role("button", name=re.compile("退出")).click()


def receive(content, address, number):
    return intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content=content, address=address, received_at=timezone.now(), external_no=number,
        caller_name="张三", caller_phone="13700001234"))


def move(page, action):
    """Click a move: a move without input asks for confirmation (a modal stating its consequence), then is made;
    one that needs input opens its form."""
    page.get_by_test_id(f"move-{action}").click()
    confirm = page.get_by_test_id(f"confirm-{action}")
    if confirm.count():
        expect(confirm).to_be_visible()
        confirm.get_by_test_id(f"submit-{action}").click()


def name_co_officer(page, label):
    """协办队员 on the case page: the second officer of 行政处罚法 §42."""
    page.get_by_test_id("co-officer-toggle").click()
    form = page.get_by_test_id("co-officer-form")
    form.locator("select[name=co_officer]").select_option(label=label)
    form.get_by_test_id("co-officer-submit").click()
    expect(page.get_by_test_id("case-co-officer")).to_have_text(label)


def open_form(page, action):
    move(page, action)
    expect(page.locator(f"#move-{action}")).to_have_class(re.compile(r"\bshow\b"))  # opened, not still sliding


def submit(page, action):
    page.get_by_test_id(f"submit-{action}").click()


def expect_state(page, label):
    expect(page.get_by_test_id("state").first).to_have_text(label)


def test_officer_takes_a_12345_complaint_to_closing_and_lead_issues_督办(
        live_server, page, screenshot, keyword_classifier, tmp_path):  # noqa: F811
    world = build_world()
    complaint = receive("兰溪路88弄5号楼道内有人飞线充电，存在火灾隐患", "兰溪路88弄", "12345-2026-0001")
    # an older case of 长风, already past its stage deadline: what the lead's board is for
    late = services.case_open_from_complaint(
        complaint=receive("金沙江路1685弄有人在屋顶搭建阳光房", "金沙江路1685弄", "12345-2026-0002"), actor=world.alice)
    EnforcementCase.objects.filter(pk=late.pk).update(state_due=timezone.localdate() - timedelta(days=4))
    before = png(tmp_path / "before.png", (200, 80, 60))
    after = png(tmp_path / "after.png", (70, 160, 90))
    base = live_server.url

    # the officer opens the complaint and opens a case from it
    login(page, base, "oscar")
    page.goto(f"{base}/intake/{complaint.pk}/")
    page.get_by_test_id("open-case").click()
    expect(page.get_by_test_id("case-number")).to_have_text(re.compile(r"AJ\d{4}-\d{6}"))
    expect_state(page, "线索登记")
    expect(page.get_by_test_id("case-complaints")).to_contain_text("12345-2026-0001")
    screenshot("case-registered")

    move(page, "start_verification")
    expect_state(page, "核查")

    open_form(page, "file")
    page.get_by_test_id("form-file").locator("input[type=file]").set_input_files(before)
    screenshot("case-file-form")
    submit(page, "file")
    expect_state(page, "立案")
    expect(page.get_by_test_id("evidence-item")).to_have_count(1)

    name_co_officer(page, "奥蒂斯队员")
    move(page, "investigate")
    expect_state(page, "调查取证")

    party = page.get_by_test_id("party-form")
    party.locator("select[name=role]").select_option("USER")
    party.locator("input[name=name]").fill("赵某")
    party.locator("input[name=id_number]").fill("310107198001011234")
    party.locator("input[name=phone]").fill("13912345678")
    page.get_by_test_id("party-submit").click()
    expect(page.get_by_test_id("parties")).to_contain_text("赵某")
    expect(page.get_by_test_id("parties")).to_contain_text("13912345678")  # officers see parties in full

    open_form(page, "decide")
    expect(page.get_by_test_id("hints-decide")).to_contain_text("须已登记当事人")
    page.get_by_test_id("form-decide").locator("textarea[name=findings]").fill(
        "经查，当事人于兰溪路88弄5号楼道内私拉电线为电动自行车充电，现场有充电线路一处。")
    page.get_by_test_id("form-decide").get_by_label("责令改正").check()
    screenshot("case-decide-form")
    submit(page, "decide")
    expect_state(page, "处理决定")
    expect(page.get_by_test_id("case-measures")).to_have_text("责令改正")

    rectify_due = (timezone.localdate() + timedelta(days=7)).isoformat()
    page.get_by_test_id("document-ORDER_CORRECT").click()
    expect(page.locator("#doc-ORDER_CORRECT")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_test_id("document-form-ORDER_CORRECT").locator("input[name=rectify_due]").fill(rectify_due)
    page.get_by_test_id("document-submit-ORDER_CORRECT").click()
    expect(page.get_by_test_id("document")).to_contain_text("责令改正通知书")
    with page.expect_download() as download:
        page.get_by_test_id("document").get_by_role("link").click()
    assert download.value.suggested_filename.endswith(".docx")

    open_form(page, "order_rectification")
    page.get_by_test_id("form-order_rectification").locator("input[name=rectify_due]").fill(rectify_due)
    submit(page, "order_rectification")
    expect_state(page, "整改期限")
    expect(page.get_by_test_id("case-due")).to_contain_text(rectify_due)
    screenshot("case-rectifying")

    move(page, "review")
    expect_state(page, "复查")

    open_form(page, "close_rectified")
    page.get_by_test_id("form-close_rectified").locator("input[type=file]").set_input_files(after)
    submit(page, "close_rectified")
    expect_state(page, "结案")
    expect(page.get_by_test_id("evidence-item")).to_have_count(2)
    expect(page.get_by_test_id("moves").locator("[data-testid^=move-]")).to_have_count(1)  # only 回潮，重新核查
    expect(page.get_by_test_id("timeline-step")).to_have_count(9)  # with 指定协办队员
    expect(page.get_by_test_id("evidence-form")).to_have_count(0)  # closed: evidence is immutable
    screenshot("case-closed")
    case = EnforcementCase.objects.get(complaints=complaint)
    assert case.state == "CLOSED" and case.documents.count() == 1 and case.evidence.count() == 2
    logout(page)

    # the lead sees every overdue case on the board, grouped by street, and issues 督办
    login(page, base, "alice")
    page.locator("aside").get_by_role("link", name=re.compile("督办看板")).click()
    row = page.get_by_test_id("board-case").filter(has_text=late.number)
    expect(row).to_contain_text("超期")
    expect(page.get_by_test_id("board-street")).to_have_text([re.compile("长风新村街道")])
    row.locator("input[name=instruction]").fill("超期4个工作日，请于3个工作日内处置并回复")
    row.get_by_role("button", name=re.compile("督办")).click()
    expect(page.get_by_role("alert").first).to_contain_text("已督办")
    expect(page.get_by_test_id("board-supervisions")).to_contain_text("请于3个工作日内处置并回复")
    screenshot("supervisor-board")
    page.locator("aside").get_by_role("link", name=re.compile("案件办理")).click()
    expect(page.get_by_test_id("case-row")).to_have_count(2)
    page.locator("#id_due").select_option("overdue")
    expect(page.get_by_test_id("case-row")).to_have_count(1)
    expect(page.get_by_test_id("case-row")).to_contain_text(late.number)
    screenshot("case-list-overdue")
    assert late.supervisions.count() == 1
    logout(page)

    # the officer of that street sees it on the workbench and answers it on the case page
    EnforcementCase.objects.filter(pk=late.pk).update(officer=world.oscar)
    world.oscar.streets.add(world.changfeng)
    login(page, base, "oscar")
    page.locator("aside").get_by_role("link", name=re.compile("今日工作台")).click()
    expect(page.get_by_test_id("my-supervisions")).to_contain_text("请于3个工作日内处置并回复")
    expect(page.get_by_test_id("panel-overdue")).to_contain_text(late.number)
    screenshot("officer-workbench")
    page.get_by_test_id("my-supervision").first.click()
    respond = page.get_by_test_id("supervision-respond")
    respond.locator("textarea").fill("已联系业主，约定本周内自行拆除")
    respond.get_by_role("button").click()
    expect(page.get_by_test_id("supervision")).to_contain_text("已联系业主，约定本周内自行拆除")
    screenshot("case-supervision-answered")


def test_department_signs_and_answers_a_referral_in_its_inbox(live_server, page, screenshot,
                                                              keyword_classifier):  # noqa: F811
    world = build_world()
    case = services.case_open_from_complaint(
        complaint=receive("兰溪路88弄3号疑似群租，十几人进出", "兰溪路88弄", "12345-2026-0003"), actor=world.oscar)
    case = services.case_transition(case=case, action="start_verification", actor=world.oscar)
    services.case_transition(case=case, action="refer", actor=world.oscar, department="HOUSING",
                             reason="经核查为租赁管理问题，属房管部门职责")
    other = services.case_open_from_complaint(
        complaint=receive("兰溪路88弄小区绿地被毁", "兰溪路88弄", "12345-2026-0004"), actor=world.oscar)
    Referral.objects.filter(case=case).update(due=timezone.localdate() - timedelta(days=1))
    greening = Department.objects.exclude(code__in=["HOUSING", "CHENGGUAN"]).first()
    referrals.referral_send(department=greening, matter="小区绿地被毁", actor=world.oscar, case=other)

    login(page, live_server.url, "hana")
    page.locator("aside").get_by_role("link", name=re.compile("移交收件箱")).click()
    item = page.get_by_test_id("referral")
    expect(item).to_have_count(1)  # another department's referral is not here
    expect(item).to_contain_text("疑似群租")
    expect(item.get_by_test_id("referral-overdue")).to_be_visible()
    screenshot("department-inbox")
    item.get_by_test_id("referral-sign").click()
    expect(item.get_by_test_id("referral-status")).to_have_text("已签收")
    item.get_by_test_id("referral-answer").click()
    item.locator("textarea[name=answer]").fill("已上门核查，确认群租，已责令房东限期整改")
    item.get_by_test_id("referral-answer-submit").click()
    expect(item.get_by_test_id("referral-status")).to_have_text("已反馈")
    screenshot("department-inbox-answered")
    assert Referral.objects.get(case=case).answered_by == world.hana
    response = page.goto(f"{live_server.url}/cases/{other.pk}/")
    assert response.status == 404


def test_lead_assigns_a_new_illegal_construction_officer_stops_and_demolishes_it_and_claims_another(
        live_server, page, screenshot, keyword_classifier, tmp_path):  # noqa: F811
    """指派 by the lead, the officer's 新分派, 正在搭建 on the case page, 制止/拆除 to 结案; 认领 of an unassigned clue."""
    from tests.personas import make_user

    world = build_world()
    make_user("olga", "OFFICER", streets=[world.caoyang], display_name="欧阳队员")
    building = services.case_open_from_complaint(
        complaint=receive("兰溪路88弄12号楼顶有人正在搭建彩钢板房，工人还在施工", "兰溪路88弄", "12345-2026-0101"),
        actor=world.alice)
    other = services.case_open_from_complaint(
        complaint=receive("兰溪路88弄3号底楼院子搭建了一间小屋", "兰溪路88弄", "12345-2026-0102"), actor=world.alice)
    photo = png(tmp_path / "site.png", (180, 120, 60))
    base = live_server.url

    # the lead assigns the new clue to oscar
    login(page, base, "alice")
    page.goto(f"{base}/cases/{building.pk}/")
    expect(page.get_by_test_id("case-officer")).to_have_text("未指派")
    page.get_by_test_id("assign-toggle").click()
    expect(page.locator("#assign")).to_have_class(re.compile(r"\bshow\b"))
    form = page.get_by_test_id("assign-form")
    screenshot("case-assign-form")
    expect(form.locator("select[name=officer] option")).to_have_count(4)  # the empty choice, oscar, olga, otis
    form.locator("select[name=officer]").select_option(label="oscar")
    form.get_by_test_id("assign-submit").click()
    expect(page.get_by_test_id("case-officer")).to_have_text("oscar")
    expect(page.get_by_test_id("timeline-officer")).to_contain_text("oscar")
    logout(page)

    # oscar finds it under 新分派 and marks it 正在搭建
    login(page, base, "oscar")
    page.locator("aside").get_by_role("link", name=re.compile("今日工作台")).click()
    panel = page.get_by_test_id("panel-new")
    expect(panel).to_contain_text(building.number)
    screenshot("officer-workbench-new-assignment")
    panel.get_by_text(building.number).click()
    expect(page.get_by_test_id("case-in-progress")).to_have_text("存量违建")
    page.get_by_test_id("in-progress-toggle").click()
    expect(page.locator("#in-progress")).to_have_class(re.compile(r"\bshow\b"))
    in_progress = page.get_by_test_id("in-progress-form")
    in_progress.locator("textarea[name=reason]").fill("现场核实仍在施工，已搭建钢架")
    screenshot("case-in-progress-form")
    in_progress.get_by_test_id("in-progress-submit").click()
    expect(page.get_by_test_id("case-in-progress")).to_contain_text("正在搭建")
    expect(page.get_by_test_id("case-due")).to_contain_text(timezone.localdate().isoformat())  # same day

    move(page, "start_verification")
    expect_state(page, "核查")
    open_form(page, "file")
    page.get_by_test_id("form-file").locator("input[type=file]").set_input_files(photo)
    submit(page, "file")
    expect_state(page, "立案")
    name_co_officer(page, "欧阳队员")
    move(page, "investigate")
    expect_state(page, "调查取证")
    party = page.get_by_test_id("party-form")
    party.locator("select[name=role]").select_option("OWNER")
    party.locator("input[name=name]").fill("钱某")
    page.get_by_test_id("party-submit").click()
    expect(page.get_by_test_id("parties")).to_contain_text("钱某")

    open_form(page, "decide")
    decide = page.get_by_test_id("form-decide")
    expect(decide.get_by_label("注记")).to_have_count(0)  # for existing constructions only
    decide.locator("textarea[name=findings]").fill("经查，当事人正在兰溪路88弄12号楼顶搭建彩钢板房，现场已搭建钢架约12平方米。")
    decide.get_by_label("制止").check()
    submit(page, "decide")
    expect(page.get_by_test_id("case-error")).to_contain_text("拆除")  # 正在搭建: stop AND demolish
    decide = page.get_by_test_id("form-decide")
    expect(decide.get_by_label("制止")).to_be_checked()  # what was ticked is kept
    decide.get_by_label("拆除").check()
    submit(page, "decide")
    expect_state(page, "处理决定")
    expect(page.get_by_test_id("case-measures")).to_have_text("制止、拆除")
    expect(page.get_by_test_id("in-progress-toggle")).to_have_count(0)  # decided: no longer changeable

    open_form(page, "close_executed")
    page.get_by_test_id("form-close_executed").locator("textarea[name=reason]").fill("已当场制止，违建当日拆除完毕")
    submit(page, "close_executed")
    expect_state(page, "结案")
    expect(page.get_by_test_id("timeline")).to_contain_text("认定为正在搭建")
    expect(page.get_by_test_id("no-structure")).to_be_visible()
    screenshot("case-in-progress-closed")
    case = EnforcementCase.objects.get(pk=building.pk)
    assert case.in_progress and case.measures == ["STOP", "DEMOLISH"] and case.state == "CLOSED"
    assert [t.action for t in case.transitions.all()] == [
        "register", "assign", "set_in_progress", "start_verification", "file", "co_officer", "investigate", "decide",
        "close_executed"]

    # the demolished structure goes on the inventory from the case page, already cleared by the case
    page.get_by_test_id("structure-register").click()
    form = page.get_by_test_id("structure-form")
    expect(form.locator("[name=location]")).to_have_value(re.compile("兰溪路88弄"))
    form.locator("[name=area_m2]").fill("24")
    form.locator("[name=material]").select_option("STEEL")
    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert").first).to_contain_text("已登记")
    page.get_by_test_id("linked-case").get_by_role("link").click()
    expect(page.get_by_test_id("case-number")).to_have_text(building.number)
    expect(page.get_by_test_id("structure-link")).to_contain_text("已拆除")  # cleared by the closed case
    screenshot("case-inventory-linked")

    # another clue nobody handles yet: oscar finds it on his workbench and claims it
    page.locator("aside").get_by_role("link", name=re.compile("今日工作台")).click()
    page.get_by_test_id("panel-unassigned").get_by_text(other.number).click()
    page.get_by_test_id("claim").click()
    expect(page.get_by_test_id("case-officer")).to_have_text("oscar")
    expect(page.get_by_test_id("claim")).to_have_count(0)
    expect(page.get_by_test_id("timeline")).to_contain_text("认领案件")
    screenshot("case-claimed")


def test_street_user_returns_a_wrongly_sent_work_order(live_server, page, screenshot,
                                                       keyword_classifier):  # noqa: F811
    build_world()
    complaint = receive("金沙江路1685弄门口人行道有人搭建摊位", "金沙江路1685弄", "12345-2026-0201")
    login(page, live_server.url, "sam")
    page.goto(f"{live_server.url}/intake/{complaint.pk}/")
    expect(page.get_by_test_id("open-case")).to_have_count(0)  # street staff follow cases; officers open them
    expect(page.get_by_test_id("open-case-hint")).to_be_visible()
    moves = page.get_by_test_id("dispatch-moves")
    expect(moves.get_by_test_id("dispatch-street")).to_have_count(0)  # between streets: the bureau re-routes
    moves.get_by_test_id("dispatch-return").click()
    expect(page.locator("#dispatch-return")).to_have_class(re.compile(r"\bshow\b"))
    form = page.get_by_test_id("return-form")
    form.get_by_test_id("return-submit").click()  # no reason: the browser asks for it, nothing is sent
    assert Complaint.objects.get(pk=complaint.pk).status != "RETURNED"
    form.locator("textarea[name=reason]").fill("经电话核实，摊位位于长宁区金沙江路，不属本区管辖")
    screenshot("complaint-return-form")
    form.get_by_test_id("return-submit").click()
    expect(page.get_by_role("alert").first).to_contain_text("已退单")
    expect(page.get_by_test_id("status")).to_have_text("已退单")
    expect(page.get_by_test_id("hotline-reply")).to_contain_text("不属本区管辖")
    expect(page.get_by_test_id("complaint-history")).to_contain_text("退单")
    expect(page.get_by_test_id("dispatch-moves")).to_have_count(0)
    expect(page.get_by_test_id("open-case")).to_have_count(0)
    expect(page.get_by_test_id("confirm")).to_have_count(0)  # no longer the bureau's to triage
    screenshot("complaint-returned")
