"""Registry pages. Thin: selectors read, services write, templates show."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.exports import audited
from coopdx.errors import invalid_filters
from coopdx.exports import XLSX, download
from coopdx.http import AuthenticatedHttpRequest
from imports import selectors as import_selectors
from imports.files import ImportFileError
from imports.jobs import import_job_confirm, import_job_create, import_jobs_release_abandoned

from . import exports, selectors, services
from .filters import CooperativeFilter
from .forms import CooperativeForm, ImportUploadForm
from .importing.report import error_workbook, error_workbook_name
from .models import Cooperative

PAGE_SIZE = 50


def _filtered(request: AuthenticatedHttpRequest) -> CooperativeFilter:
    return CooperativeFilter(
        request.GET or None,
        queryset=selectors.cooperative_list(user=request.user),
        provinces=selectors.province_list(user=request.user),
    )


@login_required
@permission_required("cooperatives.view_registry", raise_exception=True)
def cooperative_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    filterset = _filtered(request)
    queryset = filterset.qs  # unbound (no query string): the selector's queryset, unfiltered
    if filterset.is_bound and filterset.is_valid() and not filterset.form.cleaned_data.get("ordering"):
        # A search lists the closest matches first unless the user chose an order.
        queryset = selectors.cooperative_search_ranked(queryset, filterset.form.cleaned_data.get("q") or "")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # The filters beyond the search box, folded under a button on a phone: open when one is in
    # use or refused, and the button counts those in use.
    more = [name for name in filterset.form.fields if name != "q"]
    refused = any(name in filterset.form.errors for name in more)  # no errors when unbound
    # What the list applied: the valid fields (django-filter filters by those, and drops the rest);
    # the filters among them narrow the list, the order does not.
    cleaned = getattr(filterset.form, "cleaned_data", {})
    in_use = sum(1 for name in more if name != "ordering" and cleaned.get(name) not in (None, "", []))
    return render(
        request,
        "cooperatives/cooperative_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "filters_in_use": in_use,
            "filters_open": bool(in_use or refused or cleaned.get("ordering")),
        },
    )


@login_required
@permission_required("cooperatives.view_registry", raise_exception=True)
def cooperative_export(request: AuthenticatedHttpRequest, fmt: str) -> HttpResponseBase:
    filterset = _filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        return invalid_filters(request, filterset.form, list_url=reverse("cooperatives:list"))
    queryset = filterset.qs  # unbound (no query string): the selector's queryset, unfiltered
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filters = {key: value for key, value in request.GET.items() if value}
    rows = audited(exports.export_rows(queryset), user=request.user, kind="registry", fmt=fmt, filters=filters)
    return download(rows, fmt=fmt, stem=f"htx-{stamp}")


@login_required
def cooperative_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cooperative = selectors.cooperative_get(user=request.user, pk=pk)
    return render(
        request,
        "cooperatives/cooperative_detail.html",
        {
            "cooperative": cooperative,
            "ocop_products": cooperative.ocop_products.all(),
            "listings": cooperative.listings.all(),
            "changes": selectors.cooperative_changes(cooperative=cooperative),
            "can_edit": request.user.has_perm("cooperatives.change_cooperative", cooperative),
        },
    )


@login_required
@permission_required("cooperatives.add_cooperative", raise_exception=True)
def cooperative_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CooperativeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cooperative = services.cooperative_create(by=request.user, **form.cleaned_profile())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The cooperative has been registered."))
            return redirect("cooperatives:detail", pk=cooperative.pk)
    return render(request, "cooperatives/cooperative_form.html", {"form": form, "cooperative": None})


def _editable(request: AuthenticatedHttpRequest, pk: int) -> Cooperative:
    cooperative = selectors.cooperative_get(user=request.user, pk=pk)
    if not request.user.has_perm("cooperatives.change_cooperative", cooperative):
        raise PermissionDenied
    return cooperative


@login_required
def cooperative_update(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cooperative = _editable(request, pk)
    form = CooperativeForm(request.POST or None, instance=cooperative, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.cooperative_update(cooperative=cooperative, by=request.user, **form.cleaned_profile())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("cooperatives:detail", pk=cooperative.pk)
    return render(request, "cooperatives/cooperative_form.html", {"form": form, "cooperative": cooperative})


@login_required
@require_POST
def cooperative_archive(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cooperative = _editable(request, pk)
    archived = request.POST.get("archived", "1") == "1"
    services.cooperative_archive(cooperative=cooperative, by=request.user, archived=archived)
    messages.success(
        request, _("The cooperative has been archived.") if archived else _("The cooperative is restored.")
    )
    return redirect("cooperatives:detail", pk=cooperative.pk)


@login_required
@permission_required("cooperatives.import_cooperatives", raise_exception=True)
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {"kind": request.GET.get("kind"), "round": request.GET.get("round")}
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                uploaded_file=form.cleaned_data["file"],
                by=request.user,
                kind=form.cleaned_data["kind"],
                options=form.import_options(),
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("cooperatives:import_job", pk=job.pk)
    jobs = import_selectors.import_job_list(user=request.user)[:10]
    round_code = form["round"].value()
    return render(request, "cooperatives/import_upload.html", {"form": form, "jobs": jobs, "round_code": round_code})


@login_required
@permission_required("cooperatives.import_cooperatives", raise_exception=True)
def import_template(request: AuthenticatedHttpRequest) -> FileResponse:
    return FileResponse(
        exports.template_workbook(), as_attachment=True, filename="mau-nhap-htx.xlsx", content_type=XLSX
    )


@login_required
def import_job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Polled while the job runs: a job whose worker is gone is released here (see imports.jobs).
    import_jobs_release_abandoned()
    job = import_selectors.import_job_get(user=request.user, pk=pk)
    template = "cooperatives/_import_job_status.html" if request.htmx else "cooperatives/import_job.html"
    return render(request, template, {"job": job, "changes": selectors.import_job_changes(job=job)})


@login_required
def import_job_errors(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The job's own file with the bad cells marked (its owner or a national administrator)."""
    job = import_selectors.import_job_get(user=request.user, pk=pk)
    if not job.errors:
        raise Http404
    try:
        workbook = error_workbook(job=job)
    except (ImportFileError, OSError) as error:  # unreadable, or no longer stored
        raise Http404 from error
    return FileResponse(workbook, as_attachment=True, filename=error_workbook_name(job), content_type=XLSX)


@login_required
@require_POST
def import_job_confirm_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = import_selectors.import_job_get(user=request.user, pk=pk)
    try:
        import_job_confirm(job=job, by=request.user)
    except ImportFileError as error:
        messages.error(request, str(error))
    return redirect("cooperatives:import_job", pk=job.pk)
