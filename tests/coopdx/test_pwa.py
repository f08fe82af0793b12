"""The site as an installable web app: its manifest and service worker are served from the root
with the right types and headers, and the Content-Security-Policy stays strict around them."""

import json

import pytest
from django.contrib.staticfiles import finders

from coopdx import pwa
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_service_worker_is_served_from_the_root_as_javascript_that_the_browser_checks_each_time(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    config = json.loads(body.split("\n", 1)[0].removeprefix("self.COOPDX = ").removesuffix(";"))
    assert config["version"] == pwa.cache_version()
    assert "/static/js/offline-form.js" in config["assets"]
    assert "/static/vendor/bootstrap/bootstrap.min.css" in config["assets"]
    assert config["forget"] == ["/accounts/login/", "/accounts/logout/"]
    assert config["pagePrefix"] == "/surveys/responses/"
    assert 'addEventListener("fetch"' in body


def test_every_file_the_worker_keeps_exists():
    assert all(finders.find(path) for path in pwa.OFFLINE_ASSETS)


def test_the_cache_version_follows_the_content_of_the_kept_files(monkeypatch):
    pwa.cache_version.cache_clear()
    before = pwa.cache_version()
    real = pwa._source
    monkeypatch.setattr(pwa, "_source", lambda path: real(path) + (b"/* new */" if path == "css/coopdx.css" else b""))
    pwa.cache_version.cache_clear()
    try:
        assert pwa.cache_version() != before
    finally:
        monkeypatch.undo()
        pwa.cache_version.cache_clear()
    assert pwa.cache_version() == before


def test_manifest_names_the_app_in_vietnamese_with_installable_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == "vi"
    assert manifest["short_name"] == "CoopDX"
    assert "hợp tác xã" in manifest["name"]
    assert manifest["start_url"] == "/surveys/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/"))


def test_every_page_links_the_manifest(client):
    assert b'<link rel="manifest" href="/manifest.webmanifest">' in client.get("/").content


@pytest.mark.parametrize("path", ["/", "/sw.js", "/manifest.webmanifest"])
def test_content_security_policy_stays_strict_and_lets_only_the_site_give_workers_and_manifests(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_the_key_of_a_kept_page_differs_per_user_and_says_nothing_for_a_visitor():
    from django.contrib.auth.models import AnonymousUser

    first, second = UserFactory(), UserFactory()
    assert pwa.user_key(first) != pwa.user_key(second)
    assert pwa.user_key(first) == pwa.user_key(first)
    assert pwa.user_key(AnonymousUser()) == ""
