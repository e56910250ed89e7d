"""Case pages, tested from the side of the user who must be refused: scope, legal buttons only,
stale versions, hand-made posts, file downloads, supervision, the workbench, the board and the inbox."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import referrals, selectors, services
from cases.choices import CaseState, ReferralStatus, SupervisionStatus
from cases.models import EnforcementCase, Referral, SupervisionOrder
from core import calendar
from intake import services as intake_services
from intake.choices import Channel, ComplaintStatus
from registry.models import Department
from tests.personas import make_user

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
MOVE_BUTTON = re.compile(r'data-testid="move-([a-z_]+)"')


def photo(name="site.jpg"):
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def receive(content, address, **extra):
    return intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content=content, address=address, received_at=timezone.now(), **extra))


@pytest.fixture
def case(world, keyword_classifier):
    """oscar's case in 曹杨新村街道 (飞线充电), just registered."""
    return services.case_open_from_complaint(complaint=receive("楼道飞线充电", "兰溪路88弄"), actor=world.oscar)


@pytest.fixture
def changfeng_case(world, keyword_classifier):
    """A case in 长风新村街道, which sam follows and oscar does not work in."""
    return services.case_open_from_complaint(complaint=receive("有人搭建阳光房", "金沙江路1685弄"), actor=world.alice)


def step(case, actor, action, **kw):
    return services.case_transition(case=case, action=action, actor=actor, **kw)


def to_investigating(case, actor):
    from cases.tests.test_paths import with_team

    case = step(case, actor, "start_verification")
    case = step(case, actor, "file", files=[photo()])
    return step(with_team(case), actor, "investigate")


def buttons(response) -> list[str]:
    return MOVE_BUTTON.findall(response.content.decode())


def detail(pk):
    return reverse("cases:detail", args=[pk])


def move_url(case, action):
    return reverse("cases:move", args=[case.pk, action])


# --- scope -------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona, expected", [
    ("oscar", 200), ("alice", 200), ("ada", 200), ("sam", 404), ("hana", 404), ("paul", 404), ("carl", 404)])
def test_case_page_is_404_outside_scope(client, world, case, persona, expected):
    client.force_login(getattr(world, persona))
    assert client.get(detail(case.pk)).status_code == expected


def test_street_staff_follow_their_own_streets_cases_but_cannot_move_them(client, world, changfeng_case):
    client.force_login(world.sam)
    response = client.get(detail(changfeng_case.pk))
    assert response.status_code == 200 and buttons(response) == []
    version = changfeng_case.version
    response = client.post(move_url(changfeng_case, "start_verification"), {"version": version})
    assert response.status_code == 404
    changfeng_case.refresh_from_db()
    assert changfeng_case.state == CaseState.REGISTERED and changfeng_case.version == version


