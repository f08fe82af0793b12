"""Reading an uploaded registry file safely: XLSX or CSV, nothing else.

Everything a hostile or broken file can do ends here in an :class:`ImportFileError` with a
message for the user, before any row is looked at: wrong type, content not matching the
extension, encrypted or corrupt workbooks, zip bombs, formulas, empty files, too many rows.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

MAX_FILE_BYTES = getattr(settings, "IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024)
MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 100_000)
# A real 100,000-row registry workbook unpacks to about 40 MB; far beyond that is a bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
MAX_COLUMNS = 60

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and every encrypted .xlsx

Cell = str | int | float | datetime.date | datetime.datetime | None


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message is shown to the user."""


@dataclass
class Sheet:
    headers: list[str]
    # (row number as the user sees it in the spreadsheet, cells)
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)


def read_table(filename: str, content: bytes) -> Sheet:
    """Parse an uploaded file into a header row and data rows, or refuse it."""
    if not content:
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)})
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        sheet = _read_xlsx(content)
    elif extension == "csv":
        sheet = _read_csv(content)
    else:
        raise ImportFileError(_("Only .xlsx (Excel) and .csv files can be imported."))
    if not sheet.headers or not any(sheet.headers):
        raise ImportFileError(_("The file has no header row."))
    if not sheet.rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return sheet


def _read_xlsx(content: bytes) -> Sheet:
    if content.startswith(OLE2_MAGIC):
        raise ImportFileError(
            _("This workbook is password-protected or in the old .xls format. Save it as an unprotected .xlsx file.")
        )
    if not content.startswith(ZIP_MAGIC):
        raise ImportFileError(_("The file is named .xlsx but its content is not an Excel workbook."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportFileError(_("The workbook is damaged and cannot be opened.")) from error
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO:
        raise ImportFileError(_("The workbook expands to an abnormal size and was refused."))
    if "xl/workbook.xml" not in archive.namelist():
        raise ImportFileError(_("The file is named .xlsx but its content is not an Excel workbook."))

    import openpyxl  # openpyxl uses defusedxml when installed: entity attacks are refused.

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types on broken input
        raise ImportFileError(_("The workbook is damaged and cannot be opened.")) from error
    try:
        return _read_rows(workbook)
    except ImportFileError:
        raise
    except Exception as error:  # noqa: BLE001 - XML errors, entity attacks (defusedxml), broken cells
        raise ImportFileError(_("The workbook is damaged and cannot be opened.")) from error
    finally:
        workbook.close()


def _read_rows(workbook: Any) -> Sheet:
    from openpyxl.utils import get_column_letter

    worksheet = workbook.worksheets[0]
    # A workbook's declared size (<dimension>) is what the program that wrote it believed; some
    # exporters write a stale one. Read what the sheet holds, never what it declares.
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None:
        raise ImportFileError(_("The file is empty."))
    sheet = Sheet(headers=_trim_headers([_text(value) for value in header_row][:MAX_COLUMNS]))
    width = len(sheet.headers)
    # Read-only mode yields every row in order (gaps filled), so numbering is positional.
    for row_number, row in enumerate(rows, start=2):
        values: list[Cell] = list(row[:width])
        if not any(value is not None and value != "" for value in values):
            continue
        for index, value in enumerate(values):
            # With data_only=False a formula cell reads as its "=..." source text.
            if isinstance(value, str) and is_formula(value):
                raise ImportFileError(
                    _("Cell %(cell)s contains a formula. Paste values only (no formulas) and try again.")
                    % {"cell": f"{get_column_letter(index + 1)}{row_number}"}
                )
        sheet.rows.append((row_number, values + [None] * (width - len(values))))
        if len(sheet.rows) > MAX_ROWS:
            raise ImportFileError(_("The file has more than %(limit)s rows.") % {"limit": f"{MAX_ROWS:,}"})
    return sheet


def _read_csv(content: bytes) -> Sheet:
    if content.startswith(ZIP_MAGIC) or content.startswith(OLE2_MAGIC):
        raise ImportFileError(_("The file is named .csv but its content is an Excel workbook. Name it .xlsx."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _('The CSV file is not in UTF-8. In Excel choose "CSV UTF-8 (Comma delimited)" when saving.')
        ) from error
    if "\x00" in text:
        raise ImportFileError(_("The file is named .csv but its content is not text."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        headers = next(reader, [])
        sheet = Sheet(headers=_trim_headers([_text(h) for h in headers][:MAX_COLUMNS]))
        width = len(sheet.headers)
        for line_number, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            for value in values:
                if is_formula(value):
                    raise ImportFileError(
                        _("Row %(row)s contains a formula. Paste values only (no formulas) and try again.")
                        % {"row": line_number}
                    )
            cells: list[Cell] = list(values[:width]) + [None] * (width - len(values))
            sheet.rows.append((line_number, cells))
            if len(sheet.rows) > MAX_ROWS:
                raise ImportFileError(_("The file has more than %(limit)s rows.") % {"limit": f"{MAX_ROWS:,}"})
    except csv.Error as error:
        raise ImportFileError(_("The CSV file is malformed: %(error)s") % {"error": error}) from error
    return sheet


def is_formula(text: str) -> bool:
    """Text a spreadsheet would run: "=" first, after any blanks (cells are trimmed before they
    are stored, so " =HYPERLINK(...)" would be stored as a formula)."""
    return text.lstrip().startswith("=")


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _trim_headers(headers: list[str]) -> list[str]:
    while headers and not headers[-1]:
        headers.pop()
    return headers
