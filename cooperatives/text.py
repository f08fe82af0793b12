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
