"""CPU time of the test suite against its settings of before (``make bench-suite``).

The suite's CPU time was dominated by password hashing: every user fixture sets a real password,
and outside ``tests/api`` Django's default hasher (PBKDF2) hashed it. The tests now hash with MD5
everywhere (``tests/conftest.py``). This runs one sample of the suite (every ``--every``-th test
in collection order, browser and real-service tests left out: their time is the browser's and the
services') in one process, alternately as it is and with the old settings
(``bench/suite_hashing.py``), and reports each run's CPU time (user + system, this process's
children) and the ratio. Same tests, same machine, same run.

    python -m bench.bench_suite [--every 8] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys

from .common import ROOT, machine, print_table, record

LEFT_OUT = ("tests/e2e/", "tests/trust/")


def sample(every: int) -> list[str]:
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n0", "-p", "no:randomly", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    ids = [line for line in listed if "::" in line and not line.startswith(LEFT_OUT)]
    return ids[::every]


def cpu_seconds(ids: list[str], *, before: bool) -> float:
    """CPU time of one pytest process running ``ids`` (fails loudly if a test fails)."""
    plugin = ["-p", "bench.suite_hashing"] if before else []
    start = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n0", "-p", "no:randomly", "-p", "no:cacheprovider", *plugin, *ids],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    end = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (end.ru_utime - start.ru_utime) + (end.ru_stime - start.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=8, help="take every n-th test (default 8)")
    parser.add_argument("--repeat", type=int, default=1, help="pairs of runs (default 1); the best of each")
    options = parser.parse_args()
    ids = sample(options.every)
    now, then = [], []
    for _ in range(options.repeat):
        now.append(cpu_seconds(ids, before=False))
        then.append(cpu_seconds(ids, before=True))
    rows: list[tuple[str, object]] = [
        ("tests in the sample", len(ids)),
        ("CPU s, today's settings", min(now)),
        ("CPU s, the settings of before (PBKDF2 outside tests/api)", min(then)),
        ("ratio today / before", min(now) / min(then)),
    ]
    print_table(f"Test suite CPU time, every {options.every}th test ({machine()})", rows)
    database = os.environ.get("DATABASE_URL", "").split("://")[0] or "sqlite"
    record(
        "suite_cpu",
        {
            "tests": len(ids),
            "cpu_s_now": round(min(now), 1),
            "cpu_s_before": round(min(then), 1),
            "ratio": round(min(now) / min(then), 3),
            "database_of_tests": database,
        },
    )


if __name__ == "__main__":
    main()
