"""The questionnaire page form, built from the questions of one pillar."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Pillar, QuestionKind
from .scoring import AnswerValue


class PillarForm(forms.Form):
    """One pillar's questions. Nothing is required on a draft page; submission checks completeness."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, pillar: Pillar, values: dict[str, AnswerValue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(pillar.questions.all())
        for question in self.questions:
            value = values.get(question.code)
            label = question.text
            options = [(o.code, o.label) for o in question.options.all()]
            if question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
                field: forms.Field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, required=False)
                initial: Any = value.options[0] if value and value.options else None
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, required=False)
                initial = list(value.options) if value else []
            elif question.kind == QuestionKind.NUMBER:
                field = forms.DecimalField(
                    min_value=0,
                    max_digits=12,
                    decimal_places=2,
                    required=False,
                    widget=forms.NumberInput(attrs={"inputmode": "decimal", "min": 0}),
                )
                initial = value.number if value else None
            else:
                field = forms.CharField(max_length=500, required=False)
                initial = value.text if value else ""
            field.label = label
            field.help_text = " ".join(filter(None, [question.help, f"({question.unit})" if question.unit else ""]))
            field.initial = initial
            self.fields[question.code] = field

    def answers(self) -> dict[str, Any]:
        return {question.code: self.cleaned_data.get(question.code) for question in self.questions}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return for correction"))])
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
