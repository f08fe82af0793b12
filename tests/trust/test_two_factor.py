"""Optional two-step verification (TOTP): once on, the code is asked at every log-in."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def turn_on(client, user):
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    page = client.get("/accounts/2fa/").content.decode()
    assert 'data-testid="two-factor-qr"' in page and "data:image/svg+xml;base64," in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/accounts/2fa/", {"token": "000000" if code(device) != "000000" else "111111"})
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()  # a wrong code turns nothing on
    # A failure slows further attempts down (django-otp's throttling); the test does not wait.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    client.post("/accounts/2fa/", {"token": code(device)})
    device.refresh_from_db()
    assert device.confirmed
    return device


def test_an_officer_turns_it_on_and_must_give_a_code_at_the_next_log_in(client, officer_a):
    device = turn_on(client, officer_a)
    assert client.get("/cooperatives/").status_code == 200  # verified in this session
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": officer_a.username, "password": PASSWORD})
    response = client.get("/cooperatives/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/verify/")
    wrong = client.post("/accounts/2fa/verify/", {"token": "12345", "next": "/cooperatives/"})
    assert wrong.status_code == 200 and "is-invalid" in wrong.content.decode()
    assert client.get("/cooperatives/").status_code == 302
    # The code was used to turn it on (no replay), and a failure throttles: reset both for the test.
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    right = client.post("/accounts/2fa/verify/", {"token": code(device), "next": "/cooperatives/"})
    assert right.status_code == 302 and right.url == "/cooperatives/"
    assert client.get("/cooperatives/").status_code == 200


def test_the_api_refuses_an_unverified_session_with_the_error_shape(client, officer_a):
    turn_on(client, officer_a)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": officer_a.username, "password": PASSWORD})
    response = client.get("/api/v1/cooperatives/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "verification_required"


def test_without_a_device_nothing_changes_and_it_can_be_turned_off(client, national_admin):
    client.post("/accounts/login/", {"username": national_admin.username, "password": PASSWORD})
    assert client.get("/accounts/2fa/verify/").status_code == 302  # nothing to verify
    device = turn_on(client, national_admin)
    client.post("/accounts/2fa/disable/", {"token": code(fresh(device))})
    assert not TOTPDevice.objects.filter(user=national_admin).exists()
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": national_admin.username, "password": PASSWORD})
    assert client.get("/cooperatives/").status_code == 200


def test_the_verify_page_never_redirects_off_site(client, officer_a):
    device = turn_on(client, officer_a)
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": officer_a.username, "password": PASSWORD})
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()
    response = client.post("/accounts/2fa/verify/", {"token": code(device), "next": "https://evil.example/"})
    assert response.url == "/"


def fresh(device):
    """The code just used may not be used again (no replay) and failures throttle: reset both, as
    the next 30-second window would."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    return device


def test_a_session_opened_before_it_was_turned_on_is_ended(client, officer_a):
    """Someone who had the password (a shared computer, a stolen session) keeps no access once
    the owner turns two-step verification on elsewhere."""
    from django.test import Client

    other = Client()
    other.post("/accounts/login/", {"username": officer_a.username, "password": PASSWORD})
    assert other.get("/cooperatives/").status_code == 200
    turn_on(client, officer_a)
    assert client.get("/cooperatives/").status_code == 200  # the session that turned it on stays
    response = other.get("/cooperatives/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert other.post("/accounts/2fa/disable/").status_code == 302
    assert TOTPDevice.objects.filter(user=officer_a, confirmed=True).exists()


def test_turning_it_off_needs_a_current_code_and_ends_the_other_sessions(client, officer_a):
    from django.test import Client

    device = turn_on(client, officer_a)
    other = Client()
    other.post("/accounts/login/", {"username": officer_a.username, "password": PASSWORD})
    fresh(device)
    assert other.post("/accounts/2fa/verify/", {"token": code(device), "next": "/"}).status_code == 302
    assert other.get("/cooperatives/").status_code == 200  # verified elsewhere

    refused = client.post("/accounts/2fa/disable/", {"token": ""})
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()
    refused = client.post("/accounts/2fa/disable/", {"token": "000000" if code(device) != "000000" else "111111"})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(user=officer_a, confirmed=True).exists()

    fresh(device)
    done = client.post("/accounts/2fa/disable/", {"token": code(device)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer_a).exists()
    assert client.get("/cooperatives/").status_code == 200  # this session stays
    ended = other.get("/cooperatives/")
    assert ended.status_code == 302 and ended.url.startswith("/accounts/login/")  # the other is ended


def test_setting_it_up_again_ends_the_other_sessions(client, officer_a):
    """A new authenticator (a new phone) replaces the old one: a session verified with the old
    one is ended, as when it is turned on."""
    from django.test import Client

    device = turn_on(client, officer_a)
    other = Client()
    other.post("/accounts/login/", {"username": officer_a.username, "password": PASSWORD})
    fresh(device)
    other.post("/accounts/2fa/verify/", {"token": code(device), "next": "/"})
    assert other.get("/cooperatives/").status_code == 200
    fresh(device)
    client.post("/accounts/2fa/disable/", {"token": code(device)})
    turn_on(client, officer_a)
    ended = other.get("/cooperatives/")
    assert ended.status_code == 302 and ended.url.startswith("/accounts/login/")


def test_sessions_of_users_who_never_changed_it_keep_djangos_hash(officer_a, settings):
    """Deploying the stamp logs nobody out: until it moves, a session's hash is Django's own."""
    from django.contrib.auth.base_user import AbstractBaseUser

    settings.SECRET_KEY_FALLBACKS = ["an-older-secret-key-still-accepted-for-sessions"]
    assert officer_a.session_stamp == 0
    assert officer_a.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(officer_a)
    assert list(officer_a.get_session_auth_fallback_hash()) == list(
        AbstractBaseUser.get_session_auth_fallback_hash(officer_a)
    )
    officer_a.session_stamp = 1
    assert officer_a.get_session_auth_hash() != AbstractBaseUser.get_session_auth_hash(officer_a)
