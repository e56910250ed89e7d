"""Documents (numbering, rollback, .docx content), fines, and the shipped holiday calendar. Cases are built through
the real moves: two officers, the findings of the investigation, a decision without a fine (责令改正); a fine goes
through the penalty procedure (cases/tests/test_documents_procedure.py walks it)."""
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from cases import documents, fines, services
from cases.choices import CaseState, DocumentKind, PaymentStatus
from cases.models import Document, DocumentSequence, DocumentTemplate, EnforcementCase, Fine, Referral
from cases.tests.test_documents_procedure import FINDINGS, approved
from cases.tests.test_paths import with_team
from core import calendar
from core.errors import ApplicationError
from core.models import Holiday
from intake import services as intake_services
from intake.choices import Channel
from registry.models import Department

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
ID_NUMBER = "310107198001011234"
OC, PD, RL = DocumentKind.ORDER_CORRECT, DocumentKind.PENALTY_DECISION, DocumentKind.REFERRAL_LETTER


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def photo(name="site.jpg"):
    return SimpleUploadedFile(name, JPEG, content_type="image/jpeg")


def open_case(world, content, address="兰溪路88弄"):
    complaint = intake_services.complaint_receive(data=intake_services.ComplaintInput(
        channel=Channel.HOTLINE, content=content, address=address, received_at=timezone.now()))
    return services.case_open_from_complaint(complaint=complaint, actor=world.oscar)


def to_investigation(world, case):
    case = services.case_transition(case=case, action="start_verification", actor=world.oscar)
    case = services.case_transition(case=case, action="file", actor=world.oscar, files=[photo()])
    return services.case_transition(case=with_team(case), action="investigate", actor=world.oscar)


def decide(world, case, measures, findings="楼道内停放电动自行车三辆，堵塞疏散通道。"):
    services.party_add(case=case, actor=world.oscar, role="OWNER", name="赵某某", id_number=ID_NUMBER,
                       address="兰溪路88弄5号201室")
    return services.case_transition(case=case, action="decide", actor=world.oscar, measures=list(measures),
                                    findings=findings)


@pytest.fixture
def case(world, keyword_classifier):
    """楼道停放电瓶车 (EBIKE_PARKING): one prohibition basis verified, the penalty basis 待核实 — so issuing by hand
    needs the officer's confirmation (given by `issue` unless a test says otherwise)."""
    case = to_investigation(world, open_case(world, "楼道里长期停放电瓶车，堵塞通道"))
    return decide(world, case, ["ORDER_CORRECT"])


@pytest.fixture
def fined(world):
    """占用物业共用部分 with a fine of ¥2,000 on 赵某某, approved through the procedure (DECIDED)."""
    case, _ = approved(world)
    return case


def issue(world, case, kind=OC, **extra):
    if kind == OC:
        extra.setdefault("rectify_due", timezone.localdate() + timedelta(days=7))
    extra.setdefault("confirm_unverified", True)
    return documents.document_issue(case=case, kind=kind, actor=world.oscar, extra=extra)


def text_of(document: Document) -> str:
    parsed = docx.Document(BytesIO(documents.document_content(document)))
    return "\n".join(p.text for p in parsed.paragraphs)


def year():
    return timezone.localdate().year


# --- numbering ----------------------------------------------------------------------------------

def test_numbers_follow_the_pattern_and_increment(world, case):
    first, second = issue(world, case), issue(world, case)
    assert first.number == f"普城管责改字〔{year()}〕第1号"
    assert second.number == f"普城管责改字〔{year()}〕第2号"
    assert (first.year, first.seq, second.seq) == (year(), 1, 2)
    assert DocumentSequence.objects.get(kind=OC, year=year()).last == 2


def test_a_failure_after_reserving_a_number_gives_it_back(world, case, monkeypatch, media):
    def broken(content):
        raise RuntimeError("renderer crashed")

    with monkeypatch.context() as patch:
        patch.setattr(documents, "build_docx", broken)
        with pytest.raises(RuntimeError):
            issue(world, case)
    assert not DocumentSequence.objects.filter(kind=OC).exists()
    assert issue(world, case).seq == 1


