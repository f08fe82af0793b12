"""The token forms: the administrators' issue form and an analyst's own read-only token."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import WRITE_SCOPES, ApiScope, Role
from coopdx.forms import BlankChoiceLabels
from cooperatives.models import Province


def _default_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365)


def _end_of_day(day: datetime.date) -> datetime.datetime:
    """The end of the chosen day, in Viet Nam's time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


class ApiTokenIssueForm(BlankChoiceLabels, forms.Form):
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=255,
        help_text=_("Who receives the token, e.g. the ministry's statistics department or a provincial system."),
    )
    role = forms.ChoiceField(
        label=_("Acts as"),
        choices=[
            (Role.MINISTRY_ANALYST, _("A ministry analyst: reads national data")),
            (Role.PROVINCIAL_OFFICER, _("A provincial officer of one province")),
        ],
        widget=forms.RadioSelect,
        initial=Role.MINISTRY_ANALYST,
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.all(),  # in Vietnamese alphabetical order (the model's ordering)
        required=False,
        help_text=_("Only for a provincial token."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=ApiScope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Writing scopes (entering self-assessments, reporting on tasks) need a provincial token."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        initial=_default_expiry,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        help_text=_("At most two years from today."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        role, province = data.get("role"), data.get("province")
        if role == Role.PROVINCIAL_OFFICER and province is None:
            self.add_error("province", _("A province token needs its province."))
        if role == Role.MINISTRY_ANALYST:
            data["province"] = None
            if set(data.get("scopes") or ()) & set(WRITE_SCOPES):
                self.add_error("scopes", _("A national token only reads; writing scopes need a province token."))
        return data

    def expires_at(self) -> datetime.datetime:
        return _end_of_day(self.cleaned_data["expires_on"])


class PersonalTokenForm(forms.Form):
    """A ministry analyst's token for their own scripts and tools: national and read-only."""

    organisation = forms.CharField(
        label=_("Token name"),
        max_length=255,
        help_text=_("A name you will recognise, e.g. the script or tool that uses it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=[(value, label) for value, label in ApiScope.choices if value not in WRITE_SCOPES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your tokens only read, like your account."),
    )
    expires_on = ApiTokenIssueForm.base_fields["expires_on"]

    def expires_at(self) -> datetime.datetime:
        return _end_of_day(self.cleaned_data["expires_on"])
