"""Reads of the task board, one task, its reports and their evidence, scoped to the user."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, cast

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import DirectiveTask, EvidenceFile, TaskReport
from .scope import task_scope
from .task_status import TaskStatusFields, due_soon_or_overdue, with_status

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from accounts.models import User


class TaskBoardFields(TaskStatusFields):
    """What :func:`task_list` adds: the status, and the latest report's progress."""

    latest_percent: int | None
    reports_count: int | None


if TYPE_CHECKING:
    BoardTask = WithAnnotations[DirectiveTask, TaskBoardFields]


def task_list(*, user: User, today: datetime.date | None = None) -> QuerySet[BoardTask]:
    """Tasks the user may see, each annotated with its status today and its latest report."""
    scope = task_scope(user)
    if scope is None:
        return cast("QuerySet[BoardTask]", DirectiveTask.objects.none())
    today = today or timezone.localdate()
    reports = TaskReport.objects.filter(task=OuterRef("pk")).order_by("-submitted_at", "-pk")
    queryset = (
        DirectiveTask.objects.filter(scope)
        .select_related("document", "lead_agency", "province")
        .annotate(
            latest_percent=Subquery(reports.values("percent_done")[:1]),
            reports_count=Subquery(
                TaskReport.objects.filter(task=OuterRef("pk"))
                .order_by()
                .values("task")
                .annotate(n=Count("pk"))
                .values("n")
            ),
        )
    )
    return cast("QuerySet[BoardTask]", with_status(queryset, today))


def task_list_to_report(*, user: User, today: datetime.date | None = None) -> QuerySet[BoardTask]:
    """The tasks of the officer's province whose report is due within ``DUE_SOON_DAYS`` or
    overdue, and not done (the rule of the e-mail reminders), soonest due first. Only an
    officer reports for a province (``directives.add_report``); anyone else has none here."""
    if not user.is_officer or user.province_id is None:
        return cast("QuerySet[BoardTask]", DirectiveTask.objects.none())
    today = today or timezone.localdate()
    tasks = task_list(user=user, today=today).filter(province_id=user.province_id)
    return cast("QuerySet[BoardTask]", due_soon_or_overdue(tasks, today).order_by("due_on", "pk"))


def task_get(*, user: User, pk: int, today: datetime.date | None = None) -> BoardTask:
    """One task; 404 when missing or outside the user's scope."""
    return get_object_or_404(
        task_list(user=user, today=today).prefetch_related("cooperating_agencies"),
        pk=pk,
    )


def report_list(*, user: User) -> QuerySet[TaskReport]:
    scope = task_scope(user, prefix="task__")
    if scope is None:
        return TaskReport.objects.none()
    return TaskReport.objects.filter(scope).select_related("submitted_by", "reporting_agency")


def task_reports(*, task: DirectiveTask) -> list[TaskReport]:
    """The task's reports, oldest first, with their evidence (two queries)."""
    return list(
        task.reports.select_related("submitted_by", "reporting_agency").prefetch_related(
            Prefetch("evidence_files", queryset=EvidenceFile.objects.order_by("pk"))
        )
    )


def evidence_get(*, user: User, pk: int) -> EvidenceFile:
    """One evidence file, only through a report of a task the user may see."""
    scope = task_scope(user, prefix="report__task__")
    if scope is None:
        return get_object_or_404(EvidenceFile.objects.none(), pk=pk)
    return get_object_or_404(EvidenceFile.objects.filter(scope), pk=pk)
