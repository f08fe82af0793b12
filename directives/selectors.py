"""Reads of directives, documents, tasks and reports, always scoped to what the user may see.

Scope: national roles see everything. A provincial officer sees national documents (issued
by a body with no province) and their own province's, and of their tasks those with no
province or with their own; anything else is 404, like a missing object. Members see nothing.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.conf import settings
from django.db.models import Case, Count, DateField, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cooperatives.collation import vietnamese
from cooperatives.models import Province

from . import status as rules_of_status
from .models import Agency, DirectiveTask, Document, EvidenceFile, ReportingPeriod, ReportStatus, TaskReport
from .status import DONE_STATUSES, TaskStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from accounts.models import User


class TaskStatusFields(TypedDict):
    """What :func:`with_status` adds to each task."""

    judged_period_start: datetime.date | None
    due_on: datetime.date | None
    first_done_on: datetime.date | None
    period_done_on: datetime.date | None
    completed_on: datetime.date | None
    status: str


class TaskBoardFields(TaskStatusFields):
    """What :func:`task_list` adds: the status, and the latest report's progress."""

    latest_percent: int | None
    reports_count: int | None


if TYPE_CHECKING:
    StatusTask = WithAnnotations[DirectiveTask, TaskStatusFields]
    BoardTask = WithAnnotations[DirectiveTask, TaskBoardFields]


# --- Agencies and their successors -------------------------------------------------------


def agency_current_map() -> dict[int, int]:
    """Each agency's id → the id of the agency responsible today (the end of its successor chain).

    One query; a loop in the data (refused by ``Agency.clean``) stops at the last new agency.
    """
    successors = dict(Agency.objects.values_list("pk", "successor_id"))
    current: dict[int, int] = {}
    for agency_id in successors:
        seen = {agency_id}
        here = agency_id
        while successors.get(here) is not None and successors[here] not in seen:
            here = successors[here]
            seen.add(here)
        current[agency_id] = here
    return current


def agency_lineage_ids(agency_id: int) -> set[int]:
    """The agency and every agency whose tasks it now carries (all its predecessors). One query."""
    successors = dict(Agency.objects.filter(successor__isnull=False).values_list("pk", "successor_id"))
    lineage = {agency_id}
    for start in successors:
        here: int | None = start
        seen: set[int] = set()
        while here is not None and here not in seen:
            if here == agency_id:
                lineage.add(start)
                break
            seen.add(here)
            here = successors.get(here)
    return lineage


def agency_current(agency: Agency) -> Agency:
    """The agency responsible today for what ``agency`` was given."""
    current_id = agency_current_map().get(agency.pk, agency.pk)
    return agency if current_id == agency.pk else Agency.objects.get(pk=current_id)


def agency_choices(*, user: User) -> QuerySet[Agency]:
    """Agencies offered in the board's filter: national bodies and, for an officer, their province's."""
    agencies = Agency.objects.order_by("kind", vietnamese("short_name"))
    if user.is_national:
        return agencies
    if user.is_officer:
        return agencies.filter(Q(province__isnull=True) | Q(province_id=user.province_id))
    return agencies.none()


def agencies_for_officer_documents(*, user: User) -> QuerySet[Agency]:
    """Bodies whose documents and tasks the user may manage: an officer's province's, or all."""
    if user.is_national_admin:
        return Agency.objects.all()
    if user.is_officer and user.province_id is not None:
        return Agency.objects.filter(province_id=user.province_id)
    return Agency.objects.none()


# --- Scope -----------------------------------------------------------------------------------


def _document_scope(user: User, prefix: str = "") -> Q | None:
    """The condition on documents for the user; ``None`` means no documents at all."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_national:
        return Q()
    if user.is_officer:
        return Q(**{f"{prefix}issuing_agency__province__isnull": True}) | Q(
            **{f"{prefix}issuing_agency__province_id": user.province_id}
        )
    return None


def _task_scope(user: User, prefix: str = "") -> Q | None:
    document_scope = _document_scope(user, prefix=f"{prefix}document__")
    if document_scope is None:
        return None
    if user.is_national:
        return document_scope
    province = Q(**{f"{prefix}province__isnull": True}) | Q(**{f"{prefix}province_id": user.province_id})
    return document_scope & province


def document_list(*, user: User) -> QuerySet[Document]:
    scope = _document_scope(user)
    if scope is None:
        return Document.objects.none()
    return Document.objects.filter(scope).select_related("issuing_agency", "parent")


def document_get(*, user: User, pk: int) -> Document:
    """One document; 404 when missing or outside the user's scope."""
    return get_object_or_404(document_list(user=user), pk=pk)


def province_list(*, user: User) -> QuerySet[Province]:
    if user.is_national:
        return Province.objects.all()
    if user.is_officer and user.province_id is not None:
        return Province.objects.filter(pk=user.province_id)
    return Province.objects.none()


# --- Status as a database expression (the same rule as ``status.task_status``) --------------


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


def task_list(*, user: User, today: datetime.date | None = None) -> QuerySet[BoardTask]:
    """Tasks the user may see, each annotated with its status today and its latest report."""
    scope = _task_scope(user)
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


def task_get(*, user: User, pk: int, today: datetime.date | None = None) -> BoardTask:
    """One task; 404 when missing or outside the user's scope."""
    return get_object_or_404(
        task_list(user=user, today=today).prefetch_related("cooperating_agencies"),
        pk=pk,
    )


def report_list(*, user: User) -> QuerySet[TaskReport]:
    scope = _task_scope(user, prefix="task__")
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
    scope = _task_scope(user, prefix="report__task__")
    if scope is None:
        return get_object_or_404(EvidenceFile.objects.none(), pk=pk)
    return get_object_or_404(EvidenceFile.objects.filter(scope), pk=pk)


# --- Status of one task, history and summaries ------------------------------------------------


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


def document_completion(*, tasks: QuerySet[DirectiveTask]) -> dict[int, dict[str, int]]:
    """Per document id: total, done and overdue counts of the (scoped) tasks, in one query."""
    return {
        row["document"]: {
            "total": row["total"],
            "done": row["done_on_time"] + row["done_late"],
            "overdue": row["overdue"],
        }
        for row in _status_counts(tasks, "document")
    }


def status_totals(*, tasks: QuerySet[DirectiveTask]) -> dict[str, int]:
    counts = tasks.order_by().aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status__in=DONE_STATUSES)),
        overdue=Count("pk", filter=Q(status=TaskStatus.OVERDUE)),
    )
    counts["percent"] = round(100 * counts["done"] / counts["total"]) if counts["total"] else 0
    return counts


def attach_current_agencies(tasks: list[DirectiveTask], current_map: dict[int, int] | None = None) -> None:
    """Give each task on a page ``current_agency`` (one query for all the agencies involved)."""
    current_map = agency_current_map() if current_map is None else current_map
    wanted = {current_map.get(t.lead_agency_id, t.lead_agency_id) for t in tasks}
    agencies = Agency.objects.in_bulk(list(wanted))
    for task in tasks:
        task.current_agency = agencies[current_map.get(task.lead_agency_id, task.lead_agency_id)]  # type: ignore[attr-defined]
