"""Forms of directive tracking: choices limited to the user's scope, rules left to the services."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from coopdx.collation import vietnamese
from coopdx.forms import BlankChoiceLabels, field_of

from . import selectors
from .files import MAX_FILE_BYTES, MAX_REPORT_BYTES, MAX_REPORT_FILES
from .models import Agency, DirectiveTask, Document, ReportStatus
from .periods import Period, ReportingRule
from .services import DOCUMENT_FIELDS, TASK_FIELDS

if TYPE_CHECKING:
    from accounts.models import User

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"


def _date_field(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        help_text=_("dd/mm/yyyy"),
    )


def period_label(period: Period) -> str:
    """A period as its dates and its report's due date, e.g. "15/12/2025 – 14/03/2026 (due 20/03/2026)"."""
    return _("%(start)s – %(end)s (due %(due)s)") % {
        "start": date_format(period.start, "SHORT_DATE_FORMAT"),
        "end": date_format(period.end, "SHORT_DATE_FORMAT"),
        "due": date_format(period.due, "SHORT_DATE_FORMAT"),
    }


class DocumentForm(BlankChoiceLabels, forms.ModelForm):
    issued_on = _date_field(_("Date issued"))
    upload = forms.FileField(
        label=_("Attached file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, Word (.docx), Excel (.xlsx), JPG or PNG; at most 10 MB."),
    )

    class Meta:
        model = Document
        fields = [f for f in DOCUMENT_FIELDS if f != "code"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "issuing_agency", forms.ModelChoiceField).queryset = selectors.agencies_for_officer_documents(
            user=user
        )
        parents = selectors.document_list(user=user)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        field_of(self, "parent", forms.ModelChoiceField).queryset = parents
        self.fields["reporting_rule"].required = False

    def cleaned_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        # Left out of a post: the document keeps its rule (a new one: calendar periods).
        data["reporting_rule"] = data["reporting_rule"] or self.instance.reporting_rule or ReportingRule.CALENDAR
        return data


class IndicatorCodesField(forms.Field):
    """Codes typed as "ecommerce_pct, traceability_pct"; the model validates each one."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:
        text = "" if value in self.empty_values else str(value)
        return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]


class TaskForm(BlankChoiceLabels, forms.ModelForm):
    starts_on = _date_field(_("Starts on"))
    deadline = _date_field(_("Deadline"), required=False)
    indicator_codes = IndicatorCodesField(
        label=_("Linked indicator codes"),
        required=False,
        help_text=_("Comma-separated, e.g. ecommerce_pct, traceability_pct."),
    )

    class Meta:
        model = DirectiveTask
        fields = [f for f in TASK_FIELDS if f != "code"] + ["cooperating_agencies"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "cooperating_agencies": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reporting_period"].help_text = _("Leave empty for a task with a deadline.")
        reporting_period = field_of(self, "reporting_period", forms.ChoiceField)
        choices = list(reporting_period.choices) if isinstance(reporting_period.choices, Iterable) else []
        reporting_period.choices = [("", _("— Has a deadline —")), *choices[1:]]
        field_of(self, "province", forms.ModelChoiceField).queryset = selectors.province_list(user=user)
        field_of(self, "cooperating_agencies", forms.ModelChoiceField).queryset = Agency.objects.order_by(
            "kind", vietnamese("short_name")
        )
        if user.is_officer:
            field_of(self, "lead_agency", forms.ModelChoiceField).queryset = selectors.agencies_for_officer_documents(
                user=user
            )
            # The province comes from the officer's scope; shown, never trusted.
            self.fields["province"].initial = user.province_id
            self.fields["province"].disabled = True

    def cleaned_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in TASK_FIELDS if name in self.fields}
        data["reporting_period"] = data.get("reporting_period") or ""
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        values = data if isinstance(data, list | tuple) else [data]
        return [f for f in (single(value, initial) for value in values) if f]


class ReportForm(forms.Form):
    period_start = forms.TypedChoiceField(label=_("Period"), required=False, coerce=str)
    status = forms.ChoiceField(label=_("Status"), choices=ReportStatus.choices)
    percent_done = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    narrative = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}))
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
    )

    def __init__(self, *args: Any, task: DirectiveTask, periods: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Interpolated per form, in the request's language: a lazy text formatted at import time
        # would be frozen in whichever language was active when the module was first imported.
        self.fields["evidence"].help_text = _(
            "PDF, Word (.docx), Excel (.xlsx), JPG or PNG; at most %(limit)s MB each, "
            "%(count)s files and %(total)s MB together."
        ) % {
            "limit": MAX_FILE_BYTES // (1024 * 1024),
            "count": MAX_REPORT_FILES,
            "total": MAX_REPORT_BYTES // (1024 * 1024),
        }
        if task.reporting_period:
            # Newest first; the period being judged now (the latest closed one) is preselected.
            self.fields["period_start"].required = True
            field_of(self, "period_start", forms.ChoiceField).choices = [
                (p.start.isoformat(), period_label(p)) for p in periods
            ]
            if len(periods) > 1:
                self.fields["period_start"].initial = periods[1].start.isoformat()
        else:
            del self.fields["period_start"]

    def cleaned_report(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        files = data.pop("evidence", [])
        period = data.pop("period_start", None)
        data["period_start"] = datetime.date.fromisoformat(period) if period else None
        data["files"] = files
        return data
