"""The documents of the penalty procedure (issue 13): the notice and hearing notice, the defence review, the legal
review, the penalty decision after approval, the summary decision, the 送达回证 and the three forms — each read as
its text (Content.text() and the stored .docx), built through the real moves of cases.workflow."""
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import docx
import pytest
from django.utils import timezone

from cases import documents, penalties
from cases.choices import CaseState, DocumentKind, PartyRole
from cases.models import Document, DocumentSequence, EnforcementCase, PenaltyProcedure
from cases.tests.test_paths import add_party, move, open_case, photo, to_investigating
from core.errors import ApplicationError
from registry.models import FineRange, ViolationBasis

pytestmark = pytest.mark.django_db
K = DocumentKind
FINDINGS = "经现场检查，当事人赵某某在兰溪路88弄5号楼一层楼道内堆放木质家具及杂物约6立方米，占用楼道公共部位，影响通行和消防安全。"
ID_NUMBER = "310107198001011234"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def text_of(document: Document) -> str:
    parsed = docx.Document(BytesIO(documents.document_content(document)))
    cells = [cell.text for table in parsed.tables for row in table.rows for cell in row.cells]
    return "\n".join([*(p.text for p in parsed.paragraphs), *cells])


def latest(case, kind) -> Document:
    return case.documents.filter(kind=kind).order_by("-pk").first()


def fine_range(code, label="一般") -> FineRange:
    return FineRange.objects.get(basis__violation_type__code=code, label=label)


def investigating(world, code="COMMON_AREA_OCCUPATION"):
    """A case with its two officers (oscar, otis), a party with full particulars and evidence, investigating."""
    case = to_investigating(open_case(world, code), world.oscar)
    party = add_party(case, world.oscar, PartyRole.OWNER, name="赵某某", id_number=ID_NUMBER,
                      address="上海市普陀区兰溪路88弄5号201室", phone="13800001111")
    return case, party


def notified(world, amount="3000", code="COMMON_AREA_OCCUPATION"):
    case, party = investigating(world, code)
    case = move(case, "notify", world.oscar, findings=FINDINGS, measures=["ORDER_CORRECT", "FINE"],
                penalty=[{"party": party.pk, "range": fine_range(code).pk, "amount": amount}],
                reason="拟罚款并责令改正")
    assert case.state == CaseState.NOTICE
    return case, party


def served(world, amount="3000"):
    case, party = notified(world, amount)
    case = move(case, "serve_notice", world.oscar, served_on=timezone.localdate(), manner="IN_PERSON")
    assert case.state == CaseState.DEFENCE
    return case, party


def reviewed(world, amount="3000", lowered="2000"):
    """Notice served, the party's defence accepted in part and the fine lowered."""
    case, party = served(world, amount)
    case = move(case, "record_statement", world.oscar, statement="杂物系临时堆放，已于次日自行清理一半，请求从轻处罚。",
                statement_on=timezone.localdate())
    case = move(case, "review_statement", world.oscar, review_result="PARTLY",
                review_text="当事人已部分自行清理，有从轻情节，予以部分采纳；堆放占用公共部位的事实清楚，不予免罚。",
                penalty=[{"party": party.pk, "range": fine_range("COMMON_AREA_OCCUPATION").pk, "amount": lowered}])
    return case, party


def approved(world, amount="3000", lowered="2000"):
    """Walked through notice → service → defence (partly accepted) → approval → approve: DECIDED with its fines."""
    case, party = reviewed(world, amount, lowered)
    case = move(case, "submit_approval", world.oscar)
    assert case.state == CaseState.APPROVAL
    case = move(case, "approve", world.alice)
    assert case.state == CaseState.DECIDED and case.penalty.approved_at is not None
    return case, party


