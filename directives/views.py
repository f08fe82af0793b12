"""Directive tracking pages. Thin: selectors read, services write, templates show."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coopdx.errors import invalid_filters
from coopdx.exports import XLSX
from coopdx.http import AuthenticatedHttpRequest
from indicators import selectors as indicator_selectors

from . import exports, selectors, services
from .filters import TaskBoardFilter
from .forms import DocumentForm, ReportForm, TaskForm
from .models import DirectiveTask, Document

if TYPE_CHECKING:
    from .selectors import BoardTask

PAGE_SIZE = 100


def _board(request: AuthenticatedHttpRequest, document: Document | None) -> TaskBoardFilter:
    tasks = selectors.task_list(user=request.user)
    if document is not None:
        tasks = tasks.filter(document=document)
    return TaskBoardFilter(
        request.GET or None,
        queryset=tasks,
        documents=selectors.document_list(user=request.user),
        agencies=selectors.agency_choices(user=request.user),
        provinces=selectors.province_list(user=request.user),
        agency_ids=selectors.user_agency_ids(user=request.user),
    )


def _filtered(filterset: TaskBoardFilter) -> QuerySet[BoardTask]:
    # An unbound filter set's ``qs`` is its whole queryset.
    return filterset.qs.order_by("document__issued_on", "due_on", "pk")


@login_required
@permission_required("directives.view_board", raise_exception=True)
def document_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The documents as a tree (each under the one it implements), with their tasks' progress."""
    documents = list(selectors.document_list(user=request.user).order_by("issued_on", "number"))
    completion = selectors.document_completion(tasks=selectors.task_list(user=request.user))
    children: dict[int | None, list[Document]] = {}
    visible = {d.pk for d in documents}
    for document in documents:
        parent = document.parent_id if document.parent_id in visible else None
        children.setdefault(parent, []).append(document)
    # (depth in the tree, the document, its tasks' counts)
    rows: list[tuple[int, Document, dict[str, int]]] = []

    def walk(parent: int | None, depth: int) -> None:
        for child in children.get(parent, []):
            rows.append((min(depth, 4), child, completion.get(child.pk, selectors.NO_TASKS)))
            walk(child.pk, depth + 1)

    walk(None, 0)
    return render(request, "directives/document_list.html", {"rows": rows})


@login_required
@permission_required("directives.view_board", raise_exception=True)
def task_board(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """Tasks of one document (or of every document), filtered, with completion per agency."""
    document = selectors.document_get(user=request.user, pk=pk) if pk is not None else None
    filterset = _board(request, document)
    tasks = _filtered(filterset)
    current_map = selectors.agency_current_map()
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.attach_current_agencies(list(page.object_list), current_map)
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "document": document,
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "rates": selectors.agency_completion(tasks=tasks, current_map=current_map),
        "totals": selectors.status_totals(tasks=tasks),
        "today": timezone.localdate(),
    }
    if document is not None:
        context["children"] = selectors.document_list(user=request.user).filter(parent=document)
        context["can_edit"] = request.user.has_perm("directives.change_document", document)
    return render(request, "directives/board.html", context)


