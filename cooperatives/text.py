"""Text folding for Vietnamese: the one place that decides when two spellings match.

Officers type "hop tac xa" for "Hợp tác xã", spreadsheets carry decomposed diacritics
(NFD) from macOS, stray spaces and mixed case. Everything that compares names (search,
header matching, province look-up) folds both sides with :func:`fold`.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(value: str) -> str:
    """Compose diacritics, so that NFD and NFC spellings of a name are stored alike."""
    return unicodedata.normalize("NFC", value)


def fold(value: object) -> str:
    """Lower-case, strip diacritics (đ → d) and collapse white space."""
    text = unicodedata.normalize("NFD", str(value or ""))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").lower()
    return _SPACES.sub(" ", text).strip()


# How officers shorten the words of cooperative names and places. Both what is stored and
# what is typed are rewritten to the long form, so "HTX DV NN" and "Hợp tác xã Dịch vụ Nông
# nghiệp" are the same words to search. Only forms that mean one thing in a cooperative's
# name are listed (no single letters: "P." is a ward in an address but a person's initial).
ABBREVIATIONS = {
    "htx": "hop tac xa",
    "tp": "thanh pho",
    "tx": "thi xa",
    "dv": "dich vu",
    "sx": "san xuat",
    "nn": "nong nghiep",
    "tm": "thuong mai",
    "kd": "kinh doanh",
    "sxkd": "san xuat kinh doanh",
    "dvnn": "dich vu nong nghiep",
    "tmdv": "thuong mai dich vu",
    "hcm": "ho chi minh",
}
_WORD = re.compile(r"[a-z0-9]+")
MAX_SEARCH_TERMS = 10


def _words(value: object) -> list[str]:
    return [ABBREVIATIONS.get(word, word) for word in _WORD.findall(fold(value))]


def search_terms(value: object) -> list[str]:
    """What a query must match: its folded words, abbreviations written out (one term each)."""
    return _words(value)[:MAX_SEARCH_TERMS]


def search_words(value: object) -> str:
    """A text as stored for search: folded words, abbreviations written out, single spaces."""
    return " ".join(_words(value))


# Separates the name from the other searchable fields in the stored search text, so that a
# query can rank matches in the name first; never produced by :func:`search_words`.
NAME_END = " |"


def search_document(*, name: str, code: str, representative: str = "", ward: str = "") -> str:
    """The stored search text: `` <name words> | <code> <representative> <ward>``.

    Each word is preceded by a space, so that a term matches the start of a word
    (``contains " term"``) on SQLite and PostgreSQL alike.
    """
    others = " ".join(part for part in (search_words(code), search_words(representative), search_words(ward)) if part)
    return f" {search_words(name)[:400]}{NAME_END} {others}"