def hearing_case(world):
    """¥8,000 for a citizen: the notice offers a hearing (待核实 threshold ¥5,000), the party asks for it, the
    hearing is held, and the legal reviewer passes the case."""
    case, party = served(world, amount="8000")
    case = move(case, "request_hearing", world.oscar, requested_on=timezone.localdate())
    at = timezone.now() + timedelta(days=20)
    case = move(case, "schedule_hearing", world.alice, hearing_at=at, hearing_place="本局听证室",
                presider=world.alice)
    PenaltyProcedure.objects.filter(case=case).update(hearing_at=timezone.now() - timedelta(hours=2))
    case = move(case, "hold_hearing", world.oscar, hearing_record="当事人到场陈述，对事实无异议，请求从轻。")
    assert case.state == CaseState.LEGAL_REVIEW
    case = move(case, "pass_legal_review", world.lena,
                opinion="事实清楚，证据确凿，适用依据正确，程序合法，罚款在法定幅度内，同意。")
    assert case.state == CaseState.APPROVAL
    return case, party


def issue(world, case, kind, actor=None, **extra):
    return documents.document_issue(case=case, kind=kind, actor=actor or world.oscar, extra=extra)


# --- 事先告知书 and 听证告知书 --------------------------------------------------------------------------------

def test_the_notice_states_facts_basis_penalty_rights_and_both_officers(world):
    case, party = notified(world)
    notice = latest(case, K.PRIOR_NOTICE)
    assert case.penalty.notice == notice
    assert notice.number == f"普城管告字〔{timezone.localdate().year}〕第1号"
    text = text_of(notice)
    assert "行政处罚事先告知书" in text and "赵某某：" in text
    assert f"经查：{FINDINGS}" in text
    assert "巡查发现" not in text  # the complaint's words are not the facts
    assert "《上海市住宅物业管理规定》第五十六条第二款第四项、第五项" in text  # violated
    assert "依据《上海市住宅物业管理规定》第八十五条的规定，对赵某某处罚款人民币叁仟元整（¥3,000.00）" in text
    assert "同时责令你（单位）改正违法行为。" in text
    days = penalties.DEFENCE_WORKING_DAYS
    assert f"收到本告知书之日起{documents.cn_number(days)}个工作日内" in text and "陈述、申辩" in text
    assert "听证" not in text  # ¥3,000 carries no hearing
    oscar, otis = world.oscar, world.otis
    assert f"{oscar.display_name}（执法证号：{oscar.cert_number}）" in text
    assert f"{otis.display_name}（执法证号：{otis.cert_number}）" in text
    assert "当事人签收" in text
    assert not case.documents.filter(kind=K.HEARING_NOTICE).exists()


def test_a_notice_offering_a_hearing_comes_with_the_hearing_notice(world):
    case, party = notified(world, amount="8000")
    notice, hearing = latest(case, K.PRIOR_NOTICE), latest(case, K.HEARING_NOTICE)
    assert case.penalty.hearing_offered and hearing is not None
    text = text_of(notice)
    assert "有权要求举行听证" in text and "五个工作日内" in text
    assert "人民币捌仟元整（¥8,000.00）" in text
    hearing_text = text_of(hearing)
    assert hearing.number == f"普城管听告字〔{timezone.localdate().year}〕第1号"
    assert notice.number in hearing_text  # it refers to the notice it goes with
    assert "五个工作日内" in hearing_text and "口头提出" in hearing_text
    assert "不承担行政机关组织听证的费用" in hearing_text and "第六十三条第二款" in hearing_text
    assert "七个工作日前" in hearing_text and "申请回避" in hearing_text
    assert world.otis.cert_number in hearing_text


def test_a_page_is_offered_the_kinds_of_the_state_and_never_the_review_documents(world):
    case, _ = notified(world)
    kinds = documents.issuable(case)
    assert K.PRIOR_NOTICE in kinds and K.INQUIRY_RECORD in kinds and K.SERVICE_RECEIPT in kinds
    assert K.PENALTY_DECISION not in kinds and K.DEFENCE_REVIEW not in kinds and K.LEGAL_REVIEW not in kinds


def test_no_hearing_notice_for_a_penalty_without_the_right(world):
    case, _ = notified(world)
    with pytest.raises(ApplicationError) as info:
        issue(world, case, K.HEARING_NOTICE)
    assert "听证" in info.value.message and info.value.message_en
    assert not DocumentSequence.objects.filter(kind=K.HEARING_NOTICE, last__gt=0).exists()


# --- 陈述申辩复核意见书 ----------------------------------------------------------------------------------------

