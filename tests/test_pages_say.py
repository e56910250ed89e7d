"""Pages say what happened, in the reader's language only (issue 10): import reports name violation types and
rows in words, not codes; messages are Chinese or English, never both; the English site names violation types and
departments in English and refuses in English; every legal step of a case asks first, saying its consequence, and
then says what actually happened; the import pages show that an import is under way."""
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.choices import Role
from cases import workflow
from cases.choices import CaseState
from cases.tests.test_paths import _in_state, photo
from cases.tests.test_views import buttons
from cases.views import done_message
from intake.tests.fakes import keyword_classifier  # noqa: F401
from registry.models import Department, ViolationType

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u4e00-\u9fff]")
CODES = re.compile(r"\b(?:NON_ENFORCEMENT|GROUP_RENTING|EBIKE_CHARGING|ILLEGAL_CONSTRUCTION|COMMON_AREA_OCCUPATION)\b")


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def between(page, testid):
    """The text of the element with this data-testid (up to its closing tag of the same name)."""
    match = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, testid
    return re.sub(r"<[^>]+>", " ", match.group(2))


# --- 1. import reports: words, not codes -------------------------------------------------------------------

HOTLINE = ("工单编号,受理时间,诉求地址,诉求内容\n"
           "2026-0301-000001,2026-03-01 09:00,兰溪路88弄,楼道里有人群租\n"
           "2026-0301-000002,2026-03-01 09:10,兰溪路88弄,楼道里飞线充电\n"
           "2026-0301-000003,2026-03-01 09:20,兰溪路88弄,物业费收得太高\n"
           "2026-0301-000004,2026-03-01下午,兰溪路88弄,楼道里飞线充电\n")


def post_hotline(client):
    return client.post(reverse("intake:import"), {
        "file": SimpleUploadedFile("12345.csv", HOTLINE.encode("utf-8-sig"), content_type="text/csv")})


def test_the_hotline_import_report_names_types_in_chinese(client, world, keyword_classifier):  # noqa: F811
    client.force_login(world.alice)
    page = post_hotline(client).content.decode()
    types = between(page, "report-types")
    assert "群租" in types and "电动自行车违规充电" in types and "非城管执法事项" in types
    assert not CODES.search(page)
    errors = between(page, "report-error-rows")
    assert "第5行：" in errors and "格式错误" in errors and " / " not in errors and "line" not in errors.lower()


def test_the_hotline_import_report_in_english_has_no_chinese_but_the_data(client, world, keyword_classifier):  # noqa: F811
    client.force_login(world.alice)
    english(client)
    page = post_hotline(client).content.decode()
    types = between(page, "report-types")
    assert "Group renting" in types and "Not an enforcement matter" in types and not CJK.search(types)
    counts = between(page, "report-counts")
    assert "4 rows:" in counts and not CJK.search(counts) and not re.search("[：，；]", counts)
    assert not CODES.search(page)
    errors = between(page, "report-error-rows")
    assert "Line 5:" in errors and "is not YYYY-MM-DD" in errors and not CJK.search(errors.replace("下午", ""))


def test_the_import_command_prints_type_names_not_codes(world, keyword_classifier, tmp_path, capsys):  # noqa: F811
    from django.core.management import call_command

    path = tmp_path / "12345.csv"
    path.write_text(HOTLINE, encoding="utf-8-sig")
    with pytest.raises(SystemExit):  # one row is refused: exit 1
        call_command("import_hotline", str(path), verbosity=1)
    out = capsys.readouterr().out
    assert "群租 Group renting：1" in out and "非城管执法事项 Not an enforcement matter：1" in out
    assert not CODES.search(out)


def test_the_inventory_import_reasons_are_in_the_readers_language(client, world):
    content = "小区,具体位置,发现日期,面积\n兰溪一村,1号楼 屋顶,2024-05-01,-1\n兰溪一村,1号楼 屋顶,2024-05-01,-1\n"
    client.force_login(world.oscar)
    page = client.post(reverse("programme:structure-import"), {
        "file": SimpleUploadedFile("台账.csv", content.encode(), content_type="text/csv")}).content.decode()
    rows = between(page, "report-error-rows")
    assert "面积须大于0" in rows and "与第2行重复" in rows and " / " not in rows
    english(client)
    page = client.post(reverse("programme:structure-import"), {
        "file": SimpleUploadedFile("台账.csv", content.encode(), content_type="text/csv")}).content.decode()
    rows = between(page, "report-error-rows")
    assert "repeats line 2" in rows and not CJK.search(rows.replace("台账", ""))


