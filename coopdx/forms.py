"""Shared form behaviour: the blank choice of a select says what it means, in the user's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# Django shows "---------" as the blank choice of every select; these read as words.
CHOOSE = _("— Choose —")
NONE = _("— None —")


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