def test_the_defence_review_states_the_statement_result_and_the_lowered_penalty(world):
    case, party = reviewed(world)
    review = latest(case, K.DEFENCE_REVIEW)
    assert review is not None and review.issued_by == world.oscar
    text = text_of(review)
    assert "杂物系临时堆放" in text
    assert "复核结果：部分采纳" in text and "有从轻情节" in text
    assert "对赵某某处罚款人民币贰仟元整（¥2,000.00）" in text
    assert "告知时为人民币叁仟元整（¥3,000.00），予以减轻" in text
    assert "不得因当事人陈述、申辩而给予更重的处罚" in text
    assert latest(case, K.PRIOR_NOTICE).number in text


def test_a_page_cannot_issue_the_review_documents(world):
    case, _ = reviewed(world)
    for kind in (K.DEFENCE_REVIEW, K.LEGAL_REVIEW):
        with pytest.raises(ApplicationError) as info:
            issue(world, case, kind)
        assert "不能单独出具" in info.value.message
    assert case.documents.filter(kind=K.DEFENCE_REVIEW).count() == 1


# --- the decision after approval -------------------------------------------------------------------------------

def test_no_penalty_decision_before_the_approval(world):
    case, _ = reviewed(world)
    with pytest.raises(ApplicationError) as info:
        issue(world, case, K.PENALTY_DECISION)
    assert "不能出具" in info.value.message  # the case is not decided
    assert not case.documents.filter(kind=K.PENALTY_DECISION).exists()


def test_the_penalty_decision_states_each_fine_its_basis_and_the_procedure(world):
    case, party = approved(world)
    decision = issue(world, case, K.PENALTY_DECISION)
    text = text_of(decision)
    assert decision.number == f"普城管罚决字〔{timezone.localdate().year}〕第1号"
    assert "赵某某" in text and ID_NUMBER in text
    assert f"经查：{FINDINGS}" in text and "巡查发现" not in text
    assert "违法地点：上海市普陀区曹杨新村街道兰溪一村兰溪路88弄" in text
    assert text.count("兰溪路88弄\n") + text.count("兰溪路88弄。") <= 1  # the place is written once
    notice = latest(case, K.PRIOR_NOTICE)
    assert f"《行政处罚事先告知书》（{notice.number}）" in text and "以直接送达方式送达" in text
    assert "提出了陈述、申辩意见" in text and "部分予以采纳" in text and latest(case, K.DEFENCE_REVIEW).number in text
    assert "依据《上海市住宅物业管理规定》第八十五条的规定，对赵某某处罚款人民币贰仟元整（¥2,000.00）。" in text
    assert "叁仟" not in text  # the notified amount was lowered: only the decided one is stated
    assert "其他处理措施：责令改正" in text
    assert "十五日内" in text and "每日按罚款数额的百分之三加处罚款" in text and "第七十二条" in text
    assert "六十日内依法向上海市普陀区人民政府申请行政复议" in text and "六个月内" in text
    assert "申请人民法院强制执行" in text
    assert world.oscar.cert_number in text and world.otis.cert_number in text
    assert list(case.fines.values_list("document", flat=True)) == [decision.pk]
    with pytest.raises(ApplicationError):
        issue(world, case, K.PENALTY_DECISION)  # its fines are on the decision already


def test_the_decision_states_the_hearing_and_the_legal_review(world):
    case, party = hearing_case(world)
    legal = latest(case, K.LEGAL_REVIEW)
    assert legal is not None and legal.issued_by == world.lena
    case = move(case, "record_discussion", world.alice, minutes="一致同意罚款8000元。", participants="局长、副局长、法制科长",
                discussion_on=timezone.localdate())
    case = move(case, "approve", world.alice)
    text = text_of(issue(world, case, K.PENALTY_DECISION))
    assert "依法举行了听证" in text and "本案经本局法制审核" in text and "集体讨论决定" in text
    assert "人民币捌仟元整（¥8,000.00）" in text


