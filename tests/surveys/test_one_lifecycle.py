"""One lifecycle for a self-assessment: entered on paper and imported in bulk, or filled in the
browser, a response goes through the same transitions and checks, and ends the same."""

import pytest
from django.core.exceptions import ValidationError

from surveys.models import PillarScore, Response, ResponseStatus
from surveys.services import response_review, response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory
from tests.surveys.test_response_import import cells, run, template_headers, workbook

pytestmark = pytest.mark.django_db


def outcome(response: Response) -> dict:
    """What a response is, to its readers: status, result, who entered and sent it, its answers,
    its pillars, its whole history (every state it went through, by whom, oldest first), and the
    level it gave the registry."""
    response = Response.objects.get(pk=response.pk)
    return {
        "status": response.status,
        "score": response.score,
        "level": response.level,
        "entered_by": response.entered_by_id,
        "submitted_by": response.submitted_by_id,
        "is_proxy": response.is_proxy,
        "revision": response.revision,
        "answers": sorted(
            (answer.question.code, answer.number, answer.text, sorted(option.code for option in answer.options.all()))
            for answer in response.answers.select_related("question").prefetch_related("options")
        ),
        "pillars": sorted(PillarScore.objects.filter(response=response).values_list("pillar_code", "score", "level")),
        "history": list(
            response.history.order_by("history_date", "history_id").values_list(
                "history_type",
                "status",
                "history_user_id",
                "entered_by_id",
                "is_proxy",
                "submitted_by_id",
                "revision",
                "score",
                "level",
                "scoring_scheme_id",
                "answers_signature",
            )
        ),
        # Each row at its own moment (simple-history's prev_record/next_record go by date), each
        # with the response's real creation time.
        "history_in_time_order": _strictly_increasing(
            list(response.history.order_by("history_id").values_list("history_date", flat=True))
        ),
        "history_created_at": set(response.history.values_list("created_at", flat=True)) == {response.created_at},
        "registry_level": response.cooperative.maturity_level,
        "registry_history_user": response.cooperative.history.order_by("-history_date", "-history_id")
        .first()
        .history_user_id,
    }


def _strictly_increasing(values: list) -> bool:
    return all(earlier < later for earlier, later in zip(values, values[1:], strict=False))


def browser_submit(cooperative, survey_round, answers, by):
    response = response_start(survey_round=survey_round, cooperative=cooperative, by=by)
    response = response_save_answers(response=response, answers=answers, by=by)
    return response_submit(response=response, by=by)


def paper_import(client, cooperative, survey_round, answers, by):
    headers = template_headers(client, survey_round)
    plan, result = run(
        workbook(headers, [cells(headers, cooperative.code, answers)]), survey_round, scope=cooperative.province, by=by
    )
    assert plan.ok, plan.errors
    return Response.objects.get(round=survey_round, cooperative=cooperative)


@pytest.mark.parametrize("counted_when_submitted", [True, False])
def test_paper_and_browser_responses_end_identical_through_submission_and_review(
    login, officer_a, national_admin, province_a, open_round, best_answers, settings, counted_when_submitted
):
    settings.SURVEYS_COUNT_SUBMITTED = counted_when_submitted
    in_browser = CooperativeFactory(province=province_a, code="8200000701")
    on_paper = CooperativeFactory(province=province_a, code="8200000702")
    browser = browser_submit(in_browser, open_round, best_answers, officer_a)
    paper = paper_import(login(officer_a), on_paper, open_round, best_answers, officer_a)
    assert outcome(paper)["status"] == ResponseStatus.SUBMITTED
    assert outcome(paper)["history_in_time_order"] and outcome(paper)["history_created_at"]
    assert outcome(paper) == outcome(browser)

    for response in (browser, paper):
        response_review(response=response, by=national_admin, accept=True)
    assert outcome(paper)["status"] == ResponseStatus.ACCEPTED
    assert outcome(paper)["registry_level"] == 5
    assert outcome(paper) == outcome(browser)


def test_an_accepted_response_is_refused_by_both_paths_with_the_same_message(
    login, officer_a, national_admin, province_a, open_round, best_answers, worst_answers
):
    cooperative = CooperativeFactory(province=province_a, code="8200000703")
    response = browser_submit(cooperative, open_round, best_answers, officer_a)
    response_review(response=response, by=national_admin, accept=True)

    with pytest.raises(ValidationError) as refused:
        response_save_answers(response=response, answers=worst_answers, by=officer_a)
    headers = template_headers(login(officer_a), open_round)
    plan, result = run(
        workbook(headers, [cells(headers, cooperative.code, worst_answers)]), open_round, scope=province_a, by=officer_a
    )
    assert result is None
    assert [error.message for error in plan.errors] == refused.value.messages
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.ACCEPTED


def test_a_returned_response_reimported_on_paper_is_submitted_again_like_a_corrected_one(
    login, officer_a, national_admin, province_a, open_round, best_answers, worst_answers
):
    in_browser = CooperativeFactory(province=province_a, code="8200000704")
    on_paper = CooperativeFactory(province=province_a, code="8200000705")
    browser = browser_submit(in_browser, open_round, worst_answers, officer_a)
    paper = paper_import(login(officer_a), on_paper, open_round, worst_answers, officer_a)
    for response in (browser, paper):
        response_review(response=response, by=national_admin, accept=False, comment="Thiếu doanh thu")

    browser = response_save_answers(response=browser, answers=best_answers, by=officer_a)
    browser = response_submit(response=browser, by=officer_a)
    paper = paper_import(login(officer_a), on_paper, open_round, best_answers, officer_a)
    assert outcome(paper)["status"] == ResponseStatus.SUBMITTED
    assert outcome(paper) == outcome(browser)