def test_a_failure_after_storing_the_file_removes_it_and_gives_the_number_back(world, case, monkeypatch, media):
    issue(world, case)

    def broken(document, attaches, actor):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patch:
        patch.setattr(documents, "_attach", broken)
        with pytest.raises(RuntimeError):
            issue(world, case)
    assert Document.objects.count() == 1
    assert len([p for p in media.rglob("*.docx")]) == 1
    assert issue(world, case).seq == 2


def test_a_surrounding_transaction_that_rolls_back_takes_the_number_with_it(world, case):
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(world, case)
        raise RuntimeError("the page failed after issuing")
    assert not Document.objects.exists()
    assert issue(world, case).seq == 1


def test_a_refused_issue_consumes_no_number(world, case):
    with pytest.raises(ApplicationError) as info:
        documents.document_issue(case=case, kind=OC, actor=world.oscar)  # no rectification deadline
    assert "整改期限" in info.value.message
    with pytest.raises(ApplicationError):
        issue(world, case, PD)  # no fine: no penalty decision
    with pytest.raises(ApplicationError):
        documents.document_issue(case=case, kind=OC, actor=world.oscar,
                                 extra={"rectify_due": timezone.localdate() + timedelta(days=7)})  # 待核实 unconfirmed
    assert not DocumentSequence.objects.exists() and not Document.objects.exists()
    assert issue(world, case).seq == 1


def test_each_kind_has_its_own_sequence(world, fined):
    issue(world, fined)
    issue(world, fined)
    decision = issue(world, fined, PD)
    assert decision.number == f"普城管罚决字〔{year()}〕第1号"
    assert fined.documents.get(kind=DocumentKind.PRIOR_NOTICE).number == f"普城管告字〔{year()}〕第1号"


def test_the_sequence_starts_again_each_year(world, case, monkeypatch):
    monkeypatch.setattr(documents, "_today", lambda: date(2025, 12, 31))
    due = date(2026, 1, 15)
    assert issue(world, case, rectify_due=due).number == "普城管责改字〔2025〕第1号"
    assert issue(world, case, rectify_due=due).number == "普城管责改字〔2025〕第2号"
    monkeypatch.setattr(documents, "_today", lambda: date(2026, 1, 2))
    new_year = issue(world, case, rectify_due=due)
    assert (new_year.number, new_year.year, new_year.seq) == ("普城管责改字〔2026〕第1号", 2026, 1)


def test_changing_the_pattern_changes_new_numbers_only(world, case):
    first = issue(world, case)
    DocumentTemplate.objects.filter(kind=OC).update(number_pattern="普城管责改〔{year}〕{seq:04d}号")
    second = issue(world, case)
    assert second.number == f"普城管责改〔{year()}〕0002号"
    first.refresh_from_db()
    assert first.number == f"普城管责改字〔{year()}〕第1号"


def test_a_bad_pattern_is_refused_without_consuming_a_number(world, case):
    for pattern in ["普城管〔{year}〕号", "第{seq}号{case.number}", "第{seq号"]:
        DocumentTemplate.objects.filter(kind=OC).update(number_pattern=pattern)
        with pytest.raises(ApplicationError):
            issue(world, case)
    assert not DocumentSequence.objects.exists()


def test_without_a_template_the_built_in_pattern_and_issuer_are_used(world, case):
    DocumentTemplate.objects.all().delete()
    document = issue(world, case)
    assert document.number == f"普城管责改字〔{year()}〕第1号"
    assert "上海市普陀区城市管理行政执法局" in text_of(document)


