"""One error type for business rules, shown to the user in Chinese and English."""


class ApplicationError(Exception):
    def __init__(self, message: str, message_en: str = "", *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.message_en = message_en
        self.extra = extra or {}

    def __str__(self) -> str:
        return f"{self.message} / {self.message_en}" if self.message_en else self.message
