import pytest


@pytest.mark.django_db
def test_healthz_reports_database_ok_and_eager_broker_without_redis(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_is_503_and_names_the_broker_when_it_is_unreachable(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"] == "down"
    assert body["database"] == "ok"
    assert body["status"] == "degraded"


@pytest.mark.services
@pytest.mark.django_db
def test_healthz_reports_a_configured_redis_broker_as_ok(client, settings):
    import os

    from tests.conftest import require_service, tcp_open

    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
    require_service(tcp_open(broker, 6379), f"Redis at {broker}")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = broker
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"
