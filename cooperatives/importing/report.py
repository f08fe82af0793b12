"""The workbook of errors: the user's own file back, each bad cell filled and commented, and a
last column with every problem of the row, to correct and upload again.

Rows keep their numbers (so "row 27" on the page is row 27 in the workbook), values are
written as read, and the extra column is ignored by a re-import (``resources.ERRORS_HEADER``).
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from imports.files import Sheet, read_table
from imports.jobs import job_file_content
from imports.models import ImportJob

from ..resources import ERRORS_HEADER, IMPORT_COLUMNS, header_key
from .registry import REGISTRY
from .rows import map_headers

BAD_FILL = "FFFFC7CE"  # Excel's own "bad" fill (light red), recognisable to every user
BAD_FONT = "FF9C0006"
COMMENT_AUTHOR = "CoopDX"


def _positions(job: ImportJob, sheet: Sheet) -> dict[str, int]:
    """Folded column label → position in the file, for the labels errors are given under."""
    positions = {header_key(header): index for index, header in enumerate(sheet.headers) if header}
    if job.kind == REGISTRY:
        keys, _unknown, _missing = map_headers(sheet.headers)
        for column in IMPORT_COLUMNS:
            if column.key in keys:
                positions[header_key(column.header)] = keys[column.key]
    return positions


def error_workbook(*, job: ImportJob) -> tempfile.SpooledTemporaryFile:
    """The job's file with its stored errors marked. Raises ImportFileError if it cannot be read."""
    import openpyxl

    sheet = read_table(job.original_name, job_file_content(job))
    workbook = openpyxl.Workbook(write_only=True)
    output = workbook.create_sheet(sheet_name_for(job))
    marker = _ErrorMarker(job=job, output=output, sheet=sheet)
    with translation.override(job.language):
        output.append(marker.row(1, list(sheet.headers), header=True))
        expected = 2
        for row_number, values in sheet.rows:
            # Blank rows were skipped when reading: keep the numbering the messages use.
            for _blank in range(expected, row_number):
                output.append([])
            output.append(marker.row(row_number, list(values)))
            expected = row_number + 1
    handle = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


class _ErrorMarker:
    """Writes the rows of one file back, each as cells of ``output``: the cells an error is given
    under are filled and carry its message as a comment, and a last cell lists the row's errors."""

    def __init__(self, *, job: ImportJob, output: Any, sheet: Sheet) -> None:
        from openpyxl.styles import Font, PatternFill

        self.job = job
        self.output = output
        self.positions = _positions(job, sheet)
        self.width = len(sheet.headers)
        self.by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for error in job.errors:
            self.by_row[error["row"]].append(error)
        self.fill = PatternFill(fill_type="solid", fgColor=BAD_FILL, bgColor=BAD_FILL)
        self.bold = Font(bold=True)

    def row(self, row_number: int, values: list[Any], header: bool = False) -> list[Any]:
        """The row's cells, padded to the header's width, then the cell listing its errors."""
        from openpyxl.cell import WriteOnlyCell

        errors = self.by_row.get(row_number, [])
        marked = self._messages_by_position(errors)
        cells = []
        for index, value in enumerate(values + [None] * (self.width - len(values))):
            cell = WriteOnlyCell(self.output, value=value)
            self._style(cell, header=header, messages=marked.get(index))
            cells.append(cell)
        cells.append(self._errors_cell(errors, header=header))
        return cells

    def _messages_by_position(self, errors: list[dict[str, Any]]) -> dict[int, list[str]]:
        """Position → messages; an error given under several columns ("A, B") marks each of them."""
        marked: dict[int, list[str]] = defaultdict(list)
        for error in errors:
            for label in str(error["column"]).split(", "):
                index = self.positions.get(header_key(label))
                if index is not None:
                    marked[index].append(error["message"])
        return marked

    def _style(self, cell: Any, *, header: bool, messages: list[str] | None) -> None:
        """A value stays a value, a date reads dd/mm/yyyy; a marked cell is filled and commented."""
        if isinstance(cell.value, str):
            cell.data_type = "s"  # a value, never a formula
        elif hasattr(cell.value, "isoformat"):
            cell.number_format = "DD/MM/YYYY"
        if header:
            cell.font = self.bold
        if messages:
            from openpyxl.comments import Comment
            from openpyxl.styles import Font

            cell.fill = self.fill
            cell.font = Font(bold=header, color=BAD_FONT)
            cell.comment = Comment("\n".join(messages), COMMENT_AUTHOR, width=320, height=110)

    def _errors_cell(self, errors: list[dict[str, Any]], *, header: bool) -> Any:
        """The last column: each error of the row; on the header, the column's name (and whether
        only the first stored errors are marked)."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        summary = "\n".join(f"{error['column']}: {error['message']}" for error in errors)
        if header:
            summary = self._header_note() + ("\n" + summary if summary else "")
        cell = WriteOnlyCell(self.output, value=summary or None)
        if summary:
            cell.data_type = "s"
            cell.font = self.bold if header else Font(color=BAD_FONT)
        return cell

    def _header_note(self) -> str:
        note = ERRORS_HEADER
        if self.job.summary.get("errors_total", 0) > len(self.job.errors):
            note += " — " + _("only the first %(count)s errors are marked") % {"count": len(self.job.errors)}
        return note


def sheet_name_for(job: ImportJob) -> str:
    return "HTX" if job.kind == REGISTRY else "Phiếu"


def error_workbook_name(job: ImportJob) -> str:
    stem = job.original_name.rsplit(".", 1)[0] or "import"
    return f"{stem}-loi.xlsx"
