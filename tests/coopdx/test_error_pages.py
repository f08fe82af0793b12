"""Error pages (403, 404, 500, CSRF failure): branded, in the user's language, with a way back."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.template import loader
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

TEXTS = {
    "vi": {
        404: ("Không tìm thấy trang", "Quay lại trang chủ"),
        403: ("Bạn không có quyền xem trang này", "Quay lại trang chủ"),
        "csrf": ("Biểu mẫu đã hết hạn", "Tải lại trang"),
        500: ("Đã xảy ra lỗi ở máy chủ", "Quay lại trang chủ"),
    },
    "en": {
        404: ("Page not found", "Back to the home page"),
        403: ("You may not see this page", "Back to the home page"),
        "csrf": ("The form has expired", "Reload the page"),
        500: ("Something went wrong on the server", "Back to the home page"),
    },
}
DJANGO_DEFAULTS = ("Not Found", "The requested resource", "Forbidden", "CSRF verification failed", "Server Error")


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False


def in_language(client: Client, language: str) -> Client:
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    return client


def text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def assert_branded(response, language: str, key: object) -> str:
    body = response.content.decode()
    title, way_back = TEXTS[language][key]
    visible = text(response)
    assert f'<html lang="{language}"' in body
    assert "CoopDX" in visible and "css/coopdx.css" in body
    assert title in visible and way_back in visible
    assert not any(default in visible for default in DJANGO_DEFAULTS)
    return body


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_missing_page_is_a_branded_404_in_the_users_language(client, language, officer_a):
    client.force_login(officer_a)
    response = in_language(client, language).get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = assert_branded(response, language, 404)
    assert 'href="/"' in body
    # Signed in: the navigation of the role is there, as on every other page.
    assert 'href="/cooperatives/"' in body


def test_a_missing_page_for_a_visitor_offers_the_log_in(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert_branded(response, "vi", 404)
    assert 'href="/accounts/login/"' in response.content.decode()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_refused_page_is_a_branded_403(client, language, officer_a):
    client.force_login(officer_a)
    response = in_language(client, language).get("/accounts/tokens/")
    assert response.status_code == 403
    assert_branded(response, language, 403)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_csrf_failure_explains_and_offers_to_reload(language, officer_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    response = in_language(client, language).post("/accounts/logout/", HTTP_REFERER="http://testserver/cooperatives/")
    assert response.status_code == 403
    body = assert_branded(response, language, "csrf")
    # The way back is the page the form came from, on this site.
    assert 'href="/cooperatives/"' in body


def test_the_csrf_page_never_links_back_to_another_site(officer_a):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer_a)
    response = client.post("/accounts/logout/", HTTP_REFERER="https://evil.example/phish")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


@pytest.mark.urls("tests.coopdx.failing_urls")
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_server_error_is_a_branded_500(client, language):
    client.raise_request_exception = False
    response = in_language(client, language).get("/boom/")
    assert response.status_code == 500
    body = assert_branded(response, language, 500)
    assert 'href="/"' in body


@pytest.mark.urls("tests.coopdx.failing_urls")
def test_the_500_page_renders_when_the_database_and_context_processors_fail(client, monkeypatch):
    """The 500 page takes nothing from the request: no user, no navigation, no query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def broken(request):
        raise RuntimeError("navigation needs the database")

    monkeypatch.setattr("accounts.context_processors.navigation", broken)
    with translation.override("vi"), CaptureQueriesContext(connection) as queries:
        body = loader.get_template("500.html").render()
    assert len(queries) == 0
    assert "Đã xảy ra lỗi ở máy chủ" in body and 'href="/"' in body
    client.raise_request_exception = False
    assert "Đã xảy ra lỗi ở máy chủ" in text(client.get("/boom/"))


def test_an_unknown_api_address_answers_in_the_apis_json_error_shape(client):
    response = client.get("/api/v1/khong-co/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Not found.", "fields": {}}}


def test_the_browsers_own_favicon_request_finds_the_icon(client):
    """Pages without an icon link (the admin's) make the browser ask for /favicon.ico: not a 404."""
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
