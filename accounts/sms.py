"""SMS delivery of inbox items (短信提醒): off unless settings.SMS_BACKEND names a backend.

A government SMS gateway (政务短信平台) is connected by writing a subclass of SmsBackend whose `send` calls it and
naming its dotted path in SMS_BACKEND (environment variable ANJU_SMS_BACKEND). ConsoleBackend writes the message to
the log, for development. Every attempt is logged in accounts.SmsMessage by accounts.inbox, whatever its outcome.
"""
import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The gateway refused or could not be reached; the message says why (kept in the log)."""


class SmsBackend:
    """An SMS channel. `send` delivers one text to one mobile number, returns nothing when the gateway accepted
    it and raises SmsError (or any exception) when not. It is called after the transaction that made the item
    commits, one message at a time."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleBackend(SmsBackend):
    """Development: the message goes to the log instead of a phone."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", phone, text)


def backend() -> SmsBackend | None:
    """The configured backend, or None when SMS is off (the default)."""
    path = getattr(settings, "SMS_BACKEND", None)
    if not path:
        return None
    return import_string(path)()


def backend_name(sms: SmsBackend) -> str:
    return f"{type(sms).__module__}.{type(sms).__qualname__}"[:120]
