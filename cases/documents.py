"""执法文书: documents numbered by an administrator-edited pattern and generated as .docx.

`document_issue` reserves the next number of the document kind and year under a row lock, renders the
document, stores the file once (SHA-256 kept) and records it — all in one transaction, so a failure
anywhere rolls the number back and a number is never reused or handed out twice (the unique constraints on
Document back the lock). What the document says comes from the case: the parties with their full
particulars (a legal document must identify them), the facts the investigation found (EnforcementCase.findings,
never the complaint's words), the two officers with their 执法证号 (行政处罚法 §42), the intended or decided
penalty of the procedure (case.penalty) and the legal basis of the violation type's catalogue. A basis not verified
prints 待核实 and nothing is invented in its place; a page or the API must confirm it before such a document goes
out (extra["confirm_unverified"]), a move of the workflow issues it marked.

Kinds: the decisions and notices served on the party (责令改正通知书, 行政处罚事先告知书, 听证告知书,
陈述申辩复核意见书, 行政处罚决定书, 当场行政处罚决定书), the 移交函, the internal 法制审核意见书, the 送达回证 of a
served document, and three forms printed to be filled in by hand and signed (立案审批表, 询问笔录,
现场检查（勘验）笔录).
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
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from accounts import policy
from cases import penalties
from cases.choices import CaseState, DocumentKind, EvidenceKind, PartyKind, Procedure, ReviewResult, ServiceManner
from cases.models import (
    Document,
    DocumentSequence,
    DocumentTemplate,
    EnforcementCase,
    Fine,
    Party,
    PenaltyProcedure,
    Referral,
)
from core import dates
from core.errors import ApplicationError
from registry.choices import BasisRole, FineUnit, Measure
from registry.models import Department

K = DocumentKind
DEFAULT_ISSUER = "上海市普陀区城市管理行政执法局"
DEFAULT_PATTERNS = {
    K.ORDER_CORRECT: "普城管责改字〔{year}〕第{seq}号",
    K.PENALTY_DECISION: "普城管罚决字〔{year}〕第{seq}号",
    K.REFERRAL_LETTER: "普城管移字〔{year}〕第{seq}号",
    K.FILING_APPROVAL: "普城管立审字〔{year}〕第{seq}号",
    K.INQUIRY_RECORD: "普城管询字〔{year}〕第{seq}号",
    K.INSPECTION_RECORD: "普城管勘字〔{year}〕第{seq}号",
    K.PRIOR_NOTICE: "普城管告字〔{year}〕第{seq}号",
    K.HEARING_NOTICE: "普城管听告字〔{year}〕第{seq}号",
    K.DEFENCE_REVIEW: "普城管复核字〔{year}〕第{seq}号",
    K.LEGAL_REVIEW: "普城管法审字〔{year}〕第{seq}号",
    K.SERVICE_RECEIPT: "普城管送字〔{year}〕第{seq}号",
    K.SUMMARY_DECISION: "普城管当罚字〔{year}〕第{seq}号",
}
# A district with its own 文号简称 (registry.District.document_prefix, e.g. 静城管) numbers its documents so; the
# installation's first district leaves it blank and keeps the administrator's templates (DocumentTemplate).
DISTRICT_WORDS = {
    K.ORDER_CORRECT: "责改字",
    K.PENALTY_DECISION: "罚决字",
    K.REFERRAL_LETTER: "移字",
    K.FILING_APPROVAL: "立审字",
    K.INQUIRY_RECORD: "询字",
    K.INSPECTION_RECORD: "勘字",
    K.PRIOR_NOTICE: "告字",
    K.HEARING_NOTICE: "听告字",
    K.DEFENCE_REVIEW: "复核字",
    K.LEGAL_REVIEW: "法审字",
    K.SERVICE_RECEIPT: "送字",
    K.SUMMARY_DECISION: "当罚字",
}
DECIDED_STATES = {CaseState.DECIDED, CaseState.RECTIFYING, CaseState.REVIEWING}
# From 立案 on, while the case is open: the forms the officers print, fill in and sign.
FILED_ON = {CaseState.FILED, CaseState.INVESTIGATING, CaseState.NOTICE, CaseState.DEFENCE, CaseState.HEARING,
            CaseState.LEGAL_REVIEW, CaseState.APPROVAL, *DECIDED_STATES, CaseState.ENFORCING}
# Which case states each kind may be issued in. A document issued by a move (cases.effects) is issued once the
# move is recorded, so in the move's NEW state: the 法制审核意见书 of pass_legal_review in APPROVAL, the 当场行政处罚
# 决定书 of summary_penalty in DECIDED, the notices of notify in NOTICE.
ISSUE_STATES = {
    K.ORDER_CORRECT: DECIDED_STATES,
    K.PENALTY_DECISION: DECIDED_STATES,
    K.REFERRAL_LETTER: set(CaseState.values) - {CaseState.CLOSED},
    K.FILING_APPROVAL: FILED_ON,
    K.INQUIRY_RECORD: FILED_ON,
    K.INSPECTION_RECORD: FILED_ON,
    K.PRIOR_NOTICE: {CaseState.NOTICE},
    K.HEARING_NOTICE: {CaseState.NOTICE},
    K.DEFENCE_REVIEW: {CaseState.DEFENCE},
    K.LEGAL_REVIEW: {CaseState.APPROVAL},
    K.SERVICE_RECEIPT: set(CaseState.values) - {CaseState.CLOSED},
    K.SUMMARY_DECISION: {CaseState.DECIDED},
}
# Issued only by the move that records the act they state (the reviewer's own review); a page cannot issue them.
BY_MOVE_ONLY = {K.DEFENCE_REVIEW: "陈述申辩复核", K.LEGAL_REVIEW: "法制审核通过"}
# Printed to be filled in by hand: two officers are printed when the case has them, blanks otherwise.
FORMS = {K.FILING_APPROVAL, K.INQUIRY_RECORD, K.INSPECTION_RECORD}
# Stating the facts (经查): refused without the investigation's findings.
STATES_FACTS = {K.ORDER_CORRECT, K.PENALTY_DECISION, K.PRIOR_NOTICE, K.DEFENCE_REVIEW, K.LEGAL_REVIEW,
                K.SUMMARY_DECISION}
# Served on the party (a 送达回证 can be printed for them).
SERVED = [K.PENALTY_DECISION, K.SUMMARY_DECISION, K.PRIOR_NOTICE, K.HEARING_NOTICE, K.DEFENCE_REVIEW,
          K.ORDER_CORRECT, K.REFERRAL_LETTER]
# A 责令改正通知书 orders one of these measures.
CORRECTIVE_MEASURES = {Measure.ORDER_CORRECT, Measure.RESTORE, Measure.DEMOLISH}
EXTRA_KEYS = {"rectify_due", "department", "matter", "referral", "note", "confirm_unverified", "document", "party"}
TO_VERIFY = "待核实"
BLANK = "＿＿＿＿＿＿"
SHORT = "＿＿＿"
DATE_BLANK = "　　年　　月　　日"
TIME_BLANK = "　　年　　月　　日　　时　　分"

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
BODY_SIZE = Pt(16)   # 三号
TITLE_SIZE = Pt(22)  # 二号
FORM_SIZE = Pt(14)   # 四号: the forms' tables


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


def numbering_district(case: EnforcementCase | None):
    """The district whose own numbers a case's documents carry: the case's district when it has a 文号简称
    (registry.District.document_prefix), else None — the installation's templates, whose one sequence every
    district printing them shares (numbers printed alike must never collide)."""
    district = case.street.district if case is not None and case.street_id else None
    return district if district is not None and district.document_prefix else None


def template_for(kind: str, case: EnforcementCase | None = None) -> tuple[str, str]:
    """(number pattern, issuer) of a kind: the case's district's own when it has a 文号简称, else the
    administrator's template, or the built-in default. Each district with its own 文号简称 has its own sequence per
    (kind, year), so its numbers start at 1 and run on consecutively (DocumentSequence.district)."""
    district = numbering_district(case)
    if district is not None:
        pattern = f"{district.document_prefix}{DISTRICT_WORDS[kind]}〔{{year}}〕第{{seq}}号"
        return pattern, district.bureau_name or f"上海市{district.name}城市管理行政执法局"
    template = DocumentTemplate.objects.filter(kind=kind).first()
    if template is None:
        return DEFAULT_PATTERNS[kind], DEFAULT_ISSUER
    return template.number_pattern or DEFAULT_PATTERNS[kind], template.issuer or DEFAULT_ISSUER


def _reserve_seq(kind: str, year: int, district=None) -> int:
    """The next number of (kind, year) in `district`'s sequence (None: the templates'), taken under a row lock
    held until the caller's transaction ends."""
    sequences = DocumentSequence.objects.select_for_update().filter(kind=kind, year=year, district=district)
    row = sequences.first()
    if row is None:
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(kind=kind, year=year, district=district, last=0)
        except IntegrityError:
            pass  # another issue created the row first; its lock is taken just below
        row = sequences.get()
    # Never behind a number already issued (rows entered or edited by hand included).
    issued = (Document.objects.filter(kind=kind, year=year, district=district)
              .aggregate(top=Max("seq"))["top"] or 0)
    row.last = max(row.last, issued) + 1
    row.save(update_fields=["last"])
    return row.last


