"""One error shape everywhere, with a machine code and a message in the request's language."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


@pytest.mark.parametrize(
    ("language", "not_found", "required"),
    [("vi", "Không tìm thấy.", "Trường này là bắt buộc."), ("en", "Not found.", "This field is required.")],
)
def test_errors_speak_the_requests_language(language, not_found, required, as_caller, response_a):
    client = as_caller("member_a")
    missing = client.get("/api/v1/cooperatives/999999/", HTTP_ACCEPT_LANGUAGE=language)
    assert missing.status_code == 404
    assert error(missing) == {"code": "not_found", "message": not_found, "fields": {}}
    invalid = client.patch(f"/api/v1/responses/{response_a.pk}/", {}, format="json", HTTP_ACCEPT_LANGUAGE=language)
    assert invalid.status_code == 400
    body = error(invalid)
    assert body["code"] == "invalid"
    assert body["fields"] == {"revision": [required], "answers": [required]}
    assert missing["Content-Language"] == language


def test_vietnamese_is_the_default_language(as_caller):
    assert error(as_caller("officer_a").get("/api/v1/cooperatives/999999/"))["message"] == "Không tìm thấy."


def test_unauthenticated_is_401_with_a_bearer_challenge():
    response = APIClient().get("/api/v1/cooperatives/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert error(response)["code"] == "not_authenticated"


def test_a_role_without_access_is_403(as_caller):
    body = error(as_caller("member_a").get("/api/v1/indicators/", HTTP_ACCEPT_LANGUAGE="en"))
    assert body == {
        "code": "permission_denied",
        "message": "You do not have permission to perform this action.",
        "fields": {},
    }


def test_malformed_json_is_400_parse_error(as_caller, response_a):
    response = as_caller("member_a").generic(
        "PATCH", f"/api/v1/responses/{response_a.pk}/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400 and error(response)["code"] == "parse_error"


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_json_nested_too_deeply_is_400_parse_error(as_caller, response_a, depth):
    client = as_caller("member_a")
    client.raise_request_exception = False
    body = "[" * depth + "]" * depth
    response = client.generic("PATCH", f"/api/v1/responses/{response_a.pk}/", body, content_type="application/json")
    assert response.status_code == 400 and error(response)["code"] == "parse_error"


def test_a_body_over_the_limit_is_413_and_nothing_is_read_or_written(as_caller, response_a, settings):
    settings.API_MAX_JSON_BYTES = 64 * 1024
    client = as_caller("member_a")
    client.raise_request_exception = False
    padding = "x" * (settings.API_MAX_JSON_BYTES + 1)
    body = json.dumps({"revision": response_a.revision, "answers": {}, "note": padding})
    response = client.generic("PATCH", f"/api/v1/responses/{response_a.pk}/", body, content_type="application/json")
    assert response.status_code == 413 and error(response)["code"] == "too_large"
    response_a.refresh_from_db()
    assert response_a.revision == json.loads(body)["revision"]


def test_an_unsupported_body_type_is_415(as_caller, response_a):
    response = as_caller("member_a").generic(
        "PATCH", f"/api/v1/responses/{response_a.pk}/", "revision=1", content_type="text/plain"
    )
    assert response.status_code == 415 and error(response)["code"] == "unsupported_media_type"


def test_an_unknown_method_is_405(as_caller):
    response = as_caller("officer_a").put("/api/v1/cooperatives/", {}, format="json")
    assert response.status_code == 405 and error(response)["code"] == "method_not_allowed"


def test_a_session_write_without_the_csrf_token_is_refused(member_a, response_a):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(member_a)
    response = client.patch(f"/api/v1/responses/{response_a.pk}/", {"revision": 1, "answers": {}}, format="json")
    assert response.status_code == 403 and error(response)["code"] == "permission_denied"


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, 20 s into a minute, moved by hand (no window turns over mid-test)."""
    now = {"t": 1_800_000_000.0 + 20}
    monkeypatch.setattr("accounts.api.throttling.time.time", lambda: now["t"])
    return now


def test_too_many_requests_are_429_with_retry_after(settings, as_caller, clock):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_token": "3/min"}}
    client = as_caller("ministry_token")
    assert [client.get("/api/v1/sectors/").status_code for _ in range(3)] == [200, 200, 200]
    throttled = client.get("/api/v1/sectors/", HTTP_ACCEPT_LANGUAGE="en")
    assert throttled.status_code == 429
    assert error(throttled)["code"] == "throttled"
    # A sliding minute: the three requests made 20 s into this minute weigh on the next one until
    # a third of it has passed (3 x 2/3 + 1 = 3): 40 s to the minute's end, then 20 s.
    assert int(throttled["Retry-After"]) == 60


