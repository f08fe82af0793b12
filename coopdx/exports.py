"""The writers of every export (CSV and XLSX): registry, task board, dashboard tables, API bulk
CSV, import error workbooks; formula injection neutralised.

``csv_stream`` and ``xlsx_file`` write each value the same way:

* a date-time is in Viet Nam time (``TIME_ZONE``, Asia/Ho_Chi_Minh), whatever zone it was read
  in, and says so: CSV as ISO 8601 with its offset (``2026-04-01T21:33:05+07:00``); XLSX as a real
  date-time cell in local time (Excel has no zones) displayed ``01/04/2026 21:33:05 (UTC+07:00)``;
* a whole number is an integer (``50``, never ``50.0``), whether it came as a ``Decimal`` from
  an aggregate or a float from rounding; other numbers keep their decimals;
* a date is a date (XLSX: ``DD/MM/YYYY``; CSV: as the caller formatted it, ISO otherwise).
"""

from __future__ import annotations

import csv
import datetime
import re
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_value(value: object) -> object:
    """A value as every export writes it: Viet Nam time, whole numbers as integers."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: object) -> object:
    value = export_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return value


def csv_stream(rows: Iterator[list[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM, so that Excel opens UTF-8 Vietnamese correctly
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def _utc_offset(value: datetime.datetime) -> str:
    offset = value.strftime("%z")  # "+0700"
    return f"UTC{offset[:3]}:{offset[3:]}"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(rows: Iterator[list[object]], *, fmt: str, stem: str, sheet_name: str = "HTX") -> HttpResponseBase:
    """The rows as a download named ``<stem>.<fmt>``: CSV streamed, XLSX spooled to disk first."""
    filename = f"{stem}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        return response
    return FileResponse(
        xlsx_file(rows, sheet_name=sheet_name), as_attachment=True, filename=filename, content_type=XLSX
    )


def sheet_title(name: str) -> str:
    """A name Excel accepts for a sheet: none of : \\ / ? * [ ], no apostrophe at either end, at
    most 31 characters (names come from data, e.g. a round's code)."""
    title = re.sub(r"[:\\/?*\[\]]", "-", name).strip("'")[:31]
    return title or "Sheet"


def xlsx_file(rows: Iterator[list[object]], sheet_name: str = "HTX") -> tempfile.SpooledTemporaryFile:
    """Write the rows with openpyxl's write-only mode to a temporary file, ready to stream."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(sheet_name))
    for row in rows:
        cells = []
        for raw in row:
            # A cell takes text, a number, a date or nothing; export_value gives one of those.
            value: Any = export_value(raw)
            number_format = None
            if isinstance(value, datetime.datetime):
                # Excel has no time zones: the local time, with the zone in the displayed text.
                number_format = "DD/MM/YYYY HH:MM:SS"
                if timezone.is_aware(value):
                    number_format += f' "({_utc_offset(value)})"'
                    value = value.replace(tzinfo=None)
            elif isinstance(value, datetime.date):
                number_format = "DD/MM/YYYY"
            cell = WriteOnlyCell(sheet, value="" if value is None else value)
            # openpyxl treats a string starting with "=" as a formula unless told otherwise.
            if isinstance(value, str):
                cell.data_type = "s"
            elif number_format:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    handle = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
