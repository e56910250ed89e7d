"""Stored files reach the browser only through scoped download views (never from MEDIA_URL), all answering
through `file_response`: the stored type (sniffed at upload), `nosniff`, a sandboxing CSP, private caching, and
Content-Disposition attachment, or inline for photos a browser shows as images."""
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from core.errors import ApplicationError
from core.uploads import sniff

INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


def _harden(response, content_type: str, filename: str, inline: bool):
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def file_response(field, *, filename: str, content_type: str = "", inline: bool = False) -> FileResponse:
    """The file of a FileField after the caller checked the user's scope. Without a recorded type the file's
    first bytes tell it; an unknown type goes out as application/octet-stream, always as an attachment."""
    try:
        handle = field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    if not content_type:
        head = handle.read(16)
        handle.seek(0)
        try:
            content_type, _kind = sniff(head, filename)
        except ApplicationError:
            content_type = "application/octet-stream"
    inline = inline and content_type in INLINE_TYPES
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    return _harden(response, content_type, filename, inline)


def bytes_response(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """Bytes already read and checked (a document against its SHA-256), always as an attachment."""
    return _harden(HttpResponse(data), content_type, filename, inline=False)
