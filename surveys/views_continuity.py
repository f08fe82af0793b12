"""The page where the national team keeps indicator series going across a new questionnaire
version: what the draft drops or changes that an indicator counts, and the mapping that says
which question and options carry each series on (``surveys.continuity``). Thin: the service
checks and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from coopdx.http import AuthenticatedHttpRequest

from .continuity import indicator_breaks, indicator_mapping_set, previous_version
from .models import IndicatorDefinition, Question, Questionnaire

CHOICE_KINDS = ("single", "yes_no", "multiple")


class MappingForm(forms.Form):
    """Step one: the question of the new version; step two (once chosen): its options and why."""

    question = forms.ChoiceField(label=gettext_lazy("Question of this version"))
    options = forms.MultipleChoiceField(
        label=gettext_lazy("Options that count"), widget=forms.CheckboxSelectMultiple, required=False
    )
    note = forms.CharField(label=gettext_lazy("Why"), max_length=255, required=False)

    def __init__(self, *args: Any, questionnaire: Questionnaire, chosen: Question | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions = Question.objects.filter(questionnaire=questionnaire, kind__in=CHOICE_KINDS)
        field = self.fields["question"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(q.code, f"{q.code}: {q.text[:80]}") for q in questions]
        options = self.fields["options"]
        assert isinstance(options, forms.MultipleChoiceField)
        options.choices = [(o.code, f"{o.code}: {o.label}") for o in chosen.options.all()] if chosen else []


@login_required
@permission_required("surveys.author_questionnaire", raise_exception=True)
@require_http_methods(["GET", "POST"])
def questionnaire_indicators(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    breaks = indicator_breaks(questionnaire)
    mappings = list(questionnaire.indicator_mappings.select_related("indicator").order_by("indicator__position"))
    editable = {b.indicator.code for b in breaks} | {m.indicator.code for m in mappings}
    code = request.POST.get("indicator") or request.GET.get("indicator", "")
    indicator = None
    if not questionnaire.is_published and code in editable:
        indicator = IndicatorDefinition.objects.get(code=code)
    form, status = None, 200
    if indicator is not None:
        data = request.POST if request.method == "POST" else request.GET if "question" in request.GET else None
        existing = next((m for m in mappings if m.indicator_id == indicator.pk), None)
        so_far = existing or indicator  # the decision recorded, or what the series counted until now
        chosen_code = (data or {}).get("question") or so_far.question_code
        chosen = Question.objects.filter(questionnaire=questionnaire, code=chosen_code).first()
        initial = {
            "question": chosen_code,
            "options": [str(c) for c in so_far.option_codes],
            "note": existing.note if existing else "",
        }
        form = MappingForm(data, questionnaire=questionnaire, chosen=chosen, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                indicator_mapping_set(
                    questionnaire=questionnaire,
                    indicator=indicator,
                    question_code=form.cleaned_data["question"],
                    option_codes=form.cleaned_data["options"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except ValidationError as error:
                found = error.message_dict if hasattr(error, "error_dict") else {"options": error.messages}
                for field, errors in found.items():
                    form.add_error("question" if field == "question_code" else "options", errors)
            else:
                messages.success(request, _("The series of “%(name)s” goes on.") % {"name": indicator.name})
                return redirect("surveys:questionnaire_indicators", pk=questionnaire.pk)
        if request.method == "POST":
            status = 400
    elif request.method == "POST":
        # Nothing to decide: a published version, or an indicator this version keeps as it is.
        messages.error(request, _("There is no decision to record for this indicator in this version."))
        status = 400
    context = {
        "questionnaire": questionnaire,
        "heading": _("Indicator series"),
        "current": "indicators",
        "previous": previous_version(questionnaire),
        "breaks": breaks,
        "mappings": mappings,
        "indicator": indicator,
        "form": form,
    }
    return render(request, "surveys/questionnaire_indicators.html", context, status=status)