def test_the_legal_review_opinion_covers_facts_evidence_basis_procedure_and_range(world):
    case, party = hearing_case(world)
    legal = latest(case, K.LEGAL_REVIEW)
    assert case.state == CaseState.APPROVAL  # issued by the move, in the state it moved the case to
    text = text_of(legal)
    assert legal.number == f"普城管法审字〔{timezone.localdate().year}〕第1号"
    assert f"一、违法事实：{FINDINGS}" in text
    assert "二、证据：案卷载有现场照片1张" in text and "三、法律依据" in text and "第八十五条" in text
    assert "询问笔录" not in text  # no record was made in this case: none is claimed
    assert "四、程序" in text and "举行听证" in text and latest(case, K.PRIOR_NOTICE).number in text
    assert "五、拟处罚及裁量幅度" in text and "1000元以上1万元以下" in text
    assert "事实清楚，证据确凿" in text and "同意提交行政机关负责人审批" in text
    assert "法制审核人员：法制科审核员" in text
    assert "（印章）" not in text


# --- 当场处罚 -------------------------------------------------------------------------------------------------

def test_the_summary_decision_states_the_fine_the_officers_time_and_rights(world):
    case = move(open_case(world, "EBIKE_PARKING"), "start_verification", world.oscar)
    EnforcementCase.objects.filter(pk=case.pk).update(co_officer=world.otis)
    case.refresh_from_db()
    party = add_party(case, world.oscar, PartyRole.USER, name="钱某", id_number=ID_NUMBER)
    findings = "钱某将电动自行车停放于3号楼电梯轿厢内，经当场指出后仍未移出。"
    case = move(case, "summary_penalty", world.oscar, findings=findings, files=[photo()],
                penalty=[{"party": party.pk, "range": fine_range("EBIKE_PARKING", "电梯内停放").pk, "amount": "200"}])
    assert case.state == CaseState.DECIDED
    summary = latest(case, K.SUMMARY_DECISION)
    text = text_of(summary)
    assert summary.number == f"普城管当罚字〔{timezone.localdate().year}〕第1号"
    assert f"经查：{findings}" in text
    assert "对钱某处罚款人民币贰佰元整（¥200.00）" in text
    assert "第四十四条（待核实）" in text  # issued by the move, marked
    assert "简易程序" in text and "十五日内" in text and "百分之三" in text and "行政复议" in text
    assert "作出时间" in text and world.oscar.cert_number in text and world.otis.cert_number in text
    assert list(case.fines.values_list("document", flat=True)) == [summary.pk]


def test_a_summary_penalty_without_two_officers_is_refused_and_leaves_nothing(world):
    case = move(open_case(world, "EBIKE_PARKING"), "start_verification", world.oscar)
    party = add_party(case, world.oscar, PartyRole.USER, name="钱某")
    with pytest.raises(ApplicationError) as info:
        move(case, "summary_penalty", world.oscar, findings="电梯内停放电动自行车", files=[photo()],
             penalty=[{"party": party.pk, "range": fine_range("EBIKE_PARKING", "电梯内停放").pk, "amount": "200"}])
    assert "两名以上执法人员" in info.value.message and "art. 42" in info.value.message_en   # refused by the move itself
    case.refresh_from_db()
    assert case.state == CaseState.VERIFYING and not case.fines.exists() and not case.documents.exists()


# --- 送达回证 --------------------------------------------------------------------------------------------------

def test_the_service_receipt_names_the_document_served_the_party_and_the_manners(world):
    case, party = notified(world)
    notice = latest(case, K.PRIOR_NOTICE)
    receipt = issue(world, case, K.SERVICE_RECEIPT, document=notice.pk, party=party.pk)
    text = text_of(receipt)
    assert receipt.number == f"普城管送字〔{timezone.localdate().year}〕第1号"
    assert "行政处罚事先告知书" in text and notice.number in text
    assert "赵某某" in text and "上海市普陀区兰溪路88弄5号201室" in text
    for manner in ("直接送达", "邮寄送达", "留置送达", "电子送达（经当事人同意）"):
        assert f"□{manner}" in text
    assert "受送达人签名或盖章" in text and "见证人签名（留置送达时）" in text
    assert world.oscar.cert_number in text
    # by default: the latest served document
    assert notice.number in text_of(issue(world, case, K.SERVICE_RECEIPT))


