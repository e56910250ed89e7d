"""The bulletin's tables as an Excel workbook (openpyxl): one sheet per table, the header row bold, widths set,
numbers as numbers (rates as percentages with a % format, counts as integers); a first sheet names the bulletin,
its period and the metric definitions."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bulletins.content import CHANGE, INT, NUM, PCT, POINTS, TEXT, Content, Table, cell

FORMATS = {INT: "#,##0", NUM: "0.00", PCT: "0.00%", CHANGE: "+0.00%;-0.00%;0.00%",
           POINTS: '+0.00"个百分点";-0.00"个百分点";"持平"'}
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")


def _value(value, kind):
    """The cell's value as Excel keeps it: rates and changes (in % in the content) as fractions."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return None
    if kind in (PCT, CHANGE):
        return round(float(value) / 100, 6)
    if kind == INT:
        return int(value)
    if kind in (NUM, POINTS):
        return float(value)
    return str(value)


def _sheet(book, table: Table):
    sheet = book.create_sheet(table.key[:31])
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([c.title for c in table.columns])
    for c in sheet[2]:
        c.font, c.fill = BOLD, HEADER_FILL
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in table.rows:
        out, kinds = [], []
        for i, column in enumerate(table.columns):
            value, kind = cell(values[i], column.kind)
            out.append(_value(value, kind))
            kinds.append(kind)
        sheet.append(out)
        for target, kind in zip(sheet[sheet.max_row], kinds, strict=True):
            if kind != TEXT:
                target.number_format = FORMATS[kind]
    if table.note:
        sheet.append([])
        sheet.append(["注：" + table.note])
    for i, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(column.width, len(column.title) * 2 + 2)
    sheet.freeze_panes = "A3"


def build(content: Content) -> bytes:
    book = Workbook()
    about = book.active
    about.title = "说明"
    about.append([content.title])
    about["A1"].font = Font(bold=True, size=14)
    about.append(["范围", content.scope_name])
    for name, period in (("统计周期", content.period), ("基期", content.baseline)):
        about.append([name, f"{period.label}（{period.start.isoformat()} 至 {period.end.isoformat()}）"])
    about.append(["制发单位", content.issuer])
    about.append(["制发日期", content.issued_on.isoformat()])
    about.append([])
    about.append(["指标", "口径"])
    for c in about[about.max_row]:
        c.font = BOLD
    for name, text in content.definitions:
        about.append([name, text])
    about.column_dimensions["A"].width = 14
    about.column_dimensions["B"].width = 90
    for table in [content.headline, *content.tables]:
        _sheet(book, table)
    trend = next((c for c in content.charts if c.key == "trend"), None)
    if trend is not None:
        from bulletins.content import Column
        rows = [[r["month"], r.get("complaints"), r.get("per_10k"), r.get("closed"), r.get("on_time_rate")]
                for r in trend.data["trend"]]
        _sheet(book, Table("月度趋势", trend.title, [Column("月份", TEXT, 10), Column("居民投诉", INT, 10),
                                                      Column("投诉万人比", NUM, 11), Column("结案", INT, 8),
                                                      Column("按期结案率", PCT, 11)], rows))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
