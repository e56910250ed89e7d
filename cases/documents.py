"""执法文书: decision documents numbered by an administrator-edited pattern and generated as .docx.

`document_issue` reserves the next number of the document kind and year under a row lock, renders the
document, stores the file once (SHA-256 kept) and records it — all in one transaction, so a failure
anywhere rolls the number back and a number is never reused or handed out twice (the unique constraints on
Document back the lock). What the document says comes from the case: the parties with their full
particulars (a legal document must identify them), the facts, and the legal basis of the violation type's
catalogue; a basis not verified prints 待核实 and nothing is invented in its place.
"""
import hashlib
import re
import string
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from accounts import policy
from cases.choices import CaseState, DocumentKind, PartyKind
from cases.models import Document, DocumentSequence, DocumentTemplate, EnforcementCase, Fine, Referral
from core import dates
from core.errors import ApplicationError
from registry.choices import BasisRole, Measure
from registry.models import Department

DEFAULT_ISSUER = "上海市普陀区城市管理行政执法局"
DEFAULT_PATTERNS = {
    DocumentKind.ORDER_CORRECT: "普城管责改字〔{year}〕第{seq}号",
    DocumentKind.PENALTY_DECISION: "普城管罚决字〔{year}〕第{seq}号",
    DocumentKind.REFERRAL_LETTER: "普城管移字〔{year}〕第{seq}号",
    DocumentKind.PRIOR_NOTICE: "普城管罚告字〔{year}〕第{seq}号",
    DocumentKind.HEARING_NOTICE: "普城管听告字〔{year}〕第{seq}号",
    DocumentKind.DEFENCE_REVIEW: "普城管复核字〔{year}〕第{seq}号",
    DocumentKind.LEGAL_REVIEW: "普城管法审字〔{year}〕第{seq}号",
    DocumentKind.SUMMARY_DECISION: "普城管当罚字〔{year}〕第{seq}号",
}
# A district with its own 文号简称 (registry.District.document_prefix, e.g. 静城管) numbers its documents so; the
# installation's first district leaves it blank and keeps the administrator's templates (DocumentTemplate).
DISTRICT_WORDS = {
    DocumentKind.ORDER_CORRECT: "责改字",
    DocumentKind.PENALTY_DECISION: "罚决字",
    DocumentKind.REFERRAL_LETTER: "移字",
    DocumentKind.PRIOR_NOTICE: "罚告字",
    DocumentKind.HEARING_NOTICE: "听告字",
    DocumentKind.DEFENCE_REVIEW: "复核字",
    DocumentKind.LEGAL_REVIEW: "法审字",
    DocumentKind.SUMMARY_DECISION: "当罚字",
}
DECIDED_STATES = {CaseState.DECIDED, CaseState.RECTIFYING, CaseState.REVIEWING}
# Which case states each kind may be issued in.
ISSUE_STATES = {
    DocumentKind.ORDER_CORRECT: DECIDED_STATES,
    DocumentKind.PENALTY_DECISION: DECIDED_STATES,
    DocumentKind.REFERRAL_LETTER: set(CaseState.values) - {CaseState.CLOSED},
}
# A 责令改正通知书 orders one of these measures.
CORRECTIVE_MEASURES = {Measure.ORDER_CORRECT, Measure.RESTORE, Measure.DEMOLISH}
EXTRA_KEYS = {"rectify_due", "department", "matter", "referral", "note"}
TO_VERIFY = "待核实"

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
BODY_SIZE = Pt(16)   # 三号
TITLE_SIZE = Pt(22)  # 二号


# --- numbering --------------------------------------------------------------------------------