# --- 2. one language per message -----------------------------------------------------------------------------

def test_a_complaint_decision_message_is_in_one_language(client, world, keyword_classifier):  # noqa: F811
    from intake import services as intake_services
    from intake.choices import Channel

    complaint = intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content="楼道里飞线充电", address="兰溪路88弄", received_at=timezone.now()))
    client.force_login(world.alice)
    client.post(reverse("intake:confirm", args=[complaint.pk]))
    said = [str(m) for m in get_messages(client.get(reverse("intake:detail", args=[complaint.pk])).wsgi_request)]
    assert "已确认" in said and not [m for m in said if " / " in m]


def test_a_refused_upload_says_why_in_english_only(client, world):
    client.force_login(world.oscar)
    english(client)
    page = client.post(reverse("programme:structure-import"), {
        "file": SimpleUploadedFile("台账.docx", b"PK", content_type="application/octet-stream")}).content.decode()
    error = between(page, "file-error")
    assert "Upload a CSV or XLSX file" in error and not CJK.search(error)


# --- 3. the English site: names and refusals -----------------------------------------------------------------

def test_every_catalogue_name_has_an_english_name():
    assert ViolationType.objects.filter(name_en="").count() == 0
    assert Department.objects.filter(name_en="").count() == 0
    illegal = ViolationType.objects.get(code="ILLEGAL_CONSTRUCTION")
    assert str(illegal) == "违法搭建"
    with translation.override("en"):
        assert str(illegal) == illegal.label == "Illegal construction"
        assert str(Department.objects.get(code="HOUSING")) == "District Housing Administration Bureau"


def test_the_catalogue_pages_in_english_name_types_and_departments_in_english(client, world):
    client.force_login(world.alice)
    english(client)
    types = client.get(reverse("registry:violationtype-list")).content.decode()
    assert "Illegal construction" in types and "<strong>违法搭建</strong>" not in types
    departments = client.get(reverse("registry:department-list")).content.decode()
    assert "District Housing Administration Bureau" in departments


@pytest.mark.parametrize("language, says", [("zh-hans", "页面已过期"), ("en", "This page has expired")])
def test_a_csrf_failure_is_the_sites_403_page_not_a_bare_forbidden(world, language, says):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("intake:import"), {})
    body = response.content.decode()
    assert response.status_code == 403 and 'data-testid="csrf-failed"' in body and says in body
    assert "403 Forbidden" not in body


def test_a_post_only_address_opened_by_a_link_is_a_page_in_english(client, world):
    client.force_login(world.alice)
    english(client)
    response = client.get(reverse("intake:confirm", args=[1]))
    body = response.content.decode()
    assert response.status_code == 405 and "cannot be opened directly" in body and response["Allow"] == "POST"


# --- 5. a legal step asks first and then says what happened -------------------------------------------------

def test_every_move_has_its_consequence_and_its_own_outcome():
    outcomes = {m.action: str(m.done) for m in workflow.MOVES}   # a move from several states says the same
    assert all(str(m.consequence) for m in workflow.MOVES) and all(outcomes.values())
    assert len(set(outcomes.values())) == len(outcomes) and not [o for o in outcomes.values() if "已完成" in o]
    investigate = next(m for m in workflow.MOVES if m.action == "investigate")
    assert str(investigate.done) == "已进入调查取证阶段"
    with translation.override("en"):
        assert str(investigate.done) == "Moved to investigation"


STATES_WITH_MOVES = sorted({m.source for m in workflow.MOVES})


