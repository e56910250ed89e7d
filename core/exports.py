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
from dataclasses import dataclass

from django.conf import settings
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook

from core.errors import ApplicationError

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


# --- large exports: kinds registered by the lists, jobs in the background ------------------------------------

@dataclass(frozen=True)
class Export:
    """One list's export as the user filtered it: the rows (an iterable read in chunks), their columns, the file's
    name and sheet title; `count()` tells how many rows it will have."""

    filename: str
    objects: Callable[[], Iterable]  # called once, when the file is written
    columns: Sequence[Column]
    count: Callable  # count(limit=None): the number of rows, or at most limit + 1 when a limit is given
    title: str = "Sheet1"


@dataclass(frozen=True)
class ExportKind:
    """A list whose export may run in the background: `build(user, query)` gives its `Export` for a user and the
    list's query string (a QueryDict), raising ApplicationError for filters that do not validate; `back` is the
    name of the list's URL (the job page links back to it)."""

    name: str
    label: str
    build: Callable
    back: str = ""


KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> None:
    """Called by the app of the list in its AppConfig.ready() (core does not import the apps above it)."""
    KINDS[kind.name] = kind


def kind_named(name: str) -> ExportKind:
    try:
        return KINDS[name]
    except KeyError:
        raise ApplicationError("没有这种导出", f"no export named {name!r}") from None


def inline_max_rows() -> int:
    return getattr(settings, "EXPORT_INLINE_MAX_ROWS", 20_000)


def keep_hours() -> int:
    return getattr(settings, "EXPORT_KEEP_HOURS", 24)


def exceeds(export: Export, limit: int) -> bool:
    """More than `limit` rows? Asked without counting the whole list (a count stopping at limit + 1)."""
    return export.count(limit) > limit


def export_or_job(request, kind_name: str, fmt: str):
    """A list's `?export=csv|xlsx`: the file at once up to the inline limit, else a background job and a redirect
    to its page. Filters that do not validate give the bilingual 400 page, not a file of every row."""
    from django.shortcuts import redirect

    from core import export_jobs

    kind = kind_named(kind_name)
    try:
        export = kind.build(request.user, request.GET)
    except ApplicationError as exc:
        return refused(request, exc)
    if not exceeds(export, inline_max_rows()):
        objects = export.objects()
        return export_response(fmt, export.filename, objects, export.columns, export.title)
    job = export_jobs.job_request(user=request.user, kind=kind_name, fmt=fmt, query=request.GET)
    return redirect("exports:job", pk=job.pk)


def refused(request, exc: ApplicationError, status: int = 400):
    from django.shortcuts import render

    from core.errors import message_for_reader

    return render(request, "400.html", {"error": message_for_reader(exc)}, status=status)


def counting(objects: Iterable, every: int, tick: Callable[[int], None]):
    """`objects`, calling `tick(n)` after every `every` rows and at the end; closes the source when done."""
    iterator = iter(objects)
    done = 0
    try:
        for obj in iterator:
            yield obj
            done += 1
            if done % every == 0:
                tick(done)
        tick(done)
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()


def csv_text(objects: Iterable, columns: Sequence[Column]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([header for header, _ in columns])
    writer.writerows(rows(objects, columns))
    return buffer.getvalue()
