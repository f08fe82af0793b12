"""The audit trail of exports: every export started and every file downloaded, with who, what
(kind, format, filters), scope (national or a province), when and how many rows.

The bottom of the layers: the user is any object with the account's attributes (``is_national``,
``province``), so this module imports no app above it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .models import ExportAction, ExportRecord


def export_scope(user: Any) -> str:
    """ "national" for a national reader, else the province code the user's rows are bound to."""
    if getattr(user, "is_national", False):
        return "national"
    province = getattr(user, "province", None)
    return getattr(province, "code", "") or "none"


def export_record(
    *,
    user: Any,
    action: str,
    kind: str,
    fmt: str,
    filters: dict[str, Any] | None = None,
    rows: int | None = None,
) -> ExportRecord:
    """Record one export or download in the audit trail."""
    record = ExportRecord(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "")[:150],
        action=action,
        kind=kind,
        fmt=fmt,
        filters=filters or {},
        scope=export_scope(user),
        rows=rows,
    )
    record.full_clean()
    record.save()
    return record


def audited(
    rows: Iterator[list[object]], *, user: Any, kind: str, fmt: str, filters: dict[str, Any] | None = None
) -> Iterator[list[object]]:
    """The rows of a download (header first), recorded as downloaded now; the row count (header
    excluded) is written when the last row has been written, however the file is streamed."""
    record = export_record(user=user, action=ExportAction.DOWNLOAD, kind=kind, fmt=fmt, filters=filters)
    return _counting(rows, record.pk)


def _counting(rows: Iterator[list[object]], record_id: int) -> Iterator[list[object]]:
    count = -1  # the header is not a row of data
    for row in rows:
        count += 1
        yield row
    ExportRecord.objects.filter(pk=record_id).update(rows=max(count, 0))
