"""Skip logic and constraints through the API: the questionnaire shows them, a save and a
submission apply them as the browser's do (tests/surveys/test_skip_logic.py)."""

from __future__ import annotations

import pytest

from tests.factories import NO_CHANNEL, STAFF_MESSAGE_VI

pytestmark = pytest.mark.django_db


def test_the_api_shows_the_logic_and_applies_it_as_the_browser_does(as_caller, coop_a, logic_round, best_answers):
    client = as_caller("member_a")
    detail = client.get(f"/api/v1/questionnaires/{logic_round.questionnaire_id}/").json()
    questions = {q["code"]: q for p in detail["pillars"] for q in p["questions"]}
    assert questions["ONLINE_ORDERS"]["relevant"] == "not(selected(${ONLINE_CHANNELS}, 'none'))"
    assert questions["STAFF_TRAINED"]["constraint_message_vi"] == STAFF_MESSAGE_VI
    started = client.post(f"/api/v1/cooperatives/{coop_a.pk}/responses/", {"round": logic_round.code}, format="json")
    pk = started.json()["id"]
    refused = client.patch(
        f"/api/v1/responses/{pk}/",
        {"revision": 0, "answers": {"DIGITAL_SKILLS": "none", "STAFF_TRAINED": "3"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert refused.status_code == 400
    assert STAFF_MESSAGE_VI in str(refused.json())
    answers = {**best_answers, **NO_CHANNEL, "ONLINE_ORDERS": "12"}
    saved = client.patch(f"/api/v1/responses/{pk}/", {"revision": 0, "answers": answers}, format="json")
    assert saved.status_code == 200 and "ONLINE_ORDERS" not in saved.json()["answers"]
    submitted = client.post(f"/api/v1/responses/{pk}/submit/", {"revision": 1}, format="json")
    assert submitted.status_code == 200
    scores = {row["pillar_code"]: row["score"] for row in submitted.json()["pillar_scores"]}
    assert scores["CUSTOMER"] in ("46.67", 46.67)  # as in the browser: ONLINE_ORDERS out of the weights
