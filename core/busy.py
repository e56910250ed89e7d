"""A busy database, in one place: writes retry, and what still fails is answered 503 with the user's input kept.

- `retry_when_busy`: a write (a service) tried again, each attempt in its own transaction (a savepoint inside
  an outer one, so a failed attempt leaves nothing half-written), when the database answers "database is locked"
  (SQLite) or a deadlock / serialization failure (PostgreSQL). After the last attempt it raises `Busy`.
- `Busy`: the write given up, with the bilingual message BUSY. Not an ApplicationError (not a refusal of the
  input): a page that keeps what was typed catches it (intake's channel forms keep the photos too, core.drafts);
  anywhere else it reaches BusyMiddleware.
- `BusyMiddleware`: any busy error no view caught is a 503 with the same message, never a debug page or a 500.
"""
import functools
import logging
import time

from django.db import OperationalError, transaction
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)

BUSY = ("系统繁忙，您填写的内容已保留，请稍后再次提交",
        "The system is busy; your entries are kept, please submit again")
ATTEMPTS = 3
PAUSE = 0.2  # seconds before the 2nd attempt, doubled before each next one
_MARKS = ("database is locked", "database table is locked", "deadlock detected", "could not serialize access",
          "lock timeout", "could not obtain lock")


class Busy(Exception):
    status = 503

    def __init__(self):
        self.message, self.message_en = BUSY
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message} / {self.message_en}"


def is_busy(exc: BaseException) -> bool:
    """Whether `exc` is the database being busy (worth another try), not a fault of the request."""
    if isinstance(exc, Busy):
        return True
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return any(mark in text for mark in _MARKS)


def retry_when_busy(func=None, *, attempts: int | None = None, pause: float | None = None):
    """Decorator: `func` again (at most `attempts` times in all, default ATTEMPTS) while the database is busy,
    pausing `pause` seconds (default PAUSE) then twice as long each time; then `Busy`."""
    if func is None:
        return functools.partial(retry_when_busy, attempts=attempts, pause=pause)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        tries = attempts or ATTEMPTS
        for attempt in range(1, tries + 1):
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except OperationalError as exc:
                if not is_busy(exc):
                    raise
                log.warning("database busy in %s (attempt %s of %s): %s", func.__qualname__, attempt, tries, exc)
                if attempt == tries:
                    raise Busy() from exc
                time.sleep((PAUSE if pause is None else pause) * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    return wrapper


class BusyMiddleware:
    """A busy database that reached no view's own handling: 503 with the bilingual message (JSON for the API)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_busy(exception):
            return None
        message = str(Busy())
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message, "code": "busy"}, status=503)
        else:
            try:
                page = render_to_string("503.html", {"message": message}, request=request)
            except Exception:  # the page's own reads failed too: the message alone
                page = message
            response = HttpResponse(page, status=503)
        response["Retry-After"] = "5"
        return response
