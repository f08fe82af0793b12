import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_officer_cannot_exist_without_a_province():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="lost", role=Role.PROVINCIAL_OFFICER)


def test_a_member_cannot_also_be_bound_to_a_province(coop_a, province_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="both", role=Role.COOPERATIVE_MEMBER, cooperative=coop_a, province=province_a)


def test_login_with_the_form_rotates_the_session_and_lands_on_home(client, officer_a):
    client.get("/")
    before = client.session.session_key
    response = client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session.session_key != before
    home = client.get("/")
    assert "officer_a" in home.content.decode() or officer_a.get_full_name() in home.content.decode()


def test_wrong_password_gets_a_vietnamese_message(client, officer_a):
    response = client.post("/accounts/login/", {"username": "officer_a", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(client, officer_a):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "officer_a", "password": "sai-mat-khau"})
    response = client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(login, client, officer_a):
    login(officer_a)
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302)
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_by_email(client, officer_a):
    response = client.post("/accounts/password/reset/", {"email": officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert mail.outbox[0].to == [officer_a.email]


def test_password_change_requires_a_strong_password(login, client, officer_a):
    login(officer_a)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)


def _log_in_from(client, address, password, forwarded_by_client=""):
    """A log-in through one reverse proxy (10.0.0.1), which appends the address it saw."""
    forwarded = f"{forwarded_by_client}, {address}" if forwarded_by_client else address
    return client.post(
        "/accounts/login/",
        {"username": "officer_a", "password": password},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_a_trusted_proxy_one_address_failing_locks_out_that_address_only(client, officer_a, settings):
    """Every request reaches the site from the proxy: keyed on the proxy's address, one
    attacker would lock the officer out everywhere. Keyed on the address the proxy saw, the
    officer still logs in from their own office, and a forged X-Forwarded-For does not help the
    attacker escape the count."""
    from django.test import Client

    settings.TRUSTED_PROXY_COUNT = 1
    attacker = Client()
    for attempt in range(5):
        # The attacker forges a new left-most address each time; the proxy's own entry is last.
        _log_in_from(attacker, "203.0.113.9", "sai-mat-khau", forwarded_by_client=f"198.51.100.{attempt}")
    assert _log_in_from(attacker, "203.0.113.9", PASSWORD, forwarded_by_client="198.51.100.77").status_code == 429
    office = Client()
    response = _log_in_from(office, "14.161.20.5", PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in office.session
