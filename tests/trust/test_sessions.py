"""Sessions on shared office computers: idle and absolute timeouts, deactivation, rotation."""

import time

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_idle_session_is_logged_out(login, officer_a, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = login(officer_a)
    assert client.get("/cooperatives/").status_code == 200
    session = client.session
    session["_last_activity"] = int(time.time()) - 601
    session.save()
    response = client.get("/cooperatives/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(login, officer_a, settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    client = login(officer_a)
    client.get("/")
    session = client.session
    session["_last_activity"] = int(time.time()) - 300
    session.save()
    assert client.get("/cooperatives/").status_code == 200


def test_the_absolute_lifetime_is_set_on_the_cookie(client, officer_a, settings):
    response = client.post("/accounts/login/", {"username": officer_a.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE == 8 * 3600
    assert client.cookies[settings.SESSION_COOKIE_NAME]["httponly"]


def test_deactivating_an_account_ends_its_sessions(login, officer_a):
    client = login(officer_a)
    assert client.get("/cooperatives/").status_code == 200
    officer_a.is_active = False
    officer_a.save()
    response = client.get("/cooperatives/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_changing_the_password_ends_other_sessions(client, django_user_model, officer_a):
    from django.test import Client

    other = Client()
    other.force_login(officer_a)
    client.force_login(officer_a)
    new = "Mat-khau-moi-an-toan-2027"
    response = client.post(
        "/accounts/password/change/", {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get("/cooperatives/").status_code == 200
    assert other.get("/cooperatives/").status_code == 302
