"""A task's status, as a database expression for lists and by the pure rule for one task.

Both state the rule of ``directives.status.task_status``; a test holds them to the same answer.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.conf import settings
from django.db.models import Case, DateField, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from .. import status as rules_of_status
from ..models import DirectiveTask, ReportingPeriod, ReportStatus, TaskReport
from ..status import TaskStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class TaskStatusFields(TypedDict):
    """What :func:`with_status` adds to each task."""

    judged_period_start: datetime.date | None
    due_on: datetime.date | None
    first_done_on: datetime.date | None
    period_done_on: datetime.date | None
    completed_on: datetime.date | None
    status: str


if TYPE_CHECKING:
    StatusTask = WithAnnotations[DirectiveTask, TaskStatusFields]


def task_status_annotations(today: datetime.date) -> list[dict[str, Any]]:
    """Annotation steps giving each task ``due_on``, ``completed_on`` and ``status``.

    Mirrors :func:`directives.status.task_status`: the judged period of a recurring task
    depends only on its reporting period, its start and ``today``, so it is a literal per
    reporting period; completion dates come from subqueries (no join, so aggregates over the
    annotated tasks stay correct).
    """
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    closed = {period: rules_of_status.latest_closed_period(period, today) for period, _label in ReportingPeriod.choices}
    judged_start = Case(
        *[
            When(reporting_period=code, starts_on__lte=period.end, then=Value(period.start))
            for code, period in closed.items()
        ],
        default=Value(None),
        output_field=DateField(),
    )
    due_on = Case(
        When(reporting_period="", then=F("deadline")),
        *[
            When(reporting_period=code, starts_on__lte=period.end, then=Value(period.due))
            for code, period in closed.items()
        ],
        default=Value(None),
        output_field=DateField(),
    )
    done = TaskReport.objects.filter(task=OuterRef("pk"), status=ReportStatus.DONE).order_by("submitted_at", "pk")
    day = TruncDate("submitted_at", tzinfo=local)
    first_done_on = Subquery(done.annotate(day=day).values("day")[:1], output_field=DateField())
    period_done_on = Subquery(
        done.filter(period_start=OuterRef("judged_period_start")).annotate(day=day).values("day")[:1],
        output_field=DateField(),
    )
    completed_on = Case(
        When(reporting_period="", then=F("first_done_on")), default=F("period_done_on"), output_field=DateField()
    )
    status = Case(
        When(completed_on__isnull=False, completed_on__lte=F("due_on"), then=Value(TaskStatus.DONE_ON_TIME.value)),
        When(completed_on__isnull=False, then=Value(TaskStatus.DONE_LATE.value)),
        When(due_on__isnull=True, then=Value(TaskStatus.IN_PROGRESS.value)),
        When(due_on__gte=Value(today, output_field=DateField()), then=Value(TaskStatus.IN_PROGRESS.value)),
        default=Value(TaskStatus.OVERDUE.value),
    )
    return [
        {"judged_period_start": judged_start, "due_on": due_on},
        {"first_done_on": first_done_on, "period_done_on": period_done_on},
        {"completed_on": completed_on},
        {"status": status},
    ]


def with_status(queryset: QuerySet[DirectiveTask], today: datetime.date) -> QuerySet[StatusTask]:
    for step in task_status_annotations(today):
        queryset = queryset.annotate(**step)
    # The steps are built at run time, so the checker cannot see the fields they add.
    return cast("QuerySet[StatusTask]", queryset)


def due_soon_or_overdue(queryset: QuerySet[StatusTask], today: datetime.date) -> QuerySet[StatusTask]:
    """Of tasks annotated by :func:`with_status`, those not done whose due date is within
    ``DUE_SOON_DAYS`` from today, or has passed: the ones reminded, and the ones to report on."""
    soon = today + datetime.timedelta(days=rules_of_status.DUE_SOON_DAYS)
    return queryset.filter(
        Q(status=TaskStatus.IN_PROGRESS, due_on__gte=today, due_on__lte=soon) | Q(status=TaskStatus.OVERDUE)
    )


def report_facts(reports: list[TaskReport]) -> list[rules_of_status.ReportFact]:
    return [
        rules_of_status.ReportFact(
            done=r.status == ReportStatus.DONE,
            submitted_on=timezone.localdate(r.submitted_at),
            period_start=r.period_start,
            source=r,
        )
        for r in reports
    ]


def task_assessment(
    *, task: DirectiveTask, reports: list[TaskReport], today: datetime.date | None = None
) -> tuple[rules_of_status.Assessment, list[rules_of_status.PeriodRecord]]:
    """The task's status by the pure rule, and for a recurring task its per-period history."""
    today = today or timezone.localdate()
    facts = report_facts(reports)
    assessment = rules_of_status.task_status(
        deadline=task.deadline,
        reporting_period=task.reporting_period,
        starts_on=task.starts_on,
        reports=facts,
        today=today,
    )
    history = (
        rules_of_status.period_history(
            starts_on=task.starts_on, reporting_period=task.reporting_period, reports=facts, today=today
        )
        if task.reporting_period
        else []
    )
    return assessment, history
