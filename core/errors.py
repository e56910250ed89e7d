"""One error type for business rules, shown to the user in Chinese and English."""


class ApplicationError(Exception):
    def __init__(self, message: str, message_en: str = "", *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.message_en = message_en
        self.extra = extra or {}

    def __str__(self) -> str:
        return f"{self.message} / {self.message_en}" if self.message_en else self.message


def message_for_reader(exc: Exception) -> str:
    """A refusal in the reader's language: ApplicationError carries Chinese and English; a model
    ValidationError its messages."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    if isinstance(exc, ApplicationError) or hasattr(exc, "message_en"):  # also core.busy.Busy
        english = (translation.get_language() or "").startswith("en")
        return str(exc.message_en if english and exc.message_en else exc.message)
    return str(exc)
