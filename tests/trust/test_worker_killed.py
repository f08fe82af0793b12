"""A worker killed in the middle of its work (SIGKILL: out of memory, a deployment, a lost
machine) leaves nothing locked and nothing half-written, and nobody has to intervene.

Each test runs the work in a process of its own, exactly as the Celery task would (the same
service), on a database file the test's processes share, kills that process with SIGKILL while
the work is under way, and checks from a third process that the row is released once its
heartbeat has gone silent, and that the work can be done again.
"""

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = (
    "import os, sys, time; os.environ['DJANGO_SETTINGS_MODULE'] = 'coopdx.settings'; import django; django.setup()\n"
)


@pytest.fixture(scope="module")
def shared_database(tmp_path_factory):
    """A migrated database file and the environment of the processes that share it."""
    path = tmp_path_factory.mktemp("killed") / "coopdx.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV", "CELERY_BROKER_URL"}}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{path}",
            "JOB_HEARTBEAT_SECONDS": "0.2",
            # Long enough that a loaded machine's process start-up (a second or more) does not
            # make a live row look abandoned before the test has looked at it.
            "JOB_STALE_SECONDS": "5",
            "MEDIA_ROOT": str(path.parent / "media"),
        }
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    return env


def run(env, code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SETUP + textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def start_and_kill(env, code: str, ready: str) -> None:
    """Start the work, wait until it says ``ready`` and has beaten at least once, then SIGKILL it."""
    worker = subprocess.Popen(
        [sys.executable, "-c", SETUP + textwrap.dedent(code)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        line = worker.stdout.readline()
        assert line.strip() == ready, line + worker.stdout.read(3000) if worker.poll() is not None else line
        import time

        time.sleep(0.6)
        assert worker.poll() is None, "the work ended before it could be killed"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL


def test_a_killed_aggregation_is_released_and_the_next_one_runs(shared_database):
    env = shared_database
    start_and_kill(
        env,
        """
        from indicators import services
        def stuck(**kwargs):
            print("computing", flush=True)
            time.sleep(600)
        services.compute_partition = stuck  # the worker dies while it computes
        services.aggregate_indicators(trigger="beat")
        """,
        ready="computing",
    )
    outcome = run(
        env,
        """
        from django.utils import timezone
        from indicators import services
        from indicators.models import AggregationRun
        run = AggregationRun.objects.get()
        print(run.status, run.heartbeat_at is not None)
        # As if the worker had died a moment ago: on a loaded machine this process may start more
        # than JOB_STALE_SECONDS after the kill, when the run would already count as abandoned.
        AggregationRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now())
        try:
            services.run_start(trigger="manual")
        except services.AggregationBusy:
            print("busy")
        time.sleep(5.5)  # the heartbeat is silent for longer than JOB_STALE_SECONDS
        fresh = services.aggregate_indicators(trigger="manual")
        run.refresh_from_db()
        print(run.status, fresh.status, AggregationRun.objects.count())
        """,
    )
    assert outcome.splitlines() == ["running True", "busy", "abandoned succeeded 2"]


def test_a_killed_import_writes_nothing_and_can_be_confirmed_again(shared_database):
    env = shared_database
    setup = run(
        env,
        """
        from django.core.files.base import ContentFile
        from accounts.models import Role, User
        from imports.models import ImportJob
        from tests.sheets import row, xlsx_bytes
        admin = User.objects.create_user("quantri.kill", password="x" * 12, role=Role.NATIONAL_ADMIN)
        rows = [row(code=f"82{n:08d}") for n in range(300)]
        job = ImportJob(kind="registry", created_by=admin, original_name="htx.xlsx", status="ready")
        job.file.save("htx.xlsx", ContentFile(xlsx_bytes(rows)), save=False)
        job.save()
        print(job.pk)
        """,
    )
    job_id = int(setup.splitlines()[-1])
    start_and_kill(
        env,
        f"""
        from cooperatives.importing import registry
        from imports.jobs import import_job_apply
        from imports.models import ImportJob
        write = registry.bulk_create_with_history
        def stuck(*args, **kwargs):
            write(*args, **kwargs)  # every row written inside the import's transaction
            print("writing", flush=True)
            time.sleep(600)
        registry.bulk_create_with_history = stuck
        ImportJob.objects.filter(pk={job_id}).update(status="importing")
        import_job_apply(job_id={job_id})
        """,
        ready="writing",
    )
    outcome = run(
        env,
        f"""
        from cooperatives.models import Cooperative
        from imports.jobs import import_job_apply, import_jobs_release_abandoned
        from imports.models import ImportJob
        print(ImportJob.objects.get(pk={job_id}).status, Cooperative.objects.count())
        time.sleep(5.5)
        print(import_jobs_release_abandoned(), ImportJob.objects.get(pk={job_id}).status)
        ImportJob.objects.filter(pk={job_id}).update(status="importing")  # the user confirms again
        import_job_apply(job_id={job_id})
        print(ImportJob.objects.get(pk={job_id}).status, Cooperative.objects.count())
        """,
    )
    assert outcome.splitlines() == ["importing 0", "1 ready", "done 300"]
