"""Reading spreadsheet cells: text, codes, whole numbers and dates, as every importer reads them.

A cell is what :mod:`imports.files` gives (text, a number, a date, or None). Each parser
returns the value or raises ``ValueError``; the importer turns that into a row error naming
the row and column.
"""

from __future__ import annotations

import datetime
import re
import time
import unicodedata

from coopdx.exports import FORMULA_STARTS

from .files import Cell


def cell_text(value: Cell) -> str:
    """A cell as trimmed, composed text. The apostrophe that our exports put before a value a
    spreadsheet would run as a formula ("'+84 …") is taken off again, so exports re-import as is."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = unicodedata.normalize("NFC", str(value)).strip()
    if result.startswith("'") and result[1:2] and result[1] in FORMULA_STARTS:
        result = result[1:]
    return result


def parse_code(value: Cell) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Excel drops the leading zero of codes such as 0101234567 (Hà Nội).
        return str(int(value)).zfill(10)
    return cell_text(value).replace(" ", "")


def parse_int(value: Cell) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and value >= 0:
            return int(value)
        raise ValueError
    text = cell_text(value)
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
        text = re.sub(r"[.,]", "", text)
    if not text.isdigit():
        raise ValueError
    return int(text)


EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value: Cell) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value <= 80_000:  # an Excel serial day number
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        raise ValueError
    text = cell_text(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return _calendar_date(text, pattern)
        except ValueError:
            continue
    raise ValueError


def _calendar_date(text: str, pattern: str) -> datetime.date:
    """``text`` read with ``pattern`` as the calendar date it names: no datetime, so no time zone,
    is made up. A time of day in it is refused as a datetime would refuse it (a 60th second), then
    dropped."""
    parsed = time.strptime(text, pattern)
    datetime.time(parsed.tm_hour, parsed.tm_min, parsed.tm_sec)
    return datetime.date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
