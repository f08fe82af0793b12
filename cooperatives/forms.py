"""Registry forms: validation messages in the user's language, province from scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coopdx.forms import BlankChoiceLabels, field_of
from imports import kinds

from .importing.registry import REGISTRY
from .models import Cooperative, Province, Ward
from .services import EDITABLE_FIELDS


class CooperativeForm(BlankChoiceLabels, forms.ModelForm):
    founded_on = forms.DateField(
        label=_("Founding date"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        help_text=_("dd/mm/yyyy"),
    )

    class Meta:
        model = Cooperative
        fields = EDITABLE_FIELDS

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if user.is_officer:
            # The province comes from the officer's scope; the field is shown, never trusted.
            field_of(self, "province", forms.ModelChoiceField).queryset = Province.objects.filter(pk=user.province_id)
            self.fields["province"].initial = user.province_id
            self.fields["province"].disabled = True
        province_id = (
            self.data.get("province")
            or self.initial.get("province")
            or (self.instance.province_id if self.instance.pk else None)
        )
        if user.is_officer:
            province_id = user.province_id
        field_of(self, "ward", forms.ModelChoiceField).queryset = (
            Ward.objects.filter(province_id=province_id) if province_id else Ward.objects.none()
        )
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The official code cannot be changed.")

    def cleaned_profile(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if self.instance.pk:
            data.pop("code", None)
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    # What the file holds: a kind registered with imports.kinds (the registry unless a page
    # links here for another, e.g. a survey round's paper self-assessments).
    kind = forms.CharField(required=False, widget=forms.HiddenInput, max_length=16)
    # The survey round of paper self-assessments.
    round = forms.CharField(required=False, widget=forms.HiddenInput, max_length=32)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("kind"):  # a link that names only the options: the kind that takes them
            data["kind"] = kinds.kind_taking(set(self.import_options())) or REGISTRY
        if data["kind"] not in {kind.key for kind in kinds.registered()}:
            # A hidden field's error would not show: the message goes where the user looks.
            self.add_error("file", _("This kind of import does not exist. Open the import page again from the menu."))
        return data

    def import_options(self) -> dict[str, Any]:
        """What the importer needs besides the file (checked by the importer itself)."""
        survey_round = self.cleaned_data.get("round")
        return {"round": survey_round} if survey_round else {}
