"""With Redis down the site still serves pages and the API; queued work is refused clearly."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile

from cooperatives.models import ImportJob
from tests.sheets import row, xlsx_bytes

pytestmark = pytest.mark.django_db
DEAD = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture
def redis_down(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = DEAD
    settings.CACHES = {
        "default": {
            "BACKEND": "coopdx.cache.ResilientRedisCache",
            "LOCATION": DEAD,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
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
