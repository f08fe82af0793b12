from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExportFormat, ExportKind
from .selectors import export_provinces, export_rounds


class ExportStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to export"), choices=ExportKind.choices)
    fmt = forms.ChoiceField(label=_("Format"), choices=ExportFormat.choices, initial=ExportFormat.CSV)
    rounds = forms.MultipleChoiceField(label=_("Rounds"), required=False, help_text=_("None chosen: every round."))
    provinces = forms.MultipleChoiceField(
        label=_("Provinces"), required=False, help_text=_("None chosen: every province you may read.")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rounds, provinces = self.fields["rounds"], self.fields["provinces"]
        assert isinstance(rounds, forms.MultipleChoiceField) and isinstance(provinces, forms.MultipleChoiceField)
        rounds.choices = [(r.code, f"{r.code} · {r.localized('name')}") for r in export_rounds(user=user)]
        provinces.choices = [(p.code, p.name) for p in export_provinces(user=user)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("fmt") == ExportFormat.SDMX_CSV and cleaned.get("kind") != ExportKind.INDICATORS:
            self.add_error("fmt", _("SDMX-CSV is a format for indicator figures only."))
        return cleaned
