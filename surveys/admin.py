"""Questionnaires are managed here. A published version is shown read-only: changes go into a
new version (the "new version" action), so rounds and scores never shift under anyone."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import questionnaires
from .models import (
    Advice,
    ConsistencyRule,
    EvidenceCheck,
    IndicatorDefinition,
    Option,
    Pillar,
    Question,
    Questionnaire,
    Response,
    RoundRescoring,
    ScoringScheme,
    SurveyRound,
)
from .rescoring import round_rescore


class FrozenWhenPublished:
    """Read-only once the owning questionnaire is published."""

    def _published(self, obj) -> bool:
        return bool(obj is not None and obj.owning_questionnaire().is_published)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._published(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._published(obj)


class PillarInline(admin.TabularInline):
    model = Pillar
    extra = 0
    fields = ("position", "code", "name_vi", "name_en", "weight")

    def _locked(self, obj):
        return obj is not None and obj.is_published

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("code", "version", "title_vi", "published_at")
    inlines = (PillarInline,)
    actions = ("new_version", "publish")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return [f.name for f in Questionnaire._meta.fields]
        return ("published_at",)

    @admin.action(description=_("Create a new editable version"))
    def new_version(self, request, queryset):
        for questionnaire in queryset:
            draft = questionnaires.questionnaire_new_version(questionnaire=questionnaire)
            self.message_user(request, _("Created %(name)s.") % {"name": draft})

    @admin.action(description=_("Publish (freezes the version)"))
    def publish(self, request, queryset):
        for questionnaire in queryset:
            try:
                questionnaires.questionnaire_publish(questionnaire=questionnaire)
            except ValidationError as error:
                self.message_user(request, f"{questionnaire}: {' '.join(error.messages)}", messages.ERROR)


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0
    fields = ("position", "code", "label_vi", "label_en", "score", "exclusive")

    def _locked(self, obj):
        return obj is not None and obj.questionnaire.is_published

    def has_add_permission(self, request, obj=None):
        return not self._locked(obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj)


@admin.register(Question)
class QuestionAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = ("code", "questionnaire", "pillar", "kind", "weight", "required")
    list_filter = ("questionnaire", "kind")
    search_fields = ("code", "text_vi")
    inlines = (OptionInline,)


@admin.register(Pillar)
class PillarAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = ("code", "questionnaire", "name_vi", "weight")
    list_filter = ("questionnaire",)


@admin.register(Advice)
class AdviceAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = ("pillar", "level")
    list_filter = ("pillar__questionnaire", "level")


@admin.register(ConsistencyRule)
class ConsistencyRuleAdmin(FrozenWhenPublished, admin.ModelAdmin):
    """Rules between answers, written by the national team on a draft version (XLSForm
    expressions, checked against the version's questions when saved)."""

    list_display = ("code", "questionnaire", "severity", "condition", "constraint")
    list_filter = ("questionnaire", "severity")
    search_fields = ("code", "message_vi")
    fields = ("questionnaire", "code", "severity", "condition", "constraint", "message_vi", "message_en", "position")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A rule is written on a draft version; a published one is frozen with its rules.
        if db_field.name == "questionnaire":
            kwargs["queryset"] = Questionnaire.objects.filter(published_at__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "question_code", "option_codes", "is_active")


@admin.register(EvidenceCheck)
class EvidenceCheckAdmin(admin.ModelAdmin):
    list_display = ("code", "question_code", "option_codes", "kind", "direction", "is_active")
    list_filter = ("kind", "direction", "is_active")


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(admin.ModelAdmin):
    """Level bounds, pillars needed and level names, written by the national team; a scheme in
    use is read-only (a change is a new scheme, see docs/scoring.md)."""

    list_display = ("code", "name_vi", "created_at")
    fields = (
        "code",
        "name_vi",
        "name_en",
        "source",
        "pillar_bounds",
        "overall_bounds",
        "pillars_needed",
        "level_names_vi",
        "level_names_en",
    )

    def has_change_permission(self, request, obj=None):
        # A scheme in use is shown read-only (Django's view page, without a save button).
        return super().has_change_permission(request, obj) and not (obj is not None and obj.in_use)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.in_use)


@admin.register(RoundRescoring)
class RoundRescoringAdmin(admin.ModelAdmin):
    list_display = ("round", "from_scheme", "to_scheme", "responses", "levels_changed", "by", "at")
    readonly_fields = [f.name for f in RoundRescoring._meta.fields]

    def has_add_permission(self, request):
        return False  # written by the re-scoring action only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RescoreForm(forms.Form):
    scheme = forms.ModelChoiceField(label=_("Scoring scheme"), queryset=ScoringScheme.objects.all())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "questionnaire", "province", "opens_on", "closes_on", "scoring_scheme")
    list_filter = ("province",)
    actions = ("rescore",)

    @admin.action(description=_("Score again under another scheme"))
    def rescore(self, request, queryset):
        if not request.user.has_perm("surveys.rescore_round"):
            raise PermissionDenied
        form = RescoreForm(request.POST if "confirm" in request.POST else None)
        if form.is_valid():
            for survey_round in queryset:
                try:
                    log = round_rescore(
                        survey_round=survey_round,
                        scheme=form.cleaned_data["scheme"],
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                    )
                except ValidationError as error:
                    self.message_user(request, f"{survey_round}: {' '.join(error.messages)}", messages.ERROR)
                    continue
                self.message_user(
                    request,
                    _("%(round)s: %(count)s responses scored again, %(changed)s changed level.")
                    % {"round": survey_round, "count": log.responses, "changed": log.levels_changed},
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Score again under another scheme"),
            "form": form,
            "rounds": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/surveys/rescore_round.html", context)


@admin.register(Response)
class ResponseAdmin(SimpleHistoryAdmin):
    list_display = ("cooperative", "round", "status", "score", "level", "is_proxy", "updated_at")
    list_filter = ("round", "status")
    search_fields = ("cooperative__code", "cooperative__name")
    raw_id_fields = ("cooperative",)
    readonly_fields = [f.name for f in Response._meta.fields]

    def has_add_permission(self, request):
        return False  # responses are written through the survey pages, the API or imports
