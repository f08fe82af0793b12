"""Reads the API needs beyond ``surveys.selectors`` (questionnaire versions), scoped likewise.

Kept here so as not to edit the app's selectors while its owners work on them; move into
``surveys/selectors.py`` when convenient.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from surveys.models import IndicatorDefinition, Option, Pillar, Question, Questionnaire

if TYPE_CHECKING:
    from accounts.models import User


def questionnaire_list(*, user: User) -> QuerySet[Questionnaire]:
    """Published versions for everyone; national administrators also see drafts."""
    questionnaires = Questionnaire.objects.all()
    if user.is_national_admin:
        return questionnaires
    return questionnaires.filter(published_at__isnull=False)


def questionnaire_get(*, user: User, pk: int) -> Questionnaire:
    """One version with its pillars, questions and options (four queries in all)."""
    questions = Question.objects.order_by("position").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position"))
    )
    pillars = Pillar.objects.order_by("position").prefetch_related(Prefetch("questions", queryset=questions))
    return get_object_or_404(
        questionnaire_list(user=user).prefetch_related(Prefetch("pillars", queryset=pillars)), pk=pk
    )


def indicator_definition_list() -> QuerySet[IndicatorDefinition]:
    """The national indicators (data, not scoped)."""
    return IndicatorDefinition.objects.order_by("position", "code")
