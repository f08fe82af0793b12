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


@functools.lru_cache(maxsize=65536)
def sort_key(value: str) -> tuple[tuple[Any, ...], tuple[int, ...], tuple[int, ...]]:
    """A key that orders strings as ICU's Vietnamese collation does: letters, then tones, then case."""
    primary: list[tuple[int, Any]] = []
    tones: list[int] = []
    cases: list[int] = []
    for char in unicodedata.normalize("NFD", value):
        if unicodedata.combining(char):
            if primary and primary[-1][0] == 3:
                letter = _LETTER_MARKS.get((_ALPHABET[primary[-1][1]], char))
                if letter is not None:
                    primary[-1] = (3, _PRIMARY[letter])
                    continue
            if tones:
                tones[-1] = _TONES.get(char, 6)
            continue
        lower = char.lower()
        if lower in _PRIMARY:
            primary.append((3, _PRIMARY[lower]))
        elif char.isdigit():
            primary.append((2, unicodedata.digit(char, 0)))
        elif char.isalpha():
            primary.append((4, ord(lower)))
        else:
            primary.append((1, ord(char)))  # spaces and punctuation sort before digits and letters
        tones.append(0)
        cases.append(0 if char == lower else 1)
    return tuple(primary), tuple(tones), tuple(cases)


def compare(left: str, right: str) -> int:
    """The SQLite collation: -1, 0 or 1."""
    left_key, right_key = sort_key(left), sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collation(sender: object, connection: Any, **kwargs: object) -> None:
    """Connected to ``connection_created``: teach each new SQLite connection the collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, compare)
