"""The bulletin as a Word file (python-docx): an A4 通报 in the usual official layout — the issuing bureau's name
in red over a red rule, the title in 宋体, headings in 黑体, the text in 仿宋, tables in 宋体 small print, the
charts as images and the metric definitions as notes. Fonts are set for East-Asian text too (w:eastAsia), so
Word and LibreOffice pick a Chinese face; a machine without 宋体/仿宋 substitutes its own CJK font."""
from io import BytesIO

from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from bulletins import charts
from bulletins.content import DASH, TEXT, Content, Table, cell, cn_date, fmt

SONG, FANGSONG, HEI, KAI = "宋体", "仿宋", "黑体", "楷体"
LATIN = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)
TEXT_WIDTH_MM = 160
SECTIONS = "一二三四五六七八九十"


def _fonts(element, east: str, latin: str = LATIN):
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east)


def _run(paragraph, text: str, *, font=FANGSONG, size=15, bold=False, color=None):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if color is not None:
        run.font.color.rgb = color
    _fonts(run._element, font)
    return run


def _para(doc, text="", *, font=FANGSONG, size=15, bold=False, align=None, indent=True, color=None,
          before=0, after=0, line=None):
    paragraph = doc.add_paragraph()
    fmt_ = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if indent:
        fmt_.first_line_indent = Pt(size * 2)
    fmt_.space_before, fmt_.space_after = Pt(before), Pt(after)
    if line:
        fmt_.line_spacing = Pt(line)
    if text:
        _run(paragraph, text, font=font, size=size, bold=bold, color=color)
    return paragraph


def _rule(paragraph, color="C00000", size=18):
    """A bottom border on the paragraph: the red rule under the issuer's name."""
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "4"), ("w:color", color)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def _shade(cell_, fill="D9E2F3"):
    tc_pr = cell_._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _keep_row(row):
    """A row is never split across two pages."""
    tr_pr = row._tr.get_or_add_trPr()
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    tr_pr.append(keep)


def _page_number(section):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", font=SONG, size=10.5)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = _run(paragraph, "1", font=SONG, size=10.5)
    number._r.addprevious(field)
    field.append(number._r)  # the run moves inside the field: its text is the page number's placeholder
    _run(paragraph, " —", font=SONG, size=10.5)


def _heading(doc, text: str):
    _para(doc, text, font=HEI, size=16, indent=True, before=6, after=3)


def _text_mm(text: str, size: float) -> float:
    """About how wide a text prints: a Chinese character is one em, a digit or Latin letter about 0.6 em."""
    em = size * 0.3528  # pt → mm
    return sum(em if ord(ch) > 0x2E80 else em * 0.6 for ch in text)


def _widths(table: Table, rows, size: float) -> list[float]:
    """Column widths in mm. Number columns as wide as their longest figure (never wrapped; a header longer than
    five characters may take two lines); text columns share what is left in proportion to their longest text
    (they wrap); when there is room to spare every column widens in proportion."""
    em, pad = size * 0.3528, 3.0
    natural, wraps = [], []
    for i, column in enumerate(table.columns):
        header = _text_mm(column.title, size)
        if len(column.title) > 5:
            header = header / 2 + em
        cells = [_text_mm(fmt(*cell(r[i], column.kind)), size) for r in rows]
        natural.append(max([header, *cells]) + pad)
        wraps.append(column.wrap)
    total = sum(natural)
    if total <= TEXT_WIDTH_MM:
        return [w * TEXT_WIDTH_MM / total for w in natural]
    fixed = sum(w for w, t in zip(natural, wraps, strict=True) if not t)
    flexible = sum(w for w, t in zip(natural, wraps, strict=True) if t) or 1
    room = max(TEXT_WIDTH_MM - fixed, 4 * em * sum(wraps))
    widths = [w * room / flexible if t else w for w, t in zip(natural, wraps, strict=True)]
    scale = TEXT_WIDTH_MM / sum(widths)
    return [w * scale for w in widths]


def _cell_margins(grid, twips: int = 57):
    """Narrow cell padding (0.1 cm) so that the numbers of a wide table fit on one line."""
    tbl_pr = grid._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(twips))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    tbl_pr.append(margins)


