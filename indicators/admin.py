from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import IndicatorTarget, target_metrics


class IndicatorTargetForm(forms.ModelForm):
    # The indicators are data (their definitions), so the choice is read when the form is built.
    metric = forms.ChoiceField(choices=lambda: list(target_metrics().items()))

    class Meta:
        model = IndicatorTarget
        fields = ("metric", "province", "year", "value", "baseline_year", "baseline_value", "source")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].label = IndicatorTarget._meta.get_field("metric").verbose_name


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(SimpleHistoryAdmin):
    form = IndicatorTargetForm
    list_display = ("metric", "province", "target_year", "value", "baseline", "source")
    list_filter = ("metric", "year", "province")
    list_select_related = ("province",)

    # Years as written, not as numbers with a thousands separator ("2.030" in Vietnamese).
    @admin.display(description=_("target year"), ordering="year")
    def target_year(self, obj: IndicatorTarget) -> str:
        return str(obj.year)

    @admin.display(description=_("baseline"))
    def baseline(self, obj: IndicatorTarget) -> str:
        return f"{obj.baseline_value} ({obj.baseline_year})" if obj.baseline_year is not None else "—"

    def save_model(self, request, obj, form, change):
        # The admin writes through the service every path uses (the model's rules, history).
        services.target_save(target=obj, by=request.user)
