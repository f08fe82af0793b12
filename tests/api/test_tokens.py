"""API tokens: issued by national administrators with the secret shown once and stored hashed;
used (last use recorded), expired, revoked; scopes; the token pages."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api.services import LAST_USED_GRANULARITY, TOKEN_CACHE_SECONDS, api_token_revoke
from accounts.models import ApiScope, ApiToken, Role
from tests.api.conftest import issue

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_admin_issues_a_token_whose_secret_is_shown_once_and_stored_hashed(login, national_admin, province_a):
    client = login(national_admin)
    page = client.post(
        "/accounts/tokens/new/",
        {
            "organisation": "Sở Nông nghiệp và Môi trường Đồng Tháp",
            "role": Role.PROVINCIAL_OFFICER,
            "province": province_a.pk,
            "scopes": [ApiScope.REGISTRY_READ, ApiScope.TASKS_WRITE],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=90)).strftime("%d/%m/%Y"),
        },
    )
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    secret = page.context["secret"]
    assert secret in page.content.decode()
    token = ApiToken.objects.get()
    assert token.prefix == secret[:8]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values().get().values()]
    assert not any(secret in value for value in stored)
    assert token.user.role == Role.PROVINCIAL_OFFICER and token.user.province_id == province_a.pk
    assert not token.user.has_usable_password()
    assert token.created_by == national_admin and token.scopes == sorted([ApiScope.REGISTRY_READ, ApiScope.TASKS_WRITE])
    # The list shows the prefix, never the secret again.
    listing = client.get("/accounts/tokens/").content.decode()
    assert token.prefix in listing and secret not in listing
    # And the token works.
    assert bearer(secret).get("/api/v1/cooperatives/").status_code == 200


def test_a_national_token_cannot_get_writing_scopes(login, national_admin):
    page = login(national_admin).post(
        "/accounts/tokens/new/",
        {
            "organisation": "Bộ Tài chính",
            "role": Role.MINISTRY_ANALYST,
            "scopes": [ApiScope.REGISTRY_READ, ApiScope.RESPONSES_WRITE],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d/%m/%Y"),
        },
    )
    assert page.status_code == 200
    assert "scopes" in page.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_province_token_needs_its_province_and_a_near_expiry(login, national_admin):
    page = login(national_admin).post(
        "/accounts/tokens/new/",
        {
            "organisation": "Sở",
            "role": Role.PROVINCIAL_OFFICER,
            "scopes": [ApiScope.REGISTRY_READ],
            "expires_on": (timezone.localdate() + datetime.timedelta(days=5 * 365)).strftime("%d/%m/%Y"),
        },
    )
    errors = page.context["form"].errors
    assert "province" in errors
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("who", ["officer_a", "member_a"])
def test_officers_and_members_do_not_reach_the_token_pages(who, request, login, ministry_token):
    # Ministry analysts reach them for their own read-only tokens (tests/accounts/test_personal_tokens.py).
    client = login(request.getfixturevalue(who))
    assert client.get("/accounts/tokens/").status_code == 403
    assert client.get("/accounts/tokens/new/").status_code == 403
    assert client.post(f"/accounts/tokens/{ministry_token.token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.get().revoked_at is None


def test_the_navigation_offers_tokens_to_administrators_and_analysts_only(
    login, national_admin, ministry_analyst, officer_a
):
    assert "/accounts/tokens/" in login(national_admin).get("/").content.decode()
    assert "/accounts/tokens/" in login(ministry_analyst).get("/").content.decode()
    assert "/accounts/tokens/" not in login(officer_a).get("/").content.decode()


def test_using_a_token_records_its_last_use_at_most_once_a_minute(ministry_token, django_assert_num_queries):
    token = ministry_token.token
    assert token.last_used_at is None
    client = bearer(ministry_token.secret)
    assert client.get("/api/v1/sectors/").status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    # Within the minute: no write.
    assert client.get("/api/v1/sectors/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    # A minute later (the cached row, kept for less than a minute, has expired): written again.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - datetime.timedelta(minutes=2))
    cache.clear()
    assert client.get("/api/v1/sectors/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_recently_used_token_is_not_read_from_the_database_again(ministry_token):
    assert LAST_USED_GRANULARITY.total_seconds() > TOKEN_CACHE_SECONDS
    client = bearer(ministry_token.secret)
    assert client.get("/api/v1/sectors/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/sectors/").status_code == 200
    assert not [q for q in queries.captured_queries if "accounts_apitoken" in q["sql"]]


def test_a_token_revoked_while_its_row_is_cached_is_refused_at_once(
    national_admin, ministry_token, django_capture_on_commit_callbacks
):
    client = bearer(ministry_token.secret)
    assert client.get("/api/v1/sectors/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        api_token_revoke(token=ministry_token.token, by=national_admin)
    assert client.get("/api/v1/sectors/").status_code == 401


def test_an_expired_token_is_401(ministry_token):
    ApiToken.objects.filter(pk=ministry_token.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = bearer(ministry_token.secret).get("/api/v1/sectors/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_revoked_token_is_401_and_its_account_is_deactivated(login, national_admin, ministry_token):
    client = bearer(ministry_token.secret)
    assert client.get("/api/v1/sectors/").status_code == 200
    page = login(national_admin).post(f"/accounts/tokens/{ministry_token.token.pk}/revoke/")
    assert page.status_code == 302
    token = ApiToken.objects.select_related("user").get()
    assert token.revoked_at is not None and token.revoked_by == national_admin
    assert not token.user.is_active
    response = client.get("/api/v1/sectors/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.mark.parametrize("header", ["Bearer", "Bearer two parts", "Bearer not-a-token", "Bearer ünïcode"])
def test_malformed_or_unknown_tokens_are_401(header, ministry_token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/sectors/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_token_without_the_scope_is_403(national_admin, figures):
    issued = issue(national_admin, scopes=[ApiScope.REGISTRY_READ])
    client = bearer(issued.secret)
    assert client.get("/api/v1/cooperatives/").status_code == 200
    response = client.get("/api/v1/indicators/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing"
    assert "indicators:read" in response.json()["error"]["message"]


def test_a_ministry_token_reads_national_data_and_writes_nothing(ministry_token, coop_a, coop_b, response_a):
    client = bearer(ministry_token.secret)
    codes = {row["code"] for row in client.get("/api/v1/cooperatives/").json()["results"]}
    assert codes == {coop_a.code, coop_b.code}
    patch = client.patch(
        f"/api/v1/responses/{response_a.pk}/", {"revision": response_a.revision, "answers": {}}, format="json"
    )
    assert patch.status_code == 403
    start = client.post(f"/api/v1/cooperatives/{coop_b.pk}/responses/", {"round": "KS2026"}, format="json")
    assert start.status_code == 403
    response_a.refresh_from_db()
    assert response_a.revision == 1


def test_a_province_token_acts_as_an_officer_of_its_province(province_token, coop_a, coop_b):
    client = bearer(province_token.secret)
    codes = {row["code"] for row in client.get("/api/v1/cooperatives/").json()["results"]}
    assert codes == {coop_a.code}
    assert client.get(f"/api/v1/cooperatives/{coop_b.pk}/").status_code == 404


def test_the_admin_lists_tokens_read_only(login, national_admin, ministry_token):
    national_admin.is_superuser = True
    national_admin.save()
    client = login(national_admin)
    assert client.get("/admin/accounts/apitoken/").status_code == 200
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
