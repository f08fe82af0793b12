"""Shared plumbing of the benchmarks: a PostgreSQL database of their own, timing, results.

Benchmarks are not tests: they never run in `make test`, and nothing asserts a time. They
report ratios against a reference measured in the same run, because this machine is shared.
"""

from __future__ import annotations

import csv
import datetime
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "var" / "bench"
RESULTS = Path(__file__).resolve().parent / "results" / "results.csv"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coopdx_bench"


def setup_django() -> None:
    """Point Django at the benchmark database (PostgreSQL unless told otherwise) and migrate."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopdx.settings")
    os.environ.pop("CELERY_BROKER_URL", None)
    sys.path.insert(0, str(ROOT))
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        base = url.rsplit("/", 1)[0]
        exists = subprocess.run(
            ["psql", f"{base}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if exists != "1":
            subprocess.run(
                ["psql", f"{base}/postgres", "-c", f'CREATE DATABASE "{name}"'], check=True, capture_output=True
            )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


Result = TypeVar("Result")


def timed(function: Callable[[], Result], repeat: int = 1) -> tuple[float, Result]:
    """Best wall-clock time of ``repeat`` runs (at least one), and the last result."""
    start = time.perf_counter()
    result = function()
    best = time.perf_counter() - start
    for _ in range(repeat - 1):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def machine() -> str:
    return f"{platform.node()} {os.cpu_count()} cores {platform.python_version()}"


def print_table(title: str, rows: list[tuple[str, object]]) -> None:
    width = max(len(label) for label, _ in rows)
    print(f"\n{title}")
    print("-" * (width + 20))
    for label, value in rows:
        shown = f"{value:,.3f}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else value
        print(f"{label:<{width}}  {shown}")


def record(benchmark: str, metrics: Mapping[str, object]) -> None:
    """Append one row per metric to bench/results/results.csv (kept in git as the record)."""
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    new = not RESULTS.exists()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    database = os.environ.get("DATABASE_URL", "").split("://")[0] or "sqlite"
    with open(RESULTS, "a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(["when", "benchmark", "metric", "value", "database", "machine"])
        for metric, value in metrics.items():
            writer.writerow([stamp, benchmark, metric, value, database, machine()])
