"""Uploaded files, checked in one place.

- `upload_check(upload, ...)`: every stored file (case evidence, duty-check attachments, complaint photos) passes
  it: size limit, real type sniffed from the first bytes (never the name or the browser's word), a name that does
  not claim another type (JPEG bytes named .html, HTML named .jpg are refused), SHA-256 of the bytes.
- `run_table_import(form, importer)`: a table import from an uploaded file: size and type checked first, the
  upload spooled to a temporary file the importer reads by path (as the management commands do), refusals put
  on the form.
"""
import hashlib
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext

from core.errors import ApplicationError, message_for_reader

TABLE_SUFFIXES = {".csv", ".xlsx"}

MAX_FILE_BYTES = 200 * 1024 * 1024  # a phone video of a site visit
MAX_PHOTO_BYTES = 10 * 1024 * 1024  # a complaint's photo

# What a file is, by kind (cases.choices.EvidenceKind has the same values).
PHOTO, VIDEO, PDF, OFFICE = "PHOTO", "VIDEO", "PDF", "OFFICE"

SNIFF = [
    (b"\xff\xd8\xff", "image/jpeg", PHOTO),
    (b"\x89PNG\r\n\x1a\n", "image/png", PHOTO),
    (b"GIF8", "image/gif", PHOTO),
    (b"%PDF-", "application/pdf", PDF),
    (b"PK\x03\x04", "application/zip", OFFICE),  # docx/xlsx/pptx: checked further below
    (b"\xd0\xcf\x11\xe0", "application/msword", OFFICE),
    (b"\x1aE\xdf\xa3", "video/webm", VIDEO),
]
HEIC_BRANDS = {b"ftypheic", b"ftypheix", b"ftypmif1"}
OOXML = "application/vnd.openxmlformats-officedocument"

# The names each type may carry. A name with another known suffix, or one a browser would run, is a disguise; a
# name without a known suffix (scan.bin) keeps the sniffed type.
SUFFIXES = {
    "image/jpeg": {".jpg", ".jpeg", ".jfif", ".jpe"},
    "image/png": {".png"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "image/heic": {".heic", ".heif"},
    "application/pdf": {".pdf"},
    OOXML: {".docx", ".xlsx", ".pptx"},
    "application/msword": {".doc", ".xls", ".ppt"},
    "video/webm": {".webm"},
    "video/mp4": {".mp4", ".m4v", ".mov"},
}
ACTIVE_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".js", ".mjs", ".css", ".swf",
                   ".exe", ".dll", ".com", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs", ".hta", ".sh", ".php",
                   ".jsp", ".asp", ".aspx", ".cgi", ".pl", ".py"}
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp", "image/heic"}


def sniff(head: bytes, name: str) -> tuple[str, str]:
    """The file's real type and kind from its first bytes, never from its name."""
    for magic, content_type, kind in SNIFF:
        if head.startswith(magic):
            if content_type == "application/zip":
                if not name.lower().endswith((".docx", ".xlsx", ".pptx")):
                    break
                content_type = OOXML
            return content_type, kind
    if head[4:12] in HEIC_BRANDS:
        return "image/heic", PHOTO
    if head[4:8] == b"ftyp":
        return "video/mp4", VIDEO
    if head[8:12] == b"WEBP":
        return "image/webp", PHOTO
    raise ApplicationError("不支持的文件类型（仅限照片、视频、PDF 和 Office 文件）",
                           "unsupported file type (photos, video, PDF and Office files only)")


def _name_matches(name: str, content_type: str) -> bool:
    suffix = Path(name).suffix.lower()
    if suffix in SUFFIXES.get(content_type, ()):
        return True
    known = set().union(*SUFFIXES.values())
    return suffix not in known and suffix not in ACTIVE_SUFFIXES


# The stored file's extension, by its sniffed type (for Office files the sniffed family's own suffix).
EXTENSIONS = {
    "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp", "image/heic": ".heic",
    "application/pdf": ".pdf", OOXML: ".docx", "application/msword": ".doc", "video/webm": ".webm",
    "video/mp4": ".mp4",
}
STORED_EXTENSIONS = set(EXTENSIONS.values()) | {".xlsx", ".pptx", ".xls", ".ppt"}


