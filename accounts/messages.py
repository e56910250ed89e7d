"""Texts the platform writes into the database and shows later, in the reader's language.

A stored text is a list of parts: a translatable template (marked with gettext_noop where it is written)
with its values, or words a person typed, kept as typed. The Chinese rendering is stored beside it for the
admin, searches and exports; pages render the parts again with gettext, so an English reader reads English
wherever the words are the platform's own. Values are names, numbers and ISO dates: the same in any language.
"""
from datetime import date

from django.utils.translation import gettext


def text(template: str, **values) -> list[dict]:
    """One translatable part. Mark the template with gettext_noop so that makemessages finds it."""
    return [{"t": template, "v": {key: plain(value) for key, value in values.items()}}]


def typed(words: str) -> list[dict]:
    """Words a person wrote (a statement, a reason): never translated."""
    return [{"raw": str(words)}] if words else []


def render(parts: list[dict], *, translate: bool = True) -> str:
    out = []
    for part in parts or []:
        if "raw" in part:
            out.append(part["raw"])
            continue
        template = gettext(part["t"]) if translate else part["t"]
        try:
            out.append(template.format(**part["v"]))
        except (KeyError, IndexError, ValueError):  # a translation that lost a placeholder: fall back to Chinese
            out.append(part["t"].format(**part["v"]))
    return "".join(out)


def stored(value) -> tuple[str, list[dict]]:
    """What a service was given — parts, or plain text — as the Chinese text to store and the parts."""
    if isinstance(value, list):
        return render(value, translate=False), value
    return value or "", []


def shown(parts: list[dict], stored_text: str) -> str:
    """What a page shows: the parts in the reader's language, or the stored text when there are none."""
    return render(parts) if parts else stored_text


def plain(value):
    """A value as stored in a part: JSON, the same in every language."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float, str)) or value is None:
        return value
    return str(value)
