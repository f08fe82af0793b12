"""A worker outlives its broker: Redis is killed while the worker runs a task and comes back a
few seconds later; the same worker process, never restarted by hand, runs the next task.

Real pieces throughout: a redis-server of the test's own on a spare port (never the shared
one), the worker command of ``docker-compose.yml`` with the project's settings, and tasks sent
through the broker.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


class Redis:
    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.answers, 10, "redis-server answers")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)  # as a crash or a lost machine: no goodbye
        self.process.wait(timeout=10)


def worker_command() -> list[str]:
    """The deployed worker command, pointed at this module's application instead of ``coopdx``."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = list(compose["services"]["worker"]["command"])
    assert command[:3] == ["celery", "-A", "coopdx"]
    command[2] = "tests.trust.broker_worker_app"
    return [str(Path(sys.executable).parent / "celery"), *command[1:], "--concurrency=1", "--pool=prefork"]


def test_a_worker_survives_losing_redis_in_the_middle_of_a_task(tmp_path):
    redis = Redis(spare_port())
    redis.start()
    broker = f"redis://127.0.0.1:{redis.port}/0"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV", "REDIS_URL"}}
    env.update({"CELERY_BROKER_URL": broker, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(worker_command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    from kombu import Connection

    def send(seconds: float, marker: Path) -> None:
        from coopdx.celery import app

        with Connection(broker, connect_timeout=2) as connection:
            app.send_task("tests.hold", (seconds, str(marker)), connection=connection)

    try:
        first, second = tmp_path / "first", tmp_path / "second"
        wait_for(lambda: "ready." in (tmp_path / "worker.log").read_text(), 60, "the worker is ready")
        send(4, first)
        wait_for(lambda: "received" in (tmp_path / "worker.log").read_text(), 20, "the worker took the task")
        redis.kill()
        time.sleep(3)
        redis.start()  # same port, empty: what was queued with it is gone, as after a crash
        send(0, second)
        wait_for(second.exists, 60, "the next task ran after Redis came back")
        assert first.exists(), "the task running when Redis went away finished"
        assert worker.poll() is None, "the worker is the same process, still running"
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        redis.kill()
        log.close()
    text = (tmp_path / "worker.log").read_text()
    assert "Unrecoverable error" not in text, text[-3000:]
    # Gossip's restart on a closed connection is where the unrecoverable crash came from.
    assert "Error on restarting" not in text, text[-3000:]
    assert "Connection to broker lost" in text, text[-3000:]