@pytest.mark.parametrize("state", STATES_WITH_MOVES)
def test_every_move_button_opens_a_confirmation_stating_its_consequence(client, world, state):
    case = _in_state(world, state)
    client.force_login(world.alice)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    shown = buttons_of(page)
    assert shown, state
    for action in shown:
        move = workflow.find(state, action)
        consequence = between(page, f"consequence-{action}")
        assert str(move.consequence)[:20] in consequence, action
        # the button itself never posts: it opens the modal, or the form whose submit says 确认
        button = re.search(rf'<button[^>]*data-testid="move-{action}"[^>]*>', page).group(0)
        assert 'type="button"' in button
        assert f'data-testid="submit-{action}"' in page


def buttons_of(page):
    class Page:
        content = page.encode()
    return buttons(Page)


# The moves whose needs the small form below meets (the procedure's moves, which ask for a service, a statement,
# a penalty …, are posted with their inputs in cases/tests/test_procedure_pages.py).
NO_INPUT = [m for m in workflow.MOVES
            if set(m.needs) <= {"reason", "department", "measures", "rectify_due", "two_officers", "extension"}]


@pytest.mark.parametrize("move", NO_INPUT, ids=lambda m: m.action)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_message_after_a_move_says_what_happened(client, world, move, language):
    case = _in_state(world, move.source)
    client.force_login(world.lena if Role.LEGAL in move.roles else world.alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    data = {"version": case.version, "reason": "理由", "department": "HOUSING", "measures": ["ORDER_CORRECT"],
            "rectify_due": (timezone.localdate() + timedelta(days=10)).isoformat(), "extend_days": 10}
    response = client.post(reverse("cases:move", args=[case.pk, move.action]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case.refresh_from_db()
    assert case.state == move.target
    with translation.override(language):
        expected = str(done_message(move, move.target))
        assert str(move.done) in expected
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said[0] == expected
    if "schedule_rechecks" in move.effects:  # a closing also says when the site will be checked again (回头看)
        dues = "、".join(r.due.isoformat() for r in case.rechecks.all())
        with translation.override(language):
            assert dues and said[1:] == [str(_("已安排回头看：%(days)s") % {"days": dues})]
    else:
        assert said[1:] == []
    assert (language == "en") != bool(CJK.search(expected))


def test_investigation_is_reported_as_started_not_done(client, world):
    case = _in_state(world, CaseState.FILED)
    client.force_login(world.alice)
    response = client.post(reverse("cases:move", args=[case.pk, "investigate"]), {"version": case.version},
                           follow=True)
    page = response.content.decode()
    assert "已进入调查取证阶段" in page and "已完成" not in page


# --- 6. the import pages show an import under way --------------------------------------------------------------

@pytest.mark.parametrize("url", ["intake:import", "programme:structure-import"])
def test_the_import_pages_show_progress_while_a_file_is_imported(client, world, url):
    client.force_login(world.alice)
    page = client.get(reverse(url)).content.decode()
    progress = between(page, "import-progress")
    assert "正在导入…" in progress and "data-import-elapsed" in page
    english(client)
    assert "Importing…" in client.get(reverse(url)).content.decode()


def test_opening_a_case_from_a_complaint_says_it_is_registered_not_filed(client, world, keyword_classifier):  # noqa: F811
    from intake import services as intake_services
    from intake.choices import Channel

    complaint = intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content="楼道里飞线充电", address="兰溪路88弄", received_at=timezone.now()))
    client.force_login(world.oscar)
    response = client.post(reverse("cases:open-from-complaint", args=[complaint.pk]))
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert len(said) == 1 and "线索登记" in said[0] and "立案办理" not in said[0]


def test_a_corrected_type_is_named_on_the_complaint_page_not_coded(client, world, keyword_classifier):  # noqa: F811
    from intake import services as intake_services
    from intake.choices import Channel

    complaint = intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content="楼道里飞线充电", address="兰溪路88弄", received_at=timezone.now()))
    intake_services.complaint_correct_type(complaint=complaint, type_code="EBIKE_PARKING", actor=world.alice,
                                           reason="实为停放")
    client.force_login(world.alice)
    page = client.get(reverse("intake:detail", args=[complaint.pk])).content.decode()
    assert "电动自行车违规充电 → 电动自行车违规停放" in page and "EBIKE_" not in re.sub(r"<[^>]+>", "", page)
    english(client)
    page = client.get(reverse("intake:detail", args=[complaint.pk])).content.decode()
    assert "Improper e-bike charging → Improper e-bike parking" in page
