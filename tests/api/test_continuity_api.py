"""Indicator mappings through the API: the published versions' decisions are listed with each
indicator definition (tests/surveys/test_continuity.py has the rules)."""

import pytest

from surveys.continuity import indicator_mapping_set
from surveys.models import IndicatorDefinition, Question
from surveys.questionnaires import questionnaire_new_version, questionnaire_publish

pytestmark = pytest.mark.django_db


def indicator(code):
    return IndicatorDefinition.objects.get(code=code)


def test_the_api_lists_the_published_versions_mappings_only(questionnaire, as_caller):
    draft = questionnaire_new_version(questionnaire=questionnaire)
    Question.objects.filter(questionnaire=draft, code="DIGITAL_SIGNATURE").delete()
    indicator_mapping_set(
        questionnaire=draft,
        indicator=indicator("digital_signature"),
        question_code="E_FILING",
        option_codes=["yes"],
        by=None,
    )

    def mappings():
        body = as_caller("ministry_analyst").get("/api/v1/indicator-definitions/").json()
        return {d["code"]: d["mappings"] for d in body}

    assert mappings()["digital_signature"] == []  # a draft's decisions are not news yet
    questionnaire_publish(questionnaire=draft)
    assert mappings()["digital_signature"] == [
        {
            "questionnaire": {"id": draft.pk, "code": "NATIONAL", "version": 2},
            "question_code": "E_FILING",
            "option_codes": ["yes"],
        }
    ]
    assert mappings()["einvoice"] == []