def _today() -> date:
    return timezone.localdate()


# --- content ----------------------------------------------------------------------------------

@dataclass
class Content:
    """What goes on the page, in order, between the heading and the closing. Blocks are (style, value):
    body (indented paragraph), plain, lines (value: how many ruled lines to write on by hand), table (value: rows
    of cells). `closing`: "seal" (issuer, date, 印章) or "date" (issuer and date, no seal: internal) or "" (the
    form's own signatures end it). `receipt`: the party signs for it on the document itself."""

    title: str
    number: str
    issuer: str
    issued_on: date
    blocks: list[tuple[str, object]] = field(default_factory=list)
    receipt: bool = False
    closing: str = "seal"
    receipt_line: str = ""
    cited: list = field(default_factory=list)   # the ViolationBasis rows the document cites

    def para(self, text: str, style: str = "body"):
        self.blocks.append((style, text))

    def lines(self, count: int):
        self.blocks.append(("lines", count))

    def table(self, rows: list[list[str]]):
        self.blocks.append(("table", rows))

    def text(self) -> str:
        """Plain text of the whole document (for tests and search)."""
        out = [self.issuer, self.title, self.number]
        for style, value in self.blocks:
            if style == "table":
                out.extend("　".join(cell for cell in row if cell) for row in value)
            elif style != "lines":
                out.append(value)
        if self.closing:
            out.append(cn_date(self.issued_on))
        if self.receipt:
            out.append(self.receipt_line or RECEIPT_LINE)
        return "\n".join(out)


RECEIPT_LINE = f"当事人签收：{BLANK}{DATE_BLANK}"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


CN_DIGITS = "零一二三四五六七八九"


def cn_number(number: int) -> str:
    """1–99 in Chinese numerals, as periods are written (三个工作日, 十五日, 六十日)."""
    tens, units = divmod(number, 10)
    if not 0 < number < 100:
        return str(number)
    out = ("" if tens == 1 else CN_DIGITS[tens]) + "十" if tens else ""
    return out + (CN_DIGITS[units] if units else "")


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


def money(amount) -> str:
    """人民币壹万元整（¥10,000.00）: the amount in capitals and in figures."""
    return f"人民币{rmb_upper(amount)}（¥{Decimal(amount):,.2f}）"


def _article(basis) -> str:
    article = (basis.article or "").strip()
    if not article:
        return f"（条款{TO_VERIFY}）"
    return article if basis.verified else f"{article}（{TO_VERIFY}）"


def cite(bases, content: Content | None = None) -> str:
    """《regulation》article、article；《…》… — articles of one regulation grouped under its title. The document
    remembers what it cited (an unverified basis must be confirmed before it is issued by hand)."""
    grouped: dict[str, list[str]] = {}
    for basis in bases:
        if content is not None and basis not in content.cited:
            content.cited.append(basis)
        title = basis.regulation.title.strip().strip("《》")  # stored with or without the brackets
        article = _article(basis)
        if article not in grouped.setdefault(title, []):
            grouped[title].append(article)
    return "；".join(f"《{title}》{'、'.join(articles)}" for title, articles in grouped.items())


def _bases(case):
    bases = list(case.violation_type.bases.select_related("regulation").order_by("id"))
    violated = [b for b in bases if b.role in {BasisRole.PROHIBITION, BasisRole.DUTY}]
    penalties_ = [b for b in bases if b.role == BasisRole.PENALTY]
    return violated, penalties_


def unverified(content: Content) -> list[str]:
    """The cited bases not verified, as 《regulation》article (or 条款待核实)."""
    return [f"《{b.regulation.title.strip().strip('《》')}》{(b.article or '').strip() or '（条款待核实）'}"
            for b in content.cited if not b.verified or not (b.article or "").strip()]


def _person(user) -> str:
    return (user.display_name or user.username).strip()


def _cert(user) -> str:
    return (getattr(user, "cert_number", "") or "").strip()


def _team(case, label: str, *, required: bool):
    """The two officers of 行政处罚法 §42 (承办 and 协办), each holding an enforcement certificate. Refused when a
    document that states a decision, a notice or a review lacks them; a form to fill in prints blanks instead."""
    team = [u for u in (case.officer, case.co_officer) if u is not None]
    problem = None
    if len({u.pk for u in team}) < 2:
        problem = ("本案尚未指定承办队员和协办队员两名执法人员", "the case does not have its two officers")
    else:
        missing = [_person(u) for u in team if not _cert(u)]
        if missing:
            problem = (f"{'、'.join(missing)}尚未登记执法证号",
                       f"no enforcement certificate number: {', '.join(missing)}")
    if problem is None:
        return team
    if required:
        raise ApplicationError(f"出具{label}须有两名持执法证的执法人员（行政处罚法第四十二条）：{problem[0]}",
                               f"a {label} needs two officers holding enforcement certificates (art. 42): "
                               f"{problem[1]}")
    return []


def _team_line(team) -> str:
    if not team:
        return f"执法人员：{BLANK}（执法证号：{BLANK}）、{BLANK}（执法证号：{BLANK}）"
    return "执法人员：" + "、".join(f"{_person(u)}（执法证号：{_cert(u)}）" for u in team)


def _party_lines(case, parties=None) -> list[str]:
    lines = []
    for party in parties if parties is not None else case.parties.order_by("id"):
        lines.append(f"当事人（{party.get_role_display()}）：{party.name}")
        if party.id_number:
            label = "统一社会信用代码" if party.kind == PartyKind.ORGANISATION else "身份证件号码"
            lines.append(f"{label}：{party.id_number}")
        if party.address:
            lines.append(f"{'地址' if party.kind == PartyKind.ORGANISATION else '住址'}：{party.address}")
    return lines