@pytest.mark.parametrize("persona", ["paul", "carl"])
def test_property_users_cannot_open_the_case_list(client, world, case, persona):
    client.force_login(getattr(world, persona))
    assert client.get(reverse("cases:list")).status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, case):
    response = client.get(reverse("cases:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona, sees", [
    ("alice", {"caoyang", "changfeng"}), ("oscar", {"caoyang"}), ("sam", {"changfeng"}), ("hana", set())])
def test_case_list_and_export_show_only_the_scope(client, world, case, changfeng_case, persona, sees):
    client.force_login(getattr(world, persona))
    html = client.get(reverse("cases:list")).content.decode()
    export = b"".join(client.get(reverse("cases:list"), {"export": "csv"}).streaming_content).decode("utf-8-sig")
    for which, c in {"caoyang": case, "changfeng": changfeng_case}.items():
        assert (c.number in html) == (which in sees)
        assert (c.number in export) == (which in sees)


def test_a_department_sees_the_cases_referred_to_it(client, world, case):
    case = step(case, world.oscar, "start_verification")
    step(case, world.oscar, "refer", reason="属房管职责", department="HOUSING")
    client.force_login(world.hana)
    assert client.get(detail(case.pk)).status_code == 200
    assert case.number in client.get(reverse("cases:list")).content.decode()


# --- buttons are exactly the legal moves --------------------------------------------------------

@pytest.mark.parametrize("persona", ["oscar", "alice"])
def test_the_buttons_shown_are_the_moves_available_now(client, world, case, persona):
    user = getattr(world, persona)
    client.force_login(user)
    for action in ["start_verification", None]:
        case.refresh_from_db()
        expected = [m.action for m in services.available_moves(case, user)]
        assert expected, "every open state has a move"
        assert buttons(client.get(detail(case.pk))) == expected
        if action:
            step(case, user, action)


def test_the_buttons_follow_the_case_through_its_states(client, world, case):
    client.force_login(world.oscar)
    seen = []
    case = step(case, world.oscar, "start_verification")
    seen.append(buttons(client.get(detail(case.pk))))
    from cases.tests.test_paths import with_team

    case = step(with_team(step(case, world.oscar, "file", files=[photo()])), world.oscar, "investigate")
    seen.append(buttons(client.get(detail(case.pk))))
    assert seen == [["file", "dismiss", "refer", "summary_penalty"], ["decide", "notify"]]


def test_each_move_form_asks_for_what_the_move_needs(client, world, case):
    client.force_login(world.oscar)
    step(case, world.oscar, "start_verification")
    html = client.get(detail(case.pk)).content.decode()
    refer = html[html.index('data-testid="form-refer"'):]
    refer = refer[:refer.index("</form>")]
    assert 'name="reason"' in refer and 'name="department"' in refer and 'name="files"' not in refer
    assert 'value="CHENGGUAN"' not in refer
    file_form = html[html.index('data-testid="form-file"'):]
    file_form = file_form[:file_form.index("</form>")]
    assert 'name="files"' in file_form and 'name="reason"' not in file_form


def test_decide_offers_only_the_measures_the_type_allows(client, world, case):
    case = to_investigating(case, world.oscar)
    client.force_login(world.oscar)
    html = client.get(detail(case.pk)).content.decode()
    form = html[html.index('data-testid="form-decide"'):]
    form = form[:form.index("</form>")]
    offered = set(re.findall(r'name="measures" value="([A-Z_]+)"', form))
    assert offered == set(case.violation_type.default_measures)


def form_html(html, action):
    part = html[html.index(f'data-testid="form-{action}"'):]
    return part[:part.index("</form>")]


def in_review(case, world, measures=("ORDER_CORRECT",)):
    case = decided(case, world, measures)
    case = step(case, world.oscar, "order_rectification", rectify_due=timezone.localdate() + timedelta(days=5))
    return step(case, world.oscar, "review")


def test_load_bearing_damage_closes_only_with_restoration_ticked(client, world, case):
    from registry.models import ViolationType

    EnforcementCase.objects.filter(pk=case.pk).update(
        violation_type=ViolationType.objects.get(code="STRUCTURE_DAMAGE"))
    case = in_review(EnforcementCase.objects.get(pk=case.pk), world)
    client.force_login(world.oscar)
    close = form_html(client.get(detail(case.pk)).content.decode(), "close_rectified")
    assert re.findall(r'name="measures_done" value="([A-Z_]+)"', close) == ["RESTORE"]
    response = client.post(move_url(case, "close_rectified"), {"version": case.version, "files": [photo("after.jpg")]})
    assert response.status_code == 400 and "恢复原状" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.REVIEWING
    response = client.post(move_url(case, "close_rectified"),
                           {"version": case.version, "files": [photo("after.jpg")], "measures_done": ["RESTORE"]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED


def test_other_types_close_without_a_measures_done_field(client, world, case):
    case = in_review(case, world)
    client.force_login(world.oscar)
    html = client.get(detail(case.pk)).content.decode()
    assert 'name="measures_done"' not in form_html(html, "close_rectified")
    assert 'name="measures"' in form_html(html, "escalate") and 'name="reason"' in form_html(html, "escalate")


# --- refused writes change nothing and keep the input -----------------------------------------

def test_a_stale_version_is_refused_and_changes_nothing(client, world, case):
    client.force_login(world.oscar)
    seen = case.version
    step(case, world.alice, "start_verification")  # someone else moves the case meanwhile
    case.refresh_from_db()
    before = (case.state, case.version, case.transitions.count())
    response = client.post(move_url(case, "dismiss"), {"version": seen, "reason": "现场未发现飞线"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "案件已被他人更新，请刷新后重试" in html
    assert "现场未发现飞线" in html  # what the officer typed is still there
    case.refresh_from_db()
    assert (case.state, case.version, case.transitions.count()) == before
    # the page now carries the current version, so a retry goes through
    assert f'name="version" value="{case.version}"' in html


def test_input_for_a_move_no_longer_possible_is_shown_back(client, world, case):
    case = step(case, world.oscar, "start_verification")
    client.force_login(world.oscar)
    seen = case.version
    step(case, world.alice, "dismiss", reason="重复投诉，已在另案处理")  # closed meanwhile
    response = client.post(move_url(case, "refer"),
                           {"version": seen, "reason": "属房管职责，移交房管", "department": "HOUSING"})
    assert response.status_code == 409
    kept = response.content.decode().split('data-testid="kept-input"')[1].split("</dl>")[0]
    assert "属房管职责，移交房管" in kept and "区房管局" in kept
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and not case.referrals.exists()


def test_an_illegal_move_posted_by_hand_is_refused(client, world, case):
    client.force_login(world.oscar)
    response = client.post(move_url(case, "close_rectified"), {"version": case.version})
    assert response.status_code == 400
    assert "不能执行该操作" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED and case.transitions.count() == 1
    assert client.post(move_url(case, "no_such_move"), {"version": case.version}).status_code == 404


def test_a_move_without_a_version_is_refused(client, world, case):
    client.force_login(world.oscar)
    assert client.post(move_url(case, "start_verification"), {}).status_code == 400
    case.refresh_from_db()
    assert case.state == CaseState.REGISTERED


def test_a_refused_decision_keeps_the_measures_ticked(client, world, case):
    case = to_investigating(case, world.oscar)
    client.force_login(world.oscar)
    response = client.post(move_url(case, "decide"), {"version": case.version, "measures": ["ORDER_CORRECT"]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请先登记当事人" in html
    assert re.search(r'name="measures" value="ORDER_CORRECT"[^>]*checked', html)
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING


def test_a_move_with_a_missing_reason_keeps_what_was_chosen(client, world, case):
    case = step(case, world.oscar, "start_verification")
    client.force_login(world.oscar)
    response = client.post(move_url(case, "refer"), {"version": case.version, "department": "HOUSING", "reason": ""})
    assert response.status_code == 400
    assert re.search(r'<option value="HOUSING" selected', response.content.decode())
    case.refresh_from_db()
    assert case.state == CaseState.VERIFYING and not case.referrals.exists()


def test_a_move_goes_through_with_the_version_shown(client, world, case):
    client.force_login(world.oscar)
    response = client.post(move_url(case, "start_verification"), {"version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.VERIFYING
    response = client.post(move_url(case, "file"), {"version": case.version, "files": [photo(), photo("b.jpg")]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.FILED and case.evidence.count() == 2
    page = client.get(detail(case.pk)).content.decode()
    assert "立案" in page and "site.jpg" in page


def test_fake_evidence_on_a_move_changes_nothing(client, world, case):
    case = step(case, world.oscar, "start_verification")
    client.force_login(world.oscar)
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00binary")
    response = client.post(move_url(case, "file"), {"version": case.version, "files": [fake]})
    assert response.status_code == 400 and "不支持的文件类型" in response.content.decode()
    case.refresh_from_db()
    assert case.state == CaseState.VERIFYING and case.evidence.count() == 0


# --- parties and evidence ---------------------------------------------------------------------

def test_parties_are_added_and_masked_for_street_staff(client, world, changfeng_case):
    client.force_login(world.alice)
    response = client.post(reverse("cases:party-add", args=[changfeng_case.pk]), {
        "role": "OWNER", "kind": "PERSON", "name": "赵某", "id_number": "310107198001011234", "phone": "13912345678"})
    assert response.status_code == 302
    assert "310107198001011234" in client.get(detail(changfeng_case.pk)).content.decode()
    client.force_login(world.sam)
    html = client.get(detail(changfeng_case.pk)).content.decode()
    assert "赵某" in html and "310107198001011234" not in html and "13912345678" not in html
    assert "139****5678" in html


def test_a_refused_party_keeps_the_typed_name(client, world, case):
    client.force_login(world.oscar)
    response = client.post(reverse("cases:party-add", args=[case.pk]), {"role": "NOT_A_ROLE", "name": "钱某"})
    assert response.status_code == 400 and 'value="钱某"' in response.content.decode()
    assert not case.parties.exists()


def test_evidence_downloads_only_inside_scope(client, world, case):
    evidence = services.evidence_add(case=case, upload=photo(), actor=world.oscar)
    url = reverse("cases:evidence-file", args=[evidence.pk])
    client.force_login(world.oscar)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg"
    for persona in ["sam", "hana", "paul"]:
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404
    client.force_login(world.oscar)
    assert "/media/" not in client.get(detail(case.pk)).content.decode()


def test_evidence_upload_and_its_hash_on_the_page(client, world, case):
    client.force_login(world.oscar)
    response = client.post(reverse("cases:evidence-add", args=[case.pk]),
                           {"file": photo("scene.jpg"), "description": "现场照片"})
    assert response.status_code == 302
    evidence = case.evidence.get()
    assert evidence.sha256 in client.get(detail(case.pk)).content.decode()


def test_street_staff_cannot_upload_evidence(client, world, changfeng_case):
    client.force_login(world.sam)
    response = client.post(reverse("cases:evidence-add", args=[changfeng_case.pk]), {"file": photo()})
    assert response.status_code == 404 and not changfeng_case.evidence.exists()


# --- documents and fines -----------------------------------------------------------------------

def decided(case, world, measures=("ORDER_CORRECT",)):
    case = to_investigating(case, world.oscar)
    services.party_add(case=case, actor=world.oscar, role="OWNER", name="赵某", id_number="310107198001011234")
    return step(case, world.oscar, "decide", measures=list(measures), findings="经查，楼道内私拉电线充电。")


def test_an_order_to_correct_is_issued_and_downloaded_inside_scope(client, world, case):
    case = decided(case, world)
    client.force_login(world.oscar)
    html = client.get(detail(case.pk)).content.decode()
    assert 'data-testid="document-ORDER_CORRECT"' in html and "PENALTY_DECISION" not in html
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = client.post(reverse("cases:document-issue", args=[case.pk, "ORDER_CORRECT"]), {"rectify_due": due})
    assert response.status_code == 302
    document = case.documents.get()
    url = reverse("cases:document-file", args=[document.pk])
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"PK")
    client.force_login(world.sam)
    assert client.get(url).status_code == 404


def test_an_order_without_its_deadline_is_refused_and_numbers_nothing(client, world, case):
    case = decided(case, world)
    client.force_login(world.oscar)
    response = client.post(reverse("cases:document-issue", args=[case.pk, "ORDER_CORRECT"]), {"note": "限期拆除飞线"})
    assert response.status_code == 400 and "限期拆除飞线" in response.content.decode()
    assert not case.documents.exists()


def test_fines_come_from_the_approved_decision_and_are_paid_on_the_case_page(client, world):
    from tests import procedure

    case = procedure.decided(world)
    client.force_login(world.oscar)
    response = client.post(reverse("cases:fine-impose", args=[case.pk]), {"amount": "200"})
    assert response.status_code == 400   # entered by hand no more: the procedure's approval made the fine
    fine = case.fines.get()
    assert fine.amount == Decimal("300.00")
    response = client.post(reverse("cases:fine-payment", args=[fine.pk]),
                           {"status": "PAID", "paid_at": timezone.localdate().isoformat()})
    assert response.status_code == 302
    fine.refresh_from_db()
    assert fine.status == "PAID"
    client.force_login(world.sam)
    assert client.post(reverse("cases:fine-payment", args=[fine.pk]), {"status": "UNPAID"}).status_code == 403


def test_the_officer_answers_the_12345_work_order_on_the_case_page(client, world, case):
    complaint = case.complaints.get()
    client.force_login(world.oscar)
    html = client.get(detail(case.pk)).content.decode()
    assert 'data-testid="hotline-reply-toggle"' in html and 'value="RETURNED"' not in html
    url = reverse("cases:hotline-reply", args=[complaint.pk])
    response = client.post(url, {"reply": "已拆除飞线", "result": "SOLVED", "satisfaction": ""})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.reply.result == "SOLVED" and complaint.reply.replied_by == world.oscar
    client.force_login(world.sam)
    assert client.post(url, {"reply": "x", "result": "SOLVED"}).status_code == 404


# --- supervision, workbench, board ---------------------------------------------------------------

def overdue(case):
    EnforcementCase.objects.filter(pk=case.pk).update(state_due=timezone.localdate() - timedelta(days=3))
    case.refresh_from_db()
    return case


def test_a_supervisor_issues_督办_and_the_officer_sees_and_answers_it(client, world, case):
    overdue(case)
    client.force_login(world.alice)
    board = client.get(reverse("cases:board"))
    assert board.status_code == 200 and case.number in board.content.decode()
    response = client.post(reverse("cases:supervise", args=[case.pk]),
                           {"instruction": "请三日内拆除飞线并回复", "response_days": 3, "next": "board"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:board")
    order = SupervisionOrder.objects.get(case=case)
    assert order.response_due == calendar.add_working_days(timezone.localdate(), 3)

    client.force_login(world.oscar)
    workbench = client.get(reverse("cases:workbench")).content.decode()
    assert "请三日内拆除飞线并回复" in workbench
    page = client.get(detail(case.pk)).content.decode()
    assert 'data-testid="supervision-respond"' in page
    response = client.post(reverse("cases:supervision-respond", args=[order.pk]), {"response": "已约谈当事人，明日拆除"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == SupervisionStatus.ANSWERED and order.responded_by == world.oscar
    assert "请三日内拆除飞线并回复" not in client.get(reverse("cases:workbench")).content.decode()


def test_only_supervisors_issue_督办(client, world, case):
    client.force_login(world.oscar)
    response = client.post(reverse("cases:supervise", args=[case.pk]), {"instruction": "x", "response_days": 3})
    assert response.status_code == 403 and not SupervisionOrder.objects.exists()


def test_a_督办_without_instruction_keeps_the_days_and_issues_nothing(client, world, case):
    overdue(case)
    client.force_login(world.alice)
    response = client.post(reverse("cases:supervise", args=[case.pk]),
                           {"instruction": "", "response_days": "7", "next": "board"})
    assert response.status_code == 400 and 'value="7"' in response.content.decode()
    assert not SupervisionOrder.objects.exists()


def test_another_officer_cannot_answer_the_督办(client, world, case):
    order = services.supervision_issue(case=case, actor=world.alice, instruction="尽快处置")
    other = make_user("otto", "OFFICER", streets=[world.caoyang])
    client.force_login(other)
    assert client.post(reverse("cases:supervision-respond", args=[order.pk]), {"response": "x"}).status_code == 403
    client.force_login(world.sam)
    assert client.post(reverse("cases:supervision-respond", args=[order.pk]), {"response": "x"}).status_code == 404
    order.refresh_from_db()
    assert order.status == SupervisionStatus.OPEN


def test_the_workbench_shows_overdue_due_soon_and_new(client, world, keyword_classifier):
    late = overdue(services.case_open_from_complaint(complaint=receive("楼道飞线充电", "兰溪路88弄"), actor=world.oscar))
    soon = services.case_open_from_complaint(complaint=receive("电瓶车停在楼道", "兰溪路88弄"), actor=world.oscar)
    EnforcementCase.objects.filter(pk=soon.pk).update(state_due=timezone.localdate())
    client.force_login(world.oscar)
    response = client.get(reverse("cases:workbench"))
    html = response.content.decode()

    def panel(name):
        part = html[html.index(f'data-testid="panel-{name}"'):]
        return part[:part.index('data-testid="panel-', 10)] if 'data-testid="panel-' in part[10:] else part

    assert late.number in panel("overdue") and soon.number not in panel("overdue")
    assert soon.number in panel("soon") and late.number not in panel("soon")
    assert late.number in panel("new") and soon.number in panel("new")


def test_the_workbench_and_board_refuse_other_roles(client, world):
    client.force_login(world.oscar)
    assert client.get(reverse("cases:board")).status_code == 403
    client.force_login(world.sam)
    assert client.get(reverse("cases:board")).status_code == 403
    assert client.get(reverse("cases:workbench")).status_code == 302
    client.force_login(world.paul)
    assert client.get(reverse("cases:inbox")).status_code == 403


def test_the_board_groups_every_overdue_case_by_street(client, world, case, changfeng_case):
    overdue(case), overdue(changfeng_case)
    client.force_login(world.alice)
    html = client.get(reverse("cases:board")).content.decode()
    assert html.count('data-testid="board-case"') == 2
    assert html.count('data-testid="board-street"') == 2
    assert world.caoyang.name in html and world.changfeng.name in html


# --- the department's inbox -----------------------------------------------------------------

@pytest.fixture
def inbox_referrals(world, case):
    housing, greening = Department.objects.get(code="HOUSING"), Department.objects.exclude(
        code__in=["HOUSING", "CHENGGUAN"]).first()
    mine = referrals.referral_send(department=housing, matter="群租疑似，请核查", actor=world.oscar, case=case)
    theirs = referrals.referral_send(department=greening, matter="毁绿", actor=world.oscar, case=case)
    return mine, theirs


def test_the_inbox_shows_my_departments_referrals_only(client, world, inbox_referrals):
    mine, theirs = inbox_referrals
    client.force_login(world.hana)
    html = client.get(reverse("cases:inbox")).content.decode()
    assert "群租疑似，请核查" in html and "毁绿" not in html


def test_hana_signs_answers_and_cannot_touch_another_departments_referral(client, world, inbox_referrals):
    mine, theirs = inbox_referrals
    client.force_login(world.hana)
    url = lambda r, a: reverse("cases:referral-action", args=[r.pk, a])  # noqa: E731
    assert client.post(url(theirs, "sign")).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ReferralStatus.SENT
    assert client.post(url(mine, "sign")).status_code == 302
    response = client.post(url(mine, "answer"), {"answer": "已核查，确有群租，已责令整改"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已反馈" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == ReferralStatus.ANSWERED and mine.answered_by == world.hana


def test_an_empty_answer_keeps_nothing_lost_and_a_return_needs_a_reason(client, world, inbox_referrals):
    mine, _ = inbox_referrals
    client.force_login(world.hana)
    response = client.post(reverse("cases:referral-action", args=[mine.pk, "answer"]), {"answer": "先答复"},
                           HTTP_HX_REQUEST="true")
    assert "请先签收再反馈" in response.content.decode() and "先答复" in response.content.decode()
    response = client.post(reverse("cases:referral-action", args=[mine.pk, "return"]), {"reason": ""})
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.status == ReferralStatus.SENT
    client.post(reverse("cases:referral-action", args=[mine.pk, "return"]), {"reason": "不属房管职责"})
    mine.refresh_from_db()
    assert mine.status == ReferralStatus.RETURNED


def test_overdue_referrals_are_highlighted_and_reach_the_board(client, world, inbox_referrals):
    mine, _ = inbox_referrals
    Referral.objects.filter(pk=mine.pk).update(due=timezone.localdate() - timedelta(days=1))
    client.force_login(world.hana)
    html = client.get(reverse("cases:inbox")).content.decode()
    assert 'data-testid="referral-overdue"' in html
    client.force_login(world.alice)
    board = client.get(reverse("cases:board")).content.decode()
    assert "群租疑似，请核查" in board


def test_the_overdue_tab_and_count_hold_waiting_referrals_past_due_only(client, world, inbox_referrals):
    """The inbox filters 超期 on the columns (the partial index of waiting referrals), as the row's flag says."""
    mine, _ = inbox_referrals
    Referral.objects.filter(pk=mine.pk).update(due=timezone.localdate() - timedelta(days=1))
    client.force_login(world.hana)
    response = client.get(reverse("cases:inbox"), {"show": "overdue"})
    assert response.context["overdue_total"] == 1
    assert [r.pk for r in response.context["page"]] == [mine.pk]
    assert selectors.inbox_summary(user=world.hana)["overdue"] == 1
    Referral.objects.filter(pk=mine.pk).update(status=ReferralStatus.ANSWERED)  # answered late: no longer waiting
    response = client.get(reverse("cases:inbox"), {"show": "overdue"})
    assert response.context["overdue_total"] == 0 and not list(response.context["page"])
    assert selectors.inbox_summary(user=world.hana)["overdue"] == 0


# --- opening a case from the complaint page -----------------------------------------------------

def test_the_complaint_page_opens_a_case_and_then_links_to_it(client, world, keyword_classifier):
    complaint = receive("楼道飞线充电", "兰溪路88弄")
    client.force_login(world.oscar)
    page = client.get(reverse("intake:detail", args=[complaint.pk])).content.decode()
    assert 'data-testid="open-case"' in page
    response = client.post(reverse("cases:open-from-complaint", args=[complaint.pk]))
    complaint.refresh_from_db()
    assert complaint.case is not None and complaint.status == ComplaintStatus.IN_CASE
    assert response["Location"] == detail(complaint.case_id)
    page = client.get(reverse("intake:detail", args=[complaint.pk])).content.decode()
    assert 'data-testid="open-case"' not in page and complaint.case.number in page
    response = client.post(reverse("cases:open-from-complaint", args=[complaint.pk]))
    assert EnforcementCase.objects.count() == 1  # opened once


def test_no_case_button_for_non_enforcement_matters_or_other_streets(client, world, keyword_classifier):
    housing = receive("物业费涨价", "云岭东路345号")
    client.force_login(world.sam)
    assert 'data-testid="open-case"' not in client.get(reverse("intake:detail", args=[housing.pk])).content.decode()
    assert client.post(reverse("cases:open-from-complaint", args=[housing.pk])).status_code == 302
    assert not EnforcementCase.objects.exists()
    other = receive("楼道飞线充电", "兰溪路88弄")
    assert client.post(reverse("cases:open-from-complaint", args=[other.pk])).status_code == 404
    client.force_login(world.hana)
    assert client.post(reverse("cases:open-from-complaint", args=[housing.pk])).status_code == 403


# --- list filters and query counts ----------------------------------------------------------------

def test_list_filters_overdue_soon_and_mine(client, world, case, changfeng_case):
    overdue(case)
    client.force_login(world.alice)
    listed = lambda **q: client.get(reverse("cases:list"), q).content.decode()  # noqa: E731
    assert case.number in listed(due="overdue") and changfeng_case.number not in listed(due="overdue")
    assert 'data-testid="due-overdue"' in listed()
    assert case.number in listed(officer=world.oscar.pk) and changfeng_case.number not in listed(officer=world.oscar.pk)
    client.force_login(world.oscar)
    assert case.number in listed(mine="true")


def test_htmx_filters_return_only_the_table(client, world, case):
    client.force_login(world.oscar)
    response = client.get(reverse("cases:list"), {"state": "open"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert case.number in html and "<html" not in html


def _many_cases(world, n):
    for i in range(n):
        complaint = receive(f"楼道飞线充电 第{i}件", "兰溪路88弄" if i % 2 else "金沙江路1685弄")
        case = services.case_open_from_complaint(complaint=complaint, actor=world.alice)
        overdue(case)
        services.supervision_issue(case=case, actor=world.alice, instruction=f"督办{i}")


def test_the_case_list_and_board_do_not_query_per_row(client, world, keyword_classifier,
                                                      django_assert_max_num_queries):
    _many_cases(world, 12)
    client.force_login(world.alice)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("cases:list")).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("cases:board")).status_code == 200


def test_the_timeline_gives_the_platforms_own_reasons_in_the_readers_language(client, world, case):
    from django.conf import settings

    from cases.models import CaseTransition

    complaint = case.complaints.get()
    registered = CaseTransition.objects.get(case=case, action="register")
    assert registered.reason == f"由诉件 {complaint} 登记"  # stored in Chinese for history, search and the API
    client.force_login(world.oscar)
    assert f"由诉件 {complaint} 登记" in client.get(detail(case.pk)).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(detail(case.pk)).content.decode()
    assert f"Registered from complaint {complaint}" in english and "由诉件" not in english
