"""Self-assessments over the API go through surveys.services: the same scoping, revision check,
completeness and scoring as the browser; the cooperative never comes from the body."""

from __future__ import annotations

import pytest

from accounts.models import Role
from surveys.models import Answer, Question, Response, ResponseStatus, SurveyRound
from tests.factories import CooperativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def text_question(questionnaire) -> str:
    return Question.objects.filter(questionnaire=questionnaire, kind="text").values_list("code", flat=True)[0]


def test_a_member_fills_in_and_submits_their_own_self_assessment(as_caller, coop_a, open_round, best_answers):
    client = as_caller("member_a")
    started = client.post(f"/api/v1/cooperatives/{coop_a.pk}/responses/", {"round": open_round.code}, format="json")
    assert started.status_code == 201
    body = started.json()
    assert body["cooperative"] == coop_a.pk and body["status"] == "draft" and body["revision"] == 0
    again = client.post(f"/api/v1/cooperatives/{coop_a.pk}/responses/", {"round": open_round.code}, format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    saved = client.patch(
        f"/api/v1/responses/{body['id']}/", {"revision": 0, "answers": best_answers}, format="json"
    ).json()
    assert saved["revision"] == 1
    assert saved["answers"][text_question(open_round.questionnaire)]["text"] == "Thiếu vốn"
    submitted = client.post(f"/api/v1/responses/{body['id']}/submit/", {"revision": 1}, format="json")
    assert submitted.status_code == 200
    result = submitted.json()
    assert result["status"] == "submitted" and result["level"] is not None and result["pillar_scores"]
    response = Response.objects.get()
    assert response.is_proxy is False and response.entered_by.username == "member_a"


def test_an_officer_enters_on_behalf_of_a_cooperative_of_their_province(as_caller, coop_a, open_round, officer_a):
    client = as_caller("officer_a")
    started = client.post(f"/api/v1/cooperatives/{coop_a.pk}/responses/", {"round": "KS2026"}, format="json")
    assert started.status_code == 201
    assert Response.objects.get().is_proxy is True


def test_a_province_token_enters_through_its_service_account(as_caller, coop_a, coop_b, open_round, province_token):
    client = as_caller("province_token")
    assert (
        client.post(f"/api/v1/cooperatives/{coop_a.pk}/responses/", {"round": "KS2026"}, format="json").status_code
        == 201
    )
    assert (
        client.post(f"/api/v1/cooperatives/{coop_b.pk}/responses/", {"round": "KS2026"}, format="json").status_code
        == 404
    )
    response = Response.objects.get()
    assert response.entered_by == province_token.token.user and response.is_proxy


def test_a_stale_revision_is_409_with_the_conflict_message_and_saves_nothing(as_caller, response_a):
    code = text_question(response_a.round.questionnaire)
    client = as_caller("member_a")
    first = client.patch(
        f"/api/v1/responses/{response_a.pk}/", {"revision": 1, "answers": {code: "Một"}}, format="json"
    )
    assert first.status_code == 200
    stale = client.patch(
        f"/api/v1/responses/{response_a.pk}/",
        {"revision": 1, "answers": {code: "Hai"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "conflict" and "changed in another window" in error["message"]
    assert client.get(f"/api/v1/responses/{response_a.pk}/").json()["answers"][code]["text"] == "Một"
    submit = client.post(f"/api/v1/responses/{response_a.pk}/submit/", {"revision": 1}, format="json")
    assert submit.status_code == 409


def test_answer_errors_are_400_per_question(as_caller, response_a):
    questionnaire = response_a.round.questionnaire
    single = Question.objects.filter(questionnaire=questionnaire, kind="single").first()
    response = as_caller("member_a").patch(
        f"/api/v1/responses/{response_a.pk}/",
        {"revision": 1, "answers": {single.code: "NO_SUCH_OPTION", "UNKNOWN_Q": "x", "X": {"nested": 1}}},
        format="json",
    )
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "answers.X" in fields  # refused by the shape check before the service runs
    response = as_caller("member_a").patch(
        f"/api/v1/responses/{response_a.pk}/",
        {"revision": 1, "answers": {single.code: "NO_SUCH_OPTION", "UNKNOWN_Q": "x"}},
        format="json",
    )
    fields = response.json()["error"]["fields"]
    assert set(fields) == {f"answers.{single.code}", "answers.UNKNOWN_Q"}


def test_numbers_are_accepted_for_any_kind_of_question_without_a_server_error(as_caller, response_a):
    questionnaire = response_a.round.questionnaire
    single = Question.objects.filter(questionnaire=questionnaire, kind="single").first()
    number = Question.objects.get(questionnaire=questionnaire, code="MEMBER_ONLINE_REACH")  # a share: decimals
    response = as_caller("member_a").patch(
        f"/api/v1/responses/{response_a.pk}/",
        {"revision": 1, "answers": {single.code: 3, number.code: 12.5}},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {f"answers.{single.code}"}


def test_submitting_an_incomplete_response_is_400_incomplete(as_caller, coop_a, open_round):
    client = as_caller("member_a")
    started = client.post(f"/api/v1/cooperatives/{coop_a.pk}/responses/", {"round": "KS2026"}, format="json").json()
    response = client.post(f"/api/v1/responses/{started['id']}/submit/", {"revision": 0}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "incomplete"


def test_a_member_cannot_assign_another_cooperative_or_fields_through_the_body(as_caller, coop_a, coop_b, open_round):
    client = as_caller("member_a")
    response = client.post(
        f"/api/v1/cooperatives/{coop_a.pk}/responses/",
        {
            "round": "KS2026",
            "cooperative": coop_b.pk,
            "province": "66",
            "status": "accepted",
            "score": "100",
            "level": 5,
            "is_proxy": True,
        },
        format="json",
    )
    assert response.status_code == 201
    created = Response.objects.get()
    assert created.cooperative == coop_a
    assert created.status == ResponseStatus.DRAFT and created.score is None and created.level is None
    assert not created.is_proxy
    # The other cooperative's URL is outside the member's scope: 404 and nothing created.
    other = client.post(f"/api/v1/cooperatives/{coop_b.pk}/responses/", {"round": "KS2026"}, format="json")
    assert other.status_code == 404
    assert not Response.objects.filter(cooperative=coop_b).exists()
    coop_b.refresh_from_db()
    assert coop_b.province.code == "66" and coop_b.maturity_level is None


def test_answers_in_the_body_cannot_reach_another_response(as_caller, response_a, response_b):
    code = text_question(response_a.round.questionnaire)
    response = as_caller("member_a").patch(
        f"/api/v1/responses/{response_a.pk}/",
        {"revision": 1, "answers": {code: "Của tôi"}, "id": response_b.pk, "cooperative": response_b.cooperative_id},
        format="json",
    )
    assert response.status_code == 200 and response.json()["id"] == response_a.pk
    response_b.refresh_from_db()
    assert response_b.revision == 0 and not response_b.answers.exists()


def test_a_round_of_another_province_is_an_invalid_choice(as_caller, coop_a, questionnaire, province_b, open_round):
    SurveyRound.objects.create(
        code="DL2026",
        name_vi="Đắk Lắk",
        questionnaire=questionnaire,
        province=province_b,
        opens_on=open_round.opens_on,
        closes_on=open_round.closes_on,
    )
    response = as_caller("officer_a").post(
        f"/api/v1/cooperatives/{coop_a.pk}/responses/", {"round": "DL2026"}, format="json"
    )
    assert response.status_code == 400 and "round" in response.json()["error"]["fields"]


def test_a_closed_round_refuses_new_responses(as_caller, coop_a, previous_round):
    response = as_caller("member_a").post(
        f"/api/v1/cooperatives/{coop_a.pk}/responses/", {"round": previous_round.code}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["message"]
    assert not Response.objects.exists()


def test_responses_list_is_scoped_and_filterable(as_caller, response_a, response_b):
    assert [r["id"] for r in as_caller("officer_b").get("/api/v1/responses/").json()["results"]] == [response_b.pk]
    assert [r["id"] for r in as_caller("member_a").get("/api/v1/responses/").json()["results"]] == [response_a.pk]
    client = as_caller("ministry_analyst")
    assert [r["id"] for r in client.get("/api/v1/responses/", {"province": "82"}).json()["results"]] == [response_a.pk]
    assert client.get("/api/v1/responses/", {"cooperative": response_b.cooperative_id}).json()["results"][0]["id"] == (
        response_b.pk
    )
    # Filtering by another province's cooperative shows nothing to an officer.
    assert (
        as_caller("officer_a").get("/api/v1/responses/", {"cooperative": response_b.cooperative_id}).json()["results"]
        == []
    )


def test_questionnaire_detail_has_pillars_questions_and_options(as_caller, questionnaire):
    body = as_caller("member_a").get(f"/api/v1/questionnaires/{questionnaire.pk}/").json()
    assert body["pillars"] and body["pillars"][0]["questions"]
    assert any(q["options"] for p in body["pillars"] for q in p["questions"])
    definitions = as_caller("member_a").get("/api/v1/indicator-definitions/").json()
    assert any(d["metric"] == "ecommerce_pct" for d in definitions)


def test_unpublished_questionnaires_are_hidden_from_all_but_national_admins(as_caller, questionnaire):
    from surveys.models import Questionnaire

    draft = Questionnaire.objects.create(
        code="NATIONAL", version=2, title_vi="Bản nháp", scoring_scheme=questionnaire.scoring_scheme
    )
    assert as_caller("officer_a").get(f"/api/v1/questionnaires/{draft.pk}/").status_code == 404
    assert as_caller("national_admin").get(f"/api/v1/questionnaires/{draft.pk}/").status_code == 200


def test_an_officer_of_another_province_cannot_start_for_a_cooperative(as_caller, open_round):
    cooperative = CooperativeFactory()
    assert (
        as_caller("officer_b")
        .post(f"/api/v1/cooperatives/{cooperative.pk}/responses/", {"round": "KS2026"}, format="json")
        .status_code
        == 404
    )


def test_the_api_refuses_out_of_range_numbers_with_the_same_message(as_caller, response_a):
    client = as_caller("member_a")
    refused = client.patch(
        f"/api/v1/responses/{response_a.pk}/",
        {"revision": 1, "answers": {"MEMBER_ONLINE_REACH": 150, "COMPUTERS": 2.5}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert refused.status_code == 400
    fields = refused.json()["error"]["fields"]
    assert fields["answers.MEMBER_ONLINE_REACH"] == ["Nhập một số từ 0 đến 100."]
    assert fields["answers.COMPUTERS"] == ["Nhập một số nguyên từ 0 đến 1.000."]
    response_a.refresh_from_db()
    assert response_a.revision == 1
    assert Answer.objects.get(response=response_a, question__code="MEMBER_ONLINE_REACH").number <= 100
    # The bounds are data of the questionnaire version, published with it.
    detail = client.get(f"/api/v1/questionnaires/{response_a.round.questionnaire_id}/").json()
    computers = next(q for p in detail["pillars"] for q in p["questions"] if q["code"] == "COMPUTERS")
    assert (computers["min_value"], computers["max_value"], computers["integer_only"]) == ("0.00", "1000.00", True)


def test_the_api_shows_who_entered_submitted_and_reviewed(as_caller, officer_a, province_a, response_a):
    from surveys.services import response_review, response_submit

    response_a.entered_by = officer_a
    response_a.save()
    proxy_submitted = response_submit(response=response_a, by=officer_a)
    second_officer = UserFactory(
        username="officer_a2", first_name="Lan", last_name="Trần", role=Role.PROVINCIAL_OFFICER, province=province_a
    )
    response_review(response=proxy_submitted, by=second_officer, accept=True)
    body = as_caller("ministry_analyst").get(f"/api/v1/responses/{proxy_submitted.pk}/").json()
    assert body["is_proxy"] is True
    assert body["entered_by"] == {"username": "officer_a", "name": officer_a.get_full_name() or "officer_a"}
    assert body["submitted_by"]["username"] == "officer_a"
    assert body["reviewed_by"] == {"username": "officer_a2", "name": second_officer.get_full_name()}
    listed = as_caller("ministry_analyst").get("/api/v1/responses/").json()["results"][0]
    assert listed["reviewed_by"]["username"] == "officer_a2" and listed["entered_by"]["username"] == "officer_a"


@pytest.mark.parametrize("since", ["2026-02-28T22:41:02+21:45", "0001-01-01T00:00:00+05:00"])
def test_the_responses_list_refuses_an_updated_since_no_database_can_compare(since, as_caller, response_a):
    response = as_caller("ministry_analyst").get("/api/v1/responses/", {"updated_since": since})
    assert response.status_code == 400
    assert "updated_since" in response.json()["error"]["fields"]
