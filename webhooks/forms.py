from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coopdx.forms import BlankChoiceLabels, field_of

from .models import EventType

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import ApiToken


class TokenChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        scope = str(obj.province) if obj.province_id else str(_("whole country"))
        return f"{obj.organisation} ({obj.prefix}…) · {scope}"


class SubscriptionForm(BlankChoiceLabels, forms.Form):
    token = TokenChoiceField(
        label=_("Token"),
        queryset=None,
        help_text=_("The webhook sees what this token reads: its province or the whole country, its scopes."),
    )
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where events are posted (https)."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EventType.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, tokens: QuerySet[ApiToken], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "token", TokenChoiceField).queryset = tokens.select_related("province")