def validate_pattern(pattern: str) -> None:
    """A pattern may use {year} and {seq} (with a format spec such as {seq:04d}) and must use {seq}."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:
        raise ApplicationError(f"文号格式有误：{exc}", f"bad number pattern: {exc}") from exc
    unknown = [name for name in fields if name not in {"year", "seq"}]
    if unknown:
        raise ApplicationError(f"文号格式只能使用 {{year}} 与 {{seq}}，不能使用：{'、'.join(unknown)}",
                               f"the pattern may only use {{year}} and {{seq}}: {', '.join(unknown)}")
    if "seq" not in fields:
        raise ApplicationError("文号格式须包含 {seq}（序号）", "the pattern must contain {seq}")


def format_number(pattern: str, year: int, seq: int) -> str:
    validate_pattern(pattern)
    try:
        return pattern.format(year=year, seq=seq)
    except (ValueError, TypeError) as exc:
        raise ApplicationError(f"文号格式有误：{exc}", f"bad number pattern: {exc}") from exc


def template_for(kind: str, case: EnforcementCase | None = None) -> tuple[str, str]:
    """(number pattern, issuer) of a kind: the case's district's own when it has a 文号简称, else the
    administrator's template, or the built-in default. Districts share the (kind, year) sequence, so their numbers
    differ by the prefix and never collide (a district's numbers are not consecutive when another issues too)."""
    district = case.street.district if case is not None and case.street_id else None
    if district is not None and district.document_prefix:
        pattern = f"{district.document_prefix}{DISTRICT_WORDS[kind]}〔{{year}}〕第{{seq}}号"
        return pattern, district.bureau_name or f"上海市{district.name}城市管理行政执法局"
    template = DocumentTemplate.objects.filter(kind=kind).first()
    if template is None:
        return DEFAULT_PATTERNS[kind], DEFAULT_ISSUER
    return template.number_pattern or DEFAULT_PATTERNS[kind], template.issuer or DEFAULT_ISSUER


def _reserve_seq(kind: str, year: int) -> int:
    """The next number of (kind, year), taken under a row lock held until the caller's transaction ends."""
    row = DocumentSequence.objects.select_for_update().filter(kind=kind, year=year).first()
    if row is None:
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(kind=kind, year=year, last=0)
        except IntegrityError:
            pass  # another issue created the row first; its lock is taken just below
        row = DocumentSequence.objects.select_for_update().get(kind=kind, year=year)
    # Never behind a number already issued (rows entered or edited by hand included).
    issued = Document.objects.filter(kind=kind, year=year).aggregate(top=Max("seq"))["top"] or 0
    row.last = max(row.last, issued) + 1
    row.save(update_fields=["last"])
    return row.last


def _today() -> date:
    return timezone.localdate()


# --- content ----------------------------------------------------------------------------------

@dataclass
class Content:
    """What goes on the page, in order: (style, text) blocks between the heading and the signature."""

    title: str
    number: str
    issuer: str
    issued_on: date
    blocks: list[tuple[str, str]] = field(default_factory=list)
    receipt: bool = False

    def para(self, text: str, style: str = "body"):
        self.blocks.append((style, text))

    def text(self) -> str:
        """Plain text of the whole document (for tests and search)."""
        return "\n".join([self.issuer, self.title, self.number, *(t for _, t in self.blocks)])


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
UPPER_UNITS = ["", "拾", "佰", "仟"]
UPPER_SECTIONS = ["", "万", "亿"]


def _section_upper(section: int) -> str:
    out, zero = "", False
    for position, char in enumerate(f"{section:04d}"):
        digit = int(char)
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += UPPER_DIGITS[digit] + UPPER_UNITS[3 - position]
    return out


def _integer_upper(number: int) -> str:
    sections = []
    while number:
        number, section = divmod(number, 10000)
        sections.append(section)
    out, zero = "", False
    for index in reversed(range(len(sections))):
        section = sections[index]
        if section == 0:
            zero = bool(out)
            continue
        if out and (zero or section < 1000):
            out += "零"
        out += _section_upper(section) + UPPER_SECTIONS[index]
        zero = False
    return out


def rmb_upper(amount) -> str:
    """An amount of yuan in the capital numerals used on financial and legal documents (大写金额)."""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    if amount < 0 or amount >= Decimal(10) ** 12:
        raise ValueError(f"amount out of range: {amount}")
    yuan, rest = divmod(int(amount * 100), 100)
    jiao, fen = divmod(rest, 10)
    out = _integer_upper(yuan) + "元" if yuan else ""
    if not jiao and not fen:
        return (out or "零元") + "整"
    if jiao:
        out += UPPER_DIGITS[jiao] + "角"
    elif yuan:
        out += "零"
    if fen:
        out += UPPER_DIGITS[fen] + "分"
    return out


def _article(basis) -> str:
    article = (basis.article or "").strip()
    if not article:
        return f"（条款{TO_VERIFY}）"
    return article if basis.verified else f"{article}（{TO_VERIFY}）"


def cite(bases) -> str:
    """《regulation》article、article；《…》… — articles of one regulation grouped under its title."""
    grouped: dict[str, list[str]] = {}
    for basis in bases:
        title = basis.regulation.title.strip().strip("《》")  # stored with or without the brackets
        grouped.setdefault(title, []).append(_article(basis))
    return "；".join(f"《{title}》{'、'.join(articles)}" for title, articles in grouped.items())


def _bases(case):
    bases = list(case.violation_type.bases.select_related("regulation").order_by("id"))
    violated = [b for b in bases if b.role in {BasisRole.PROHIBITION, BasisRole.DUTY}]
    penalties = [b for b in bases if b.role == BasisRole.PENALTY]
    return violated, penalties


def _party_lines(case) -> list[str]:
    lines = []
    for party in case.parties.order_by("id"):
        lines.append(f"当事人（{party.get_role_display()}）：{party.name}")
        if party.id_number:
            label = "统一社会信用代码" if party.kind == PartyKind.ORGANISATION else "身份证件号码"
            lines.append(f"{label}：{party.id_number}")
        if party.address:
            lines.append(f"{'地址' if party.kind == PartyKind.ORGANISATION else '住址'}：{party.address}")
    return lines


def _place(case) -> str:
    parts = [case.street.name if case.street_id else "",
             case.community.name if case.community_id else "", case.location]
    return " ".join(p for p in parts if p) or TO_VERIFY


def _measure_labels(measures) -> str:
    labels = []
    for code in measures:
        try:
            labels.append(str(Measure(code).label))
        except ValueError:
            labels.append(code)
    return "、".join(labels)


def _facts(content: Content, case):
    content.para(f"案件编号：{case.number}")
    content.para(f"违法地点：上海市普陀区 {_place(case)}")
    content.para(f"违法行为：{case.violation_type.name}")
    content.para(f"经查：{case.summary.strip()}")


def _basis_sentence(case, *, then: str) -> str:
    violated, penalties = _bases(case)
    broke = cite(violated) or f"（法律依据{TO_VERIFY}）"
    under = cite(penalties) or f"（法律依据{TO_VERIFY}）"
    return f"你（单位）的上述行为违反了{broke}的规定。依据{under}的规定，{then}"


def _signature(content: Content, case, actor):
    officer = case.officer or actor
    content.para(f"承办人：{officer.display_name or officer.username}")


def _order_correct(content: Content, case, actor, extra):
    measures = set(case.measures or [])
    if not measures & CORRECTIVE_MEASURES:
        raise ApplicationError("处理决定未包含责令改正、恢复原状或拆除，不能出具责令改正通知书",
                               "the decision orders no correction: no 责令改正通知书")
    due = _as_date(extra.get("rectify_due")) or case.rectify_due
    if due is None:
        raise ApplicationError("请填写整改期限", "set the rectification deadline")
    if due < content.issued_on:
        raise ApplicationError("整改期限不能早于出具日期", "the deadline cannot be before the issue date")
    dates.date_check(due, kind=dates.DUE, label="整改期限", label_en="rectify_due")
    for line in _party_lines(case):
        content.para(line, "plain")
    _facts(content, case)
    content.para(_basis_sentence(case, then=f"本局责令你（单位）于{cn_date(due)}前改正上述违法行为。"))
    content.para(f"处理措施：{_measure_labels(case.measures)}")
    if case.decision.strip():
        content.para(f"处理决定：{case.decision.strip()}")
    content.para("逾期不改正的，本局将依法处理。")
    content.receipt = True


def _penalty_decision(content: Content, case, actor, extra) -> list[Fine]:
    if Measure.FINE not in (case.measures or []):
        raise ApplicationError("处理决定未包含罚款，不能出具行政处罚决定书",
                               "the decision includes no fine: no penalty decision")
    fines = list(case.fines.filter(document__isnull=True).select_related("party").order_by("id"))
    if not fines:
        raise ApplicationError("请先录入罚款（已出具决定书的罚款不再重复载明）",
                               "record the fine first (fines already on a decision are not repeated)")
    for line in _party_lines(case):
        content.para(line, "plain")
    _facts(content, case)
    content.para(_basis_sentence(case, then="本局决定对你（单位）作出如下行政处罚："))
    total = Decimal(0)
    for fine in fines:
        who = f"（{fine.party.name}）" if fine.party_id else ""
        content.para(f"罚款人民币{rmb_upper(fine.amount)}（¥{fine.amount:,.2f}）{who}")
        total += fine.amount
    if len(fines) > 1:
        content.para(f"罚款合计人民币{rmb_upper(total)}（¥{total:,.2f}）")
    others = [m for m in case.measures if m != Measure.FINE]
    if others:
        content.para(f"其他处理措施：{_measure_labels(others)}")
    if case.decision.strip():
        content.para(f"处理决定：{case.decision.strip()}")
    content.para("当事人应当自收到本决定书之日起十五日内，到指定的银行或者通过电子支付系统缴纳罚款。"
                 "到期不缴纳罚款的，本局可以每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。")
    content.para("当事人如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，"
                 "或者在六个月内依法向人民法院提起行政诉讼。"
                 "申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外。")
    content.receipt = True
    return fines


# Documents the penalty procedure's moves issue (cases.effects): the parties, the facts and the intended fines.
PROCEDURE_KINDS = {DocumentKind.PRIOR_NOTICE, DocumentKind.HEARING_NOTICE, DocumentKind.DEFENCE_REVIEW,
                   DocumentKind.LEGAL_REVIEW, DocumentKind.SUMMARY_DECISION}


def _procedure_document(content: Content, case):
    from cases import penalties
    from cases.models import PenaltyProcedure

    for line in _party_lines(case):
        content.para(line, "plain")
    _facts(content, case)
    procedure = PenaltyProcedure.objects.filter(case=case).first()
    for item in penalties.load_items(case, procedure.proposed if procedure else []):
        content.para(f"罚款人民币{rmb_upper(item.amount)}（¥{item.amount:,.2f}）（{item.party.name}；"
                     f"{penalties.range_text(item.fine_range)}）")
    content.receipt = True


def _referral_letter(content: Content, case, actor, extra):
    referral = extra.get("referral")
    if referral is not None:
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral is not None and referral.case_id != case.pk:
        raise ApplicationError("该移交不属于本案件", "the referral belongs to another case")
    if referral is not None and referral.letter_id:
        raise ApplicationError("该移交已出具移交函", "this referral already has its letter")
    department = extra.get("department")
    if isinstance(department, str):
        department = Department.objects.filter(code=department).first()
    department = (referral.department if referral else None) or department or case.referred_to
    if department is None or department.code == "CHENGGUAN":
        raise ApplicationError("请选择接收部门", "choose the receiving department")
    matter = ((referral.matter if referral else "") or extra.get("matter") or case.summary).strip()
    content.para(f"{department.name}：", "plain")
    content.para(f"本局在办理{case.number}号案件中发现，下列事项属于贵单位职责范围，现移交贵单位依法处理。")
    content.para(f"地点：上海市普陀区 {_place(case)}")
    content.para(f"移交事项：{matter}")
    names = "、".join(p.name for p in case.parties.order_by("id"))
    if names:
        content.para(f"涉及当事人：{names}")
    if referral is not None:
        content.para(f"请于{cn_date(referral.due)}前将签收及办理情况反馈本局。")
    else:
        content.para("请将签收及办理情况反馈本局。")
    evidence = case.evidence.count()
    if evidence:
        content.para(f"附件：相关证据材料{evidence}份")
    return referral


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ApplicationError("日期格式有误", "bad date") from exc


# --- rendering ----------------------------------------------------------------------------------

def _east_asian(font_holder_element, name: str):
    """python-docx sets only the Latin font; Chinese text needs w:eastAsia as well."""
    fonts = font_holder_element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(attribute), name)


NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _run(paragraph, text: str, *, font=BODY_FONT, size=BODY_SIZE, bold=False):
    run = paragraph.add_run(NOT_IN_XML.sub("", text))  # control characters pasted in would break the XML
    run.font.size = size
    run.bold = bold
    _east_asian(run._element, font)
    return run


def build_docx(content: Content) -> bytes:
    doc = DocxDocument()
    properties = doc.core_properties
    properties.title = f"{content.title} {content.number}"
    properties.author = properties.last_modified_by = content.issuer
    properties.comments = ""
    properties.created = properties.modified = timezone.now()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # A4
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)  # GB/T 9704 margins
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.size = BODY_SIZE
    _east_asian(normal.element, BODY_FONT)
    normal.paragraph_format.line_spacing = Pt(28)
    normal.paragraph_format.space_after = Pt(0)

    def centred(text, **kw):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, **kw)
        return paragraph

    centred(content.issuer, font=TITLE_FONT, size=TITLE_SIZE, bold=True)
    centred(content.title, font=TITLE_FONT, size=TITLE_SIZE, bold=True)
    centred(content.number)
    doc.add_paragraph()
    for style, text in content.blocks:
        paragraph = doc.add_paragraph()
        if style == "body":
            paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
        _run(paragraph, text)
    doc.add_paragraph()
    for text in (content.issuer, cn_date(content.issued_on), "（印章）"):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(paragraph, text)
    if content.receipt:
        doc.add_paragraph()
        paragraph = doc.add_paragraph()
        _run(paragraph, "当事人签收：                    年    月    日")
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def compose(*, case, kind: str, actor, number: str, issuer: str, issued_on: date,
            extra: dict | None = None) -> tuple[Content, dict]:
    """The document's content, and what issuing it attaches (fines, referral)."""
    extra = extra or {}
    content = Content(title=str(DocumentKind(kind).label), number=number, issuer=issuer, issued_on=issued_on)
    attaches = {}
    if kind == DocumentKind.ORDER_CORRECT:
        _order_correct(content, case, actor, extra)
    elif kind == DocumentKind.PENALTY_DECISION:
        attaches["fines"] = _penalty_decision(content, case, actor, extra)
    elif kind in PROCEDURE_KINDS:
        _procedure_document(content, case)
    else:
        attaches["referral"] = _referral_letter(content, case, actor, extra)
    if (extra.get("note") or "").strip():
        content.para(extra["note"].strip())
    _signature(content, case, actor)
    return content, attaches