def _table(doc, table: Table, *, size=9):
    rows = table.rows[: table.docx_rows] if table.docx_rows else table.rows
    caption = _para(doc, table.title, font=HEI, size=11, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
                    before=6, after=3)
    caption.paragraph_format.keep_with_next = True
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Mm(w) for w in _widths(table, rows, size)]
    _cell_margins(grid)
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    header = grid.rows[0]
    _repeat_header(header)
    for i, column in enumerate(table.columns):
        target = header.cells[i]
        target.width = widths[i]
        _shade(target)
        paragraph = target.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, column.title, font=HEI, size=size)
    if not rows:
        row = grid.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        merged.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(merged.paragraphs[0], "本期无", font=SONG, size=size)
    for values in rows:
        row = grid.add_row()
        _keep_row(row)
        for i, column in enumerate(table.columns):
            value, kind = cell(values[i], column.kind)
            target = row.cells[i]
            target.width = widths[i]
            paragraph = target.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if kind == TEXT else WD_ALIGN_PARAGRAPH.RIGHT
            text = fmt(value, kind) if value not in (None, "") else DASH
            _run(paragraph, text, font=SONG, size=size)
    notes = []
    if table.docx_rows and len(table.rows) > table.docx_rows:
        notes.append(f"本表列出前 {table.docx_rows} 项，共 {len(table.rows)} 项，"
                     f"完整清单见同名 Excel 文件“{table.key}”工作表。")
    if table.note:
        notes.append(table.note)
    for note in notes:
        _para(doc, "注：" + note, font=FANGSONG, size=10.5, indent=False, before=2)


def _chart(doc, chart):
    try:
        png = charts.render(chart)
    except Exception:  # noqa: BLE001 - a chart that cannot be drawn leaves a note, never a failed bulletin
        png = None
    if png is None:
        _para(doc, f"（{chart.title}：图表未能生成）", size=12, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
        return
    paragraph = _para(doc, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, before=6)
    paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run().add_picture(BytesIO(png), width=Mm(TEXT_WIDTH_MM))
    _para(doc, chart.title, font=HEI, size=11, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)


def build(content: Content, progress=None) -> bytes:
    step = progress or (lambda pct: None)
    doc = Document()
    properties = doc.core_properties
    properties.title = content.title
    properties.author = properties.last_modified_by = content.issuer
    properties.comments = properties.keywords = ""
    properties.created = properties.modified = timezone.now()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(15)
    _fonts(normal.element, FANGSONG)
    normal.paragraph_format.line_spacing = 1.25
    normal.paragraph_format.space_after = Pt(0)
    _page_number(section)

    head = _para(doc, content.issuer, font=SONG, size=26, bold=True, color=RED, indent=False,
                 align=WD_ALIGN_PARAGRAPH.CENTER, after=4)
    _rule(head)
    _para(doc, indent=False)
    main, _, tail = content.title.partition("（")
    _para(doc, main, font=SONG, size=20, bold=True, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=32)
    if tail:
        _para(doc, "（" + tail, font=SONG, size=20, bold=True, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER,
              after=6, line=32)
    running = f"，数据截至{cn_date(content.as_of)}" if content.as_of < content.period.end else ""
    _para(doc, f"（统计周期：{cn_date(content.period.start)}至{cn_date(content.period.end)}{running}；"
               f"基期：{content.baseline.label}）", font=KAI, size=12, indent=False,
          align=WD_ALIGN_PARAGRAPH.CENTER, after=8)

    n = 0

    def section_heading(text):
        nonlocal n
        _heading(doc, f"{SECTIONS[n]}、{text}")
        n += 1

    section_heading("总体情况")
    for text in content.summary:
        _para(doc, text)
    _table(doc, content.headline, size=10)

    charts_ok = charts.available()
    section_heading("投诉趋势")
    if charts_ok:
        _chart(doc, content.charts[0])
    else:
        _para(doc, "（本机未安装中文字体，图表未生成；各月数据见 Excel 文件。）", size=12, indent=False)
    step(85)

    unit_table, type_table, *rest = content.tables
    section_heading("各街镇情况" if content.scope_name == "全区" else "各小区情况")
    _table(doc, unit_table)
    if rest and rest[0].key == "街镇排名":
        _table(doc, rest.pop(0))
    section_heading("违法违规行为类型")
    _table(doc, type_table)
    if charts_ok:
        _chart(doc, content.charts[1])
    step(90)
    section_heading("超期与督办案件")
    for table in rest:
        _table(doc, table)
    section_heading("指标说明")
    for name, text in content.definitions:
        paragraph = _para(doc, size=12, indent=True)
        _run(paragraph, f"{name}：", font=HEI, size=12)
        _run(paragraph, text, font=FANGSONG, size=12)

    _para(doc, indent=False)
    closing = _para(doc, content.issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT, before=12)
    closing.paragraph_format.keep_with_next = True
    _para(doc, cn_date(content.issued_on), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()

