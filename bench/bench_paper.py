"""Benchmark 9: the paper-response import of one national round, beside reading its workbook.

Issue #16's goal 3: a national round (28,237 responses, ~930,000 answers) imported in under
20 s, with memory under 300 MB, at most twice the time of reading the file. Each turn copies the
national database (``CREATE DATABASE … TEMPLATE``, not timed), then runs, each in a process of
its own: reading the round's workbook with the importer's own reader (``imports.files.
read_table``: the floor), and the import command into a new round of that copy. Times are wall
clock of the child processes (Django's start included in both); memory is each child's peak
resident size (``wait4``).

    python -m bench.bench_paper [--repeat 1]   (PostgreSQL; the ×1 data of bench.national)
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time

from bench.common import DATA_DIR, DEFAULT_DATABASE_URL, ROOT, print_table, record
from bench.generate import ROUND_CODES

ROUND = "BENCHPAPER"
WORKBOOK = DATA_DIR / f"responses_{ROUND_CODES[-1]}_x1.xlsx"


def child(arguments: list[str], database_url: str) -> tuple[float, float]:
    """Run ``python -m bench.bench_paper <arguments>``; its wall time (s) and peak memory (MB)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_paper", *arguments],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
    )
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench.bench_paper {' '.join(arguments)} failed")
    return elapsed, usage.ru_maxrss / 1024  # kilobytes on Linux


def read_only() -> None:
    from imports.files import read_table
    from surveys.importing import ANSWER_SHEET

    sheet = read_table(WORKBOOK.name, WORKBOOK.read_bytes(), ANSWER_SHEET)
    print(f"read {len(sheet.rows)} rows", file=sys.stderr)


def import_round() -> None:
    from django.core.management import call_command

    from surveys.models import Questionnaire, Response, SurveyRound

    SurveyRound.objects.get_or_create(
        code=ROUND,
        defaults={
            "name_vi": "Khảo sát thử nhập phiếu giấy",
            "questionnaire": Questionnaire.objects.get(code="NATIONAL", version=1),
            "opens_on": datetime.date(2030, 10, 1),
            "closes_on": datetime.date(2030, 12, 31),
        },
    )
    call_command("import_responses", str(WORKBOOK), "--round", ROUND, verbosity=0)
    print(f"imported {Response.objects.filter(round__code=ROUND).count()} responses", file=sys.stderr)


def fresh_copy(source: str, target: str) -> None:
    base, name = target.rsplit("/", 1)
    template = source.rsplit("/", 1)[1]
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{template}"'):
        subprocess.run(["psql", "-X", "-qAt", f"{base}/postgres", "-c", sql], check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", choices=["read", "import"])
    args = parser.parse_args()
    if args.child:
        from bench.common import setup_django

        setup_django()
        if args.child == "read":
            read_only()
        else:
            import_round()
        return
    source = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    target = source.rsplit("/", 1)[0] + "/coopdx_bench_paper"
    # The national data (registry and three rounds) in the source database, in its own process.
    national = {**os.environ, "DATABASE_URL": source}
    subprocess.run([sys.executable, "-m", "bench.national"], cwd=ROOT, env=national, check=True)
    reads: list[tuple[float, float]] = []
    imports: list[tuple[float, float]] = []
    for _ in range(args.repeat):
        fresh_copy(source, target)
        reads.append(child(["--child", "read"], target))
        imports.append(child(["--child", "import"], target))
    read_s = statistics.median(r[0] for r in reads)
    import_s = statistics.median(i[0] for i in imports)
    metrics = {
        "workbook_mb": round(WORKBOOK.stat().st_size / 1e6, 2),
        "read_s": round(read_s, 2),
        "read_peak_mb": round(max(r[1] for r in reads), 1),
        "import_s": round(import_s, 2),
        "import_peak_mb": round(max(i[1] for i in imports), 1),
        "import_to_read_ratio": round(import_s / read_s, 2),
    }
    print_table("Paper-response import, one national round (postgresql)", list(metrics.items()))
    record("paper_import_x1", metrics)


if __name__ == "__main__":
    main()
