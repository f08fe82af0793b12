"""Directive tracking over the API: read documents, tasks and reports in the caller's scope; an
agency posts progress on its own tasks through ``directives.services.report_create``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts.models import ApiScope
from coopdx.api.filters import ScopedFilterBackend
from coopdx.api.views import SignedInAPIView
from coopdx.http import AuthenticatedRequest
from directives import selectors, services
from directives.filters import TaskBoardFilter
from directives.models import Agency, DirectiveTask, Document

from .serializers import (
    AgencySerializer,
    DocumentReportingSerializer,
    DocumentSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    TaskDetailSerializer,
    TaskSerializer,
)

# Directive tracking is monitoring data: read with indicators:read; an agency that reports on
# its tasks (tasks:write) may read them too.
READ_SCOPES = (ApiScope.INDICATORS_READ, ApiScope.TASKS_WRITE)
TAG = ["Directives"]


class DirectivesAccess(SignedInAPIView):
    allowed: dict[str, Any] = {"GET": "directives.view_board"}
    required_scopes: dict[str, Any] = {"GET": READ_SCOPES}

    def agency_context(self) -> dict[str, Any]:
        """Agency codes and the successor map, read once per request (two queries)."""
        return {
            "agency_codes": dict(Agency.objects.values_list("pk", "code")),
            "current_map": selectors.agency_current_map(),
        }


@extend_schema(tags=TAG, summary="Agencies (bodies that issue documents or are given tasks)")
class AgencyList(DirectivesAccess, generics.ListAPIView):
    serializer_class = AgencySerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Agency]:
        if getattr(self, "swagger_fake_view", False):
            return Agency.objects.none()
        return selectors.agency_choices(user=self.request.user).select_related("province", "successor")


@extend_schema(tags=TAG, summary="Documents: resolutions, directives, plans (national and the caller's province)")
class DocumentList(DirectivesAccess, generics.ListAPIView):
    serializer_class = DocumentSerializer
    filter_backends: list[Any] = []
    ordering = ("pk",)

    def get_queryset(self) -> QuerySet[Document]:
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        return selectors.document_list(user=self.request.user)


class DocumentDetail(DirectivesAccess, generics.GenericAPIView):
    serializer_class = DocumentSerializer
    queryset = Document.objects.none()
    # Changing a document's reporting rule: the document's managers (the service checks the
    # particular document); tokens never.
    allowed = {"GET": "directives.view_board", "PATCH": "directives.add_document"}

    @extend_schema(tags=TAG, summary="One document (404 outside the caller's scope)")
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(DocumentSerializer(selectors.document_get(user=request.user, pk=pk)).data)

    @extend_schema(
        tags=TAG,
        summary="Change a document's rule of reporting periods and its days to report",
        description="`reporting_rule`: `calendar` or `decree_09` (cut-off 15th to 14th); it cannot change once a "
        "report was given for one of the document's periods. `report_due_days`: 0–90, null for the rule's default "
        "(15 calendar, 6 decree_09). See docs/directives.md.",
        request=DocumentReportingSerializer,
        responses={200: DocumentSerializer},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        document = selectors.document_get(user=request.user, pk=pk)
        body = DocumentReportingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        document = services.document_update(
            document=Document.objects.get(pk=document.pk), by=request.user, **body.validated_data
        )
        return Response(DocumentSerializer(document).data)


@extend_schema(
    tags=TAG,
    summary="Tasks in the caller's scope, with their status today",
    description="Filters as on the task board: document, agency (its successors' tasks included), province, "
    "status, kind (deadline / recurring), due_from, due_to (YYYY-MM-DD); for an agency account, mine "
    "(lead: the tasks its agency leads, cooperating: those it co-operates on).",
)
class TaskList(DirectivesAccess, generics.ListAPIView):
    serializer_class = TaskSerializer
    filter_backends = [ScopedFilterBackend]
    filterset_class = TaskBoardFilter
    ordering = ("pk",)

    def get_queryset(self) -> QuerySet[DirectiveTask]:
        if getattr(self, "swagger_fake_view", False):
            return DirectiveTask.objects.none()
        return selectors.task_list(user=self.request.user)

    def get_filterset_extra_kwargs(self) -> dict[str, Any]:
        user = self.request.user
        return {
            "documents": selectors.document_list(user=user),
            "agencies": selectors.agency_choices(user=user),
            "provinces": selectors.province_list(user=user),
            "agency_ids": selectors.user_agency_ids(user=user),
        }

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        if not getattr(self, "swagger_fake_view", False):
            context.update(self.agency_context())
        return context


def _task_detail(view: DirectivesAccess, request: AuthenticatedRequest, pk: int) -> dict[str, Any]:
    task = selectors.task_get(user=request.user, pk=pk)
    context = {
        "request": request,
        "reports": selectors.task_reports(task=task),
        "periods": services.report_periods(task=task),
        **view.agency_context(),
    }
    return TaskDetailSerializer(task, context=context).data


class TaskDetail(DirectivesAccess, generics.GenericAPIView):
    serializer_class = TaskDetailSerializer
    queryset = DirectiveTask.objects.none()

    @extend_schema(tags=TAG, summary="One task with its reports and reportable periods (404 outside the scope)")
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(_task_detail(self, request, pk))


class TaskReports(DirectivesAccess, generics.GenericAPIView):
    serializer_class = ReportSerializer
    queryset = DirectiveTask.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # Posting: national administrators, officers (or province tokens) for their province's tasks,
    # agency accounts for their agency's; a task the caller sees but may not report on is 404.
    allowed = {"GET": "directives.view_board", "POST": "directives.report_on_tasks"}
    required_scopes = {"GET": READ_SCOPES, "POST": ApiScope.TASKS_WRITE}
    pagination_class = None  # a task has a few reports a year: all of them, as a plain list

    @extend_schema(
        tags=TAG, summary="A task's progress reports, oldest first", responses={200: ReportSerializer(many=True)}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        task = selectors.task_get(user=request.user, pk=pk)
        return Response(ReportSerializer(selectors.task_reports(task=task), many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Post a progress report on a task of the caller's agency",
        description=(
            "Reports are only added, never changed. A report marked done must be at 100 %. Recurring tasks need "
            "`period_start` (one of the task's `report_periods`). Evidence files can be sent as multipart/form-data "
            "(field `evidence`, repeated)."
        ),
        request={"application/json": ReportCreateSerializer, "multipart/form-data": ReportCreateSerializer},
        responses={201: ReportSerializer},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        task = selectors.task_get_to_report(user=request.user, pk=pk)
        body = ReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        report = services.report_create(
            task=task,
            by=request.user,
            status=data["status"],
            percent_done=data["percent_done"],
            narrative=data["narrative"],
            period_start=data.get("period_start"),
            files=data.get("evidence", []),
        )
        report = selectors.report_list(user=request.user).prefetch_related("evidence_files").get(pk=report.pk)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