@login_required
@permission_required("directives.export_board", raise_exception=True)
def board_export(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponseBase:
    document = selectors.document_get(user=request.user, pk=pk) if pk is not None else None
    filterset = _board(request, document)
    if filterset.is_bound and not filterset.is_valid():
        return invalid_filters(
            request,
            filterset.form,
            list_url=reverse("directives:document", args=[pk]) if pk else reverse("directives:board"),
        )
    tasks = _filtered(filterset)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"nhiem-vu-{document.pk}-{stamp}.xlsx" if document else f"nhiem-vu-{stamp}.xlsx"
    return FileResponse(
        exports.xlsx_file(exports.board_rows(tasks)), as_attachment=True, filename=name, content_type=XLSX
    )


@login_required
@permission_required("directives.view_board", raise_exception=True)
def document_file(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    if not document.file:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file_name or "van-ban")


@login_required
@permission_required("directives.add_document", raise_exception=True)
def document_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_create(
                by=request.user, file=form.cleaned_data.get("upload"), **form.cleaned_fields()
            )
        except ValidationError as error:
            _add_errors(form, error, {"file": "upload"})
        else:
            messages.success(request, _("The document has been recorded."))
            return redirect("directives:document", pk=document.pk)
    return render(request, "directives/document_form.html", {"form": form, "document": None})


@login_required
def document_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    if not request.user.has_perm("directives.change_document", document):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, request.FILES or None, instance=document, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_update(
                document=Document.objects.get(pk=document.pk),
                by=request.user,
                file=form.cleaned_data.get("upload"),
                **form.cleaned_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error, {"file": "upload"})
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("directives:document", pk=document.pk)
    return render(request, "directives/document_form.html", {"form": form, "document": document})


@login_required
@permission_required("directives.add_task", raise_exception=True)
def task_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document = selectors.document_get(user=request.user, pk=pk)
    form = TaskForm(
        request.POST or None,
        user=request.user,
        initial={"starts_on": document.issued_on, "province": document.issuing_agency.province_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(
                by=request.user,
                document=document,
                cooperating_agencies=form.cleaned_data["cooperating_agencies"],
                **form.cleaned_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("You may only add tasks of your own province."))
        else:
            messages.success(request, _("The task has been added."))
            return redirect("directives:task", pk=task.pk)
    return render(request, "directives/task_form.html", {"form": form, "document": document, "task": None})


@login_required
def task_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get(user=request.user, pk=pk)
    if not request.user.has_perm("directives.change_task", task):
        raise PermissionDenied
    form = TaskForm(request.POST or None, instance=task, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_update(
                task=DirectiveTask.objects.get(pk=task.pk),
                by=request.user,
                cooperating_agencies=form.cleaned_data["cooperating_agencies"],
                **form.cleaned_fields(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("directives:task", pk=task.pk)
    return render(request, "directives/task_form.html", {"form": form, "document": task.document, "task": task})


@login_required
@permission_required("directives.view_board", raise_exception=True)
def task_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A task, its status and per-period history, its reports over time and the report form."""
    if request.method == "POST":
        # Posting a report: a role that never reports is refused (403); a task the user may see
        # but not report on (another agency's, another province's) is 404, as a missing one.
        if not request.user.has_perm("directives.report_on_tasks"):
            raise PermissionDenied
        task = selectors.task_get_to_report(user=request.user, pk=pk)
    else:
        task = selectors.task_get(user=request.user, pk=pk)
    can_report = request.user.has_perm("directives.add_report", task)
    periods = services.report_periods(task=task)
    form = ReportForm(request.POST or None, request.FILES or None, task=task, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(task=task, by=request.user, **form.cleaned_report())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The report has been added."))
            return redirect("directives:task", pk=task.pk)
    reports = selectors.task_reports(task=task)
    assessment, history = selectors.task_assessment(task=task, reports=reports)
    selectors.attach_current_agencies([task])
    # Did the linked indicators move? Their values per round, for the task's province or the nation.
    series = indicator_selectors.indicator_series(
        metrics=list(task.indicator_codes),
        scope_key=f"p:{task.province.code}" if task.province is not None else "nation",
    )
    labels = indicator_selectors.metric_labels() if task.indicator_codes else {}
    return render(
        request,
        "directives/task_detail.html",
        {
            "indicator_trends": [
                {"code": code, "label": labels.get(code, code), "rows": series.get(code, [])}
                for code in task.indicator_codes
            ],
            "task": task,
            "reports": list(reversed(reports)),
            "assessment": assessment,
            "history": history,
            "form": form if can_report else None,
            "agency_role": selectors.task_agency_role(user=request.user, task=task),
            "can_edit": request.user.has_perm("directives.change_task", task),
        },
    )


@login_required
@permission_required("directives.view_board", raise_exception=True)
def evidence_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


def _add_errors(form: Any, error: ValidationError, renamed: dict[str, str] | None = None) -> None:
    """Show a service's errors on the form's fields (or above the form for other fields)."""
    renamed = renamed or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        target = renamed.get(field, field)
        form.add_error(target if target in form.fields else None, errors)