# --- the service --------------------------------------------------------------------------------

def _check(case: EnforcementCase, kind: str, actor, extra: dict, by_move: bool = False):
    """`by_move`: issued by a move of the workflow (cases.effects), whose roles and scope case_transition checked
    (a legal reviewer's 法制审核意见书 is issued by the review move; the role runs no other document)."""
    if kind not in DocumentKind.values:
        raise ApplicationError("未知文书种类", f"unknown document kind '{kind}'")
    unknown = set(extra) - EXTRA_KEYS
    if unknown:
        raise ApplicationError("文书参数有误", f"unknown document fields: {', '.join(sorted(unknown))}")
    if by_move:
        return
    if not policy.may(actor, policy.CASE_HANDLE):
        raise ApplicationError("您的角色不能出具执法文书", "your role cannot issue documents")
    if not policy.may(actor, policy.CASE_HANDLE, case):
        raise ApplicationError("您无权办理该案件", "this case is outside your scope")
    if case.state not in ISSUE_STATES[kind]:
        raise ApplicationError(f"案件当前状态“{CaseState(case.state).label}”不能出具{DocumentKind(kind).label}",
                               f"a {kind} cannot be issued while the case is {case.state}")


@transaction.atomic
def document_issue(*, case, kind: str, actor, extra: dict | None = None, issued_on: date | None = None,
                   by_move: bool = False) -> Document:
    """Number, render, store and record one document. `extra` may carry: rectify_due (date; else the
    case's), department / matter (移交函; else the case's), referral (the Referral the 移交函 answers; it
    gets the letter), note (a closing paragraph). `issued_on` dates a document recorded afterwards (补录,
    the demo year; numbered in that year); pages and the API always issue today.

    Called inside a larger transaction that later rolls back, the number is released with it but the stored
    file stays behind unreferenced (Django has no on-rollback hook); the next issue stores under its own name."""
    extra = dict(extra or {})
    # Lock the case so the fines and referral read here cannot change until the document is recorded.
    case = EnforcementCase.objects.select_for_update().get(pk=case.pk)
    _check(case, kind, actor, extra, by_move=by_move)
    if issued_on is not None and issued_on > _today():
        raise ApplicationError("文书日期不能晚于今天", "a document cannot be dated in the future")
    issued_on = issued_on or _today()
    pattern, issuer = template_for(kind, case)
    validate_pattern(pattern)
    seq = _reserve_seq(kind, issued_on.year)
    number = format_number(pattern, issued_on.year, seq)
    content, attaches = compose(case=case, kind=kind, actor=actor, number=number, issuer=issuer,
                                issued_on=issued_on, extra=extra)
    data = build_docx(content)
    document = Document(case=case, kind=kind, number=number, year=issued_on.year, seq=seq,
                        sha256=hashlib.sha256(data).hexdigest(), issued_by=actor)
    stored = ""
    try:
        document.file.save(f"{kind.lower()}-{issued_on.year}-{seq:05d}.docx", ContentFile(data), save=False)
        stored = document.file.name
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError as exc:
            raise ApplicationError(f"文号“{number}”已被使用，请检查文号格式",
                                   f"number {number} is already taken: check the pattern") from exc
        _attach(document, attaches, actor)
    except BaseException:
        # The transaction rolls the number back; the file it stored goes too.
        if stored:
            document.file.storage.delete(stored)
        raise
    return document


def _attach(document: Document, attaches: dict, actor):
    for fine in attaches.get("fines") or []:
        fine.document = document
        fine._change_reason = f"载入行政处罚决定书 {document.number}"
        fine._history_user = actor
        fine.save(update_fields=["document"])
    referral = attaches.get("referral")
    if referral is not None:
        referral.letter = document
        referral._change_reason = f"出具移交函 {document.number}"
        referral._history_user = actor
        referral.save(update_fields=["letter", "updated_at"])


def document_content(document: Document) -> bytes:
    """The stored file, checked against the SHA-256 recorded when it was issued."""
    with document.file.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ApplicationError("文书文件校验失败，可能已被篡改", "the stored file does not match its SHA-256")
    return data
