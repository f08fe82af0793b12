"""The questionnaire page form, built from the questions of one pillar."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NUMBER_KINDS, AddOnKind, Pillar, QuestionKind, ResponseFlag, ResponseStatus
from .scoring import AnswerValue

if TYPE_CHECKING:
    from .answers import AskedQuestion

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

    def __init__(self, *, question: AskedQuestion, **kwargs: Any) -> None:
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


def answer_field(question: AskedQuestion, value: AnswerValue | None) -> forms.Field:
    """The input of one question, national or a province's add-on, holding its saved answer.
    Nothing is required on a draft page; submission checks completeness."""
    options = [(o.code, o.label) for o in question.options.all()]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO):
        field: forms.Field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, required=False)
        field.initial = value.options[0] if value and value.options else None
    elif question.kind == QuestionKind.MULTIPLE:
        field = forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple, required=False)
        field.initial = list(value.options) if value else []
    elif question.kind in NUMBER_KINDS:
        field = NumberAnswerField(question=question)
        field.initial = value.number if value else None
    else:
        field = forms.CharField(max_length=500, required=False)
        field.initial = value.text if value else ""
    field.label = question.text
    return field


class PillarForm(forms.Form):
    """One pillar's questions (or, with ``questions``, a provincial round's add-on questions)."""

    revision = RevisionField()

    def __init__(
        self,
        *args: Any,
        pillar: Pillar | None = None,
        values: dict[str, AnswerValue],
        questions: Sequence[AskedQuestion] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions: list[Any] = list(pillar.questions.all()) if pillar is not None else list(questions)
        for question in self.questions:
            field = answer_field(question, values.get(question.code))
            if pillar is not None:
                field.help_text = " ".join(filter(None, [question.help, f"({question.unit})" if question.unit else ""]))
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


class AddOnQuestionForm(forms.Form):
    """An add-on question as the province writes it; the service (``surveys.addons``) checks it."""

    code = forms.CharField(
        label=_("Code"),
        max_length=48,
        help_text=_("Letters without accents, digits and “_”, e.g. TOURISM. It names the column of the paper form."),
    )
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=AddOnKind.choices)
    text_vi = forms.CharField(label=_("Question (Vietnamese)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(
        label=_("Question (English)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Optional: without it, English readers see the Vietnamese."),
    )
    options = forms.CharField(
        label=_("Options (single or multiple choice)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("One option a line: the Vietnamese label, then “|” and the English label if you have it."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def option_labels(self) -> list[tuple[str, str]]:
        rows = []
        for line in self.cleaned_data.get("options", "").splitlines():
            vi, _bar, en = line.partition("|")
            if vi.strip():
                rows.append((vi.strip(), en.strip()))
        return rows


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
