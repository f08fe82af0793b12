"""The national team's pages for questionnaire versions: the list of versions, a new draft from an
XLSForm workbook, the workbook of any version, the preview of a version as a cooperative fills
it in, the comparison with another version, and publishing. Each reads through ``selectors`` and
writes through ``surveys.xlsform`` and ``questionnaires.questionnaire_publish``; the rule is
``surveys.author_questionnaire`` (national administrators)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors
from .continuity import previous_version
from .diff import questionnaire_diff
from .fill_parts import part_context
from .forms import CompareForm, PillarForm, XLSFormUploadForm
from .models import Questionnaire
from .questionnaires import questionnaire_publish as publish_version
from .questionnaires import questionnaire_spec
from .skip_logic import required_unanswered
from .xlsform import XLSFormRefused, questionnaire_export_xlsform, questionnaire_import_xlsform

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def authoring(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the sign-in page), and allowed to author versions (else 403)."""
    return login_required(permission_required("surveys.author_questionnaire", raise_exception=True)(view))


@authoring
@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    versions = selectors.questionnaire_versions(user=request.user)
    return render(request, "surveys/questionnaire_list.html", {"versions": versions})


@authoring
@require_http_methods(["GET", "POST"])
def questionnaire_upload(request: HttpRequest) -> HttpResponse:
    form = XLSFormUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            draft = questionnaire_import_xlsform(filename=upload.name, content=upload.read())
        except XLSFormRefused as refused:
            problems = refused.problems
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            messages.success(
                request,
                _("Draft %(version)s is ready: check it here, compare it, then publish it.") % {"version": draft},
            )
            return redirect("surveys:questionnaire_preview", pk=draft.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "surveys/questionnaire_upload.html",
        {
            "form": form,
            "file_problems": [p for p in problems if not p.sheet],
            "problems": [p for p in problems if p.sheet],
        },
        status=status,
    )


@authoring
@require_GET
def questionnaire_xlsform(request: HttpRequest, pk: int) -> HttpResponse:
    questionnaire = selectors.questionnaire_get(user=request.user, pk=pk)
    stem = re.sub(r"[^\w.-]+", "-", f"{questionnaire.code}-v{questionnaire.version}", flags=re.ASCII).strip("-")
    download = HttpResponse(questionnaire_export_xlsform(questionnaire), content_type=XLSX)
    download["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return download


@authoring
@require_GET
def questionnaire_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's form, part by part, as a cooperative sees it; nothing can be saved."""
    questionnaire = selectors.questionnaire_get(user=request.user, pk=pk)
    pillars = list(questionnaire.pillars.all())
    part = request.GET.get("part", "1")
    if not part.isdigit() or not 1 <= int(part) <= len(pillars):
        raise Http404(_("This version has no such part."))
    page = int(part)
    spec = questionnaire_spec(questionnaire)
    unanswered = set(required_unanswered(spec, {}))
    return render(
        request,
        "surveys/questionnaire_preview.html",
        {
            "questionnaire": questionnaire,
            "form": PillarForm(pillar=pillars[page - 1], values={}),
            **part_context(pillars=pillars, page=page, spec=spec, values={}, unanswered=unanswered),
            "step_links": True,
        },
    )


@authoring
@require_GET
def questionnaire_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed from another version (the previous published one unless chosen) to this one."""
    questionnaire = selectors.questionnaire_get(user=request.user, pk=pk)
    versions = selectors.questionnaire_list(user=request.user).exclude(pk=questionnaire.pk)
    form = CompareForm(request.GET or None, versions=versions)
    other: Questionnaire | None
    if form.is_bound:
        if not form.is_valid():
            raise Http404(_("There is no such version to compare with."))
        other = form.cleaned_data["other"]
    else:
        other = previous_version(questionnaire)
        form = CompareForm(initial={"other": other}, versions=versions)
    return render(
        request,
        "surveys/questionnaire_compare.html",
        {
            "questionnaire": questionnaire,
            "other": other,
            "form": form,
            "changes": questionnaire_diff(other, questionnaire) if other is not None else [],
        },
    )


@authoring
@require_http_methods(["GET", "POST"])
def questionnaire_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """A page to confirm publishing a draft; the service says what stands in the way."""
    questionnaire = selectors.questionnaire_get(user=request.user, pk=pk)
    context: dict[str, Any] = {"questionnaire": questionnaire, "previous": previous_version(questionnaire)}
    if questionnaire.is_published:
        context["already"] = _("This version is already published.")
        return render(request, "surveys/questionnaire_publish.html", context, status=409)
    if request.method == "GET":
        return render(request, "surveys/questionnaire_publish.html", context)
    try:
        publish_version(questionnaire=questionnaire)
    except ValidationError as error:
        refusals = error.error_list
        context["breaks"] = [" ".join(e.messages) for e in refusals if e.code == "indicator_breaks"]
        context["refusals"] = [" ".join(e.messages) for e in refusals if e.code != "indicator_breaks"]
        context["indicators_url"] = reverse("surveys:questionnaire_indicators", args=[questionnaire.pk])
        return render(request, "surveys/questionnaire_publish.html", context, status=400)
    messages.success(request, _("%(version)s is published: rounds may now use it.") % {"version": questionnaire})
    return redirect("surveys:questionnaire_list")
