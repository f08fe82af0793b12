"""The questionnaire's pages for the offline form: the pages the service worker may keep (and for
whom), the progress of each part, the answers typed offline sent through the API with the
browser's session and the revision check, and the review before sending."""

import re

import pytest
from django.test import Client

from coopdx.pwa import user_key
from surveys.models import Response
from surveys.services import response_save_answers, response_start
from tests.factories import complete_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(open_round, coop_a, member_a):
    return response_start(survey_round=open_round, cooperative=coop_a, by=member_a)


def first_part_codes(response):
    pillar = response.round.questionnaire.pillars.first()
    return [q.code for q in pillar.questions.all()]


def session_client(user, response):
    """A browser's session with CSRF checks on, and the token its form page carries."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get(f"/surveys/responses/{response.pk}/page/1/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()
    return client, token


def test_a_form_page_tells_the_service_worker_it_may_keep_it_for_its_user(login, member_a, draft):
    page = login(member_a).get(f"/surveys/responses/{draft.pk}/page/1/")
    assert page["X-Offline-Page"] == f"response-{draft.pk}"
    assert page["X-Offline-User"] == user_key(member_a)
    assert page["X-Offline-Revision"] == str(draft.revision)
    review = login(member_a).get(f"/surveys/responses/{draft.pk}/submit/")
    assert review["X-Offline-User"] == user_key(member_a)
    assert f'data-user="{user_key(member_a)}"'.encode() in page.content


def test_the_same_response_opened_by_an_officer_is_kept_under_the_officers_key(client, officer_a, member_a, draft):
    client.force_login(officer_a)
    page = client.get(f"/surveys/responses/{draft.pk}/page/1/")
    assert page["X-Offline-User"] == user_key(officer_a) != user_key(member_a)


def test_a_refused_page_and_a_result_page_are_never_kept(login, member_a, draft, best_answers):
    client = login(member_a)
    damaged = client.post(f"/surveys/responses/{draft.pk}/page/1/", {"revision": "x", "go": "next"})
    assert damaged.status_code == 400
    assert "X-Offline-Page" not in damaged
    result = client.get(f"/surveys/responses/{draft.pk}/")
    assert "X-Offline-Page" not in result


def test_the_progress_bars_count_the_answers_of_the_part_and_of_the_whole(login, member_a, draft):
    codes = first_part_codes(draft)
    answers = complete_answers(draft.round.questionnaire)
    response_save_answers(response=draft, answers={code: answers[code] for code in codes[:2]}, by=member_a)
    page = login(member_a).get(f"/surveys/responses/{draft.pk}/page/1/").content.decode()
    total = draft.round.questionnaire.questions.count()
    part = re.search(r'data-testid="progress-part"', page)
    assert part
    assert f'aria-valuenow="2" aria-valuemax="{len(codes)}" data-progress-part' in page
    assert f'aria-valuenow="2" aria-valuemax="{total}" data-progress-all' in page
    assert 'role="progressbar" aria-labelledby="progress-part-label"' in page


def test_answers_sent_later_with_the_session_are_saved_through_the_service(member_a, draft):
    client, token = session_client(member_a, draft)
    code = first_part_codes(draft)[0]
    value = complete_answers(draft.round.questionnaire)[code]
    history = draft.history.count()
    sent = client.patch(
        f"/api/v1/responses/{draft.pk}/",
        {"revision": draft.revision, "answers": {code: value}},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert sent.status_code == 200, sent.content
    draft.refresh_from_db()
    assert sent.json()["revision"] == draft.revision == 1
    assert sent.json()["answers"][code]
    assert draft.history.count() > history
    assert draft.answers.get(question__code=code)


def test_answers_sent_from_a_stale_revision_are_refused_with_409_and_nothing_is_saved(member_a, draft):
    client, token = session_client(member_a, draft)
    codes = first_part_codes(draft)
    answers = complete_answers(draft.round.questionnaire)
    response_save_answers(response=draft, answers={codes[0]: answers[codes[0]]}, by=member_a)
    stale = client.patch(
        f"/api/v1/responses/{draft.pk}/",
        {"revision": 0, "answers": {codes[1]: answers[codes[1]]}},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert stale.status_code == 409
    draft.refresh_from_db()
    assert draft.revision == 1
    assert not draft.answers.filter(question__code=codes[1]).exists()


def test_answers_sent_with_the_session_but_without_the_csrf_token_are_refused(member_a, draft):
    client, _token = session_client(member_a, draft)
    code = first_part_codes(draft)[0]
    refused = client.patch(
        f"/api/v1/responses/{draft.pk}/", {"revision": 0, "answers": {code: None}}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert Response.objects.get(pk=draft.pk).revision == 0


def test_answers_sent_for_another_cooperatives_response_find_nothing(member_a, draft, open_round, coop_b, officer_b):
    other = response_start(survey_round=open_round, cooperative=coop_b, by=officer_b)
    client, token = session_client(member_a, draft)
    code = first_part_codes(draft)[0]
    for method in ("get", "patch"):
        answer = getattr(client, method)(
            f"/api/v1/responses/{other.pk}/",
            {"revision": 0, "answers": {code: None}} if method == "patch" else None,
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
        assert answer.status_code == 404
    assert Response.objects.get(pk=other.pk).revision == 0


def test_the_review_lists_every_answer_with_a_link_to_change_it_on_its_part(login, member_a, draft, best_answers):
    response_save_answers(response=draft, answers=best_answers, by=member_a)
    page = login(member_a).get(f"/surveys/responses/{draft.pk}/submit/").content.decode()
    questionnaire = draft.round.questionnaire
    assert page.count('data-testid="review-answer"') == questionnaire.questions.count()
    for number, pillar in enumerate(questionnaire.pillars.all(), start=1):
        assert f'href="/surveys/responses/{draft.pk}/page/{number}/" data-testid="change-part"' in page
        for question in pillar.questions.all():
            assert f'href="/surveys/responses/{draft.pk}/page/{number}/#div_id_{question.code}"' in page
    fill = login(member_a).get(f"/surveys/responses/{draft.pk}/page/1/").content.decode()
    assert f'id="div_id_{first_part_codes(draft)[0]}"' in fill