def _district(case):
    return case.street.district if case.street_id else None


def _place(case) -> str:
    """Where it happened, written once: 上海市<district><street><community><location>, leaving out what the
    location already says."""
    location = (case.location or "").strip()
    district = _district(case)
    parts = []
    if district is not None and district.name not in location and "上海" not in location:
        parts.append(f"上海市{district.name}")
    if case.street_id and case.street.name not in location:
        parts.append(case.street.name)
    if case.community_id and case.community.name not in location:
        parts.append(case.community.name)
    parts.append(location)
    return "".join(p for p in parts if p) or TO_VERIFY


def _review_body(case) -> str:
    """Who reviews the bureau's decisions (行政复议法 2023 §24: the government of its own level)."""
    district = _district(case)
    return f"上海市{district.name}人民政府" if district is not None else "本级人民政府"


def _measure_labels(measures) -> str:
    labels = []
    for code in measures:
        try:
            labels.append(str(Measure(code).label))
        except ValueError:
            labels.append(code)
    return "、".join(labels)


def _findings(case, label: str) -> str:
    """The findings as the 经查 paragraph continues them: an officer who began with 经查 himself is not repeated."""
    findings = LEADING_JINGCHA.sub("", (case.findings or "").strip()).strip()
    if not findings:
        raise ApplicationError(f"案件尚未填写调查查明的违法事实，不能出具{label}（文书“经查”部分据此制作）",
                               f"the case has no findings of the investigation: no {label}")
    return findings


LEADING_JINGCHA = re.compile(r"^(经查明?|经调查|查明)[：:，,\s]*")


EVIDENCE_WORDS = {EvidenceKind.PHOTO: "现场照片{n}张", EvidenceKind.VIDEO: "现场视频{n}段",
                  EvidenceKind.PDF: "书证等文件{n}份", EvidenceKind.OFFICE: "书证等文件{n}份"}


def _evidence_list(case) -> str:
    """What the file holds, as it is (照片3张、书证等文件1份): never a record that was not made."""
    counts: dict[str, int] = {}
    for kind in case.evidence.values_list("kind", flat=True):
        word = EVIDENCE_WORDS.get(kind, "证据材料{n}份")
        counts[word] = counts.get(word, 0) + 1
    return "、".join(word.format(n=n) for word, n in counts.items())


def _evidence_sentence(case) -> str:
    listed = _evidence_list(case)
    return f"以上事实有{listed}等证据证实。" if listed else ""


def _facts(content: Content, case, label: str):
    content.para(f"案件编号：{case.number}", "plain")
    content.para(f"违法地点：{_place(case)}", "plain")
    content.para(f"案由：{case.violation_type.name}", "plain")
    content.para(f"经查：{_findings(case, label)}")
    evidence = _evidence_sentence(case)
    if evidence:
        content.para(evidence)


def _you(parties) -> str:
    return "你（单位）" if len(parties) == 1 else "当事人"


def _violated(content: Content, case) -> str:
    violated, _ = _bases(case)
    return cite(violated, content) or f"（法律依据{TO_VERIFY}）"


def _penalty_articles(content: Content, case) -> str:
    _, penalty = _bases(case)
    return cite(penalty, content) or f"（法律依据{TO_VERIFY}）"


def _procedure(case) -> PenaltyProcedure | None:
    return PenaltyProcedure.objects.filter(case=case).select_related("notice").first()


def _quantity(fine_range, quantity) -> str:
    if quantity is None or not fine_range or not fine_range.unit:
        return ""
    value = f"{Decimal(quantity).normalize():f}"
    if fine_range.unit == FineUnit.M2:
        return f"（按{value}平方米计）"
    if fine_range.unit == FineUnit.PERSON:
        return f"（按{value}人计）"
    return f"（以赔偿金额{value}元为基数）"


def _fine_line(content: Content, party, fine_range, amount, quantity, *, verb: str) -> str:
    """依据《…》第…条的规定，对赵某某<verb>罚款人民币…（¥…）."""
    basis = cite([fine_range.basis], content) if fine_range is not None else None
    where = f"依据{basis}的规定，" if basis else ""
    return f"{where}对{party.name}{verb}罚款{money(amount)}{_quantity(fine_range, quantity)}。"


def _items(case, stored) -> list:
    return penalties.load_items(case, stored or [])


def _penalty_items(case, label: str):
    procedure = _procedure(case)
    if procedure is None or not procedure.proposed:
        raise ApplicationError(f"本案尚无拟作出的行政处罚，不能出具{label}", f"no intended penalty: no {label}")
    items = _items(case, procedure.proposed)
    if not items:
        raise ApplicationError(f"拟处罚内容中的当事人或罚款幅度已不存在，不能出具{label}",
                               f"the intended penalty's parties or ranges no longer exist: no {label}")
    return procedure, items


def _other_measures(case) -> list[str]:
    return [m for m in (case.measures or []) if m != Measure.FINE]


def _latest(case, kind):
    return case.documents.filter(kind=kind).order_by("-issued_at", "-pk").first()


def _served_manner(code: str) -> str:
    return str(ServiceManner(code).label) if code in ServiceManner.values else ""


def _contact(team) -> str:
    names = "、".join(_person(u) for u in team) or BLANK
    phones = "、".join(u.phone for u in team if (u.phone or "").strip()) or BLANK
    return f"联系人：{names}；联系电话：{phones}；联系地址：{BLANK}。"


# --- the decisions and notices served on the party ------------------------------------------------

def _order_correct(content: Content, case, actor, extra):
    measures = set(case.measures or [])
    if not measures & CORRECTIVE_MEASURES:
        raise ApplicationError("处理决定未包含责令改正、恢复原状或拆除，不能出具责令改正通知书",
                               "the decision orders no correction: no 责令改正通知书")
    team = _team(case, "责令改正通知书", required=True)
    due = _as_date(extra.get("rectify_due")) or case.rectify_due
    if due is None:
        raise ApplicationError("请填写整改期限", "set the rectification deadline")
    if due < content.issued_on:
        raise ApplicationError("整改期限不能早于出具日期", "the deadline cannot be before the issue date")
    dates.date_check(due, kind=dates.DUE, label="整改期限", label_en="rectify_due")
    parties = list(case.parties.order_by("id"))
    for line in _party_lines(case, parties):
        content.para(line, "plain")
    _facts(content, case, "责令改正通知书")
    you = _you(parties)
    # 责令改正 is not a penalty: the order names no fine (the penalty, if any, is the decision's).
    ordered = [m for m in case.measures if m != Measure.FINE]
    content.para(f"{you}的上述行为违反了{_violated(content, case)}的规定。"
                 f"依据{_penalty_articles(content, case)}的规定，本局责令{you}于{cn_date(due)}前改正上述违法行为。")
    further = [m for m in ordered if m != Measure.ORDER_CORRECT]
    if further:
        content.para(f"改正方式：{_measure_labels(further)}")
    content.para(f"逾期不改正的，本局将依法处理。{you}如不服本通知，可以在收到本通知书之日起六十日内依法向"
                 f"{_review_body(case)}申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。")
    content.para(_team_line(team), "plain")
    content.receipt = True


