"""Rules for text that people read, shared by every app's models.

Invisible characters in a name or an address are never meant: a right-to-left override
(U+202E) shows a name backwards and hides what it says, a zero-width space makes two equal
names differ in search and in duplicates checks, and control characters break exports and
the terminals that read them. They arrive by copying from PDFs, web pages and chat apps.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Line breaks and tabs are layout, not hidden content.
ALLOWED_CONTROLS = frozenset("\t\n\r")


def invisible_character(value: str) -> str | None:
    """The first control (Cc) or format (Cf: bidirectional, zero-width, BOM) character, or None."""
    for character in value:
        if character in ALLOWED_CONTROLS:
            continue
        if unicodedata.category(character) in ("Cc", "Cf"):
            return character
    return None


@deconstructible
class VisibleTextValidator:
    message = _(
        "The text contains an invisible or direction-changing character (%(code)s). "
        "Type it again instead of copying it from another document."
    )
    code = "invisible_character"

    def __call__(self, value: object) -> None:
        character = invisible_character(str(value))
        if character is not None:
            raise ValidationError(self.message, code=self.code, params={"code": f"U+{ord(character):04X}"})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VisibleTextValidator)


validate_visible_text = VisibleTextValidator()
