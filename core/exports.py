"""CSV and XLSX exports of any queryset, read in chunks so large tables never sit in memory whole.

Columns are (header, accessor) pairs; an accessor is a callable on the row or a dotted attribute path.

A file is written whole to a spooled temporary file first and only then sent: an error while building it is an
error page (500), never a download that stops after a few rows and looks complete.
"""
import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing, suppress

from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
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
    if isinstance(value, Promise):
        value = str(value)  # a translated label: the text in the reader's language
    if hasattr(value, "isoformat") and hasattr(value, "tzinfo") and getattr(value, "tzinfo", None):
        value = timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and value[:1] in FORMULA_START:
        return "'" + value  # a caller's text must never run as a spreadsheet formula
    return value


def rows(objects: Iterable, columns: Sequence[Column]):
    """The rows of `objects`, closing their iterator as soon as these rows end, an error included: a queryset's
    iterator holds a server-side cursor on PostgreSQL, which must be closed inside the transaction that opened it
    (left to the garbage collector, it is closed later, in whatever transaction then runs, and aborts it)."""
    iterator = iter(objects)
    try:
        for obj in iterator:
            yield [_value(obj, accessor) for _, accessor in columns]
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


# Up to this size a built file stays in memory; a larger one goes to a temporary file on disk.
SPOOL_BYTES = 8 * 1024 * 1024


def write_csv(target, objects: Iterable, columns: Sequence[Column]) -> None:
    """UTF-8 with a BOM so that Excel opens Chinese correctly; `target` is a binary file."""
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow([str(header) for header, _ in columns])
    with closing(rows(objects, columns)) as lines:
        for row in lines:
            writer.writerow(row)
    text.flush()
    text.detach()  # leave `target` open for the response


def csv_response(filename: str, objects: Iterable, columns: Sequence[Column]) -> FileResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        write_csv(spool, objects, columns)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return _file_response(spool, f"{filename}.csv", "text/csv; charset=utf-8")


def write_xlsx(target, objects: Iterable, columns: Sequence[Column], title: str = "Sheet1") -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([str(header) for header, _ in columns])
    try:
        with closing(rows(objects, columns)) as lines:
            for row in lines:
                sheet.append(row)
    except BaseException:
        with suppress(Exception):
            sheet.close()  # ends the sheet's writer now, not when the garbage collector gets to it
        raise
    workbook.save(target)


def xlsx_response(filename: str, objects: Iterable, columns: Sequence[Column], title: str = "Sheet1"):
    # openpyxl's write-only mode streams rows to a temporary file, not to memory.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        write_xlsx(spool, objects, columns, title)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return _file_response(spool, f"{filename}.xlsx", XLSX)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_response(spool, filename: str, content_type: str) -> FileResponse:
    """The finished file as a download (its length known, so a cut-off transfer shows as incomplete)."""
    size = spool.seek(0, io.SEEK_END)
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type=content_type)
    response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def export_response(fmt: str, filename: str, objects: Iterable, columns: Sequence[Column], title: str = "Sheet1"):
    if fmt == "xlsx":
        return xlsx_response(filename, objects, columns, title)
    return csv_response(filename, objects, columns)


def csv_text(objects: Iterable, columns: Sequence[Column]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for header, _ in columns])
    writer.writerows(rows(objects, columns))
    return buffer.getvalue()