def test_no_service_receipt_without_a_served_document(world):
    case, _ = investigating(world)
    with pytest.raises(ApplicationError) as info:
        issue(world, case, K.SERVICE_RECEIPT)
    assert "尚无需要送达的文书" in info.value.message and info.value.message_en
    form = issue(world, case, K.INQUIRY_RECORD)
    with pytest.raises(ApplicationError):
        issue(world, case, K.SERVICE_RECEIPT, document=form.pk)  # a record is not served
    with pytest.raises(ApplicationError):
        issue(world, case, K.SERVICE_RECEIPT, document="普城管告字〔2000〕第9号")


# --- the forms to print and sign -------------------------------------------------------------------------------

def test_the_three_forms_carry_the_case_and_blank_lines_for_the_hand(world):
    case, party = investigating(world)
    filing = issue(world, case, K.FILING_APPROVAL)
    inquiry = issue(world, case, K.INQUIRY_RECORD, party=party.pk)
    inspection = issue(world, case, K.INSPECTION_RECORD)
    year = timezone.localdate().year
    assert (filing.number, inquiry.number, inspection.number) == (
        f"普城管立审字〔{year}〕第1号", f"普城管询字〔{year}〕第1号", f"普城管勘字〔{year}〕第1号")
    for document in (filing, inquiry, inspection):
        text = text_of(document)
        assert case.number in text and world.oscar.cert_number in text and world.otis.cert_number in text
        assert "（印章）" not in text
    filing_text = text_of(filing)
    assert "立案审批表" in filing_text and "执法机关负责人审批意见" in filing_text and "巡查发现" in filing_text
    inquiry_text = text_of(inquiry)
    assert "询问时间：自" in inquiry_text and "至" in inquiry_text and "赵某某" in inquiry_text and ID_NUMBER in inquiry_text
    assert "被询问人签名" in inquiry_text and "询问人签名" in inquiry_text and "申请回避" in inquiry_text
    inspection_text = text_of(inspection)
    assert "检查（勘验）地点：上海市普陀区曹杨新村街道兰溪一村兰溪路88弄" in inspection_text
    assert "见证人签名" in inspection_text and "现场检查（勘验）情况" in inspection_text
    parsed = docx.Document(BytesIO(documents.document_content(inspection)))
    assert [len(table.rows) for table in parsed.tables] == [16]  # the lines the scene is written on


def test_the_forms_print_blanks_where_the_case_has_no_two_officers_yet(world):
    case = move(move(open_case(world, "COMMON_AREA_OCCUPATION"), "start_verification", world.oscar), "file",
                world.oscar, files=[photo()])
    assert case.state == CaseState.FILED and case.co_officer_id is None
    text = text_of(issue(world, case, K.INQUIRY_RECORD))
    assert "执法证号：＿" in text
    with pytest.raises(ApplicationError):
        issue(world, case, K.INQUIRY_RECORD, party=999999)  # not a party of the case


def test_the_forms_are_not_printed_before_filing(world):
    case = move(open_case(world, "COMMON_AREA_OCCUPATION"), "start_verification", world.oscar)
    for kind in documents.FORMS:
        with pytest.raises(ApplicationError):
            issue(world, case, kind)


# --- refusals: findings, officers, unverified bases -----------------------------------------------------------

def test_a_decision_document_needs_two_certified_officers(world):
    case, party = approved(world)
    EnforcementCase.objects.filter(pk=case.pk).update(co_officer=None)
    with pytest.raises(ApplicationError) as info:
        issue(world, case, K.PENALTY_DECISION)
    assert "两名持执法证的执法人员" in info.value.message and info.value.message_en
    EnforcementCase.objects.filter(pk=case.pk).update(co_officer=world.otis)
    type(world.otis).objects.filter(pk=world.otis.pk).update(cert_number="")
    with pytest.raises(ApplicationError) as info:
        issue(world, case, K.PENALTY_DECISION)
    assert "奥蒂斯队员尚未登记执法证号" in info.value.message
    assert not case.documents.filter(kind=K.PENALTY_DECISION).exists()


