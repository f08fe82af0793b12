"""Writing an export: rows to a gzip-compressed CSV or NDJSON file, a row at a time.

The file is written to a temporary file (never to the storage while incomplete), so a job that
stops half-way leaves nothing to download. CSV cells are those of every export of the site
(``coopdx.exports``: Viet Nam time, whole numbers as integers, formulas neutralised upstream);
NDJSON has one object per row, keyed by the header.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import IO

from django.utils import timezone

from coopdx.exports import export_value

PROGRESS_EVERY = 5000


def _csv_cell(value: object) -> object:
    value = export_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _json_value(value: object) -> object:
    value = export_value(value)
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def write_rows(
    handle: IO[bytes], rows: Iterator[list[object]], *, fmt: str, progress: Callable[[int], None] | None = None
) -> int:
    """Write the header and rows gzip-compressed to ``handle``; the number of rows written."""
    count = 0
    with gzip.GzipFile(fileobj=handle, mode="wb", compresslevel=6) as packed:
        text = io.TextIOWrapper(packed, encoding="utf-8", newline="")
        header = [str(name) for name in next(rows)]
        writer = csv.writer(text)
        if fmt == "ndjson":
            for row in rows:
                text.write(json.dumps(dict(zip(header, map(_json_value, row), strict=True)), ensure_ascii=False))
                text.write("\n")
                count += 1
                if progress and count % PROGRESS_EVERY == 0:
                    progress(count)
        else:
            writer.writerow(header)
            for row in rows:
                writer.writerow([_csv_cell(value) for value in row])
                count += 1
                if progress and count % PROGRESS_EVERY == 0:
                    progress(count)
        text.flush()
        text.detach()
    return count


def write_dictionary(handle: IO[bytes], rows: list[list[object]]) -> None:
    """The data dictionary as CSV (UTF-8 with BOM, so that Excel reads the Vietnamese)."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    csv.writer(text).writerows(rows)
    text.flush()
    text.detach()
