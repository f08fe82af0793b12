"""Forms of upward reports: the scope and period of a new one, then its heading and texts."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopdx.forms import field_of
from cooperatives.models import Province

from ..forms import _date_field
from ..models import Agency
from .models import UpwardReport
from .selectors import upward_agency_choices, upward_province_choices
from .services import EDITABLE_FIELDS

if TYPE_CHECKING:
    from accounts.models import User

# A report covers at most a few years (a five-year plan); more is a typing error.
MAX_PERIOD_DAYS = 366 * 5


class UpwardReportCreateForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none(), required=False)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none(), required=False)
    period_start = _date_field(_("Period from"))
    period_end = _date_field(_("Cut-off date"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = field_of(self, "agency", forms.ModelChoiceField)
        agency.queryset = upward_agency_choices(user=user)
        agency.empty_label = _("(a province's report)")
        province = field_of(self, "province", forms.ModelChoiceField)
        province.queryset = upward_province_choices(user=user)
        province.empty_label = _("(an agency's report)")
        self.fields["period_end"].help_text = _("Figures and progress reports known on this day, none later.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("agency")) == bool(data.get("province")):
            raise forms.ValidationError(_("Choose either an agency or a province."), code="scope")
        start: datetime.date | None = data.get("period_start")
        end: datetime.date | None = data.get("period_end")
        if start and end:
            if start > end:
                self.add_error("period_end", _("The cut-off date is before the start of the period."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("period_start", _("A report covers at most five years."))
            if end > timezone.localdate():
                self.add_error("period_end", _("The cut-off date cannot be in the future."))
        return data


class UpwardReportForm(forms.ModelForm):
    issued_on = _date_field(_("Date of the report"))

    class Meta:
        model = UpwardReport
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 2}),
            "introduction": forms.Textarea(attrs={"rows": 5}),
            "difficulties": forms.Textarea(attrs={"rows": 5}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
            "recipients": forms.Textarea(attrs={"rows": 4}),
            "signer_title": forms.Textarea(attrs={"rows": 2}),
        }
