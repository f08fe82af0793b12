"""Export job pages: start one and list one's own, follow one's progress, download its file and
data dictionary (recorded in the export trail), start a failed one again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopdx.http import AuthenticatedHttpRequest

from . import selectors, services
from .forms import ExportStartForm
from .models import ExportJob

MAY_EXPORT = "exports.start_export"


@login_required
@permission_required(MAY_EXPORT, raise_exception=True)
def export_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ExportStartForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.export_job_start(
                kind=data["kind"], fmt=data["fmt"], rounds=data["rounds"], provinces=data["provinces"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("exports:detail", pk=job.pk)
    jobs = selectors.export_job_list(user=request.user)[:50]
    status = 400 if request.method == "POST" else 200
    return render(request, "exports/export_list.html", {"form": form, "jobs": jobs}, status=status)


@login_required
@permission_required(MAY_EXPORT, raise_exception=True)
def export_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    template = "exports/_export_status.html" if request.headers.get("HX-Request") else "exports/export_detail.html"
    return render(request, template, {"job": job})


def _file(request: AuthenticatedHttpRequest, job: ExportJob, part: str) -> FileResponse:
    if not job.is_available:
        raise Http404(_("This export is not available: it is not finished, failed or has expired."))
    stored = job.file if part == "file" else job.dictionary
    services.export_job_downloaded(job=job, by=request.user, part=part)
    name = (stored.name or "").rsplit("/", 1)[-1]
    content_type = "application/gzip" if part == "file" else "text/csv; charset=utf-8"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name, content_type=content_type)


@login_required
@permission_required(MAY_EXPORT, raise_exception=True)
def export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _file(request, selectors.export_job_get(user=request.user, pk=pk), "file")


@login_required
@permission_required(MAY_EXPORT, raise_exception=True)
def export_dictionary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _file(request, selectors.export_job_get(user=request.user, pk=pk), "dictionary")


@login_required
@require_POST
@permission_required(MAY_EXPORT, raise_exception=True)
def export_restart(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = selectors.export_job_get(user=request.user, pk=pk)
    try:
        services.export_job_restart(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("exports:detail", pk=job.pk)
