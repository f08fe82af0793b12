"""Reachability of the services CoopDX depends on, for /healthz and the UI."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "down" for a health probe
        return "down"
    return "ok"


def broker_status() -> str:
    """ "ok", "down", or "eager" when no broker is configured and tasks run in-process."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"
    from coopdx.celery import app

    try:
        # The URL is passed explicitly: Celery would otherwise prefer the process environment.
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=0, timeout=2)
    except Exception:  # noqa: BLE001
        return "down"
    return "ok"


def health_report() -> tuple[bool, dict[str, str]]:
    report = {"database": database_status(), "broker": broker_status()}
    healthy = all(value in ("ok", "eager") for value in report.values())
    return healthy, report
