"""Summaries of (already scoped, status-annotated) tasks: completion per responsible agency
and per document, the board's totals, and the agency that carries each task today."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from ..models import Agency, DirectiveTask
from ..status import DONE_STATUSES, TaskStatus
from .agencies import agency_current_map


@dataclass
class AgencyRate:
    agency: Agency
    total: int
    done_on_time: int
    done_late: int
    in_progress: int
    overdue: int

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def completion_percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _status_counts(queryset: QuerySet[DirectiveTask], group_by: str) -> list[dict[str, Any]]:
    """Counts of tasks per status, grouped in the database by ``group_by``."""
    return list(
        queryset.order_by()
        .values(group_by)
        .annotate(
            total=Count("pk"),
            done_on_time=Count("pk", filter=Q(status=TaskStatus.DONE_ON_TIME)),
            done_late=Count("pk", filter=Q(status=TaskStatus.DONE_LATE)),
            in_progress=Count("pk", filter=Q(status=TaskStatus.IN_PROGRESS)),
            overdue=Count("pk", filter=Q(status=TaskStatus.OVERDUE)),
        )
    )


def agency_completion(*, tasks: QuerySet[DirectiveTask], current_map: dict[int, int] | None = None) -> list[AgencyRate]:
    """Completion per responsible agency today: the database counts per lead agency, then the
    counts of a dissolved agency are added to its successor's (a loop over agencies, not tasks).
    """
    current_map = agency_current_map() if current_map is None else current_map
    totals: dict[int, dict[str, int]] = {}
    for row in _status_counts(tasks, "lead_agency"):
        target = current_map.get(row["lead_agency"], row["lead_agency"])
        bucket = totals.setdefault(
            target, {"total": 0, "done_on_time": 0, "done_late": 0, "in_progress": 0, "overdue": 0}
        )
        for key in bucket:
            bucket[key] += row[key]
    agencies = Agency.objects.in_bulk(list(totals))
    rates = [AgencyRate(agency=agencies[pk], **counts) for pk, counts in totals.items()]
    rates.sort(key=lambda rate: (-rate.overdue, rate.completion_percent, rate.agency.short_name))
    return rates


# The counts of a document (or a board) with no task in the caller's scope.
NO_TASKS = {"total": 0, "done": 0, "overdue": 0, "percent": 0}


def _with_percent(counts: dict[str, int]) -> dict[str, int]:
    """The counts with ``percent``, the share done (0 with no task)."""
    counts["percent"] = round(100 * counts["done"] / counts["total"]) if counts["total"] else 0
    return counts


def document_completion(*, tasks: QuerySet[DirectiveTask]) -> dict[int, dict[str, int]]:
    """Per document id: total, done, overdue and percent done of the (scoped) tasks, in one query."""
    return {
        row["document"]: _with_percent(
            {"total": row["total"], "done": row["done_on_time"] + row["done_late"], "overdue": row["overdue"]}
        )
        for row in _status_counts(tasks, "document")
    }


def status_totals(*, tasks: QuerySet[DirectiveTask]) -> dict[str, int]:
    counts = tasks.order_by().aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=DONE_STATUSES)),
        overdue=Count("pk", filter=Q(status=TaskStatus.OVERDUE)),
    )
    return _with_percent(counts)


def attach_current_agencies(tasks: list[DirectiveTask], current_map: dict[int, int] | None = None) -> None:
    """Give each task on a page ``current_agency`` (one query for all the agencies involved)."""
    current_map = agency_current_map() if current_map is None else current_map
    wanted = {current_map.get(t.lead_agency_id, t.lead_agency_id) for t in tasks}
    agencies = Agency.objects.in_bulk(list(wanted))
    for task in tasks:
        task.current_agency = agencies[current_map.get(task.lead_agency_id, task.lead_agency_id)]
