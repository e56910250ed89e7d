"""One way to run a table import from an uploaded file: size and type checked first, the upload spooled to a
temporary file the importer reads by path (as the management commands do), refusals put on the form."""
import tempfile
from pathlib import Path

from django.conf import settings

from core.errors import ApplicationError

TABLE_SUFFIXES = {".csv", ".xlsx"}


def run_table_import(form, importer, *, field: str = "file"):
    """`importer(path=..., file_name=...)` on the form's upload; returns its report, or None with the reason
    added to the form's field when the file is refused (nothing imported)."""
    upload = form.cleaned_data[field]
    suffix = Path(upload.name).suffix.lower()
    if upload.size > settings.MAX_IMPORT_FILE_BYTES:
        form.add_error(field, f"文件超过 {settings.MAX_IMPORT_FILE_BYTES // 1024 // 1024} MB / file too large")
        return None
    if suffix not in TABLE_SUFFIXES:
        form.add_error(field, "请上传 CSV 或 XLSX 文件 / upload a CSV or XLSX file")
        return None
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            return importer(path=handle.name, file_name=upload.name)
        except ApplicationError as exc:
            form.add_error(field, str(exc))
            return None