def _history(case, procedure, you: str) -> list[str]:
    """The procedure as real decisions state it: the notice, the statement and its review or the waiver, the
    hearing, the legal review, the collective discussion."""
    out = []
    notice = procedure.notice or _latest(case, K.PRIOR_NOTICE)
    offered = "、要求听证" if procedure.hearing_offered else ""
    if notice is not None:
        served = ""
        if procedure.notice_served_on:
            manner = _served_manner(procedure.notice_service_manner)
            served = f"，并于{cn_date(procedure.notice_served_on)}{('以' + manner + '方式') if manner else ''}送达"
        out.append(f"本局于{cn_date(timezone.localtime(notice.issued_at).date())}制作《行政处罚事先告知书》"
                   f"（{notice.number}）{served}，告知{you}拟作出行政处罚的事实、理由、依据及依法享有的陈述、申辩{offered}"
                   f"的权利。")
    if procedure.waived:
        out.append(f"{you}明确表示放弃陈述、申辩{'和听证' if procedure.hearing_offered else ''}的权利。")
    elif procedure.statement:
        review = _latest(case, K.DEFENCE_REVIEW)
        result = {ReviewResult.ACCEPTED: "予以采纳", ReviewResult.PARTLY: "部分予以采纳",
                  ReviewResult.REJECTED: "不予采纳"}.get(procedure.review_result, "")
        line = f"{you}于{cn_date(procedure.statement_on)}提出了陈述、申辩意见。本局依法进行了复核"
        if result:
            line += f"，对{you}的陈述、申辩意见{result}"
        if review is not None:
            line += f"（《陈述申辩复核意见书》{review.number}）"
        out.append(line + "。")
    elif not procedure.hearing_requested_on:
        out.append(f"{you}在规定期限内未提出陈述、申辩意见{'，也未要求听证' if procedure.hearing_offered else ''}。")
    if procedure.hearing_held_on:
        presider = f"，由{_person(procedure.hearing_presider)}主持" if procedure.hearing_presider else ""
        out.append(f"应{you}的申请，本局于{cn_date(procedure.hearing_held_on)}依法举行了听证{presider}。")
    if procedure.legal_reviewed_at:
        out.append("本案经本局法制审核。")
    if procedure.discussion_on:
        out.append(f"本案经本局负责人于{cn_date(procedure.discussion_on)}集体讨论决定。")
    return out


def _payment_and_rights(content: Content, case, *, days: int = penalties.PAYMENT_DAYS):
    content.para(f"当事人应当自收到本决定书之日起{cn_number(days)}日内，到指定的银行或者通过电子支付系统缴纳罚款。"
                 "到期不缴纳罚款的，本局可以每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额"
                 "（《中华人民共和国行政处罚法》第七十二条）。")
    content.para(f"当事人如不服本决定，可以在收到本决定书之日起六十日内依法向{_review_body(case)}申请行政复议，"
                 "或者在六个月内依法向人民法院提起行政诉讼。"
                 "申请行政复议或者提起行政诉讼的，行政处罚不停止执行，法律另有规定的除外。"
                 "逾期不申请行政复议、不提起行政诉讼，又不履行本决定的，本局将依法申请人民法院强制执行。")


def _fines_of(case, label: str) -> list[Fine]:
    fines = list(case.fines.filter(document__isnull=True).select_related("party", "fine_range__basis__regulation")
                 .order_by("id"))
    if not fines:
        raise ApplicationError("本案没有尚未载入决定书的罚款（已出具决定书的罚款不再重复载明）",
                               "no fine left to state (fines already on a decision are not repeated)")
    nameless = [f for f in fines if f.party_id is None]
    if nameless:
        raise ApplicationError(f"罚款须指明缴款当事人，不能出具{label}",
                               f"each fine must name the party who pays: no {label}")
    return fines


def _state_fines(content: Content, case, fines: list[Fine], you: str, *, stated: bool = False):
    if stated:
        content.para("本局决定作出如下行政处罚：")
    else:
        content.para(f"{you}的上述行为违反了{_violated(content, case)}的规定。本局决定作出如下行政处罚：")
    total = Decimal(0)
    for fine in fines:
        basis = fine.fine_range
        if basis is None:  # a fine recorded before the ranges: the type's penalty articles
            articles = _penalty_articles(content, case)
            content.para(f"依据{articles}的规定，对{fine.party.name}处罚款{money(fine.amount)}。")
        else:
            content.para(_fine_line(content, fine.party, basis, fine.amount, fine.quantity, verb="处"))
        total += fine.amount
    if len(fines) > 1:
        content.para(f"罚款合计{money(total)}。")


def _penalty_decision(content: Content, case, actor, extra) -> list[Fine]:
    label = "行政处罚决定书"
    if Measure.FINE not in (case.measures or []):
        raise ApplicationError("处理决定未包含罚款，不能出具行政处罚决定书",
                               "the decision includes no fine: no penalty decision")
    procedure = _procedure(case)
    if procedure is None or procedure.approved_at is None or procedure.procedure != Procedure.GENERAL:
        raise ApplicationError("行政处罚决定须经事先告知、陈述申辩并经负责人批准后方可出具行政处罚决定书",
                               "the penalty has not been approved through the procedure: no penalty decision")
    team = _team(case, label, required=True)
    fines = _fines_of(case, label)
    parties = list(case.parties.order_by("id"))
    for line in _party_lines(case, parties):
        content.para(line, "plain")
    _facts(content, case, label)
    you = _you(parties)
    content.para(f"本局认为，{you}的上述行为违反了{_violated(content, case)}的规定。")
    for line in _history(case, procedure, you):
        content.para(line)
    _state_fines(content, case, fines, you, stated=True)
    others = _other_measures(case)
    if others:
        content.para(f"其他处理措施：{_measure_labels(others)}")
    _payment_and_rights(content, case)
    content.para(_team_line(team), "plain")
    content.receipt = True
    return fines


def _summary_decision(content: Content, case, actor, extra) -> list[Fine]:
    """当场行政处罚决定书 (行政处罚法 §52): the party, the violation, the basis, the fine, the time and place, the
    routes of review and lawsuit, the bureau and the officers; handed over on the spot."""
    label = "当场行政处罚决定书"
    procedure = _procedure(case)
    if procedure is None or procedure.procedure != Procedure.SUMMARY:
        raise ApplicationError("本案未适用简易程序，不能出具当场行政处罚决定书", "not a summary-procedure case")
    team = _team(case, label, required=True)
    fines = _fines_of(case, label)
    parties = list(case.parties.order_by("id"))
    for line in _party_lines(case, parties):
        content.para(line, "plain")
    _facts(content, case, label)
    you = _you(parties)
    _state_fines(content, case, fines, you)
    content.para("本决定适用简易程序（《中华人民共和国行政处罚法》第五十一条、第五十二条），由执法人员当场作出并当场交付当事人。")
    _payment_and_rights(content, case)
    made = timezone.localtime()
    when = f"{cn_date(content.issued_on)}{made.hour}时{made.minute:02d}分" if content.issued_on == made.date() \
        else cn_date(content.issued_on)
    content.para(f"作出时间：{when}；作出地点：违法行为发生地（见上）。", "plain")
    content.para(_team_line(team), "plain")
    content.para(f"执法人员签名：{BLANK}　{BLANK}", "plain")
    content.receipt = True
    content.receipt_line = f"{RECEIPT_LINE}（当事人拒绝签收的，由执法人员在此注明）"
    return fines


