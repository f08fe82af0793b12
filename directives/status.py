"""Task status in the Government Office's four categories: pure functions of dates.

Nothing here reads the database or the clock; give the same inputs and the same ``today``
and the answer is the same. ``selectors.task_status_annotations`` states the same rule as a
database expression for boards and filters; a test holds the two to each other.

The rule
--------
Every task is judged on one *due date* and one *completion date*:

* A task with a deadline is judged as a whole. Due = its deadline. Completed = the local
  date (Asia/Ho_Chi_Minh) on which its first report marked "done" was submitted.
* A recurring task ("thường xuyên") is judged on its latest closed period: the last month,
  quarter, half-year or year (per its reporting period) that ended before ``today`` and did
  not end before the task started. Periods follow the rule of the task's document
  (``directives.periods``): calendar periods, or the Decree 09/2019 data cut-off from the 15th
  of the previous month to the 14th. Due = the period's last (cut-off) day + the document's
  submission days (by default 15 under the calendar rule, ``REPORT_GRACE_DAYS``, and 6 under
  Decree 09, i.e. the 20th). Completed = the local date of the first report marked "done" for
  that period (its ``period_start``, the period's first day). While the task's first period is
  still running, nothing is due yet and the task is "in progress, within the deadline".

Then, with ``today`` the local date:

====================================  ========================================
completed, on or before the due date  Đã hoàn thành đúng hạn (done on time)
completed, after the due date         Đã hoàn thành quá hạn (done late)
not completed, today <= due date      Đang thực hiện trong hạn (in progress)
not completed, today > due date       Quá hạn chưa hoàn thành (overdue)
====================================  ========================================

So a task due today and not done is still in time; one done on its deadline is on time; one
done the day after is late. "In progress" reports never complete a task or a period.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from .periods import (
    CALENDAR,
    DEFAULT_DUE_DAYS,
    PERIOD_MONTHS,
    Period,
    ReportingRule,
    Schedule,
    judged_period,
    latest_closed_period,
    period_containing,
    periods_between,
)

__all__ = [
    "PERIOD_MONTHS",
    "REPORT_GRACE_DAYS",
    "Period",
    "ReportingRule",
    "Schedule",
    "judged_period",
    "latest_closed_period",
    "period_containing",
]

# Days after a calendar period's end by which its report is due (a document may set others).
REPORT_GRACE_DAYS = DEFAULT_DUE_DAYS[ReportingRule.CALENDAR]
# A task not done whose due date is this near is "due soon": reminded by e-mail, and listed in
# its province officers' work list.
DUE_SOON_DAYS = 14


class TaskStatus(models.TextChoices):
    DONE_ON_TIME = "done_on_time", _("Done on time")
    DONE_LATE = "done_late", _("Done late")
    IN_PROGRESS = "in_progress", _("In progress, within the deadline")
    OVERDUE = "overdue", _("Overdue, not done")


DONE_STATUSES = (TaskStatus.DONE_ON_TIME, TaskStatus.DONE_LATE)


def status_for(*, due: datetime.date | None, completed_on: datetime.date | None, today: datetime.date) -> TaskStatus:
    """The category for one due date and one completion date (``None``: nothing due / not done)."""
    if completed_on is not None and due is not None:
        return TaskStatus.DONE_ON_TIME if completed_on <= due else TaskStatus.DONE_LATE
    if due is None or today <= due:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.OVERDUE


@dataclass(frozen=True)
class ReportFact:
    """What the status needs to know of a report: its kind, period and local submission date."""

    done: bool
    submitted_on: datetime.date
    period_start: datetime.date | None = None
    # The report itself, for pages that show the reports of each period.
    source: object = field(default=None, compare=False)


def first_done_on(reports: Iterable[ReportFact], period_start: datetime.date | None = None) -> datetime.date | None:
    days = [r.submitted_on for r in reports if r.done and (period_start is None or r.period_start == period_start)]
    return min(days) if days else None


@dataclass(frozen=True)
class Assessment:
    status: TaskStatus
    due: datetime.date | None
    completed_on: datetime.date | None
    period: Period | None = None


def task_status(
    *,
    deadline: datetime.date | None,
    reporting_period: str,
    starts_on: datetime.date,
    reports: Iterable[ReportFact],
    today: datetime.date,
    schedule: Schedule = CALENDAR,
) -> Assessment:
    """The task's status today, by the rule in this module's docstring."""
    reports = list(reports)
    if not reporting_period:
        completed = first_done_on(reports)
        return Assessment(status_for(due=deadline, completed_on=completed, today=today), deadline, completed)
    period = judged_period(starts_on=starts_on, reporting_period=reporting_period, today=today, schedule=schedule)
    if period is None:
        return Assessment(TaskStatus.IN_PROGRESS, None, None)
    completed = first_done_on(reports, period.start)
    return Assessment(status_for(due=period.due, completed_on=completed, today=today), period.due, completed, period)


@dataclass
class PeriodRecord:
    period: Period
    status: TaskStatus
    completed_on: datetime.date | None
    is_open: bool
    reports: list[object] = field(default_factory=list)


def period_history(
    *,
    starts_on: datetime.date,
    reporting_period: str,
    reports: Iterable[ReportFact],
    today: datetime.date,
    schedule: Schedule = CALENDAR,
) -> list[PeriodRecord]:
    """Every period of a recurring task from its start to the one running today, newest first.

    Closed periods are judged like the latest one; the running period is shown as in progress
    (its report is not due yet) unless a "done" report for it already came in.
    """
    reports = list(reports)
    current = period_containing(today, reporting_period, schedule)
    records: list[PeriodRecord] = []
    for period in periods_between(starts_on, today, reporting_period, schedule):
        completed = first_done_on(reports, period.start)
        records.append(
            PeriodRecord(
                period=period,
                status=status_for(due=period.due, completed_on=completed, today=today),
                completed_on=completed,
                is_open=period.start == current.start,
                reports=[r.source for r in reports if r.period_start == period.start],
            )
        )
    records.reverse()
    return records