def test_requests_are_allowed_again_as_the_previous_minute_ages(settings, as_caller, clock):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_token": "2/min"}}
    client = as_caller("ministry_token")
    assert [client.get("/api/v1/sectors/").status_code for _ in range(3)] == [200, 200, 429]
    clock["t"] += 40  # the next minute begins: the previous one still counts whole
    assert client.get("/api/v1/sectors/").status_code == 429
    clock["t"] += 30  # half of it has passed: 2 x 1/2 + 1 = 2, one request more
    assert [client.get("/api/v1/sectors/").status_code for _ in range(2)] == [200, 429]


def test_a_burst_across_the_minutes_boundary_is_held_to_the_rate(settings, as_caller, clock):
    """A fixed window let 2x the rate through across a boundary (10 at 0:59, 10 at 1:00)."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_token": "10/min"}}
    client = as_caller("ministry_token")
    clock["t"] += 39  # one second before the minute ends
    before = [client.get("/api/v1/sectors/").status_code for _ in range(10)]
    clock["t"] += 2  # one second into the next minute
    after = [client.get("/api/v1/sectors/").status_code for _ in range(10)]
    assert before == [200] * 10
    assert after.count(200) <= 1  # 10 x 59/60 of the last minute still counts
    assert set(after) <= {200, 429}


def test_throttling_counts_each_token_separately(settings, as_caller, national_admin, clock):
    from tests.api.conftest import issue

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_token": "2/min"}}
    client = as_caller("ministry_token")
    client.get("/api/v1/sectors/")
    client.get("/api/v1/sectors/")
    assert client.get("/api/v1/sectors/").status_code == 429
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {issue(national_admin).secret}")
    assert other.get("/api/v1/sectors/").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"province": "\x00"},
        {"maturity_level": "1e999"},
        {"updated_since": "9999-99-99"},
        {"ordering": "-"},
        {"q": "' OR 1=1 --"},
        {"cursor": "eyJvIjpbImlkIl0sInYiOlt7fV19"},
        {"ward": "x" * 5000},
    ],
)
def test_odd_filter_values_never_cause_a_server_error(query, as_caller, coop_a):
    response = as_caller("ministry_analyst").get("/api/v1/cooperatives/", query)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert error(response)["fields"]


def test_a_bug_answers_500_in_the_same_shape_and_is_reported(as_caller, monkeypatch):
    from django.core.signals import got_request_exception

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("cooperatives.api.views.Sector.objects.order_by", broken)
    reported = []
    got_request_exception.connect(lambda **kwargs: reported.append(kwargs), weak=False, dispatch_uid="api-test")
    client = as_caller("officer_a")
    client.raise_request_exception = False
    try:
        response = client.get("/api/v1/sectors/", HTTP_ACCEPT_LANGUAGE="en")
    finally:
        got_request_exception.disconnect(dispatch_uid="api-test")
    assert response.status_code == 500
    assert error(response) == {"code": "server_error", "message": "A server error occurred.", "fields": {}}
    assert "boom" not in response.content.decode()
    assert reported


@pytest.mark.parametrize(
    ("counted", "before", "elapsed", "allowed", "wait"),
    [
        (3, 4, 30, True, 0),  # 4 x 1/2 + 3 = 5: within 5
        (4, 4, 30, False, 15),  # at 45 s: 4 x 1/4 + 4 = 5
        (6, 0, 20, False, 40 + 12),  # next minute, once 5 x (1 - t/60) + 1 <= 5: t = 12
        (1, 10, 0, False, 60 * (1 - 4 / 10)),  # at 36 s: 10 x 0.4 + 1 = 5
    ],
)
def test_the_sliding_estimate_and_the_wait_it_announces(counted, before, elapsed, allowed, wait):
    from accounts.api.throttling import sliding_decision

    decided, seconds = sliding_decision(counted=counted, before=before, limit=5, elapsed=elapsed, duration=60)
    assert (decided, round(seconds, 6)) == (allowed, round(wait, 6))
    if not allowed:  # one request more is within the limit exactly when announced
        later = elapsed + seconds
        if later < 60:
            assert before * (1 - later / 60) + counted <= 5
        else:
            assert (counted - 1) * (1 - (later - 60) / 60) + 1 <= 5 + 1e-9
