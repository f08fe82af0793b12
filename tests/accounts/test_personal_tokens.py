"""A ministry analyst obtains read-only API tokens for themselves; scopes are shown by name."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.api.services import MAX_PERSONAL_TOKENS, api_token_issue
from accounts.models import ApiScope, ApiToken, Role
from accounts.services import user_update
from surveys.models import Response
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def ministry_token(national_admin):
    """A token an administrator issued to a ministry (not personal)."""
    return api_token_issue(
        by=national_admin,
        organisation="Bộ Nông nghiệp và Môi trường",
        role=Role.MINISTRY_ANALYST,
        scopes=[ApiScope.REGISTRY_READ],
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def visible(response) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def ask(client, **fields):
    data = {"organisation": "Vụ Thống kê, Bộ Tài chính", "scopes": [ApiScope.REGISTRY_READ], "expires_on": in_days(90)}
    data.update(fields)
    return client.post("/accounts/tokens/new/", data)


def test_an_analyst_obtains_a_read_only_token_and_reads_the_api_with_it(login, ministry_analyst, coop_a):
    client = login(ministry_analyst)
    # The navigation leads there.
    assert 'href="/accounts/tokens/"' in client.get("/").content.decode()
    form = client.get("/accounts/tokens/new/")
    assert form.status_code == 200
    offered = re.findall(r'name="scopes" value="([^"]+)"', form.content.decode())
    assert set(offered) == {ApiScope.INDICATORS_READ, ApiScope.REGISTRY_READ, ApiScope.RESPONSES_READ}
    page = ask(client, scopes=[ApiScope.REGISTRY_READ, ApiScope.INDICATORS_READ])
    assert page.status_code == 200, page.content.decode()[:500]
    secret = page.context["secret"]
    token = ApiToken.objects.get()
    assert (token.created_by, token.role, token.province) == (ministry_analyst, Role.MINISTRY_ANALYST, None)
    assert token.user.role == Role.MINISTRY_ANALYST and not token.user.has_usable_password()
    assert token.history.get().history_user == ministry_analyst
    # It reads ...
    listing = bearer(secret).get("/api/v1/cooperatives/")
    assert listing.status_code == 200
    assert coop_a.name in [row["name"] for row in listing.json()["results"]]
    # ... and cannot write.
    refused = bearer(secret).post(f"/api/v1/cooperatives/{coop_a.pk}/responses/", {}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "scope_missing"
    assert not Response.objects.exists()


def test_an_analyst_cannot_obtain_a_writing_scope_or_a_province_token(login, ministry_analyst, province_a):
    page = ask(login(ministry_analyst), scopes=[ApiScope.REGISTRY_READ, ApiScope.RESPONSES_WRITE])
    assert page.status_code == 200
    assert "scopes" in page.context["form"].errors
    assert not ApiToken.objects.exists()
    # Nor through the service itself, whatever the caller.
    expires = timezone.now() + datetime.timedelta(days=30)
    with pytest.raises(ValidationError):
        api_token_issue(
            by=ministry_analyst,
            organisation="Bộ",
            role=Role.MINISTRY_ANALYST,
            scopes=[ApiScope.TASKS_WRITE],
            expires_at=expires,
        )
    with pytest.raises(PermissionDenied):
        api_token_issue(
            by=ministry_analyst,
            organisation="Bộ",
            role=Role.PROVINCIAL_OFFICER,
            province=province_a,
            scopes=[ApiScope.REGISTRY_READ],
            expires_at=expires,
        )
    assert not ApiToken.objects.exists()


def test_an_analysts_token_follows_the_expiry_rule_of_all_tokens(login, ministry_analyst):
    page = ask(login(ministry_analyst), expires_on=in_days(3 * 365))
    assert page.status_code == 200
    assert "Mã truy cập có thời hạn sử dụng tối đa hai năm." in visible(page)
    assert not ApiToken.objects.exists()


def test_an_analyst_holds_a_limited_number_of_active_tokens(login, ministry_analyst):
    client = login(ministry_analyst)
    for _ in range(MAX_PERSONAL_TOKENS):
        assert "secret" in ask(client).context
    page = ask(client)
    assert "secret" not in page.context
    assert f"Bạn đã có {MAX_PERSONAL_TOKENS} mã truy cập đang hiệu lực" in visible(page)
    assert ApiToken.objects.count() == MAX_PERSONAL_TOKENS
    # Revoking one makes room again.
    mine = ApiToken.objects.first()
    assert client.post(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 302
    assert "secret" in ask(client).context


def test_an_analyst_sees_and_revokes_only_their_own_tokens(login, ministry_analyst, ministry_token):
    client = login(ministry_analyst)
    ask(client, organisation="Kịch bản thống kê của tôi")
    page = visible(client.get("/accounts/tokens/"))
    assert "Kịch bản thống kê của tôi" in page
    assert ministry_token.token.organisation not in page
    client.raise_request_exception = False
    assert client.post(f"/accounts/tokens/{ministry_token.token.pk}/revoke/").status_code == 404
    ministry_token.token.refresh_from_db()
    assert ministry_token.token.revoked_at is None


def test_the_token_pages_name_the_scopes_in_vietnamese(login, ministry_analyst):
    client = login(ministry_analyst)
    issued = visible(ask(client, scopes=[ApiScope.REGISTRY_READ, ApiScope.RESPONSES_READ]))
    listing = visible(client.get("/accounts/tokens/"))
    for page in (issued, listing):
        assert "Đọc danh bạ hợp tác xã" in page and "Đọc phiếu tự đánh giá" in page
        assert "registry:read" not in page and "responses:read" not in page


def test_the_token_pages_name_the_scopes_in_english_when_chosen(login, ministry_analyst):
    client = login(ministry_analyst)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    ask(client, scopes=[ApiScope.INDICATORS_READ])
    listing = visible(client.get("/accounts/tokens/"))
    assert "Read indicators and directive tracking" in listing and "indicators:read" not in listing


def test_an_analyst_who_leaves_the_role_loses_their_tokens(login, ministry_analyst, national_admin, ministry_token):
    secret = ask(login(ministry_analyst)).context["secret"]
    assert bearer(secret).get("/api/v1/sectors/").status_code == 200
    user_update(user=ministry_analyst, by=national_admin, is_active=False)
    assert bearer(secret).get("/api/v1/sectors/").status_code == 401
    assert ApiToken.objects.get(created_by=ministry_analyst).revoked_by == national_admin
    # Tokens that an administrator issued to an organisation are not personal: untouched.
    ministry_token.token.refresh_from_db()
    assert ministry_token.token.revoked_at is None


@pytest.mark.parametrize("who", ["officer_a", "member_a"])
def test_officers_and_members_still_have_no_token_pages(who, request, login):
    client = login(request.getfixturevalue(who))
    client.raise_request_exception = False
    assert client.get("/accounts/tokens/").status_code == 403
    assert client.get("/accounts/tokens/new/").status_code == 403
    assert ask(client).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_admin_names_a_tokens_scopes_in_vietnamese(login, ministry_token):
    root = UserFactory(username="root", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    page = visible(login(root).get(f"/admin/accounts/apitoken/{ministry_token.token.pk}/change/"))
    assert "Đọc danh bạ hợp tác xã" in page and "registry:read" not in page


def test_tokens_an_administrator_issued_to_organisations_never_become_personal(login, national_admin, ministry_token):
    # The administrator who issued a ministry's token later becomes an analyst, then leaves.
    user_update(
        user=national_admin, by=UserFactory(role=Role.NATIONAL_ADMIN, is_superuser=True), role=Role.MINISTRY_ANALYST
    )
    national_admin.refresh_from_db()
    client = login(national_admin)
    assert "Bộ Nông nghiệp và Môi trường" not in visible(client.get("/accounts/tokens/"))
    assert client.post(f"/accounts/tokens/{ministry_token.token.pk}/revoke/").status_code == 404
    # Their own limit counts only their own tokens.
    for number in range(MAX_PERSONAL_TOKENS):
        api_token_issue(
            by=national_admin,
            organisation=f"Vụ {number}",
            role=Role.MINISTRY_ANALYST,
            scopes=[ApiScope.REGISTRY_READ],
            expires_at=timezone.now() + datetime.timedelta(days=30),
        )
    user_update(user=national_admin, by=UserFactory(role=Role.NATIONAL_ADMIN, is_superuser=True), is_active=False)
    ministry_token.token.refresh_from_db()
    assert ministry_token.token.revoked_at is None  # the ministry keeps its token
    assert ApiToken.objects.filter(created_by=national_admin, revoked_at__isnull=True).count() == 1
    assert bearer(ministry_token.secret).get("/api/v1/cooperatives/").status_code == 200