def _prior_notice(content: Content, case, actor, extra):
    """行政处罚事先告知书 (§44): the facts, reasons, basis and the intended penalty, and the rights: statement and
    defence (§45), a hearing when offered (§63–64)."""
    label = "行政处罚事先告知书"
    team = _team(case, label, required=True)
    procedure, items = _penalty_items(case, label)
    findings = _findings(case, label)
    parties = list(case.parties.order_by("id"))
    names = "、".join(p.name for p in parties)
    content.para(f"{names}：", "plain")
    you = _you(parties)
    content.para(f"本局在办理{case.number}号{case.violation_type.name}一案中，依法对{you}的违法行为进行了调查。"
                 f"现将本局拟作出行政处罚的事实、理由、依据及{you}依法享有的权利告知如下：")
    content.para(f"违法地点：{_place(case)}", "plain")
    content.para(f"经查：{findings}")
    evidence = _evidence_sentence(case)
    if evidence:
        content.para(evidence)
    content.para(f"{you}的上述行为违反了{_violated(content, case)}的规定。本局拟作出如下行政处罚：")
    for item in items:
        content.para(_fine_line(content, item.party, item.fine_range, item.amount, item.quantity, verb="处"))
    others = _other_measures(case)
    if others:
        further = [m for m in others if m != Measure.ORDER_CORRECT]
        how = f"（{_measure_labels(further)}）" if further else ""
        content.para(f"同时责令{you}改正违法行为{how}。")
    days = penalties.DEFENCE_WORKING_DAYS
    content.para(f"根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，{you}享有陈述、申辩的权利。"
                 f"{you}可以自收到本告知书之日起{cn_number(days)}个工作日内向本局提出陈述、申辩意见；"
                 "逾期未提出的，视为放弃陈述、申辩的权利。本局不因当事人陈述、申辩而给予更重的处罚。")
    if procedure.hearing_offered:
        hearing = penalties.HEARING_REQUEST_WORKING_DAYS
        content.para(f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{you}有权要求举行听证。"
                     f"要求听证的，应当自收到本告知书之日起{cn_number(hearing)}个工作日内向本局提出；"
                     "逾期未提出的，视为放弃听证的权利。当事人不承担组织听证的费用（详见《听证告知书》）。")
    also = "及听证申请" if procedure.hearing_offered else ""
    content.para(f"陈述、申辩意见{also}可以书面形式提出，也可以到本局口头提出，由执法人员制作笔录。" + _contact(team))
    content.para(_team_line(team), "plain")
    content.receipt = True


def _hearing_notice(content: Content, case, actor, extra):
    """听证告知书 (§63–64): issued with the notice when the intended penalty carries the right to a hearing."""
    label = "听证告知书"
    team = _team(case, label, required=True)
    procedure, items = _penalty_items(case, label)
    if not procedure.hearing_offered:
        raise ApplicationError("本案拟作出的处罚不属于应当告知听证的情形，不能出具听证告知书",
                               "the intended penalty carries no right to a hearing")
    parties = list(case.parties.order_by("id"))
    you = _you(parties)
    content.para(f"{'、'.join(p.name for p in parties)}：", "plain")
    notice = _latest(case, K.PRIOR_NOTICE)
    reference = f"《行政处罚事先告知书》（{notice.number}）" if notice is not None else "《行政处罚事先告知书》"
    intended = "；".join(f"对{item.party.name}处罚款{money(item.amount)}" for item in items)
    content.para(f"本局在办理{case.number}号{case.violation_type.name}一案中，拟作出如下行政处罚：{intended}。"
                 f"拟作出行政处罚的事实、理由和依据见{reference}。")
    hearing = penalties.HEARING_REQUEST_WORKING_DAYS
    content.para(f"根据《中华人民共和国行政处罚法》第六十三条、第六十四条的规定，{you}有权要求举行听证。"
                 f"要求听证的，应当自收到本告知书之日起{cn_number(hearing)}个工作日内，以书面形式或者到本局口头提出"
                 "（口头提出的，由执法人员制作笔录，经当事人签名确认）；逾期未提出的，视为放弃听证的权利。")
    content.para("本局将在举行听证的七个工作日前，通知听证的时间、地点。听证由本案调查人员以外的人员主持；"
                 f"{you}认为主持人与本案有直接利害关系的，有权申请回避。{you}可以亲自参加听证，也可以委托一至二人代理。"
                 "除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行。")
    content.para("当事人不承担行政机关组织听证的费用（《中华人民共和国行政处罚法》第六十三条第二款）。")
    content.para(_contact(team))
    content.para(_team_line(team), "plain")
    content.receipt = True


def _defence_review(content: Content, case, actor, extra):
    """陈述申辩复核意见书 (§45): the statement, the result of the review and its reasons, the penalty after it —
    the same or lighter, never heavier."""
    label = "陈述申辩复核意见书"
    team = _team(case, label, required=True)
    procedure, after = _penalty_items(case, label)
    if not procedure.statement or not procedure.review_result:
        raise ApplicationError("尚未记录并复核当事人的陈述申辩，不能出具陈述申辩复核意见书",
                               "no reviewed statement: no defence review")
    before = _items(case, procedure.first_proposed or procedure.proposed)
    raised = penalties.heavier(before, after)
    if raised:
        raise ApplicationError(f"不得因当事人陈述申辩而加重处罚（行政处罚法第四十五条）：{'、'.join(raised)}",
                               "a defence can never raise the penalty (art. 45)")
    findings = _findings(case, label)
    parties = list(case.parties.order_by("id"))
    for line in _party_lines(case, parties):
        content.para(line, "plain")
    content.para(f"案件编号：{case.number}", "plain")
    content.para(f"案由：{case.violation_type.name}", "plain")
    notice = procedure.notice or _latest(case, K.PRIOR_NOTICE)
    served = f"于{cn_date(procedure.notice_served_on)}送达" if procedure.notice_served_on else "送达"
    reference = f"《行政处罚事先告知书》（{notice.number}）" if notice is not None else "《行政处罚事先告知书》"
    notified = "；".join(f"对{item.party.name}处罚款{money(item.amount)}" for item in before)
    content.para(f"本局{served}{reference}，告知拟{notified}。所依据的事实：{findings}")
    content.para(f"当事人于{cn_date(procedure.statement_on)}提出陈述、申辩意见如下：{procedure.statement.strip()}")
    content.para(f"复核结果：{ReviewResult(procedure.review_result).label}。")
    content.para(f"复核理由：{procedure.review_text.strip()}")
    content.para("复核后拟作出的行政处罚：")
    old = {item.party.pk: item.amount for item in before}
    for item in after:
        line = _fine_line(content, item.party, item.fine_range, item.amount, item.quantity, verb="处")
        was = old.get(item.party.pk)
        if was is not None and item.amount < was:
            line = line.rstrip("。") + f"（告知时为{money(was)}，予以减轻）。"
        elif was is not None:
            line = line.rstrip("。") + "（维持告知时的罚款）。"
        content.para(line)
    content.para("根据《中华人民共和国行政处罚法》第四十五条的规定，行政机关不得因当事人陈述、申辩而给予更重的处罚。")
    reviewer = procedure.reviewed_by or actor
    cert = f"（执法证号：{_cert(reviewer)}）" if _cert(reviewer) else ""
    content.para(f"复核人：{_person(reviewer)}{cert}", "plain")
    content.para(_team_line(team), "plain")
    content.receipt = True


