"""Streaming CSV and XLSX exports of any queryset, so large tables never sit in memory whole.

Columns are (header, accessor) pairs; an accessor is a callable on the row or a dotted attribute path.
"""
import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Sequence

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

Column = tuple[str, Callable | str]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _value(obj, accessor):
    if callable(accessor):
        value = accessor(obj)
    else:
        value = obj
        for part in accessor.split("."):
            value = getattr(value, part, None) if value is not None else None
            if callable(value) and not hasattr(value, "all"):
                value = value()
    if value is None:
        return ""
    if hasattr(value, "isoformat") and hasattr(value, "tzinfo") and getattr(value, "tzinfo", None):
        value = timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value  # a caller's text must never run as a spreadsheet formula
    return value


def rows(objects: Iterable, columns: Sequence[Column]):
    for obj in objects:
        yield [_value(obj, accessor) for _, accessor in columns]


class _Echo:
    def write(self, value):
        return value


def csv_response(filename: str, objects: Iterable, columns: Sequence[Column]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # BOM so Excel opens UTF-8 Chinese correctly
        yield writer.writerow([header for header, _ in columns])
        for row in rows(objects, columns):
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}.csv"
    return response


def write_xlsx(target, objects: Iterable, columns: Sequence[Column], title: str = "Sheet1") -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([header for header, _ in columns])
    for row in rows(objects, columns):
        sheet.append(row)
    workbook.save(target)


def xlsx_response(filename: str, objects: Iterable, columns: Sequence[Column], title: str = "Sheet1"):
    # openpyxl's write-only mode streams rows to a temporary file, not to memory.
    spool = tempfile.TemporaryFile()
    write_xlsx(spool, objects, columns, title)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def export_response(fmt: str, filename: str, objects: Iterable, columns: Sequence[Column], title: str = "Sheet1"):
    if fmt == "xlsx":
        return xlsx_response(filename, objects, columns, title)
    return csv_response(filename, objects, columns)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def csv_text(objects: Iterable, columns: Sequence[Column]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for header, _ in columns])
    writer.writerows(rows(objects, columns))
    return buffer.getvalue()
