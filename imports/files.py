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
from typing import Any, cast

from django.conf import settings
from django.utils.translation import gettext as _

MAX_FILE_BYTES = getattr(settings, "IMPORT_MAX_FILE_BYTES", 20 * 1024 * 1024)
MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 100_000)
# A real 100,000-row registry workbook unpacks to about 40 MB; far beyond that is a bomb.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
MAX_COLUMNS = 60
EXCEL_MAX_ROWS = 1_048_576  # no spreadsheet program writes more; a sheet claiming more is forged

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


def read_table(filename: str, content: bytes, sheet_name: str | None = None) -> Sheet:
    """Parse an uploaded file into a header row and data rows, or refuse it."""
    if not content:
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_FILE_BYTES // (1024 * 1024)})
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        sheet = _read_xlsx(content, sheet_name)
    elif extension == "csv":
        sheet = _read_csv(content)
    else:
        raise ImportFileError(_("Only .xlsx (Excel) and .csv files can be imported."))
    if not sheet.headers or not any(sheet.headers):
        raise ImportFileError(_("The file has no header row."))
    if not sheet.rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return sheet


def _read_xlsx(content: bytes, sheet_name: str | None = None) -> Sheet:
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

    try:
        workbook, strings = _open_workbook(content)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types on broken input
        raise ImportFileError(_("The workbook is damaged and cannot be opened.")) from error
    try:
        return _read_rows(workbook, strings, sheet_name)
    except ImportFileError:
        raise
    except Exception as error:  # noqa: BLE001 - XML errors, entity attacks (defusedxml), broken cells
        raise ImportFileError(_("The workbook is damaged and cannot be opened.")) from error
    finally:
        workbook.close()


class _SharedString(int):
    """A cell's index into the workbook's shared-string table, until the rows are read."""


class _DeferredStrings:
    """Stands in for the shared-string table while the sheet is read: a cell gets its index.

    openpyxl loads the whole table before the first row, whatever its size: a 2 MB workbook
    whose table holds ten million entries no cell uses grows a worker by a gigabyte. The texts
    are looked up afterwards, for the rows kept only (:func:`_shared_strings`)."""

    def __getitem__(self, index: int) -> _SharedString:
        return _SharedString(index)


@dataclass
class _StringTable:
    """Where the shared-string table lies: the workbook's own archive (open while the workbook
    is), and the table's part in it (None when the workbook has none)."""

    archive: zipfile.ZipFile
    path: str | None


def _open_workbook(content: bytes) -> tuple[Any, _StringTable]:
    # openpyxl uses defusedxml when installed: entity attacks are refused.
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    class Reader(ExcelReader):
        strings_path: str | None = None

        def read_strings(self) -> None:
            found = self.package.find(SHARED_STRINGS)
            self.strings_path = found.PartName[1:] if found is not None else None
            # Looked up by index only (openpyxl's sheet parser), which _DeferredStrings answers.
            self.shared_strings = cast("list[str]", _DeferredStrings())

    reader = Reader(io.BytesIO(content), read_only=True, data_only=False)
    reader.read()
    return reader.wb, _StringTable(reader.archive, reader.strings_path)


def _shared_strings(table: _StringTable, needed: set[int]) -> dict[int, str]:
    """The texts at ``needed`` positions of the table, read as a stream: one entry in memory at
    a time besides those kept."""
    from openpyxl.cell.text import Text
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    found: dict[int, str] = {}
    if not needed:
        return found
    if table.path is None:
        raise ImportFileError(_("The workbook is damaged and cannot be opened."))
    entry, last, position, root = f"{{{SHEET_MAIN_NS}}}si", max(needed), 0, None
    with table.archive.open(table.path) as source:
        for event, node in iterparse(source, events=("start", "end")):
            if root is None:
                root = node
            if event != "end" or node.tag != entry:
                continue
            if position in needed:
                text = Text.from_tree(node)
                found[position] = (text.content if text is not None else "").replace("x005F_", "")
            position += 1
            root.clear()  # drop the entries read so far
            if position > last:
                break
    if len(found) != len(needed):
        raise ImportFileError(_("The workbook is damaged and cannot be opened."))
    return found


def _read_rows(workbook: Any, strings: _StringTable, sheet_name: str | None = None) -> Sheet:
    from openpyxl.utils import get_column_letter

    # The sheet the kind's template names (after an instructions sheet), else the first one.
    worksheet = workbook[sheet_name] if sheet_name in workbook.sheetnames else workbook.worksheets[0]
    # A workbook's declared size (<dimension>) is what the program that wrote it believed; some
    # exporters write a stale one. Read what the sheet holds, never what it declares.
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None:
        raise ImportFileError(_("The file is empty."))
    header_cells: list[Any] = list(header_row[:MAX_COLUMNS])
    # At least the width of the headers (an empty shared text still counts here); cut to it below.
    width = len(_trim_headers([_text(value) for value in header_cells]))
    kept: list[tuple[int, list[Any]]] = []
    # Read-only mode yields every row in order (gaps filled), so numbering is positional.
    for row_number, row in enumerate(rows, start=2):
        if row_number > EXCEL_MAX_ROWS:
            raise ImportFileError(_("The sheet has more rows than Excel allows."))
        values = list(row[:width])
        if not any(value is not None and value != "" for value in values):
            continue
        kept.append((row_number, values + [None] * (width - len(values))))
        if len(kept) > MAX_ROWS:
            raise ImportFileError(_("The file has more than %(limit)s rows.") % {"limit": f"{MAX_ROWS:,}"})
    needed: set[int] = {
        value for _, values in [(1, header_cells), *kept] for value in values if isinstance(value, _SharedString)
    }
    texts = _shared_strings(strings, needed)

    def resolved(values: list[Any]) -> list[Cell]:
        return [texts[value] if isinstance(value, _SharedString) else value for value in values]

    sheet = Sheet(headers=_trim_headers([_text(value) for value in resolved(header_cells)]))
    for row_number, values in kept:
        cells = resolved(values)[: len(sheet.headers)]
        for index, value in enumerate(cells):
            # With data_only=False a formula cell reads as its "=..." source text.
            if isinstance(value, str) and is_formula(value):
                raise ImportFileError(
                    _("Cell %(cell)s contains a formula. Paste values only (no formulas) and try again.")
                    % {"cell": f"{get_column_letter(index + 1)}{row_number}"}
                )
        sheet.rows.append((row_number, cells))
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