def _legal_review(content: Content, case, actor, extra):
    """法制审核意见书 (§58): the reviewer's opinion on the facts, the evidence, the basis, the procedure and the
    fine's range, signed by the reviewer. Internal: no seal, dated."""
    label = "法制审核意见书"
    team = _team(case, label, required=True)
    procedure, items = _penalty_items(case, label)
    if not procedure.legal_opinion:
        raise ApplicationError("尚未填写法制审核意见，不能出具法制审核意见书", "no legal review opinion recorded")
    findings = _findings(case, label)
    parties = list(case.parties.order_by("id"))
    filed = case.transitions.filter(action="file").order_by("at").first()
    rows = [
        ["案件编号", case.number],
        ["案由", case.violation_type.name],
        ["当事人", "、".join(f"{p.name}（{p.get_role_display()}）" for p in parties)],
        ["承办人员", "、".join(f"{_person(u)}（执法证号：{_cert(u)}）" for u in team)],
        ["立案日期", cn_date(timezone.localtime(filed.at).date()) if filed else TO_VERIFY],
        ["办案期限", cn_date(case.decision_due) if case.decision_due else TO_VERIFY],
    ]
    content.table(rows)
    content.para("审核内容：", "plain")
    content.para(f"一、违法事实：{findings}")
    content.para(f"二、证据：案卷载有{_evidence_list(case) or '证据材料0份'}。")
    content.para(f"三、法律依据：违反{_violated(content, case)}；处罚依据{_penalty_articles(content, case)}。")
    steps = []
    notice = procedure.notice or _latest(case, K.PRIOR_NOTICE)
    if notice is not None:
        served = (f"于{cn_date(procedure.notice_served_on)}以{_served_manner(procedure.notice_service_manner)}方式送达"
                  if procedure.notice_served_on else "尚未记录送达")
        steps.append(f"事先告知书（{notice.number}）{served}")
    if procedure.waived:
        steps.append("当事人书面放弃陈述、申辩")
    elif procedure.statement:
        result = ReviewResult(procedure.review_result).label if procedure.review_result else "未复核"
        steps.append(f"当事人于{cn_date(procedure.statement_on)}陈述、申辩，复核结果：{result}")
    elif procedure.hearing_requested_on:
        steps.append(f"当事人于{cn_date(procedure.hearing_requested_on)}申请听证")
    else:
        steps.append("当事人在期限内未陈述、申辩")
    if procedure.hearing_held_on:
        steps.append(f"{cn_date(procedure.hearing_held_on)}举行听证")
    elif procedure.hearing_offered:
        steps.append("已告知听证权利，当事人未申请听证" if not procedure.hearing_requested_on else "当事人已申请听证")
    content.para(f"四、程序：{'；'.join(steps)}。")
    content.para("五、拟处罚及裁量幅度：")
    for item in items:
        content.para(f"对{item.party.name}罚款{money(item.amount)}{_quantity(item.fine_range, item.quantity)}；"
                     f"法定幅度：{penalties.range_text(item.fine_range)}。")
        cite([item.fine_range.basis], content)
    content.para(f"审核意见：{procedure.legal_opinion.strip()}")
    content.para("审核结论：同意提交行政机关负责人审批。", "plain")
    reviewer = procedure.legal_reviewer or actor
    cert = f"（证件号：{_cert(reviewer)}）" if _cert(reviewer) else ""
    reviewed = timezone.localtime(procedure.legal_reviewed_at).date() if procedure.legal_reviewed_at \
        else content.issued_on
    content.para(f"法制审核人员：{_person(reviewer)}{cert}", "plain")
    content.para(f"签名：{BLANK}　审核日期：{cn_date(reviewed)}", "plain")
    content.para(f"法制审核机构负责人意见：{BLANK}{BLANK}", "plain")
    content.para(f"签名：{BLANK}{DATE_BLANK}", "plain")
    content.closing = "date"


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
    content.para(f"地点：{_place(case)}")
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
    officer = case.officer or actor
    content.para(f"承办人：{_person(officer)}", "plain")
    return referral


# --- the 送达回证 ---------------------------------------------------------------------------------------------

def _served_document(case, value) -> Document:
    if isinstance(value, Document):
        document = value
    elif value not in (None, ""):
        lookup = {"number": value} if not str(value).isdigit() else {"pk": int(value)}
        document = case.documents.filter(**lookup).first()
    else:
        document = case.documents.filter(kind__in=SERVED).order_by("-issued_at", "-pk").first()
        if document is None:
            raise ApplicationError("本案尚无需要送达的文书，不能出具送达回证", "no served document: no service receipt")
    if document is None or document.case_id != case.pk:
        raise ApplicationError("请选择本案件已出具的文书", "choose a document issued in this case")
    if document.kind not in SERVED:
        raise ApplicationError(f"{document.get_kind_display()}不需送达当事人", f"a {document.kind} is not served")
    return document


def _service_receipt(content: Content, case, actor, extra):
    """送达回证: the document served (name and number), the person served, the manners, blanks for the signature
    and date, and for the witnesses of a 留置送达."""
    document = _served_document(case, extra.get("document"))
    team = _team(case, "送达回证", required=False)
    if document.kind == K.REFERRAL_LETTER:
        referral = case.referrals.filter(letter=document).select_related("department").first()
        served = [referral.department.name if referral else (case.referred_to.name if case.referred_to else BLANK)]
        addresses = [""]
    else:
        party = extra.get("party")
        parties = list(case.parties.order_by("id"))
        if party not in (None, ""):
            pk = getattr(party, "pk", party)
            parties = [p for p in parties if str(p.pk) == str(pk)]
            if not parties:
                raise ApplicationError("受送达人须为本案当事人", "the person served must be a party of the case")
        if not parties:
            raise ApplicationError("请先登记当事人", "add the parties first")
        served = [p.name for p in parties]
        addresses = [p.address for p in parties]
    manners = "　".join(f"□{label}" for label in ServiceManner.labels)
    rows = [["送达文书名称", f"{document.get_kind_display()}"],
            ["送达文书文号", document.number],
            ["案件编号", case.number]]
    for name, address in zip(served, addresses, strict=True):
        rows.append(["受送达人", name])
        rows.append(["送达地点", address or BLANK])
    rows += [
        ["送达机关", f"{content.issuer}（印章）"],
        ["送达方式", manners],
        ["受送达人签名或盖章", f"\n{BLANK}\n{TIME_BLANK}"],
        ["代收人签名及代收理由", f"{BLANK}\n{DATE_BLANK}"],
        ["见证人签名（留置送达时）", f"{BLANK}　{BLANK}\n{DATE_BLANK}"],
        ["送达人签名", ("、".join(f"{_person(u)}（执法证号：{_cert(u)}）" for u in team) or BLANK)
         + f"\n{BLANK}　{BLANK}"],
        ["备注", "受送达人拒绝签收的，送达人应当邀请有关基层组织或者所在单位的代表到场，说明情况，"
                 "在本回证上记明拒收事由和日期，由送达人、见证人签名或者盖章，把文书留在受送达人的住所，即视为送达。邮寄送达的，以回执上注明的收件日期为送达日期；"
                 "电子送达须经受送达人同意，以到达其特定系统的日期为送达日期。"],
    ]
    content.table(rows)
    content.closing = ""  # the 送达机关 and its seal are in the form


# --- the forms printed to be filled in and signed -------------------------------------------------------------

def _source(case) -> str:
    complaint = case.complaints.order_by("received_at", "pk").first() if hasattr(case, "complaints") else None
    if complaint is None:
        return "执法检查发现"
    received = cn_date(timezone.localtime(complaint.received_at).date())
    return f"{complaint.get_channel_display()}（{received}受理）"


