"""Benchmark 3: the API under load, served by gunicorn with the production settings.

wrk (a second process) drives, at 32 connections, the cooperatives list (100 per page) and the
province indicators with a ministry token, and /healthz of the same server as the reference.
Prints requests/s, p50/p95/p99 and the ratios to the reference.

    python -m bench.bench_api [--scale 1] [--duration 15] [--connections 32]
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import ROOT, print_table, record

PORT = 8799
LUA = Path(__file__).resolve().parent / "wrk_report.lua"


def run_wrk(url: str, token: str | None, duration: int, connections: int) -> dict[str, float]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(LUA), url]
    if token:
        command[1:1] = ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT requests=(\d+) errors=(\d+) duration_us=(\d+) p50=(\d+) p95=(\d+) p99=(\d+)", output)
    if not match:
        raise RuntimeError(output)
    requests, errors, duration_us, p50, p95, p99 = (int(v) for v in match.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": requests / (duration_us / 1e6),
        "p50_ms": p50 / 1000,
        "p95_ms": p95 / 1000,
        "p99_ms": p99 / 1000,
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def serve_and_drive(
    env: dict[str, str], targets: dict[str, tuple[str, str | None]], duration: int, connections: int
) -> dict[str, dict[str, float]]:
    """Start gunicorn with the deployment's settings, drive each target with wrk, stop it."""
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "python:coopdx.gunicorn_conf",  # the deployment's settings (sync workers, 2 per core)
            "coopdx.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        results = {}
        for name, (url, token) in targets.items():
            run_wrk(url, token, 3, connections)  # warm-up
            results[name] = run_wrk(url, token, duration, connections)
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    os.environ.setdefault("SURVEYS_COUNT_SUBMITTED", "true")
    from bench.national import prepare

    prepare(args.scale)
    from accounts.api.services import api_token_issue
    from accounts.models import Role, User
    from indicators.models import IndicatorSnapshot
    from indicators.services import aggregate_indicators

    if not IndicatorSnapshot.objects.exists():
        aggregate_indicators(trigger="bench")
    admin, _ = User.objects.get_or_create(username="bench.admin", defaults={"role": Role.NATIONAL_ADMIN})
    issued = api_token_issue(
        by=admin,
        organisation="Benchmark",
        role=Role.MINISTRY_ANALYST,
        scopes=["registry:read", "indicators:read"],
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1),
    )
    static_root = tempfile.mkdtemp(prefix="coopdx-static-")
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/3"),
        # The benchmark measures serving, not the rate limit (the counting itself still runs).
        "API_RATE_TOKEN": "1000000/min",
        "API_RATE_ANON": "1000000/min",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    base = f"http://127.0.0.1:{PORT}"
    targets = {
        "healthz": (f"{base}/healthz", None),
        "cooperatives": (f"{base}/api/v1/cooperatives/?page_size=100", issued.secret),
        "province_indicators": (f"{base}/api/v1/indicators/provinces/82/", issued.secret),
    }
    try:
        # As deployed: repeated pages come from the answer cache.
        results = serve_and_drive(env, targets, args.duration, args.connections)
        # Every request builds its page (API_ANSWER_CACHE_SECONDS=0): the cost of a first pull.
        uncached = serve_and_drive(
            {**env, "API_ANSWER_CACHE_SECONDS": "0"},
            {name: target for name, target in targets.items() if name != "healthz"},
            args.duration,
            args.connections,
        )
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    results.update({f"{name}_uncached": figures for name, figures in uncached.items()})
    reference = results["healthz"]
    metrics: dict[str, object] = {"connections": args.connections}
    for name, figures in results.items():
        for key, value in figures.items():
            metrics[f"{name}_{key}"] = round(value, 1)
        if name != "healthz":
            metrics[f"{name}_p95_ratio"] = round(figures["p95_ms"] / reference["p95_ms"], 1)
            metrics[f"{name}_rps_ratio"] = round(figures["rps"] / reference["rps"], 2)
    print_table(f"API under load x{args.scale}", list(metrics.items()))
    record(f"api_x{args.scale}", metrics)


if __name__ == "__main__":
    main()
