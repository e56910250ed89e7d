"""Masking of personal data for roles that do not need it."""
import re


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "****"


def mask_name(value: str | None) -> str:
    if not value:
        return ""
    return value[0] + "*" * max(1, len(value) - 1)


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    return value[:3] + "*" * max(1, len(value) - 7) + value[-4:] if len(value) > 7 else "****"


class Masker:
    """Personal data as one reader sees it: in full (`full=True`) or masked. Pages, API and exports all take
    theirs from `accounts.scope.personal_view(user, kind)`, so an export never shows more than the page."""

    def __init__(self, full: bool):
        self.full = full

    def name(self, value: str | None) -> str:
        return (value or "") if self.full else mask_name(value)

    def phone(self, value: str | None) -> str:
        return (value or "") if self.full else mask_phone(value)

    def id_number(self, value: str | None) -> str:
        return (value or "") if self.full else mask_id_number(value)