def _filing_approval(content: Content, case, actor, extra):
    team = _team(case, "立案审批表", required=False)
    parties = list(case.parties.order_by("id"))
    filed = case.transitions.filter(action="file").order_by("at").first()
    violated, _ = _bases(case)
    rows = [
        ["案件编号", case.number],
        ["案由", f"涉嫌{case.violation_type.name}"],
        ["案件来源", _source(case)],
        ["立案日期", cn_date(timezone.localtime(filed.at).date()) if filed else DATE_BLANK],
        ["当事人", "\n".join(line.split("：", 1)[1] if line.startswith("当事人") else line
                            for line in _party_lines(case, parties)) or BLANK],
        ["违法地点", _place(case)],
        ["线索及核查情况", (case.summary or "").strip() or BLANK],
        ["涉嫌违反的规定", cite(violated, content) or f"（法律依据{TO_VERIFY}）"],
        ["承办人员", "、".join(f"{_person(u)}（执法证号：{_cert(u)}）" for u in team)
         or f"{BLANK}（执法证号：{BLANK}）\n{BLANK}（执法证号：{BLANK}）"],
        ["承办人意见", f"\n\n签名：{BLANK}　{BLANK}\n{DATE_BLANK}"],
        ["承办机构负责人意见", f"\n\n签名：{BLANK}{DATE_BLANK}"],
        ["执法机关负责人审批意见", f"\n\n签名：{BLANK}{DATE_BLANK}"],
    ]
    content.table(rows)
    content.closing = ""


def _form_party(case, extra) -> Party | None:
    party = extra.get("party")
    if party in (None, ""):
        return None
    pk = getattr(party, "pk", party)
    found = case.parties.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise ApplicationError("被询问人须为本案当事人（或不选，手工填写）", "the person must be a party of the case")
    return found


def _officer_pair(team) -> tuple[str, str]:
    if team:
        return tuple(f"{_person(u)}　执法证号：{_cert(u)}" for u in team)
    blank = f"{BLANK}　执法证号：{BLANK}"
    return blank, blank


def _inquiry_record(content: Content, case, actor, extra):
    """询问笔录 (§55): headed and numbered, the case's particulars filled, the rest written by hand."""
    team = _team(case, "询问笔录", required=False)
    party = _form_party(case, extra)
    asker, recorder = _officer_pair(team)
    content.para(f"案件编号：{case.number}　案由：{case.violation_type.name}", "plain")
    content.para(f"询问时间：自{TIME_BLANK}", "plain")
    content.para(f"　　　　　至{TIME_BLANK}", "plain")
    content.para(f"询问地点：{BLANK}{BLANK}", "plain")
    content.para(f"询问人：{asker}", "plain")
    content.para(f"记录人：{recorder}", "plain")
    if party is not None:
        id_label = "统一社会信用代码" if party.kind == PartyKind.ORGANISATION else "身份证件号码"
        content.para(f"被询问人：{party.name}　性别：{SHORT}　年龄：{SHORT}", "plain")
        content.para(f"{id_label}：{party.id_number or BLANK}", "plain")
        content.para(f"住址：{party.address or BLANK}　联系电话：{party.phone or BLANK}", "plain")
        content.para(f"工作单位及职务：{BLANK}　与本案关系：{party.get_role_display()}", "plain")
    else:
        content.para(f"被询问人：{BLANK}　性别：{SHORT}　年龄：{SHORT}", "plain")
        content.para(f"身份证件号码：{BLANK}{BLANK}", "plain")
        content.para(f"住址：{BLANK}{BLANK}　联系电话：{BLANK}", "plain")
        content.para(f"工作单位及职务：{BLANK}　与本案关系：{BLANK}", "plain")
    content.para(f"其他在场人员：{BLANK}{BLANK}", "plain")
    names = "、".join(_person(u) for u in team) or f"{BLANK}、{BLANK}"
    content.para(f"告知：我们是{content.issuer}的执法人员{names}，这是我们的执法证件（出示）。现依法就"
                 f"{case.violation_type.name}一事向你进行调查询问，你应当如实回答，不得隐瞒或者提供虚假情况。"
                 "你有权申请执法人员回避，有陈述、申辩的权利。你看清楚我们的执法证件了吗？是否申请回避？")
    content.para("答：", "plain")
    content.lines(2)
    content.para("问：", "plain")
    content.lines(2)
    content.para("答：", "plain")
    content.lines(14)
    content.para("被询问人核对意见（由被询问人亲笔书写：以上笔录我已看过（或已向我宣读），与我所说的一致）：", "plain")
    content.lines(2)
    content.para(f"被询问人签名：{BLANK}{DATE_BLANK}", "plain")
    content.para(f"询问人签名：{BLANK}　{BLANK}{DATE_BLANK}", "plain")
    content.para(f"记录人签名：{BLANK}{DATE_BLANK}", "plain")
    content.para("（笔录每页由被询问人签名或者捺指印；被询问人拒绝签名的，由执法人员注明。）", "plain")
    content.closing = ""


def _inspection_record(content: Content, case, actor, extra):
    """现场检查（勘验）笔录 (§55): the scene written by hand, the place printed, the officers, the party and the
    witnesses signing."""
    team = _team(case, "现场检查（勘验）笔录", required=False)
    inspector, recorder = _officer_pair(team)
    parties = list(case.parties.order_by("id"))
    content.para(f"案件编号：{case.number}　案由：{case.violation_type.name}", "plain")
    content.para(f"检查（勘验）时间：自{TIME_BLANK}", "plain")
    content.para(f"　　　　　　　　　至{TIME_BLANK}", "plain")
    content.para(f"检查（勘验）地点：{_place(case)}", "plain")
    content.para(f"检查（勘验）人：{inspector}", "plain")
    content.para(f"记录人：{recorder}", "plain")
    content.para(f"当事人：{'、'.join(p.name for p in parties) or BLANK}　在场人（现场负责人）：{BLANK}", "plain")
    content.para(f"被邀请人（见证人）：{BLANK}　联系电话：{BLANK}", "plain")
    content.para(f"见证人身份证件号码：{BLANK}{BLANK}", "plain")
    content.para(f"见证人工作单位或住址：{BLANK}{BLANK}", "plain")
    content.para("告知：执法人员已向当事人（在场人）出示执法证件，说明检查（勘验）的事由和依据，告知其有申请回避的权利。"
                 f"是否申请回避：{SHORT}")
    content.para("现场检查（勘验）情况：", "plain")
    content.lines(16)
    content.para(f"附：现场照片{SHORT}张，现场示意图{SHORT}张，其他{SHORT}。", "plain")
    content.para(f"当事人（在场人）签名：{BLANK}{DATE_BLANK}", "plain")
    content.para(f"见证人签名：{BLANK}{DATE_BLANK}", "plain")
    content.para(f"检查（勘验）人签名：{BLANK}　{BLANK}{DATE_BLANK}", "plain")
    content.para(f"记录人签名：{BLANK}{DATE_BLANK}", "plain")
    content.para("（当事人不在场或者拒绝签名的，由执法人员注明情况，并由见证人签名。）", "plain")
    content.closing = ""


def _as_date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ApplicationError("日期格式有误", "bad date") from exc


COMPOSERS = {
    K.ORDER_CORRECT: _order_correct,
    K.PENALTY_DECISION: _penalty_decision,
    K.REFERRAL_LETTER: _referral_letter,
    K.FILING_APPROVAL: _filing_approval,
    K.INQUIRY_RECORD: _inquiry_record,
    K.INSPECTION_RECORD: _inspection_record,
    K.PRIOR_NOTICE: _prior_notice,
    K.HEARING_NOTICE: _hearing_notice,
    K.DEFENCE_REVIEW: _defence_review,
    K.LEGAL_REVIEW: _legal_review,
    K.SERVICE_RECEIPT: _service_receipt,
    K.SUMMARY_DECISION: _summary_decision,
}
# What issuing a kind attaches to it: the fines it states, the referral it answers.
ATTACHES = {K.PENALTY_DECISION: "fines", K.SUMMARY_DECISION: "fines", K.REFERRAL_LETTER: "referral"}


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


