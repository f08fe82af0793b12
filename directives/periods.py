"""Reporting periods of recurring tasks, under the rule their document chooses: pure functions.

Nothing here reads the database or the clock. A document chooses one of two rules (its
``reporting_rule``) and a submission deadline in days after a period's cut-off end (its
``report_due_days``; empty: the rule's default):

``calendar`` (the default; due 15 days after the period's end)
    Calendar months, quarters (1/1–31/3, ...), half-years (1/1–30/6, 1/7–31/12) and years.

``decree_09`` (due 6 days after the cut-off end, i.e. on the 20th)
    The data cut-off of Decree 09/2019/NĐ-CP on the state administrative reporting regime
    (Article 12): a period runs from the 15th of the month before the calendar period to the
    14th of its last month. Monthly: 15/2–14/3 is March's report. Quarterly: 15/12–14/3,
    15/3–14/6, 15/6–14/9, 15/9–14/12. Half-yearly: 15/12–14/6 and 15/6–14/12. Yearly:
    15/12 of the previous year to 14/12 of the reporting year, so 15–31 December already
    belong to the next year's report.

A period is named by its first day (``TaskReport.period_start``). Worked example: a quarterly
task of a ``decree_09`` document with 6 days. On 14/3/2026 the running period is
15/12/2025–14/3/2026; on 15/3/2026 it has closed (the latest closed period) and its report is
due on 20/3/2026. A "done" report submitted on 20/3 is on time, one on 21/3 late; with none,
the task is in progress until 20/3 and overdue from 21/3.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
# The Decree 09 cut-off: a period ends on this day of its last month and the next starts the day after.
CUT_OFF_DAY = 14


class ReportingRule(models.TextChoices):
    CALENDAR = "calendar", _("Calendar periods")
    DECREE_09 = "decree_09", _("Decree 09/2019 (15th to 14th)")


# Days after a period's cut-off end by which its report is due, when the document names none.
DEFAULT_DUE_DAYS = {ReportingRule.CALENDAR: 15, ReportingRule.DECREE_09: 6}
MAX_DUE_DAYS = 90


@dataclass(frozen=True)
class Schedule:
    """How a document's recurring tasks are reported: the rule of its periods, and the days after
    a period's (cut-off) end by which its report is due."""

    rule: str = ReportingRule.CALENDAR
    due_days: int = DEFAULT_DUE_DAYS[ReportingRule.CALENDAR]

    @classmethod
    def of(cls, rule: str, due_days: int | None) -> Schedule:
        """The schedule of a document's fields (``due_days`` empty: the rule's default)."""
        rule = rule or ReportingRule.CALENDAR
        return cls(rule, DEFAULT_DUE_DAYS[ReportingRule(rule)] if due_days is None else due_days)


CALENDAR = Schedule()


@dataclass(frozen=True)
class Period:
    """One reporting period: its first day, its last day (the cut-off end) and its report's due date."""

    start: datetime.date
    end: datetime.date
    due: datetime.date


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _calendar_bounds(day: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(day.year, (day.month - 1) // months * months + 1, 1)
    return start, add_months(start, months) - datetime.timedelta(days=1)


def period_containing(day: datetime.date, reporting_period: str, schedule: Schedule = CALENDAR) -> Period:
    """The period (month, quarter, half-year or year, under the schedule's rule) containing ``day``."""
    months = PERIOD_MONTHS[reporting_period]
    if schedule.rule == ReportingRule.DECREE_09:
        # From the 15th a day counts towards the next month's report: find that month's calendar
        # period, then move its bounds to the 15th before it and the 14th of its last month.
        reporting_month = add_months(day, 1) if day.day > CUT_OFF_DAY else day.replace(day=1)
        first, last = _calendar_bounds(reporting_month, months)
        start = add_months(first, -1).replace(day=CUT_OFF_DAY + 1)
        end = last.replace(day=CUT_OFF_DAY)
    else:
        start, end = _calendar_bounds(day, months)
    return Period(start, end, end + datetime.timedelta(days=schedule.due_days))


def latest_closed_period(reporting_period: str, today: datetime.date, schedule: Schedule = CALENDAR) -> Period:
    """The last whole period that ended before ``today`` (the same for every task of that kind)."""
    current = period_containing(today, reporting_period, schedule)
    return period_containing(current.start - datetime.timedelta(days=1), reporting_period, schedule)


def judged_period(
    *, starts_on: datetime.date, reporting_period: str, today: datetime.date, schedule: Schedule = CALENDAR
) -> Period | None:
    """The period a recurring task is judged on today, or ``None`` while its first one runs."""
    period = latest_closed_period(reporting_period, today, schedule)
    return period if starts_on <= period.end else None


def periods_between(
    first: datetime.date, last: datetime.date, reporting_period: str, schedule: Schedule = CALENDAR
) -> list[Period]:
    """Every period from the one containing ``first`` to the one containing ``last``, oldest first."""
    period = period_containing(first, reporting_period, schedule)
    periods = []
    while period.start <= last:
        periods.append(period)
        period = period_containing(period.end + datetime.timedelta(days=1), reporting_period, schedule)
    return periods
