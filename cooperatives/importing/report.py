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

from ..models import ImportJob, ImportKind
from ..resources import ERRORS_HEADER, IMPORT_COLUMNS, header_key
from .files import Sheet, read_table
from .jobs import _read

BAD_FILL = "FFFFC7CE"  # Excel's own "bad" fill (light red), recognisable to every user
BAD_FONT = "FF9C0006"
COMMENT_AUTHOR = "CoopDX"


def _positions(job: ImportJob, sheet: Sheet) -> dict[str, int]:
    """Folded column label → position in the file, for the labels errors are given under."""
    positions = {header_key(header): index for index, header in enumerate(sheet.headers) if header}
    if job.kind == ImportKind.REGISTRY:
        from .registry import map_headers

        keys, _unknown, _missing = map_headers(sheet.headers)
        for column in IMPORT_COLUMNS:
            if column.key in keys:
                positions[header_key(column.header)] = keys[column.key]
    return positions


def error_workbook(*, job: ImportJob) -> tempfile.SpooledTemporaryFile:
    """The job's file with its stored errors marked. Raises ImportFileError if it cannot be read."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    sheet = read_table(job.original_name, _read(job))
    positions = _positions(job, sheet)
    by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for error in job.errors:
        by_row[error["row"]].append(error)

    fill = PatternFill(fill_type="solid", fgColor=BAD_FILL, bgColor=BAD_FILL)
    bold = Font(bold=True)
    workbook = openpyxl.Workbook(write_only=True)
    output = workbook.create_sheet(sheet_name_for(job))
    width = len(sheet.headers)

    def written(row_number: int, values: list[Any], header: bool = False) -> list[Any]:
        errors = by_row.get(row_number, [])
        marked: dict[int, list[str]] = defaultdict(list)
        for error in errors:
            for label in str(error["column"]).split(", "):
                index = positions.get(header_key(label))
                if index is not None:
                    marked[index].append(error["message"])
        cells = []
        for index, value in enumerate(values + [None] * (width - len(values))):
            cell = WriteOnlyCell(output, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a value, never a formula
            elif hasattr(value, "isoformat"):
                cell.number_format = "DD/MM/YYYY"
            if header:
                cell.font = bold
            if index in marked:
                cell.fill = fill
                cell.font = Font(bold=header, color=BAD_FONT)
                cell.comment = Comment("\n".join(marked[index]), COMMENT_AUTHOR, width=320, height=110)
            cells.append(cell)
        summary = "\n".join(f"{error['column']}: {error['message']}" for error in errors)
        if header:
            note = ERRORS_HEADER
            if job.summary.get("errors_total", 0) > len(job.errors):
                note += " — " + _("only the first %(count)s errors are marked") % {"count": len(job.errors)}
            summary = note + ("\n" + summary if summary else "")
        error_cell = WriteOnlyCell(output, value=summary or None)
        if summary:
            error_cell.data_type = "s"
            error_cell.font = bold if header else Font(color=BAD_FONT)
        cells.append(error_cell)
        return cells

    with translation.override(job.language):
        output.append(written(1, list(sheet.headers), header=True))
        expected = 2
        for row_number, values in sheet.rows:
            # Blank rows were skipped when reading: keep the numbering the messages use.
            for _blank in range(expected, row_number):
                output.append([])
            output.append(written(row_number, list(values)))
            expected = row_number + 1
    handle = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def sheet_name_for(job: ImportJob) -> str:
    return "HTX" if job.kind == ImportKind.REGISTRY else "Phiếu"


def error_workbook_name(job: ImportJob) -> str:
    stem = job.original_name.rsplit(".", 1)[0] or "import"
    return f"{stem}-loi.xlsx"