def test_a_decision_document_needs_the_findings(world):
    case, party = approved(world)
    EnforcementCase.objects.filter(pk=case.pk).update(findings="  ")
    for kind, extra in ((K.PENALTY_DECISION, {}), (K.ORDER_CORRECT,
                                                    {"rectify_due": timezone.localdate() + timedelta(days=10)})):
        with pytest.raises(ApplicationError) as info:
            issue(world, case, kind, **extra)
        assert "查明的违法事实" in info.value.message and "findings" in info.value.message_en
    assert not Document.objects.filter(kind__in=[K.PENALTY_DECISION, K.ORDER_CORRECT]).exists()


def test_the_order_to_correct_says_nothing_of_the_fine(world):
    case, party = approved(world)
    order = issue(world, case, K.ORDER_CORRECT, rectify_due=timezone.localdate() + timedelta(days=10))
    text = text_of(order)
    assert "罚款" not in text and "处罚款" not in text
    assert "本局责令你（单位）于" in text and f"经查：{FINDINGS}" in text
    assert "改正方式" not in text  # nothing beyond 责令改正 was decided
    assert "第八十五条" in text  # the article that orders the correction
    assert world.oscar.cert_number in text and world.otis.cert_number in text


def test_an_unverified_basis_needs_the_officers_confirmation_by_hand(world):
    """The order of a case whose penalty article is 待核实 is refused by a page unless confirmed; a move issues its
    documents marked."""
    case, party = approved(world)
    ViolationBasis.objects.filter(violation_type=case.violation_type, role="PENALTY").update(verified=False)
    due = timezone.localdate() + timedelta(days=10)
    with pytest.raises(ApplicationError) as info:
        issue(world, case, K.ORDER_CORRECT, rectify_due=due)
    assert "《上海市住宅物业管理规定》第八十五条" in info.value.message and "待核实" in info.value.message
    assert "confirm_unverified" in info.value.message_en
    assert not case.documents.filter(kind=K.ORDER_CORRECT).exists()
    with pytest.raises(ApplicationError):
        issue(world, case, K.ORDER_CORRECT, rectify_due=due, confirm_unverified="yes")  # only True confirms
    order = issue(world, case, K.ORDER_CORRECT, rectify_due=due, confirm_unverified=True)
    assert "第八十五条（待核实）" in text_of(order)
    assert order.seq == 1  # the refusals consumed no number


def test_a_move_issues_a_notice_on_an_unverified_basis_marked(world):
    ViolationBasis.objects.filter(violation_type__code="COMMON_AREA_OCCUPATION", role="PENALTY").update(verified=False)
    case, _ = notified(world)
    assert "第八十五条（待核实）" in text_of(latest(case, K.PRIOR_NOTICE))


def test_the_numbers_of_the_new_kinds_follow_a_districts_prefix(world):
    from tests.personas import build_second_district

    build_second_district(world)
    case, _ = investigating(world)
    world.district.document_prefix, world.district.bureau_name = "普城", "上海市普陀区城市管理行政执法局"
    world.district.save()
    assert issue(world, case, K.INQUIRY_RECORD).number == f"普城询字〔{timezone.localdate().year}〕第1号"


def test_every_kind_has_a_pattern_a_district_word_states_and_a_composer():
    for kind in DocumentKind.values:
        assert kind in documents.DEFAULT_PATTERNS and kind in documents.DISTRICT_WORDS
        assert kind in documents.ISSUE_STATES and kind in documents.COMPOSERS
        documents.validate_pattern(documents.DEFAULT_PATTERNS[kind])
    assert len(set(documents.DEFAULT_PATTERNS.values())) == len(DocumentKind.values)
    assert documents.cn_number(3) == "三" and documents.cn_number(15) == "十五" and documents.cn_number(60) == "六十"
    assert documents.money(Decimal("2000")) == "人民币贰仟元整（¥2,000.00）"


def test_findings_that_begin_with_jingcha_are_not_repeated(world):
    case, _party = approved(world)
    EnforcementCase.objects.filter(pk=case.pk).update(findings="经查，当事人将住宅改作棋牌室经营。")
    case.refresh_from_db()
    text = documents.compose(case=case, kind=K.PENALTY_DECISION, actor=world.oscar, number="X", issuer="Y",
                             issued_on=timezone.localdate())[0].text()
    assert "经查：当事人将住宅改作棋牌室经营。" in text and "经查：经查" not in text
