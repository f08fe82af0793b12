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
    turn_on(client, national_admin)
    client.post("/accounts/2fa/disable/")
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
