"""Entries on behalf of a cooperative: the officer who entered a response cannot accept it, is told
what happened, and who entered and who reviewed is shown wherever the response is."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from surveys.models import Response, ResponseStatus
from surveys.services import response_review, response_save_answers, response_start, response_submit
from tests.factories import UserFactory
from tests.surveys.test_response_flow import fill_all, start

pytestmark = pytest.mark.django_db

SELF_ACCEPT_MESSAGE = "Bạn đã nhập phiếu tự đánh giá này nên không thể tự duyệt; một cán bộ khác cần duyệt phiếu."


@pytest.fixture
def second_officer(province_a):
    return UserFactory(
        username="officer_a2", first_name="Lan", last_name="Trần", role=Role.PROVINCIAL_OFFICER, province=province_a
    )


@pytest.fixture
def proxy_submitted(officer_a, coop_a, open_round, best_answers):
    response = response_start(survey_round=open_round, cooperative=coop_a, by=officer_a)
    response = response_save_answers(response=response, answers=best_answers, by=officer_a)
    return response_submit(response=response, by=officer_a)


def test_the_service_refuses_that_the_officer_who_entered_a_response_accepts_it(officer_a, proxy_submitted):
    with pytest.raises(ValidationError) as error:
        response_review(response=proxy_submitted, by=officer_a, accept=True)
    assert error.value.messages == [SELF_ACCEPT_MESSAGE]
    proxy_submitted.refresh_from_db()
    assert proxy_submitted.status == ResponseStatus.SUBMITTED and proxy_submitted.reviewed_by is None


def test_another_officer_accepts_a_proxy_entry(second_officer, proxy_submitted, officer_a):
    accepted = response_review(response=proxy_submitted, by=second_officer, accept=True)
    assert (accepted.status, accepted.reviewed_by, accepted.submitted_by) == (
        ResponseStatus.ACCEPTED,
        second_officer,
        officer_a,
    )


def test_the_browser_refuses_the_self_acceptance_with_a_clear_message(login, officer_a, proxy_submitted):
    client = login(officer_a)
    page = client.get(f"/surveys/responses/{proxy_submitted.pk}/").content.decode()
    # The officer is told at once, and is offered no "accept" that would fail.
    assert SELF_ACCEPT_MESSAGE in page
    assert 'value="accept"' not in page
    assert "Quyết định" in page and "Decision" not in page
    result = client.post(
        f"/surveys/responses/{proxy_submitted.pk}/review/", {"decision": "accept", "comment": ""}, follow=True
    )
    assert SELF_ACCEPT_MESSAGE in result.content.decode()
    proxy_submitted.refresh_from_db()
    assert proxy_submitted.status == ResponseStatus.SUBMITTED


def test_a_proxy_submission_says_it_was_entered_on_behalf_of_the_cooperative(
    login, officer_a, coop_a, open_round, best_answers
):
    client = login(officer_a)
    response = start(client, open_round, coop_a)
    fill_all(client, response, best_answers)
    page = client.post(
        f"/surveys/responses/{response.pk}/submit/", {"revision": response.revision}, follow=True
    ).content.decode()
    assert f"Đã gửi phiếu tự đánh giá nhập thay cho {coop_a.name} lên tỉnh/thành phố." in page
    assert "Phiếu tự đánh giá của bạn đã được gửi" not in page


def test_a_members_own_submission_keeps_the_self_assessment_message(login, member_a, coop_a, open_round, best_answers):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    fill_all(client, response, best_answers)
    page = client.post(
        f"/surveys/responses/{response.pk}/submit/", {"revision": response.revision}, follow=True
    ).content.decode()
    assert "Phiếu tự đánh giá của bạn đã được gửi lên tỉnh/thành phố." in page
    assert Response.objects.get().submitted_by == member_a


def test_the_result_page_and_round_page_show_who_entered_and_who_reviewed(
    login, client, officer_a, second_officer, proxy_submitted
):
    officer_a.first_name, officer_a.last_name = "Minh", "Nguyễn"
    officer_a.save()
    response_review(response=proxy_submitted, by=second_officer, accept=True)
    viewer = login(second_officer)
    result = viewer.get(f"/surveys/responses/{proxy_submitted.pk}/").content.decode()
    assert "Do Minh Nguyễn nhập thay cho hợp tác xã" in result
    assert "Do Minh Nguyễn gửi lúc" in result
    assert "Do Lan Trần duyệt lúc" in result
    round_page = viewer.get(f"/surveys/rounds/{proxy_submitted.round.code}/").content.decode()
    row = round_page.split(f'data-response="{proxy_submitted.pk}"')[1].split("</tr>")[0]
    assert "Minh" in row and "Lan" in row and "nhập thay" in row


def test_the_openapi_schema_documents_who_entered_and_reviewed(client):
    import yaml

    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    properties = schema["components"]["schemas"]["Response"]["properties"]
    assert {"entered_by", "submitted_by", "reviewed_by"} <= set(properties)


def test_an_officer_who_entered_answers_cannot_accept_after_the_member_completes_and_submits(
    officer_a, member_a, second_officer, coop_a, open_round, best_answers
):
    # The officer starts the entry on the cooperative's behalf; the member finishes and sends it.
    response = response_start(survey_round=open_round, cooperative=coop_a, by=officer_a)
    codes = sorted(best_answers)
    half = len(codes) // 2
    response = response_save_answers(
        response=response, answers={c: best_answers[c] for c in codes[:half]}, by=officer_a
    )
    response = response_save_answers(response=response, answers={c: best_answers[c] for c in codes[half:]}, by=member_a)
    response = response_submit(response=response, by=member_a)
    with pytest.raises(ValidationError) as error:
        response_review(response=response, by=officer_a, accept=True)
    assert error.value.messages == [SELF_ACCEPT_MESSAGE]
    # Returning it is no entry: the officer who returned a response may accept it once it is sent again.
    returned = response_review(response=response, by=second_officer, accept=False, comment="Bổ sung")
    returned = response_save_answers(response=returned, answers={codes[0]: best_answers[codes[0]]}, by=member_a)
    returned = response_submit(response=returned, by=member_a)
    accepted = response_review(response=returned, by=second_officer, accept=True)
    assert (accepted.status, accepted.reviewed_by) == (ResponseStatus.ACCEPTED, second_officer)
