"""Reads of the task board, one task, its reports and their evidence, scoped to the user."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, cast

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ..models import DirectiveTask, EvidenceFile, TaskReport
from .agencies import agency_lineage_ids
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


def agency_lead_filter(agency_ids: set[int]) -> Q:
    """Tasks led by one of the agencies (an agency and those dissolved into it)."""
    return Q(lead_agency_id__in=sorted(agency_ids))


def agency_cooperating_filter(agency_ids: set[int]) -> Q:
    """Tasks on which one of the agencies co-operates (one row per task, however many match)."""
    through = DirectiveTask.cooperating_agencies.through.objects.filter(agency_id__in=sorted(agency_ids))
    return Q(pk__in=through.values("directivetask_id"))


def task_list_to_report(*, user: User, today: datetime.date | None = None) -> QuerySet[BoardTask]:
    """The tasks the user reports on (an officer: their province's; an agency account: their
    agency's, predecessors' included) whose report is due within ``DUE_SOON_DAYS`` or overdue,
    and not done (the rule of the e-mail reminders), soonest due first. Anyone else has none."""
    if user.is_officer and user.province_id is not None:
        mine = Q(province_id=user.province_id)
    elif user.is_agency_bound and user.agency_id is not None:
        mine = agency_lead_filter(agency_lineage_ids(user.agency_id))
    else:
        return cast("QuerySet[BoardTask]", DirectiveTask.objects.none())
    today = today or timezone.localdate()
    tasks = task_list(user=user, today=today).filter(mine)
    return cast("QuerySet[BoardTask]", due_soon_or_overdue(tasks, today).order_by("due_on", "pk"))


def task_get(*, user: User, pk: int, today: datetime.date | None = None) -> BoardTask:
    """One task; 404 when missing or outside the user's scope."""
    return get_object_or_404(
        task_list(user=user, today=today).prefetch_related("cooperating_agencies"),
        pk=pk,
    )


def task_get_to_report(*, user: User, pk: int, today: datetime.date | None = None) -> BoardTask:
    """A task the user may report on (``directives.add_report``); 404 when missing, outside their
    scope, or seen but not theirs to report on (another agency's or province's task, one their
    agency only co-operates on): the same answer as a missing task."""
    task = task_get(user=user, pk=pk, today=today)
    if not user.has_perm("directives.add_report", task):
        raise Http404
    return task


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
