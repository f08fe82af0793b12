"""Skip logic and constraints (XLSForm ``relevant`` and ``constraint``) on a questionnaire version:
checked when a question is saved, and applied the same way by the browser's and the API's saves,
the submission, the scoring and the paper import. The browser's showing and hiding is tested in
tests/e2e/test_skip_logic_browser.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from surveys.models import Answer, Question, Response, ResponseStatus
from surveys.questionnaires import questionnaire_new_version, questionnaire_spec
from surveys.scoring import AnswerValue, hidden_codes
from surveys.services import response_save_answers, response_start, response_submit
from tests.factories import NO_CHANNEL, STAFF_MESSAGE_EN, STAFF_MESSAGE_VI, CooperativeFactory
from tests.surveys.test_response_import import cells, run, template_headers, workbook

pytestmark = pytest.mark.django_db


def without(answers, *codes):
    return {code: value for code, value in answers.items() if code not in codes}


# --- The rules of a question, checked when it is saved -------------------------------------------


@pytest.mark.parametrize(
    ("field", "text", "words"),
    [
        ("relevant", "${DIGITAL_SKILLS} = 'none'", "DIGITAL_SKILLS is not a question before this one"),
        ("relevant", "${ONLINE_ORDERS} > 0", "ONLINE_ORDERS is not a question before this one"),
        ("relevant", ". > 0", "can only be used in a question's constraint"),
        ("relevant", "selected(${ONLINE_CHANNELS}, 'fax')", "has no option “fax”"),
        ("relevant", "today() > 0", "Unknown function today"),
        ("constraint", ". >= ${NOT_A_QUESTION}", "NOT_A_QUESTION"),
        ("constraint", ". > ", "Expected a value"),
    ],
)
def test_a_condition_or_constraint_that_could_not_run_is_refused_where_it_is_written(questionnaire, field, text, words):
    draft = questionnaire_new_version(questionnaire=questionnaire)
    question = Question.objects.get(questionnaire=draft, code="ONLINE_ORDERS")
    setattr(question, field, text)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        question.full_clean()
    assert list(refused.value.message_dict) == [field]
    assert words in " ".join(refused.value.message_dict[field])


def test_a_published_versions_logic_is_frozen_with_it(logic_round):
    question = Question.objects.get(questionnaire=logic_round.questionnaire, code="ONLINE_ORDERS")
    question.relevant = ""
    with pytest.raises(ValidationError):
        question.full_clean()


def test_a_question_hidden_by_a_hidden_one_is_hidden_too(logic_round):
    spec = questionnaire_spec(logic_round.questionnaire)
    chose = {"DX_NEED": AnswerValue(options=["yes"]), "DX_PLAN": AnswerValue(options=["approved"])}
    assert hidden_codes(spec, chose) == set()  # no channel answered yet: "none" is not selected
    chose["ONLINE_CHANNELS"] = AnswerValue(options=["none"])
    assert hidden_codes(spec, chose) == {"ONLINE_ORDERS"}
    chose["ONLINE_CHANNELS"] = AnswerValue(options=["website"])
    # DX_PLAN's answer stays on paper, but once DX_PLAN is hidden it reads as empty: DX_BUDGET goes too.
    chose["DX_NEED"] = AnswerValue(options=["no"])
    assert hidden_codes(spec, chose) == {"DX_PLAN", "DX_BUDGET"}
    # The first version has no logic: nothing is ever hidden there.
    assert hidden_codes(questionnaire_spec(logic_round.questionnaire.__class__.objects.get(version=1)), chose) == set()


# --- Saving, submitting and scoring ---------------------------------------------------------------


def test_a_hidden_question_is_neither_required_nor_scored(member_a, coop_a, logic_round, best_answers):
    response = response_start(survey_round=logic_round, cooperative=coop_a, by=member_a)
    answers = {**without(best_answers, "ONLINE_ORDERS"), **NO_CHANNEL}
    response_save_answers(response=response, answers=answers, by=member_a)
    response = response_submit(response=response, by=member_a)
    assert response.status == ResponseStatus.SUBMITTED
    # CUSTOMER by hand: ONLINE_CHANNELS "none" 0 × weight 2, PRODUCT_INFO_ONLINE "none" 0 × 1,
    # DIGITAL_PAYMENT 4 of 5 points 0.8 × 1, MEMBER_ONLINE_REACH and CUSTOMER_FEEDBACK at their
    # best 1 × 1 each; ONLINE_ORDERS hidden, out of the weights: 100 × 2.8 / 6 = 46.67. (Counted
    # as unanswered it would be 100 × 2.8 / 7 = 40.00.)
    scores = dict(response.pillar_scores.values_list("pillar_code", "score"))
    assert scores["CUSTOMER"] == Decimal("46.67")
    assert scores["STRATEGY"] == Decimal("100.00")


def test_a_shown_question_stays_required(member_a, coop_a, logic_round, best_answers):
    response = response_start(survey_round=logic_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers=without(best_answers, "ONLINE_ORDERS"), by=member_a)
    with pytest.raises(ValidationError) as refused:
        response_submit(response=response, by=member_a)
    assert refused.value.code == "incomplete"


def test_an_answer_the_new_answers_hide_is_deleted_whenever_it_was_saved(member_a, coop_a, logic_round, best_answers):
    response = response_start(survey_round=logic_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers=best_answers, by=member_a)
    assert Answer.objects.filter(response=response, question__code="ONLINE_ORDERS").exists()
    # The next page's save changes an earlier answer: the hidden one goes, with the one it hides.
    response_save_answers(response=response, answers={"ONLINE_CHANNELS": ["none"], "DX_NEED": "no"}, by=member_a)
    kept = set(Answer.objects.filter(response=response).values_list("question__code", flat=True))
    assert {"ONLINE_ORDERS", "DX_PLAN", "DX_BUDGET"}.isdisjoint(kept)
    assert {"ONLINE_CHANNELS", "DX_NEED", "PRODUCT_INFO_ONLINE"} <= kept
    # An answer sent for a question hidden by the same save is not kept either.
    response_save_answers(response=response, answers={"DX_PLAN": "approved"}, by=member_a)
    assert not Answer.objects.filter(response=response, question__code="DX_PLAN").exists()


def test_a_constraint_refuses_the_answer_with_its_message_in_the_users_language(
    member_a, coop_a, logic_round, best_answers
):
    response = response_start(survey_round=logic_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers={"DIGITAL_SKILLS": "none"}, by=member_a)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        response_save_answers(response=response, answers={"STAFF_TRAINED": "3"}, by=member_a)
    assert refused.value.message_dict == {"STAFF_TRAINED": [STAFF_MESSAGE_VI]}
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        response_save_answers(response=response, answers={"STAFF_TRAINED": "3"}, by=member_a)
    assert refused.value.message_dict == {"STAFF_TRAINED": [STAFF_MESSAGE_EN]}
    assert not Answer.objects.filter(response=response, question__code="STAFF_TRAINED").exists()
    response_save_answers(response=response, answers={"STAFF_TRAINED": "0"}, by=member_a)  # "." = 0 holds


def test_a_submission_whose_answers_broke_a_constraint_later_is_refused(member_a, coop_a, logic_round, best_answers):
    response = response_start(survey_round=logic_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers={**best_answers, "STAFF_TRAINED": "3"}, by=member_a)
    # A later save of another page changes the answer the constraint reads.
    response_save_answers(response=response, answers={"DIGITAL_SKILLS": "none"}, by=member_a)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        response_submit(response=response, by=member_a)
    assert refused.value.code == "constraint"
    assert refused.value.messages == [f"STAFF_TRAINED: {STAFF_MESSAGE_VI}"]
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.DRAFT


# --- The paper import -------------------------------------------------------------------------------


def test_the_paper_import_applies_the_same_conditions_naming_row_and_column(
    login, officer_a, province_a, logic_round, best_answers
):
    client = login(officer_a)
    skipped = CooperativeFactory(province=province_a, code="8200000901")
    headers = template_headers(client, logic_round)
    no_channel = {**best_answers, **NO_CHANNEL, "ONLINE_ORDERS": "12"}
    content = workbook(headers, [cells(headers, skipped.code, no_channel)])
    plan, result = run(content, logic_round, scope=province_a, by=officer_a)
    assert plan.ok and result == {"created": 1, "updated": 0, "unchanged": 0}
    assert [(w.row, w.column) for w in plan.warnings] == [(2, "ONLINE_ORDERS")]
    stored = Response.objects.get(round=logic_round, cooperative=skipped)
    assert not stored.answers.filter(question__code="ONLINE_ORDERS").exists()
    assert dict(stored.pillar_scores.values_list("pillar_code", "score"))["CUSTOMER"] == Decimal("46.67")

    broken = CooperativeFactory(province=province_a, code="8200000902")
    missing = CooperativeFactory(province=province_a, code="8200000903")
    rows = [
        cells(headers, broken.code, {**best_answers, "DIGITAL_SKILLS": "none", "STAFF_TRAINED": "3"}),
        cells(headers, missing.code, without(best_answers, "ONLINE_ORDERS")),
    ]
    with translation.override("vi"):
        plan, result = run(workbook(headers, rows), logic_round, scope=province_a, by=officer_a)
    assert not plan.ok and result is None
    assert [(e.row, e.column, e.message) for e in plan.errors][0] == (2, "STAFF_TRAINED", STAFF_MESSAGE_VI)
    assert [(e.row, e.column) for e in plan.errors][1] == (3, "ONLINE_ORDERS")
    assert not Response.objects.filter(cooperative__in=[broken, missing]).exists()


def test_the_part_page_carries_its_logic_and_counts_only_the_questions_asked(
    login, member_a, coop_a, logic_round, best_answers
):
    response = response_start(survey_round=logic_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers={**best_answers, "INTERNET": "none"}, by=member_a)
    page = login(member_a).get(f"/surveys/responses/{response.pk}/page/4/")
    # E_FILING is hidden by part 3's answer: 4 of the part's 5 questions are asked, 32 of 33 in all.
    assert page.context["progress"] == {"part_answered": 4, "part_total": 4, "all_answered": 32, "all_total": 32}
    logic = page.context["logic"]
    assert logic["relevant"] == {"E_FILING": ["op", "!=", ["ref", "INTERNET"], ["literal", "none"]]}
    assert logic["others"]["INTERNET"] == "none" and "E_FILING" not in logic["others"]
    assert 'id="skip-logic"' in page.content.decode()


def test_a_version_without_logic_sends_none_to_the_page(login, member_a, coop_a, open_round):
    response = response_start(survey_round=open_round, cooperative=coop_a, by=member_a)
    page = login(member_a).get(f"/surveys/responses/{response.pk}/page/1/")
    assert page.context["logic"] is None and 'id="skip-logic"' not in page.content.decode()
    assert page.context["progress"]["all_total"] == 33
