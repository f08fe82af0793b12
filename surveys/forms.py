"""The questionnaire page form, built from the questions of one pillar."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Pillar, Question, QuestionKind, ResponseFlag, ResponseStatus
from .scoring import AnswerValue

DAMAGED_PAGE = _("This page is out of date or damaged. Reload it and enter your answers again.")


def plain_number(value: Decimal) -> str:
    """A number for HTML attributes and inputs: digits and a dot, whatever the language."""
    return format(value.to_integral_value() if value == value.to_integral_value() else value.normalize(), "f")


class RevisionField(forms.IntegerField):
    """The revision a form was opened at (optimistic lock); anything else is a damaged page."""

    def __init__(self, **kwargs: Any) -> None:
        message = DAMAGED_PAGE
        super().__init__(
            widget=forms.HiddenInput,
            min_value=0,
            max_value=2**31 - 1,
            error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), message),
            **kwargs,
        )


class NumberAnswerField(forms.Field):
    """A number answer, checked by ``answers.parse_number`` as the API and the import are.

    The input carries the question's bounds and step so the browser helps, in plain digits.
    """

    def __init__(self, *, question: Question, **kwargs: Any) -> None:
        self.question = question
        attrs = {
            "inputmode": "numeric" if question.integer_only else "decimal",
            "step": "1" if question.integer_only else "0.01",
        }
        if question.min_value is not None:
            attrs["min"] = plain_number(question.min_value)
        if question.max_value is not None:
            attrs["max"] = plain_number(question.max_value)
        super().__init__(widget=forms.NumberInput(attrs=attrs), required=False, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        from .answers import parse_number

        text = "" if value in self.empty_values else str(value).strip()
        if not text:
            return None
        return parse_number(self.question, text)

    def prepare_value(self, value: Any) -> Any:
        return plain_number(value) if isinstance(value, Decimal) else value


class PillarForm(forms.Form):
    """One pillar's questions. Nothing is required on a draft page; submission checks completeness."""

    revision = RevisionField()

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
                field = NumberAnswerField(question=question)
                initial = value.number if value else None
            else:
                field = forms.CharField(max_length=500, required=False)
                initial = value.text if value else ""
            field.label = label
            field.help_text = " ".join(filter(None, [question.help, f"({question.unit})" if question.unit else ""]))
            field.initial = initial
            self.fields[question.code] = field

    def clean(self) -> dict[str, Any]:
        super().clean()
        if self.has_error("revision"):
            # A hidden field's error would not be seen next to it: say it at the top.
            self.add_error(None, DAMAGED_PAGE)
        return self.cleaned_data

    @property
    def damaged(self) -> bool:
        return self.has_error("revision")

    def answers(self) -> dict[str, Any]:
        return {question.code: self.cleaned_data.get(question.code) for question in self.questions}


class RevisionForm(forms.Form):
    revision = RevisionField()


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("return", _("Return for correction"))]
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, may_accept: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_accept:
            # Whoever entered the response may only return it; another officer accepts it.
            decision = self.fields["decision"]
            assert isinstance(decision, forms.ChoiceField)
            decision.choices = [("return", _("Return for correction"))]


class FlagConfirmForm(forms.Form):
    """The reviewer's confirmation that a flagged response's figures are right."""

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=ResponseFlag.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RoundFilterForm(forms.Form):
    """The round page's filters (and its export's): a state in the round and a search."""

    state = forms.ChoiceField(required=False, label=_("Status"))
    q = forms.CharField(required=False, label=_("Search"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states = [("not_started", _("Not started")), *ResponseStatus.choices]
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ChoiceField)
        state_field.choices = [("", _("All")), *states]

    def clean_q(self) -> str:
        return self.cleaned_data["q"][:100]  # a search of any length reads; only its start counts


XLSFORM_MAX_BYTES = 5 * 1024 * 1024  # a questionnaire's workbook is tens of kilobytes


class XLSFormUploadForm(forms.Form):
    """An XLSForm workbook to become a draft version. The name and size are checked here, before
    anything is read; the content by ``surveys.xlsform`` (the guarded reader, then pyxform)."""

    file = forms.FileField(
        label=_("XLSForm workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={
            "required": _("Choose an XLSForm workbook (.xlsx) to upload."),
            "empty": _("The file is empty."),
            "invalid": _("No file was received. Choose the workbook again."),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Only an .xlsx workbook (Excel) can become a questionnaire version."))
        if upload.size > XLSFORM_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; a questionnaire's workbook is much smaller.")
                % {"limit": XLSFORM_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        state = _("Published") if obj.is_published else _("Draft")
        return f"{obj.code} v{obj.version} — {state}"


class CompareForm(forms.Form):
    """The version to compare a version with (the previous published one unless chosen)."""

    other = VersionChoiceField(queryset=None, label=_("Compare with"), empty_label=None)

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        other = self.fields["other"]
        assert isinstance(other, forms.ModelChoiceField)
        other.queryset = versions
