"""The completeness and timeliness endpoint returns the hand-computed figures, scoped, versioned."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from surveys.models import Response, ResponseStatus
from tests.api.conftest import issue
from tests.indicators.timeliness_data import prepare

pytestmark = pytest.mark.django_db

PATH = "/api/v1/indicators/timeliness/KS2026T/"


def test_the_endpoint_returns_the_nation_and_every_province_with_the_counts(as_caller):
    prepare()
    body = as_caller("ministry_token").get(PATH).json()
    assert (body["round"], body["review_within_days"]) == ("KS2026T", 10)
    assert body["closes_on"] == (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert len(body["provinces"]) == 34
    rows = {row["province"]: row for row in body["provinces"]}
    a = rows["82"]
    assert {k: v for k, v in a.items() if not k.endswith("_pct")} == {
        "province": "82",
        "province_name": a["province_name"],
        "expected": 7,
        "counted": 2,
        "submitted": 5,
        "on_time": 2,
        "due_for_review": 4,
        "reviewed_in_time": 2,
        "waiting_late": 1,
    }
    assert (round(a["coverage_pct"], 4), a["on_time_pct"], a["reviewed_in_time_pct"]) == (28.5714, 40.0, 50.0)
    nation = body["nation"]
    assert nation["province"] is None
    assert (nation["expected"], nation["counted"], nation["submitted"], nation["on_time"]) == (9, 3, 6, 3)
    assert (nation["due_for_review"], nation["reviewed_in_time"], nation["waiting_late"]) == (5, 3, 1)
    assert rows["01"]["coverage_pct"] is None


def test_a_provincial_token_sees_its_province_and_the_nation(as_caller, national_admin):
    prepare()
    body = as_caller("province_token").get(PATH).json()
    assert [(row["province"], row["counted"]) for row in body["provinces"]] == [("82", 2)]
    assert body["nation"]["counted"] == 3
    dak_lak = issue(national_admin, role=Role.PROVINCIAL_OFFICER, province_code="66", organisation="Sở Đắk Lắk")
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {dak_lak.secret}")
    assert [row["province"] for row in client.get(PATH).json()["provinces"]] == ["66"]


def test_an_unknown_round_is_404(as_caller):
    response = as_caller("ministry_token").get("/api/v1/indicators/timeliness/KHONGCO/")
    assert response.status_code == 404
    assert response.json()["error"]["code"]


def test_a_review_renews_the_etag_and_an_unchanged_answer_is_304(as_caller, django_capture_on_commit_callbacks):
    data = prepare()
    client = as_caller("ministry_token")
    first = client.get(PATH)
    assert client.get(PATH, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        Response.objects.filter(cooperative=data.a["a4"]).update(
            status=ResponseStatus.ACCEPTED, reviewed_at=timezone.now()
        )
    again = client.get(PATH, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    rows = {row["province"]: row for row in again.json()["provinces"]}
    assert (rows["82"]["counted"], rows["82"]["waiting_late"], rows["82"]["reviewed_in_time"]) == (3, 0, 2)


def test_the_etag_moves_with_the_day_as_waiting_responses_turn_late(as_caller, monkeypatch):
    prepare()
    client = as_caller("ministry_token")
    first = client.get(PATH)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("indicators.timeliness.timezone.localdate", lambda *args: tomorrow)
    assert client.get(PATH, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