def extension_for(content_type: str, name: str = "") -> str:
    """The extension a file of `content_type` is stored under: never the uploader's, except to tell apart the
    members of one sniffed family (.docx/.xlsx/.pptx, .doc/.xls/.ppt)."""
    suffix = Path(name).suffix.lower()
    if content_type in (OOXML, "application/msword") and suffix in SUFFIXES[content_type]:
        return suffix
    return EXTENSIONS.get(content_type, ".bin")


@deconstructible
class StoredPath:
    """`upload_to` of every FileField: `<prefix>/<year>/<month>/<uuid4 hex><extension>`. Nothing of the
    uploader's name is kept (it goes to a separate field for display); the extension is the one the service set
    from the sniffed type (`stored_file`), and anything else becomes .bin. Names cannot be guessed."""

    def __init__(self, prefix: str):
        self.prefix = prefix.strip("/")

    def __call__(self, instance, filename: str) -> str:
        suffix = Path(filename or "").suffix.lower()
        suffix = suffix if suffix in STORED_EXTENSIONS else ".bin"
        return f"{self.prefix}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, StoredPath) and other.prefix == self.prefix


@dataclass(frozen=True)
class CheckedUpload:
    """What a checked upload is: its real type, kind, size, SHA-256 and the extension it is stored under."""

    content_type: str
    kind: str
    size: int
    sha256: str
    extension: str = ".bin"


def stored_file(upload, checked: CheckedUpload) -> File:
    """The upload to assign to a FileField: named after its sniffed type only (StoredPath adds the uuid)."""
    return File(upload, name=f"upload{checked.extension}")


def upload_check(upload, *, max_bytes: int = MAX_FILE_BYTES, photos_only: bool = False) -> CheckedUpload:
    """The checks every stored file passes: size limit, type sniffed from the content, a name that agrees with it
    (photos_only: JPEG, PNG, WebP or HEIC photos), SHA-256 of the bytes. Refuses with an ApplicationError in
    Chinese and English; leaves the upload rewound."""
    name = upload.name or ""
    if upload.size > max_bytes:
        mb = max_bytes // 1024 // 1024
        if photos_only:
            raise ApplicationError(f"照片“{name}”超过{mb}MB", f"photo {name} is larger than {mb} MB")
        raise ApplicationError(f"文件超过 {mb} MB", "file too large")
    head = upload.read(16)
    upload.seek(0)
    try:
        content_type, kind = sniff(head, name)
    except ApplicationError:
        if photos_only:
            raise ApplicationError(f"“{name}”不是图片文件（仅限 JPEG、PNG、WebP、HEIC 照片）",
                                   f"{name} is not an image (JPEG, PNG, WebP or HEIC photos only)") from None
        raise
    if photos_only and content_type not in PHOTO_TYPES:
        raise ApplicationError(f"“{name}”不是图片文件（仅限 JPEG、PNG、WebP、HEIC 照片）",
                               f"{name} is not an image (JPEG, PNG, WebP or HEIC photos only)")
    if not _name_matches(name, content_type):
        raise ApplicationError(f"文件名“{name}”与文件内容（{content_type}）不符，请按实际类型命名后重新上传",
                               f"the name {name} does not match the file's content ({content_type}): "
                               "rename it after its real type and upload it again")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(content_type=content_type, kind=kind, size=upload.size, sha256=digest.hexdigest(),
                         extension=extension_for(content_type, name))


def run_table_import(form, importer, *, field: str = "file"):
    """`importer(path=..., file_name=...)` on the form's upload; returns its report, or None with the reason
    added to the form's field when the file is refused (nothing imported)."""
    upload = form.cleaned_data[field]
    suffix = Path(upload.name).suffix.lower()
    if upload.size > settings.MAX_IMPORT_FILE_BYTES:
        form.add_error(field, gettext("文件超过 %(mb)s MB") % {"mb": settings.MAX_IMPORT_FILE_BYTES // 1024 // 1024})
        return None
    if suffix not in TABLE_SUFFIXES:
        form.add_error(field, gettext("请上传 CSV 或 XLSX 文件"))
        return None
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        try:
            return importer(path=handle.name, file_name=upload.name)
        except ApplicationError as exc:
            form.add_error(field, message_for_reader(exc))
            return None
