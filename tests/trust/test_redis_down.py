"""With Redis down the site still serves pages and the API; queued work is refused clearly."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile

from coopdx.cache import BREAKER, redis_cache_config
from imports.models import ImportJob
from tests.sheets import row, xlsx_bytes

pytestmark = pytest.mark.django_db
DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


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


def make_unreachable(settings, url: str) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    settings.CACHES = {"default": redis_cache_config(url)}
    caches._settings = None  # rebuild the cache handler from the new settings


@pytest.fixture
def redis_down(settings):
    make_unreachable(settings, DEAD)
    yield
    caches._settings = None
    BREAKER.reset()


@pytest.fixture(params=["down", "hung"])
def redis_unavailable(request, settings):
    """Redis as broker and cache, either down (refused at once) or hung (accepts, never answers)."""
    make_unreachable(settings, DEAD if request.param == "down" else request.getfixturevalue("hung_redis"))
    yield request.param
    caches._settings = None
    BREAKER.reset()


@pytest.fixture
def within():
    """Asserts that a block ends within a bound: a hung Redis must cost a request its socket
    timeouts (about a second each), never the minute of a default client."""
    import time
    from contextlib import contextmanager

    @contextmanager
    def bound(seconds: float):
        started = time.monotonic()
        yield
        elapsed = time.monotonic() - started
        assert elapsed < seconds, f"took {elapsed:.1f} s"

    return bound


def test_pages_and_the_api_are_served_and_the_cache_fails_open(redis_unavailable, within, login, officer_a, coop_a):
    cache = caches["default"]
    with within(10):
        assert cache.get("anything", "missing") == "missing"
        cache.set("x", 1)
    client = login(officer_a)
    for path in ("/", "/cooperatives/", f"/cooperatives/{coop_a.pk}/"):
        with within(10):
            assert client.get(path).status_code == 200
    BREAKER.reset()  # as in a process that has not met the failure yet
    # Several cache calls (rate limit, versions, cached answer): the first waits out its timeout,
    # the others are refused at once for a few seconds instead of waiting a second each.
    with within(2.5 if redis_unavailable == "hung" else 10):
        assert client.get("/api/v1/cooperatives/").status_code == 200  # the API, on the session


def test_after_the_pause_the_cache_tries_redis_again(settings, monkeypatch):
    """The pause after a failure is per process and short: once it is over, a Redis that is back
    serves the cache again without anyone restarting anything."""
    import coopdx.cache

    settings.CACHES = {"default": redis_cache_config("redis://127.0.0.1:6379/14")}
    caches._settings = None
    try:
        cache = caches["default"]
        BREAKER.reset()
        cache.set("breaker-probe", "here", 30)
        assert cache.get("breaker-probe") == "here"
        BREAKER.trip()  # a failure a moment ago
        assert cache.get("breaker-probe", "paused") == "paused"
        monkeypatch.setattr(coopdx.cache, "PAUSE_AFTER_FAILURE", 0.0)
        BREAKER.trip()  # a failure whose pause is already over
        assert cache.get("breaker-probe") == "here"
        cache.delete("breaker-probe")
    finally:
        BREAKER.reset()
        caches._settings = None


def test_healthz_names_the_broker_as_down_within_seconds(redis_unavailable, within, client):
    with within(5):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def test_an_import_is_refused_with_a_clear_message_and_nothing_is_saved(redis_unavailable, within, login, officer_a):
    client = login(officer_a)
    with within(10):
        response = client.post("/cooperatives/import/", {"file": SimpleUploadedFile("htx.xlsx", xlsx_bytes([row()]))})
    assert response.status_code == 200
    assert "tạm thời" in response.content.decode() or "temporarily" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_refresh_is_refused_with_a_clear_message(redis_unavailable, within, login, national_admin):
    with within(10):
        response = login(national_admin).post("/dashboard/refresh/", follow=True)
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()


def test_a_publish_to_a_hung_broker_gives_up_within_seconds(hung_redis, within):
    """Redis hung between the check and the commit: the publish gives up after its socket
    timeouts and one retry (``enqueue_on_commit`` then marks the job as not queued), instead of
    holding the web worker."""
    from kombu.exceptions import OperationalError

    from coopdx.celery import app

    with within(5), app.connection_for_write(url=hung_redis) as connection, pytest.raises(OperationalError):
        app.send_task("coopdx.ping", (1,), connection=connection)


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
