"""The questionnaire's consistency rules over the API: the same rules and outcome as the browser
(tests/surveys/test_consistency.py), in the API's error shape with each rule named."""

from __future__ import annotations

import pytest

from surveys.models import Response, ResponseStatus
from tests.surveys.test_consistency import contradicting, unusual

pytestmark = pytest.mark.django_db


def draft(client, coop, survey_round, answers):
    started = client.post(f"/api/v1/cooperatives/{coop.pk}/responses/", {"round": survey_round.code}, format="json")
    body = started.json()
    saved = client.patch(f"/api/v1/responses/{body['id']}/", {"revision": 0, "answers": answers}, format="json")
    assert saved.status_code == 200
    return body["id"], saved.json()["revision"]


def test_a_contradiction_is_400_inconsistent_answers_naming_the_rule_even_when_confirmed(
    as_caller, coop_a, open_round, best_answers
):
    client = as_caller("member_a")
    pk, revision = draft(client, coop_a, open_round, contradicting(best_answers))
    for confirm in (False, True):
        refused = client.post(
            f"/api/v1/responses/{pk}/submit/", {"revision": revision, "confirm_warnings": confirm}, format="json"
        )
        assert refused.status_code == 400
        error = refused.json()["error"]
        assert error["code"] == "inconsistent_answers"
        assert list(error["fields"]) == ["rules.orders-need-a-channel"]
        assert error["fields"]["rules.orders-need-a-channel"][0].startswith("HTX có nhận đơn hàng")
    assert Response.objects.get(pk=pk).status == ResponseStatus.DRAFT


def test_a_warning_is_400_until_confirmed_then_the_response_keeps_the_confirmation(
    as_caller, coop_a, open_round, best_answers
):
    client = as_caller("member_a")
    pk, revision = draft(client, coop_a, open_round, unusual(best_answers))
    refused = client.post(
        f"/api/v1/responses/{pk}/submit/", {"revision": revision}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "warnings_to_confirm"
    assert list(error["fields"]) == ["rules.einvoices-without-software"]
    assert Response.objects.get(pk=pk).status == ResponseStatus.DRAFT

    sent = client.post(
        f"/api/v1/responses/{pk}/submit/", {"revision": revision, "confirm_warnings": True}, format="json"
    )
    assert sent.status_code == 200
    body = sent.json()
    assert body["status"] == "submitted" and body["confirmed_warnings"] == ["einvoices-without-software"]
