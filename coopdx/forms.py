"""Shared form behaviour: the blank choice of a select says what it means, in the user's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

# Django shows "---------" as the blank choice of every select; these read as words.
CHOOSE = _("— Choose —")
NONE = _("— None —")

FieldT = TypeVar("FieldT", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field ``name`` as the kind of field it is declared as (``form.fields`` only
    promises a ``Field``): for setting a ``queryset`` or ``choices`` that the kind has."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}.")
    return field


class BlankChoiceLabels(forms.BaseForm):
    """Form mixin: the blank choice reads "— Choose —" on a required select, "— None —" on an
    optional one. Labels a form already gave its blank choice are kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = CHOOSE if field.required else NONE
            if isinstance(field, forms.ModelMultipleChoiceField):
                continue
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == "---------":
                    field.empty_label = label
            elif isinstance(field, forms.ChoiceField):
                choices = list(field.choices) if isinstance(field.choices, Iterable) else []
                if choices and choices[0] == ("", "---------"):
                    field.choices = [("", label), *choices[1:]]