def test_a_number_already_taken_is_never_handed_out_again(world, case):
    issue(world, case)
    DocumentSequence.objects.filter(kind=OC).update(last=0)  # e.g. an administrator's mistake
    assert issue(world, case).seq == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_issues_never_get_the_same_number(world, case, monkeypatch):
    """Two cases, so the case lock does not serialise them: only the sequence lock does."""
    other = decide(world, to_investigation(world, open_case(world, "电瓶车停在电梯里", address="兰溪路88弄")),
                   ["ORDER_CORRECT"])
    render = documents.build_docx

    def slow(content):
        time.sleep(0.3)  # hold the sequence lock while the other issue waits for it
        return render(content)

    monkeypatch.setattr(documents, "build_docx", slow)

    def race():
        barrier, numbers, errors = threading.Barrier(2), [], []

        def worker(target):
            try:
                barrier.wait()
                numbers.append(issue(world, target).seq)
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(target,)) for target in (case, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        return sorted(numbers)

    assert race() == [1, 2]  # both find no sequence row for the year and race to create it
    assert race() == [3, 4]  # both wait on the existing row's lock
    assert DocumentSequence.objects.get(kind=OC).last == 4


# --- content ------------------------------------------------------------------------------------

def test_the_order_opens_as_docx_with_number_party_basis_and_deadline(world, case):
    due = timezone.localdate() + timedelta(days=10)
    document = issue(world, case, rectify_due=due)
    text = text_of(document)
    assert "责令改正通知书" in text and document.number in text
    assert "赵某某" in text and ID_NUMBER in text  # legal documents carry the full particulars
    assert "《上海市非机动车安全管理条例》第二十九条第二款第一项" in text
    assert "第四十四条（待核实）" in text  # the unverified penalty basis is flagged, not asserted
    assert f"{due.year}年{due.month}月{due.day}日前改正" in text
    assert "兰溪一村" in text and "（印章）" in text and "当事人签收" in text
    assert "经查：楼道内停放电动自行车三辆，堵塞疏散通道。" in text
    assert "楼道里长期停放电瓶车" not in text  # the caller's words are not the facts
    assert "违法地点：上海市普陀区曹杨新村街道兰溪一村兰溪路88弄" in text
    assert f"oscar（执法证号：{world.oscar.cert_number}）" in text
    assert f"奥蒂斯队员（执法证号：{world.otis.cert_number}）" in text
    assert document.file.name.endswith(".docx") and len(document.sha256) == 64


def test_the_docx_is_a4_with_chinese_fonts_set_for_east_asian_text(world, case):
    parsed = docx.Document(BytesIO(documents.document_content(issue(world, case))))
    section = parsed.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    title = next(p for p in parsed.paragraphs if p.text == "责令改正通知书")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    body = next(p for p in parsed.paragraphs if p.text.startswith("经查"))
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


def test_control_characters_typed_into_the_case_do_not_break_the_document(world, case):
    case.findings = "楼道停放电瓶车\x0b\x01三辆"  # no NUL: PostgreSQL text refuses it
    case.save(update_fields=["findings"])
    document = issue(world, case)
    assert "楼道停放电瓶车三辆" in text_of(document)
    parsed = docx.Document(BytesIO(documents.document_content(document)))
    assert parsed.core_properties.title == f"责令改正通知书 {document.number}"
    assert parsed.core_properties.author == "上海市普陀区城市管理行政执法局"


def test_a_basis_without_an_article_prints_to_verify(world, keyword_classifier):
    """群租: the penalty article of 《上海市住房租赁条例》 is not known, so the document says so."""
    case = to_investigation(world, open_case(world, "楼上群租隔断很多人住", address="兰溪路88弄"))
    services.party_add(case=case, actor=world.oscar, role="TENANT", name="钱某")
    services.party_add(case=case, actor=world.oscar, role="AGENCY", name="某某房产经纪公司", kind="ORGANISATION")
    case = decide(world, case, ["ORDER_CORRECT"], findings="该房屋被分隔出租给十二人居住。")
    with pytest.raises(ApplicationError) as info:
        documents.document_issue(case=case, kind=OC, actor=world.oscar,
                                 extra={"rectify_due": timezone.localdate() + timedelta(days=7)})
    assert "《上海市住房租赁条例》（条款待核实）" in info.value.message and "第八条" in info.value.message
    text = text_of(issue(world, case))
    assert "《上海市住房租赁条例》（条款待核实）" in text
    assert "第八条（待核实）" in text
    assert "钱某" in text and "某某房产经纪公司" in text


def test_the_penalty_decision_states_fines_and_the_appeal_routes(world, fined):
    party = fined.parties.get()
    # a second fine of the party on the same decision (a second penalty article, say): both are stated, with a total
    Fine.objects.create(case=fined, party=party, amount=Decimal("200.50"), decided_at=timezone.localdate())
    decision = issue(world, fined, PD)
    text = text_of(decision)
    assert "行政处罚决定书" in text and decision.number in text
    assert "对赵某某处罚款人民币贰仟元整（¥2,000.00）" in text
    assert "罚款合计人民币贰仟贰佰元伍角（¥2,200.50）" in text
    assert f"经查：{FINDINGS}" in text
    assert "六十日内" in text and "六个月内" in text and "十五日内" in text
    assert "其他处理措施：责令改正" in text
    assert set(fined.fines.values_list("document", flat=True)) == {decision.pk}
    with pytest.raises(ApplicationError):
        issue(world, fined, PD)  # every fine is already on a decision


def test_a_fine_without_its_party_is_not_put_on_a_decision(world, fined):
    Fine.objects.create(case=fined, party=None, amount=100, decided_at=timezone.localdate())   # entered by hand
    with pytest.raises(ApplicationError) as info:
        issue(world, fined, PD)
    assert "缴款当事人" in info.value.message
    assert not fined.fines.filter(document__isnull=False).exists()


def test_the_referral_letter_names_the_department_and_the_matter(world, keyword_classifier):
    case = open_case(world, "楼道里有人私自搭建", address="兰溪路88弄")
    case = services.case_transition(case=case, action="start_verification", actor=world.oscar)
    housing = Department.objects.get(code="HOUSING")
    case = services.case_transition(case=case, action="refer", actor=world.oscar, department=housing,
                                    reason="经核查系物业服务纠纷")
    referral = Referral.objects.get(case=case)
    letter = issue(world, case, RL, referral=referral)
    text = text_of(letter)
    assert letter.number == f"普城管移字〔{year()}〕第1号"
    assert "区房管局：" in text and "楼道里有人私自搭建" in text and case.number in text
    referral.refresh_from_db()
    assert referral.letter == letter
    with pytest.raises(ApplicationError):
        issue(world, case, RL, referral=referral)


def test_only_handlers_in_scope_issue_documents(world, case):
    for user in (world.sam, world.paul, world.hana):
        with pytest.raises(ApplicationError):
            documents.document_issue(case=case, kind=OC, actor=user,
                                     extra={"rectify_due": timezone.localdate() + timedelta(days=3)})
    assert not Document.objects.exists()


def test_no_decision_document_before_the_decision(world, keyword_classifier):
    case = to_investigation(world, open_case(world, "电瓶车停在消防通道"))
    with pytest.raises(ApplicationError) as info:
        issue(world, case)
    assert "不能出具" in info.value.message


def test_a_tampered_file_is_detected(world, case):
    document = issue(world, case)
    with open(document.file.path, "ab") as handle:
        handle.write(b"x")
    with pytest.raises(ApplicationError):
        documents.document_content(document)


@pytest.mark.parametrize("amount, upper", [
    ("500", "伍佰元整"), ("1000.50", "壹仟元伍角"), ("1000.05", "壹仟元零伍分"), ("10005", "壹万零伍元整"),
    ("100000", "壹拾万元整"), ("1010", "壹仟零壹拾元整"), ("200000", "贰拾万元整"), ("0.05", "伍分"),
    ("100001000", "壹亿零壹仟元整"), ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
])
def test_amounts_in_capital_numerals(amount, upper):
    assert documents.rmb_upper(Decimal(amount)) == upper


# --- fines --------------------------------------------------------------------------------------

@pytest.mark.parametrize("amount", [0, -5, "0.00", "abc", "1.234", "", None, True, "NaN", "1e12"])
def test_a_fine_needs_a_positive_amount(amount):
    with pytest.raises(ApplicationError) as info:
        fines.parse_amount(amount)
    assert info.value.message and info.value.message_en


def test_a_fine_is_never_entered_directly(world, fined):
    """Fines come from the approved penalty (or the summary procedure): the old direct entry refuses, naming them."""
    with pytest.raises(ApplicationError) as info:
        fines.fine_impose(case=fined, amount=200, actor=world.oscar, party=fined.parties.get())
    assert "事先告知" in info.value.message and "procedure" in info.value.message_en
    assert Fine.objects.count() == 1  # the approved one


def test_payment_changes_are_kept_in_the_history_with_who_made_them(world, fined):
    fine = fined.fines.get()
    assert (fine.amount, fine.status, fine.decided_at) == (Decimal("2000.00"), PaymentStatus.UNPAID,
                                                           timezone.localdate())
    fine = fines.fine_record_payment(fine=fine, actor=world.oscar, status=PaymentStatus.INSTALMENT)
    fine = fines.fine_record_payment(fine=fine, actor=world.alice, status=PaymentStatus.PAID)
    assert fine.status == PaymentStatus.PAID and fine.paid_at == timezone.localdate()
    history = list(fine.history.order_by("history_date", "history_id"))
    assert [h.status for h in history] == [PaymentStatus.UNPAID, PaymentStatus.INSTALMENT, PaymentStatus.PAID]
    assert [h.history_user for h in history] == [world.alice, world.oscar, world.alice]  # the approval made it
    assert history[-1].history_change_reason == "缴纳状态 分期/延期缴纳→已缴纳"


def test_payment_refusals(world, fined):
    fine = fined.fines.get()
    with pytest.raises(ApplicationError):
        fines.fine_record_payment(fine=fine, actor=world.oscar, status="LATER")
    with pytest.raises(ApplicationError):
        fines.fine_record_payment(fine=fine, actor=world.oscar, status=PaymentStatus.PAID,
                                  paid_at=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ApplicationError):
        fines.fine_record_payment(fine=fine, actor=world.oscar, status=PaymentStatus.UNPAID)  # nothing changes
    with pytest.raises(ApplicationError):
        fines.fine_record_payment(fine=fine, actor=world.sam, status=PaymentStatus.PAID)


def test_a_fine_becomes_final_only_once_it_is_on_a_decision(world, fined):
    fine = fined.fines.get()
    with pytest.raises(ApplicationError):
        fines.fine_make_final(fine=fine, actor=world.oscar)
    decision = issue(world, fined, PD)
    fine = fines.fine_make_final(fine=fine, actor=world.oscar)
    assert fine.is_final and fine.document == decision
    with pytest.raises(ApplicationError):
        fines.fine_make_final(fine=fine, actor=world.oscar)


def test_unpaid_fines_still_block_closing(world, fined):
    fine = fined.fines.get()
    with pytest.raises(ApplicationError):
        services.case_transition(case=fined, action="close_executed", actor=world.oscar, reason="执行完毕",
                                 measures_done=["ORDER_CORRECT", "FINE"])
    fines.fine_record_payment(fine=fine, actor=world.oscar, status=PaymentStatus.PAID)
    case = services.case_transition(case=fined, action="close_executed", actor=world.oscar, reason="执行完毕",
                                    measures_done=["ORDER_CORRECT", "FINE"])
    assert case.state == CaseState.CLOSED


# --- the holiday calendar shipped by the data migration -----------------------------------------

def test_the_shipped_calendar_skips_national_day_and_counts_the_make_up_saturday():
    calendar.invalidate()
    assert all(not calendar.is_working_day(date(2025, 10, day)) for day in range(1, 9))
    assert calendar.is_working_day(date(2025, 10, 11))  # Saturday worked instead (调休)
    assert calendar.is_working_day(date(2025, 9, 28))  # Sunday worked instead
    assert calendar.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert calendar.add_working_days(date(2025, 10, 9), 2) == date(2025, 10, 11)
    assert calendar.add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)  # 春节调休 Sunday
    assert calendar.add_working_days(date(2025, 1, 27), 1) == date(2025, 2, 5)


def test_the_shipped_calendar_holds_both_years_notices():
    calendar.invalidate()
    assert Holiday.objects.filter(date__year=2025, is_workday=False).count() == 1 + 8 + 3 + 5 + 3 + 8
    assert set(Holiday.objects.filter(date__year=2025, is_workday=True).values_list("date", flat=True)) == {
        date(2025, 1, 26), date(2025, 2, 8), date(2025, 4, 27), date(2025, 9, 28), date(2025, 10, 11)}
    assert calendar.is_working_day(date(2026, 2, 14)) and not calendar.is_working_day(date(2026, 2, 23))
    assert calendar.is_working_day(date(2026, 10, 8)) and not calendar.is_working_day(date(2026, 10, 7))
