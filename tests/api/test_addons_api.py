"""A provincial round's add-on questions through the API: the round lists them, a save takes their
answers by code as the browser's does, the detail gives them back apart, never in the score
(tests/surveys/test_addons.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_round_lists_its_add_on_questions(as_caller, addon_round, open_round):
    client = as_caller("member_a")
    detail = client.get(f"/api/v1/rounds/{addon_round.code}/").json()
    assert [q["code"] for q in detail["addon_questions"]] == ["TOURISM", "HOMESTAY_ROOMS", "TOURISM_NOTE"]
    assert detail["addon_questions"][0]["options"][2] == {"code": "3", "label_vi": "Đã làm", "label_en": "Running"}
    assert client.get(f"/api/v1/rounds/{open_round.code}/").json()["addon_questions"] == []


def test_add_on_answers_are_saved_and_read_apart_and_never_scored(as_caller, coop_a, addon_round, best_answers):
    client = as_caller("member_a")
    pk = client.post(f"/api/v1/cooperatives/{coop_a.pk}/responses/", {"round": addon_round.code}, format="json").json()[
        "id"
    ]
    refused = client.patch(
        f"/api/v1/responses/{pk}/",
        {"revision": 0, "answers": {"HOMESTAY_ROOMS": "2,5", "TOURISM": "9"}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert refused.status_code == 400
    fields = refused.json()["error"]["fields"]
    assert set(fields) == {"answers.HOMESTAY_ROOMS", "answers.TOURISM"}
    saved = client.patch(
        f"/api/v1/responses/{pk}/",
        {"revision": 0, "answers": {**best_answers, "TOURISM": "3", "HOMESTAY_ROOMS": 6}},
        format="json",
    )
    assert saved.status_code == 200
    body = saved.json()
    assert body["provincial_answers"]["TOURISM"]["options"] == ["3"]
    assert body["provincial_answers"]["HOMESTAY_ROOMS"]["number"] == 6
    assert "TOURISM" not in body["answers"]
    submitted = client.post(f"/api/v1/responses/{pk}/submit/", {"revision": 1}, format="json")
    assert submitted.status_code == 200
    assert submitted.json()["level"] == 5 and "TOURISM" in submitted.json()["provincial_answers"]


def test_a_required_add_on_left_empty_refuses_the_submission(as_caller, coop_a, addon_round, best_answers):
    client = as_caller("member_a")
    pk = client.post(f"/api/v1/cooperatives/{coop_a.pk}/responses/", {"round": addon_round.code}, format="json").json()[
        "id"
    ]
    client.patch(f"/api/v1/responses/{pk}/", {"revision": 0, "answers": best_answers}, format="json")
    refused = client.post(f"/api/v1/responses/{pk}/submit/", {"revision": 1}, format="json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "incomplete"
