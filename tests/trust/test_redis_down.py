"""With Redis down the site still serves pages and the API; queued work is refused clearly."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile

from coopdx.cache import redis_cache_config
from imports.models import ImportJob
from tests.sheets import row, xlsx_bytes

pytestmark = pytest.mark.django_db
DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture
def redis_down(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = DEAD
    settings.CACHES = {"default": redis_cache_config(DEAD)}
    caches._settings = None  # rebuild the cache handler from the new settings
    from django.core.cache import cache as default_cache  # noqa: F401

    yield
    caches._settings = None


def test_pages_are_served_and_the_cache_fails_open(redis_down, login, officer_a, coop_a):
    cache = caches["default"]
    assert cache.get("anything", "missing") == "missing"
    cache.set("x", 1)
    client = login(officer_a)
    assert client.get("/").status_code == 200
    assert client.get("/cooperatives/").status_code == 200
    assert client.get(f"/cooperatives/{coop_a.pk}/").status_code == 200


def test_healthz_names_the_broker_as_down(redis_down, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_an_import_is_refused_with_a_clear_message_and_nothing_is_saved(redis_down, login, officer_a):
    client = login(officer_a)
    response = client.post("/cooperatives/import/", {"file": SimpleUploadedFile("htx.xlsx", xlsx_bytes([row()]))})
    assert response.status_code == 200
    assert "tạm thời" in response.content.decode() or "temporarily" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_refresh_is_refused_with_a_clear_message(redis_down, login, national_admin):
    response = login(national_admin).post("/dashboard/refresh/", follow=True)
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


@pytest.fixture
def hung_redis():
    """A server that accepts connections and never answers, as a hung Redis does."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    held = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_a_hung_redis_costs_a_request_its_timeout_not_a_hang(hung_redis, settings, login, officer_a):
    import time

    settings.CACHES = {"default": redis_cache_config(hung_redis)}
    caches._settings = None
    try:
        started = time.monotonic()
        assert caches["default"].get("anything", "missing") == "missing"
        caches["default"].set("x", 1)
        # Each call gives up after the socket timeout (1 s), far from the 60 s of a default client.
        assert time.monotonic() - started < 10
        assert login(officer_a).get("/cooperatives/").status_code == 200
    finally:
        caches._settings = None


def test_the_api_rate_limit_still_holds_in_each_process_while_redis_is_down(redis_down, settings, national_admin):
    """The shared counters are gone with Redis; each web process then counts on its own, so a
    caller gets at most the rate per process, never an unlimited API."""
    from rest_framework.test import APIClient

    from accounts.api.throttling import LOCAL
    from tests.api.conftest import issue

    LOCAL.clear()  # this process's counters start empty, as a new web process's do
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_token": "5/min"}}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue(national_admin).secret}")
    statuses = [client.get("/api/v1/sectors/").status_code for _ in range(8)]
    assert statuses.count(200) == 5 and statuses[5:] == [429, 429, 429]
