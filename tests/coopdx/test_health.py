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


@pytest.mark.parametrize("cookie", [False, True])
def test_healthz_is_503_naming_the_database_when_it_is_down_even_with_a_session_cookie(cookie):
    """A probe through a browser-like client (a session cookie) must not need the database to
    say the database is down. Run in a process of its own, against a port nothing listens on."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV"}}
    env.update({"DATABASE_URL": "postgres://coopdx@127.0.0.1:1/coopdx", "CELERY_TASK_ALWAYS_EAGER": "true"})
    set_cookie = "client.cookies[settings.SESSION_COOKIE_NAME] = 'x' * 32;" if cookie else ""
    code = (
        "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE']='coopdx.settings'; django.setup();"
        "from django.test import Client; from django.conf import settings;"
        "client = Client(raise_request_exception=False);" + set_cookie + "response = client.get('/healthz');"
        "print(response.status_code, response.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    status, _, body = result.stdout.strip().splitlines()[-1].partition(" ")
    assert status == "503", body
    assert '"database": "down"' in body
