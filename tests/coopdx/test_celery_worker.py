"""A real Celery worker on Redis runs a task end to end (eager mode is only an emulation)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from tests.conftest import require_service, tcp_open

ROOT = Path(__file__).resolve().parents[2]
# Celery prefers a CELERY_BROKER_URL from the environment over any configuration, so the
# worker and the producer both use it when it is set.
REDIS_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/15"


@pytest.mark.services
@pytest.mark.django_db
def test_a_real_worker_runs_a_task_from_redis_and_reaches_the_database(tmp_path):
    require_service(tcp_open(REDIS_URL, 6379), f"Redis at {REDIS_URL}")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, CELERY_BROKER_URL=REDIS_URL, CELERY_RESULT_BACKEND=REDIS_URL)
    if connection.vendor == "postgresql":
        settings_dict = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
            f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
        )
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "coopdx",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    # Not the current app: shared tasks in later tests must keep resolving to CoopDX's app.
    producer = Celery("probe", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    try:
        result = producer.send_task("coopdx.ping", args=[21], queue=queue)
        value = result.get(timeout=60)
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        producer.close()
    assert value == {"echo": 21, "database": "ok"}, output
    assert result.status == "SUCCESS"
