"""The one settings module: safe with no environment, strict in production."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _settings_in_subprocess(env: dict[str, str], expression: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "CELERY_BROKER_URL",
            "DJANGO_ENV",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "REDIS_URL",
            "SITE_URL",
        }
    }
    clean.update(env)
    code = (
        f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='coopdx.settings'; django.setup(); "
        f"from django.conf import settings; print({expression})"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


def test_no_environment_means_sqlite_under_var_and_eager_tasks():
    result = _settings_in_subprocess(
        {},
        "settings.DATABASES['default']['ENGINE'], "
        "settings.DATABASES['default']['NAME'], settings.CELERY_TASK_ALWAYS_EAGER",
    )
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout
    assert str(ROOT / "var" / "coopdx.sqlite3") in result.stdout
    assert result.stdout.strip().endswith("True")


def test_database_and_broker_urls_switch_to_postgresql_and_redis():
    result = _settings_in_subprocess(
        {"DATABASE_URL": "postgres://u@db.example:5432/coopdx", "CELERY_BROKER_URL": "redis://broker:6379/0"},
        "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL",
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql" in result.stdout
    assert "False" in result.stdout
    assert "redis://broker:6379/0" in result.stdout


def test_production_refuses_to_start_without_a_secret_key_from_the_environment():
    result = _settings_in_subprocess({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "coopdx.example.vn"}, "1")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_the_address_e_mails_link_to():
    # Reminder links built on a default of 127.0.0.1 would send every cooperative to localhost.
    production = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "coopdx.example.vn", "SECRET_KEY": "k" * 50}
    result = _settings_in_subprocess(production, "1")
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr
    result = _settings_in_subprocess({**production, "SITE_URL": "https://coopdx.example.vn/"}, "settings.SITE_URL")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://coopdx.example.vn"


def test_development_links_to_the_local_server_by_default():
    result = _settings_in_subprocess({}, "settings.SITE_URL")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8000"


@pytest.mark.parametrize("env_name", ["production"])
def test_production_profile_passes_the_deploy_check_with_no_findings(env_name):
    # Only the production variables: nothing a test harness put in the environment.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DJANGO_ENV": env_name,
            "SECRET_KEY": "k" * 20 + "Zx9!qW3#eR5$tY7&uI1*oP0(aS2)dF4_gH6",
            "ALLOWED_HOSTS": "coopdx.example.vn",
            "SITE_URL": "https://coopdx.example.vn",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "ALLOWED_HOSTS": "coopdx.example.vn",
    "SECRET_KEY": "k" * 50,
    "SITE_URL": "https://coopdx.example.vn",
}


@pytest.mark.parametrize("value", ["true", "1", "yes", "on"])
def test_production_refuses_to_start_with_debug_on(value):
    """DEBUG in production shows settings and tracebacks to anyone who finds an error."""
    result = _settings_in_subprocess({**PRODUCTION_ENV, "DEBUG": value}, "1")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_language_cookie_is_secure_http_only_and_same_site():
    result = _settings_in_subprocess(
        PRODUCTION_ENV,
        "settings.LANGUAGE_COOKIE_SECURE, settings.LANGUAGE_COOKIE_HTTPONLY, settings.LANGUAGE_COOKIE_SAMESITE",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True True Lax"


def test_the_number_of_trusted_proxies_is_read_once_for_the_lockout_the_audit_and_the_api_limits():
    result = _settings_in_subprocess(
        {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "1"},
        "settings.TRUSTED_PROXY_COUNT, settings.REST_FRAMEWORK['NUM_PROXIES'], settings.AXES_CLIENT_IP_CALLABLE",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 1 coopdx.http.client_ip"
    result = _settings_in_subprocess(PRODUCTION_ENV, "settings.TRUSTED_PROXY_COUNT")
    assert result.stdout.strip() == "0"  # no proxy unless said: a forwarded header is the client's to forge
