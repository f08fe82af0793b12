"""Vietnamese phone numbers in the international form Zalo reads (84xxxxxxxxx)."""

from __future__ import annotations

import re


def zalo_phone(phone: str) -> str | None:
    """``0912 345 678``, ``+84 912345678`` or ``84912345678`` → ``84912345678``; None when the
    text is not a Vietnamese mobile or landline number (9 or 10 digits after the 0)."""
    digits = re.sub(r"[\s.\-()]", "", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    if not digits.isdigit():
        return None
    if digits.startswith("84"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return None
    if not 9 <= len(national) <= 10 or national.startswith("0"):
        return None
    return "84" + national
