"""Pages of upward reports: the list, a new one, its edit form, its preview and its two files.
Thin: the selectors read (404 out of scope), the services write, the rules decide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coopdx.http import AuthenticatedHttpRequest

from ..views import _add_errors
from . import pdf, selectors, services, word
from .content import upward_content
from .forms import UpwardReportCreateForm, UpwardReportForm
from .models import UpwardReport

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@permission_required("directives.view_upward_reports", raise_exception=True)
def upward_report_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    reports = selectors.upward_report_list(user=request.user)[:200]
    return render(request, "directives/upward/list.html", {"reports": reports})


@login_required
@permission_required("directives.prepare_upward_report", raise_exception=True)
def upward_report_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UpwardReportCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.upward_report_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("You may not prepare a report for this agency or province."))
        else:
            messages.success(request, _("The draft report has been prepared from the data. Check and edit it."))
            return redirect("directives:upward_update", pk=report.pk)
    return render(request, "directives/upward/create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@permission_required("directives.view_upward_reports", raise_exception=True)
def upward_report_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = selectors.upward_report_get(user=request.user, pk=pk)
    if not request.user.has_perm("directives.prepare_upward_report", report):
        raise PermissionDenied
    form = UpwardReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS}
            services.upward_report_update(report=UpwardReport.objects.get(pk=report.pk), by=request.user, **fields)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("directives:upward_preview", pk=report.pk)
    status = 400 if form.errors else 200
    return render(request, "directives/upward/form.html", {"form": form, "report": report}, status=status)


@login_required
@permission_required("directives.view_upward_reports", raise_exception=True)
def upward_report_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = selectors.upward_report_get(user=request.user, pk=pk)
    context = pdf.document_context(upward_content(report=report))
    context["can_edit"] = request.user.has_perm("directives.prepare_upward_report", report)
    return render(request, "directives/upward/preview.html", context)


def _file_name(report: UpwardReport, extension: str) -> str:
    return f"bao-cao-{report.pk}-{report.period_end:%Y%m%d}.{extension}"


@login_required
@permission_required("directives.view_upward_reports", raise_exception=True)
def upward_report_docx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = selectors.upward_report_get(user=request.user, pk=pk)
    response = HttpResponse(word.upward_docx(upward_content(report=report)), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "docx")}"'
    return response


@login_required
@permission_required("directives.view_upward_reports", raise_exception=True)
def upward_report_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    report = selectors.upward_report_get(user=request.user, pk=pk)
    response = HttpResponse(pdf.upward_pdf(upward_content(report=report)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(report, "pdf")}"'
    return response
