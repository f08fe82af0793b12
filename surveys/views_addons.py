"""The round's page of provincial add-on questions: list, add, change, order and remove them
(``surveys.addons``), for the officers of the round's province and national administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import addons, selectors
from .forms import AddOnQuestionForm
from .models import AddOnKind, AddOnQuestion, SurveyRound


def _managed_round(request: HttpRequest, code: str) -> SurveyRound:
    """The round in the user's scope (404 outside it), if they may keep its add-ons (else 403)."""
    survey_round = selectors.round_get(user=request.user, code=code)
    if not request.user.has_perm(addons.MANAGE, survey_round):
        raise PermissionDenied
    return survey_round


def _question(survey_round: SurveyRound, pk: int) -> AddOnQuestion:
    return get_object_or_404(AddOnQuestion.objects.select_related("round"), round=survey_round, pk=pk)


def _save(
    request: HttpRequest, survey_round: SurveyRound, form: AddOnQuestionForm, question: AddOnQuestion | None
) -> HttpResponse | None:
    """Save the form through the service; None when refused (the errors are then on the form)."""
    if not form.is_valid():
        return None
    try:
        addons.addon_question_save(
            survey_round=survey_round,
            by=request.user,
            question=question,
            code=form.cleaned_data["code"],
            kind=form.cleaned_data["kind"],
            text_vi=form.cleaned_data["text_vi"],
            text_en=form.cleaned_data["text_en"],
            required=form.cleaned_data["required"],
            options=form.option_labels(),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            form.add_error(None, error.messages)
        return None
    messages.success(request, _("The add-on question is saved."))
    return redirect("surveys:addons", code=survey_round.code)


@login_required
def addon_list(request: HttpRequest, code: str) -> HttpResponse:
    """The round's add-on questions in order, and the form to add one."""
    survey_round = _managed_round(request, code)
    form = AddOnQuestionForm(request.POST or None)
    if request.method == "POST":
        saved = _save(request, survey_round, form, None)
        if saved is not None:
            return saved
    refusal = addons.addon_refusal(survey_round)
    return render(
        request,
        "surveys/addons.html",
        {
            "round": survey_round,
            "questions": addons.addon_questions(survey_round),
            "form": None if refusal else form,
            "refusal": refusal,
            "part_name": addons.addon_part_name(survey_round),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def addon_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    survey_round = _managed_round(request, code)
    question = _question(survey_round, pk)
    refusal = addons.addon_refusal(survey_round)
    if refusal:
        messages.error(request, refusal)
        return redirect("surveys:addons", code=survey_round.code)
    initial = {
        "code": question.code,
        "kind": question.kind,
        "text_vi": question.text_vi,
        "text_en": question.text_en,
        "required": question.required,
        "options": ""
        if question.kind == AddOnKind.YES_NO
        else "\n".join(f"{o.label_vi} | {o.label_en}".rstrip(" |") for o in question.options.all()),
    }
    form = AddOnQuestionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        saved = _save(request, survey_round, form, question)
        if saved is not None:
            return saved
    return render(
        request,
        "surveys/addon_edit.html",
        {"round": survey_round, "question": question, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def addon_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    survey_round = _managed_round(request, code)
    question = _question(survey_round, pk)
    try:
        addons.addon_question_delete(question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The add-on question %(code)s is removed.") % {"code": question.code})
    return redirect("surveys:addons", code=survey_round.code)


@login_required
@require_POST
def addon_move(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    survey_round = _managed_round(request, code)
    question = _question(survey_round, pk)
    try:
        addons.addon_question_move(question=question, by=request.user, up=request.POST.get("direction") == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("surveys:addons", code=survey_round.code)
