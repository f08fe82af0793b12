"""Vietnamese alphabetical order, the one rule for every list sorted by name.

Byte order puts "Đồng Tháp" after "Zeta" and "Ánh Dương" after "Cà Mau". Vietnamese order
is a ă â b c d đ e ê … o ô ơ … u ư …, then the tones: none, huyền, hỏi, ngã, sắc, nặng
(a à ả ã á ạ), then case. Lists sort in the database, through a collation called
``vietnamese``:

* on PostgreSQL it is the ICU collation for Vietnamese, created by a migration
  (``cooperatives/migrations/0004_vietnamese_collation.py``); the server needs ICU support,
  as the official images and the Debian/Ubuntu packages have;
* on SQLite (a laptop, the tests) it is :func:`compare`, registered on every new connection.

:func:`sort_key` follows ICU's Vietnamese rules, so both databases give the same order.
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from django.db.models import Expression, F
from django.db.models.functions import Collate

COLLATION = "vietnamese"

# Letters in Vietnamese alphabetical order; f j w z sort where Latin puts them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_PRIMARY = {letter: index for index, letter in enumerate(_ALPHABET)}
# A base letter and a modifying mark that make one letter of the alphabet.
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
# The five tone marks, in dictionary order after the unmarked tone (ngang).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese(field: str | Expression) -> Collate:
    """``field`` compared in Vietnamese alphabetical order, for ``order_by`` and ``Meta.ordering``."""
    return Collate(F(field) if isinstance(field, str) else field, COLLATION)


@functools.lru_cache(maxsize=4096)
def _weights(char: str) -> tuple[str, str, str]:
    """One composed character's letter, tone and case, each encoded as characters that compare
    in the collation's order."""
    decomposed = unicodedata.normalize("NFD", char)
    base, marks = decomposed[0], decomposed[1:]
    lower = base.lower()
    tone = 0
    for mark in marks:
        letter = _LETTER_MARKS.get((lower, mark))
        if letter is not None:
            lower = letter
        else:
            tone = _TONES.get(mark, 6)
    if lower in _PRIMARY:
        group, value = 3, _PRIMARY[lower]
    elif base.isdigit():
        group, value = 2, unicodedata.digit(base, 0)
    elif base.isalpha():
        group, value = 4, ord(lower)
    else:
        group, value = 1, ord(base)  # spaces and punctuation sort before digits and letters
    case = 0 if base == base.lower() else 1
    return chr(group) + chr(min(value + 1, 0x10FFFF)), chr(tone + 1), chr(case + 1)


@functools.lru_cache(maxsize=65536)
def sort_key(value: str) -> str:
    """A key that orders strings as ICU's Vietnamese collation does: letters, then tones, then
    case. Like an ICU sort key it is one string (levels separated by a character lower than any
    weight), so that comparing two keys is a plain string comparison."""
    weights = [_weights(char) for char in unicodedata.normalize("NFC", value) if not unicodedata.combining(char)]
    return "\0".join(("".join(w[0] for w in weights), "".join(w[1] for w in weights), "".join(w[2] for w in weights)))


def compare(left: str, right: str) -> int:
    """The SQLite collation: -1, 0 or 1."""
    left_key, right_key = sort_key(left), sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collation(sender: object, connection: Any, **kwargs: object) -> None:
    """Connected to ``connection_created``: teach each new SQLite connection the collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)
