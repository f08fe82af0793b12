"""Support pages. Thin: selectors read, services write, templates show."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopdx.exports import XLSX
from coopdx.http import AuthenticatedHttpRequest
from cooperatives.models import Cooperative
from cooperatives.selectors import cooperative_get, cooperative_list
from imports.files import ImportFileError
from imports.jobs import import_job_create
from indicators.selectors import MIN_ANSWERS

from . import selectors, services
from .effect import programme_effect
from .forms import CooperativeSupportForm, EffectRoundsForm, ProgrammeSupportForm, SupportUploadForm
from .importing import SUPPORT
from .models import SupportProgramme
from .template import template_workbook

PAGE_SIZE = 50


@login_required
@permission_required("support.view_programmes", raise_exception=True)
def programme_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    programmes = selectors.programme_list(user=request.user)
    return render(request, "support/programme_list.html", {"programmes": programmes})


@login_required
@permission_required("support.view_programmes", raise_exception=True)
def programme_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, code=code)
    rounds = list(selectors.closed_rounds(user=request.user))
    chosen = request.GET if "a" in request.GET else None
    default = {"a": rounds[1].code, "b": rounds[0].code} if len(rounds) >= 2 else None
    form = EffectRoundsForm(chosen or default, rounds=rounds)
    effect = None
    if form.is_bound and form.is_valid():
        round_a, round_b = form.chosen()
        effect = programme_effect(user=request.user, programme=programme, round_a=round_a, round_b=round_b)
    page = Paginator(selectors.support_list_for_programme(user=request.user, programme=programme), PAGE_SIZE)
    context = {
        "programme": programme,
        "form": form,
        "effect": effect,
        "enough_rounds": len(rounds) >= 2,
        "minimum": MIN_ANSWERS,
        "page": page.get_page(request.GET.get("page")),
        # The chosen rounds stay chosen from page to page of the supported cooperatives.
        "rounds_query": urlencode({"a": request.GET["a"], "b": request.GET.get("b", "")}) + "&" if chosen else "",
    }
    return render(request, "support/programme_detail.html", context, status=400 if form.errors and chosen else 200)


@login_required
@permission_required("support.view_programmes", raise_exception=True)
def programme_record(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Record a support of this programme for a cooperative named by its code."""
    programme = selectors.programme_get(user=request.user, code=code)
    if not request.user.has_perm("support.enter_support"):
        raise PermissionDenied
    form = ProgrammeSupportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cooperative = (
            cooperative_list(user=request.user).filter(code=form.cleaned_data["cooperative_code"].strip()).first()
        )
        if cooperative is None:
            form.add_error("cooperative_code", _("No cooperative with this code in your registry."))
        elif _record(request, form, cooperative=cooperative, programme=programme):
            return redirect("support:programme", code=programme.code)
    return _form_page(request, form, title=programme.name, back=("support:programme", programme.code))


@login_required
def cooperative_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a support the cooperative received, from its page."""
    cooperative = cooperative_get(user=request.user, pk=pk)
    if not request.user.has_perm("support.record_support", cooperative):
        raise PermissionDenied
    programmes = selectors.programme_choices(user=request.user, cooperative=cooperative)
    form = CooperativeSupportForm(request.POST or None, programmes=programmes)
    if (
        request.method == "POST"
        and form.is_valid()
        and _record(request, form, cooperative=cooperative, programme=form.cleaned_data["programme"])
    ):
        return redirect("cooperatives:detail", pk=cooperative.pk)
    return _form_page(request, form, title=cooperative.name, back=("cooperatives:detail", cooperative.pk))


def _record(
    request: AuthenticatedHttpRequest, form: Form, *, cooperative: Cooperative, programme: SupportProgramme
) -> bool:
    try:
        services.support_record(
            cooperative=cooperative,
            programme=programme,
            received_on=form.cleaned_data["received_on"],
            note=form.cleaned_data["note"],
            by=request.user,
        )
    except PermissionDenied:
        form.add_error(None, _("You cannot record support for this cooperative."))
        return False
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    messages.success(request, _("The support has been recorded."))
    return True


def _form_page(request: AuthenticatedHttpRequest, form: Form, *, title: str, back: tuple[str, object]) -> HttpResponse:
    status = 400 if form.errors else 200
    return render(request, "support/record_form.html", {"form": form, "title": title, "back": back}, status=status)


@login_required
@require_POST
def support_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = selectors.support_get(user=request.user, pk=pk)
    if not request.user.has_perm("support.record_support", record.cooperative):
        raise PermissionDenied
    services.support_remove(record=record, by=request.user)
    messages.success(request, _("The support record has been removed."))
    return redirect("cooperatives:detail", pk=record.cooperative_id)


@login_required
@permission_required("support.import_support", raise_exception=True)
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SupportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(uploaded_file=form.cleaned_data["file"], by=request.user, kind=SUPPORT)
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("cooperatives:import_job", pk=job.pk)
    return render(request, "support/import_upload.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@permission_required("support.import_support", raise_exception=True)
def import_template(request: AuthenticatedHttpRequest) -> FileResponse:
    workbook = template_workbook(programmes=selectors.programme_list(user=request.user))
    return FileResponse(workbook, as_attachment=True, filename="mau-nhap-ho-tro.xlsx", content_type=XLSX)
