"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, S, V, Z); the last
is a check character over the first 17 with weights 3^i mod 31.
"""
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_VALUE = {c: i for i, c in enumerate(ALPHABET)}


def normalize(code: str) -> str:
    return (code or "").strip().upper().replace(" ", "")


def check_character(first17: str) -> str:
    total = sum(_VALUE[c] * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem_parts(code: str) -> tuple[str, str] | None:
    """Why a code is invalid, as (Chinese, English), or None when it is valid."""
    code = normalize(code)
    if len(code) != 18:
        return (f"统一社会信用代码应为18位，实为{len(code)}位",
                f"credit code must have 18 characters, has {len(code)}")
    bad = [c for c in code if c not in _VALUE]
    if bad:
        return (f"统一社会信用代码含非法字符“{''.join(bad)}”", f"credit code has invalid characters '{''.join(bad)}'")
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位错误", "credit code check character is wrong"
    return None


def problem(code: str) -> str | None:
    """Why a code is invalid (Chinese / English), or None when it is valid."""
    parts = problem_parts(code)
    return " / ".join(parts) if parts else None


def is_valid(code: str) -> bool:
    return problem(code) is None


def validate(code: str) -> None:
    """The model field's validator: the reason in the reader's language (admin and forms)."""
    from django.core.exceptions import ValidationError
    from django.utils import translation

    parts = problem_parts(code)
    if parts:
        english = (translation.get_language() or "").startswith("en")
        raise ValidationError(parts[1] if english else parts[0], code="credit_code")
