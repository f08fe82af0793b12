"""Forms of the support pages: recording a support, choosing the rounds of the effect, uploading."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from coopdx.forms import BlankChoiceLabels, field_of
from surveys.models import SurveyRound

from .models import SupportProgramme, SupportReceived


def _date_field() -> forms.DateField:
    return forms.DateField(
        label=_("Date received"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        help_text=_("dd/mm/yyyy"),
    )


class CooperativeSupportForm(BlankChoiceLabels, forms.Form):
    """From a cooperative's page: which programme, when."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=SupportProgramme.objects.none())
    received_on = _date_field()
    note = forms.CharField(
        label=_("Note"), required=False, max_length=SupportReceived._meta.get_field("note").max_length
    )

    def __init__(self, *args: Any, programmes: QuerySet[SupportProgramme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "programme", forms.ModelChoiceField).queryset = programmes


class ProgrammeSupportForm(forms.Form):
    """From a programme's page: which cooperative (by its code), when."""

    cooperative_code = forms.CharField(label=_("Cooperative code"), max_length=14)
    received_on = _date_field()
    note = forms.CharField(
        label=_("Note"), required=False, max_length=SupportReceived._meta.get_field("note").max_length
    )


class EffectRoundsForm(forms.Form):
    """The two rounds compared: round A (before the support) and round B (after)."""

    a = forms.ChoiceField(label=_("Round before (A)"))
    b = forms.ChoiceField(label=_("Round after (B)"))

    def __init__(self, *args: Any, rounds: list[SurveyRound], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rounds = {r.code: r for r in rounds}
        choices = [(r.code, r.name) for r in rounds]
        field_of(self, "a", forms.ChoiceField).choices = choices
        field_of(self, "b", forms.ChoiceField).choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        a, b = self.rounds.get(data.get("a", "")), self.rounds.get(data.get("b", ""))
        if a and b and not (a.closes_on < b.opens_on):
            self.add_error("b", _("Round B must open after round A has closed."))
        return data

    def chosen(self) -> tuple[SurveyRound, SurveyRound]:
        return self.rounds[self.cleaned_data["a"]], self.rounds[self.cleaned_data["b"]]


class SupportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
