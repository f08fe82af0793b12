"""The task board as an Excel workbook, formula injection neutralised."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from coopdx.exports import neutralise
from coopdx.exports import xlsx_file as write_xlsx

from .selectors import agency_current_map
from .status import TaskStatus

if TYPE_CHECKING:
    from .selectors import BoardTask


def _period_dates(start: datetime.date | None, end: datetime.date | None) -> str:
    """A period as its dates, "15/12/2025 – 14/03/2026" (the workbook is in Vietnamese)."""
    return f"{start:%d/%m/%Y} – {end:%d/%m/%Y}" if start and end else ""


def board_rows(tasks: QuerySet[BoardTask]) -> Iterator[list[object]]:
    """The header row, then one row per task of the (scoped, filtered, status-annotated) board."""
    from .models import Agency

    current_map = agency_current_map()
    agencies = {a.pk: a for a in Agency.objects.all()}
    statuses = dict(TaskStatus.choices)
    with translation.override("vi"):
        yield [
            _("Document"),
            _("Clause"),
            _("Task"),
            _("Lead agency"),
            _("Responsible agency today"),
            _("Co-operating agencies"),
            _("Province"),
            _("Deadline"),
            _("Reporting period"),
            _("Period judged"),
            _("Due date judged"),
            _("Status"),
            _("Latest percent done"),
            _("Reports"),
            _("Linked indicators"),
        ]
        for task in tasks.prefetch_related("cooperating_agencies").iterator(chunk_size=500):
            current = agencies[current_map.get(task.lead_agency_id, task.lead_agency_id)]
            row = [
                task.document.number,
                task.clause,
                task.content,
                task.lead_agency.name,
                current.name,
                "; ".join(a.short_name for a in task.cooperating_agencies.all()),
                task.province.short_name if task.province else "",
                task.deadline,
                str(task.get_reporting_period_display()) if task.reporting_period else "",
                _period_dates(task.judged_period_start, task.judged_period_end),
                task.due_on,
                str(statuses.get(task.status, task.status)),
                task.latest_percent,
                task.reports_count or 0,
                ", ".join(task.indicator_codes or []),
            ]
            yield [neutralise(value) for value in row]


def xlsx_file(rows: Iterator[list[object]]) -> tempfile.SpooledTemporaryFile:
    """The board as a workbook, through the shared XLSX writer (text cells stay text)."""
    return write_xlsx(rows, sheet_name="Nhiem vu")
