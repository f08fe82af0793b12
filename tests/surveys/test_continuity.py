"""Indicator series across questionnaire versions: publishing a version that drops or changes an
indicator's question needs a mapping, and the nightly counts follow the mapping for the responses
of that version and the indicator's own codes for the others."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from indicators.aggregation import compute_partition
from surveys.continuity import indicator_breaks, indicator_mapping_set
from surveys.models import IndicatorDefinition, Option, Question
from surveys.questionnaires import questionnaire_new_version, questionnaire_publish
from surveys.services import response_review, response_save_answers, response_start, response_submit
from tests.conftest import _round_open_now
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def indicator(code):
    return IndicatorDefinition.objects.get(code=code)


def test_a_version_that_keeps_every_indicators_question_publishes_as_it_is(questionnaire):
    draft = questionnaire_new_version(questionnaire=questionnaire)
    assert indicator_breaks(draft) == []
    assert questionnaire_publish(questionnaire=draft).is_published


def test_dropping_or_changing_an_indicators_question_needs_a_mapping_before_publishing(questionnaire, national_admin):
    draft = questionnaire_new_version(questionnaire=questionnaire)
    Question.objects.filter(questionnaire=draft, code="DIGITAL_SIGNATURE").delete()
    Option.objects.filter(question__questionnaire=draft, question__code="TRACEABILITY", code="qr_all").update(
        code="qr_every_product"
    )
    Question.objects.filter(questionnaire=draft, code="DX_NEED").update(text_vi="HTX có cần chuyển đổi số không?")
    with translation.override("en"):
        found = {(b.indicator.code, b.reason) for b in indicator_breaks(draft)}
        with pytest.raises(ValidationError) as refused:
            questionnaire_publish(questionnaire=draft)
    assert found == {
        ("digital_signature", "this version has no such question."),
        ("traceability", "this version no longer has the options qr_all."),
        ("dx_necessary", "the question is worded differently."),
    }
    assert [e.code for e in refused.value.error_list] == ["indicator_breaks"] * 3
    assert not draft.__class__.objects.get(pk=draft.pk).is_published

    # The team says how each series goes on: a new question, the renamed option, the same question.
    new_signature = Question.objects.get(questionnaire=draft, code="E_FILING")
    indicator_mapping_set(
        questionnaire=draft,
        indicator=indicator("digital_signature"),
        question_code=new_signature.code,
        option_codes=["yes"],
        note="Chữ ký số nay hỏi cùng câu nộp hồ sơ điện tử.",
        by=national_admin,
    )
    indicator_mapping_set(
        questionnaire=draft,
        indicator=indicator("traceability"),
        question_code="TRACEABILITY",
        option_codes=["qr_partial", "qr_every_product"],
        by=national_admin,
    )
    assert [b.indicator.code for b in indicator_breaks(draft)] == ["dx_necessary"]
    indicator_mapping_set(
        questionnaire=draft, indicator=indicator("dx_necessary"), question_code="DX_NEED", option_codes=["yes"], by=None
    )
    assert questionnaire_publish(questionnaire=draft).is_published


@pytest.mark.parametrize(
    ("question", "options", "field"),
    [
        ("NO_SUCH_QUESTION", ["yes"], "question_code"),
        ("E_FILING", ["maybe"], "option_codes"),
        ("E_FILING", [], "option_codes"),
    ],
)
def test_a_mapping_names_a_question_and_options_of_the_draft(questionnaire, question, options, field):
    draft = questionnaire_new_version(questionnaire=questionnaire)
    with pytest.raises(ValidationError) as refused:
        indicator_mapping_set(
            questionnaire=draft, indicator=indicator("einvoice"), question_code=question, option_codes=options, by=None
        )
    assert list(refused.value.message_dict) == [field]


def test_a_published_versions_mappings_cannot_change(questionnaire):
    with pytest.raises(ValidationError):
        indicator_mapping_set(
            questionnaire=questionnaire,
            indicator=indicator("einvoice"),
            question_code="E_FILING",
            option_codes=["yes"],
            by=None,
        )


def test_the_nightly_counts_follow_each_versions_mapping(
    questionnaire, officer_a, national_admin, province_a, worst_answers
):
    """Round 1 on version 1 counts DIGITAL_SIGNATURE; round 2 on version 2, which dropped it,
    counts E_FILING by the mapping."""
    draft = questionnaire_new_version(questionnaire=questionnaire)
    Question.objects.filter(questionnaire=draft, code="DIGITAL_SIGNATURE").delete()
    indicator_mapping_set(
        questionnaire=draft,
        indicator=indicator("digital_signature"),
        question_code="E_FILING",
        option_codes=["yes"],
        by=None,
    )
    version_2 = questionnaire_publish(questionnaire=draft)
    first = _round_open_now("KS2026", "Khảo sát 2026", questionnaire)
    second = _round_open_now("KS2027", "Khảo sát 2027", version_2)

    def answer(survey_round, answers):
        response = response_start(
            survey_round=survey_round, cooperative=CooperativeFactory(province=province_a), by=officer_a
        )
        response_save_answers(response=response, answers=answers, by=officer_a)
        response = response_submit(response=response, by=officer_a, confirm_warnings=True)
        response_review(response=response, by=national_admin, accept=True)

    # Version 1: signature yes & e-filing no (counted), then signature no & e-filing yes (not counted).
    answer(first, {**worst_answers, "DIGITAL_SIGNATURE": "yes", "E_FILING": "no"})
    answer(first, {**worst_answers, "DIGITAL_SIGNATURE": "no", "E_FILING": "yes"})
    # Version 2: e-filing yes twice (counted), no once.
    without_signature = {k: v for k, v in worst_answers.items() if k != "DIGITAL_SIGNATURE"}
    for value in ("yes", "yes", "no"):
        answer(second, {**without_signature, "E_FILING": value})

    rows = compute_partition(round_ids=[first.pk, second.pk])["responses"]
    counted = {r["round_id"]: (r["n"], r["ind_digital_signature"]) for r in rows}
    assert counted == {first.pk: (2, 1), second.pk: (3, 2)}
    # The other indicators count by their own codes in both versions: cashless payment chose nothing.
    assert {r["round_id"]: r["ind_cashless_payment"] for r in rows} == {first.pk: 0, second.pk: 0}
