"""docker-compose.yml cannot run here; check it agrees with the settings it feeds."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_SOURCE = (ROOT / "coopdx" / "settings.py").read_text(encoding="utf-8")
# Every variable the settings read: env.str("X"), env.db_url("X"), env.list("X"), ...
SETTINGS_VARIABLES = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
# Variables that configure the postgres/redis images themselves, not the app.
IMAGE_VARIABLES = {"POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}


def test_compose_has_web_worker_one_beat_postgres_and_redis_with_healthchecks():
    services = COMPOSE["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    for name in ("web", "postgres", "redis"):
        assert "healthcheck" in services[name], name
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "beat" in " ".join(services["beat"]["command"])
    assert {"postgres-data"} <= set(COMPOSE["volumes"])


def _app_environment(service: dict) -> dict:
    environment = dict(COMPOSE.get("x-app-environment", {}))
    environment.update(service.get("environment", {}))
    return environment


def test_every_app_variable_in_compose_is_read_by_the_settings_and_production_needs_are_set():
    for name in ("web", "worker", "beat"):
        environment = _app_environment(COMPOSE["services"][name])
        unknown = set(environment) - SETTINGS_VARIABLES - IMAGE_VARIABLES
        assert not unknown, f"{name} sets variables the settings never read: {unknown}"
        for required in (
            "DJANGO_ENV",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "SITE_URL",
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "REDIS_URL",
        ):
            assert required in environment, f"{name} lacks {required}"
        assert environment["DJANGO_ENV"] == "production"


def test_the_web_service_runs_gunicorn_with_the_shared_settings_which_gunicorn_loads(monkeypatch):
    from gunicorn.app.base import Application

    command = " ".join(COMPOSE["services"]["web"]["command"])
    assert "-c python:coopdx.gunicorn_conf" in command
    monkeypatch.setenv("WEB_CONCURRENCY", "3")

    class Probe(Application):
        def load_config(self):
            self.load_config_from_module_name_or_filename("python:coopdx.gunicorn_conf")

        def init(self, parser, opts, args):
            return None

        def load(self):
            return None

    config = Probe().cfg
    assert (config.workers, config.worker_class_str, config.bind) == (3, "sync", ["0.0.0.0:8000"])
