"""A task's status, as a database expression for lists and by the pure rule for one task.

Both state the rule of ``directives.status.task_status``; a test holds them to the same answer.
"""

from __future__ import annotations

import datetime
import zoneinfo
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.conf import settings
from django.db.models import Case, DateField, F, Func, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from .. import status as rules_of_status
from ..models import DirectiveTask, ReportingPeriod, ReportStatus, TaskReport
from ..periods import DEFAULT_DUE_DAYS, ReportingRule, Schedule
from ..status import TaskStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class TaskStatusFields(TypedDict):
    """What :func:`with_status` adds to each task."""

    judged_period_start: datetime.date | None
    judged_period_end: datetime.date | None
    due_on: datetime.date | None
    first_done_on: datetime.date | None
    period_done_on: datetime.date | None
    completed_on: datetime.date | None
    status: str


if TYPE_CHECKING:
    StatusTask = WithAnnotations[DirectiveTask, TaskStatusFields]


class AddDays(Func):
    """A date plus a number of days, as a date (PostgreSQL: ``date + integer``; SQLite: ``date()``)."""

    arity = 2
    output_field = DateField()
    template = "(%(expressions)s)"
    arg_joiner = " + "

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:
        day, day_params = compiler.compile(self.source_expressions[0])
        days, days_params = compiler.compile(self.source_expressions[1])
        return f"date({day}, '+' || ({days}) || ' days')", (*day_params, *days_params)


def task_status_annotations(today: datetime.date) -> list[dict[str, Any]]:
    """Annotation steps giving each task ``due_on``, ``completed_on`` and ``status``.

    Mirrors :func:`directives.status.task_status`: the judged period of a recurring task
    depends only on its document's rule, its reporting period, its start and ``today``, so it
    is a literal per rule and reporting period; its due date adds the document's days (or the
    rule's default) to the period's end. Completion dates come from subqueries (no join but the
    task's document, so aggregates over the annotated tasks stay correct).
    """
    local = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    closed = [
        (rule, code, rules_of_status.latest_closed_period(code, today, Schedule(rule, 0)))
        for rule in ReportingRule.values
        for code in ReportingPeriod.values
    ]

    def judged(rule: str, code: str, period: rules_of_status.Period) -> Q:
        return Q(document__reporting_rule=rule, reporting_period=code, starts_on__lte=period.end)

    def judged_bound(bound: str) -> Case:
        whens = [When(judged(*key), then=Value(getattr(key[2], bound))) for key in closed]
        return Case(*whens, default=Value(None), output_field=DateField())

    due_on = Case(
        When(reporting_period="", then=F("deadline")),
        *[
            When(
                judged(rule, code, period),
                then=AddDays(
                    Value(period.end, output_field=DateField()),
                    Coalesce(F("document__report_due_days"), Value(DEFAULT_DUE_DAYS[ReportingRule(rule)])),
                ),
            )
            for rule, code, period in closed
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
        {"judged_period_start": judged_bound("start"), "judged_period_end": judged_bound("end"), "due_on": due_on},
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
        schedule=task.schedule,
    )
    history = (
        rules_of_status.period_history(
            starts_on=task.starts_on,
            reporting_period=task.reporting_period,
            reports=facts,
            today=today,
            schedule=task.schedule,
        )
        if task.reporting_period
        else []
    )
    return assessment, history