def _field(paragraph, instruction: str, size):
    run = _run(paragraph, "", size=size)
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    simple.append(run._element)
    paragraph._p.append(simple)


def _page_footer(section):
    """第 N 页 共 M 页: a page of a record is signed page by page, and a page missing must show."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    size = Pt(12)
    _run(paragraph, "第 ", size=size)
    _field(paragraph, "PAGE", size)
    _run(paragraph, " 页 共 ", size=size)
    _field(paragraph, "NUMPAGES", size)
    _run(paragraph, " 页", size=size)


def _borders(table, **edges):
    """The table's borders: edge name → "single" or "nil"."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for name in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{name}")
        edge.set(qn("w:val"), edges.get(name, "single"))
        if edges.get(name, "single") != "nil":
            edge.set(qn("w:sz"), "4")
            edge.set(qn("w:color"), "000000")
        borders.append(edge)
    properties.append(borders)


def _ruled(doc, count: int):
    """Lines to write on by hand: a one-column table with only its horizontal rules (paragraph borders would merge
    into one box around the group)."""
    table = doc.add_table(rows=count, cols=1)
    _borders(table, top="nil", left="nil", right="nil", insideV="nil")
    table.columns[0].width = Mm(156)
    for row in table.rows:
        row.height = Mm(10)
        row.cells[0].width = Mm(156)
    return table


LABEL_WIDTH, VALUE_WIDTH = Mm(48), Mm(108)


def _table(doc, rows):
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    table.columns[0].width, table.columns[1].width = LABEL_WIDTH, VALUE_WIDTH
    for label, value in rows:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row (a signature box) stays on one page
        cells = row.cells
        cells[0].width, cells[1].width = LABEL_WIDTH, VALUE_WIDTH
        for cell, text, bold in ((cells[0], label, True), (cells[1], value, False)):
            lines = str(text).split("\n")
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.line_spacing = Pt(20)
            for index, line in enumerate(lines):
                if index:
                    paragraph = cell.add_paragraph()
                    paragraph.paragraph_format.line_spacing = Pt(20)
                _run(paragraph, line, size=FORM_SIZE, bold=bold)
    return table


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
    _page_footer(section)
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
    for style, value in content.blocks:
        if style == "table":
            _table(doc, value)
            continue
        if style == "lines":
            _ruled(doc, int(value))
            continue
        paragraph = doc.add_paragraph()
        if style == "body":
            paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters
        _run(paragraph, value)
    if content.closing:
        doc.add_paragraph()
        closing = [content.issuer, cn_date(content.issued_on)]
        if content.closing == "seal":
            closing.append("（印章）")
        for text in closing:
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _run(paragraph, text)
    if content.receipt:
        doc.add_paragraph()
        paragraph = doc.add_paragraph()
        _run(paragraph, content.receipt_line or RECEIPT_LINE)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def compose(*, case, kind: str, actor, number: str, issuer: str, issued_on: date,
            extra: dict | None = None) -> tuple[Content, dict]:
    """The document's content, and what issuing it attaches (fines, referral)."""
    extra = extra or {}
    content = Content(title=str(DocumentKind(kind).label), number=number, issuer=issuer, issued_on=issued_on)
    attached = COMPOSERS[kind](content, case, actor, extra)
    attaches = {ATTACHES[kind]: attached} if kind in ATTACHES else {}
    if (extra.get("note") or "").strip():
        content.para(extra["note"].strip())
    return content, attaches


def issuable(case) -> list[str]:
    """The kinds a page may offer on this case now (the service still checks everything when one is issued)."""
    kinds = []
    for kind in DocumentKind.values:
        if kind in BY_MOVE_ONLY or case.state not in ISSUE_STATES[kind]:
            continue
        kinds.append(kind)
    return kinds


# --- the service --------------------------------------------------------------------------------

def _check(case: EnforcementCase, kind: str, actor, extra: dict, by_move: bool = False):
    """`by_move`: issued by a move of the workflow (cases.effects), whose roles and scope case_transition checked
    (a legal reviewer's 法制审核意见书 is issued by the review move; the role runs no other document). The case's
    state is checked either way: a move's documents are issued in the state it moved the case to."""
    if kind not in DocumentKind.values:
        raise ApplicationError("未知文书种类", f"unknown document kind '{kind}'")
    unknown = set(extra) - EXTRA_KEYS
    if unknown:
        raise ApplicationError("文书参数有误", f"unknown document fields: {', '.join(sorted(unknown))}")
    if not by_move:
        if not policy.may(actor, policy.CASE_HANDLE):
            raise ApplicationError("您的角色不能出具执法文书", "your role cannot issue documents")
        if not policy.may(actor, policy.CASE_HANDLE, case):
            raise ApplicationError("您无权办理该案件", "this case is outside your scope")
        if kind in BY_MOVE_ONLY:
            step = BY_MOVE_ONLY[kind]
            raise ApplicationError(f"{DocumentKind(kind).label}由“{step}”一步出具，不能单独出具",
                                   f"a {kind} is issued by its move ({step}), not by hand")
    if case.state not in ISSUE_STATES[kind]:
        raise ApplicationError(f"案件当前状态“{CaseState(case.state).label}”不能出具{DocumentKind(kind).label}",
                               f"a {kind} cannot be issued while the case is {case.state}")


def _confirm_basis(content: Content, kind: str, extra: dict, by_move: bool):
    """A document citing a 待核实 basis does not go out silently: issued by hand it needs the officer's
    confirmation (extra["confirm_unverified"]); issued by a move it goes out with the 待核实 marks in its text."""
    if by_move or kind in FORMS or extra.get("confirm_unverified") is True:
        return
    missing = unverified(content)
    if missing:
        listed = "、".join(dict.fromkeys(missing))
        raise ApplicationError(
            f"{content.title}引用的法律依据尚待核实：{listed}。请管理员在违法行为目录中核实；如确需出具，请确认后再出具"
            "（文书中将标注“待核实”）",
            f"the legal basis cited is not verified: {listed}; have it verified in the catalogue, or confirm "
            "(confirm_unverified) to issue it marked 待核实")


@transaction.atomic
def document_issue(*, case, kind: str, actor, extra: dict | None = None, issued_on: date | None = None,
                   by_move: bool = False) -> Document:
    """Number, render, store and record one document. `extra` may carry: rectify_due (date; else the
    case's), department / matter (移交函; else the case's), referral (the Referral the 移交函 answers; it
    gets the letter), document and party (送达回证: the document served, the person served; 询问笔录: the party
    questioned), confirm_unverified (True: issue although a cited basis is 待核实), note (a closing paragraph).
    `issued_on` dates a document recorded afterwards (补录, the demo year; numbered in that year); pages and the API
    always issue today.

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
    district = numbering_district(case)
    seq = _reserve_seq(kind, issued_on.year, district)
    number = format_number(pattern, issued_on.year, seq)
    content, attaches = compose(case=case, kind=kind, actor=actor, number=number, issuer=issuer,
                                issued_on=issued_on, extra=extra)
    _confirm_basis(content, kind, extra, by_move)
    data = build_docx(content)
    document = Document(case=case, kind=kind, number=number, year=issued_on.year, seq=seq, district=district,
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
        fine._change_reason = f"载入{document.get_kind_display()} {document.number}"
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
