"""The ×N data set for the headroom benchmarks, replicated in SQL from the national one.

The national (×1) data set goes through the real import commands (benchmark 1 measures that
path). Importing ×10 the same way would take hours and is refused by design: a registry upload
is capped at 100,000 rows. So the ×N database is a copy of the ×1 database (``CREATE DATABASE
... TEMPLATE``) in which every cooperative, with its three rounds of responses, answers, chosen
options and pillar scores, is copied N-1 more times under new ids and codes, in the same
provinces, wards and sectors. Each copy keeps the ×1 distribution of answers, so every province
figure of the ×N data is exactly N times the ×1 count (the averages and percentages unchanged),
which makes the ×N aggregation checkable as well as timed.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopdx_bench_x10 python -m bench.replicate --scale 10
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from typing import Any

from bench.common import DEFAULT_DATABASE_URL, ROOT
from bench.generate import SECTOR_COUNTS

# table -> {column: expression of the copy}; every other column is copied as it is (read from
# the database's catalogue, so that a column added by a migration is copied too).
COPIES: list[tuple[str, dict[str, str]]] = [
    (
        "cooperatives_cooperative",
        {
            "id": "id + %(k)s * %(cooperatives)s",
            # Codes are the province code and 8 digits whose first is 0 at ×1: the copy's number replaces it.
            "code": "left(code, 2) || %(k)s::text || substr(code, 4)",
        },
    ),
    (
        "surveys_response",
        {"id": "id + %(k)s * %(responses)s", "cooperative_id": "cooperative_id + %(k)s * %(cooperatives)s"},
    ),
    (
        "surveys_answer",
        {"id": "id + %(k)s * %(answers)s", "response_id": "response_id + %(k)s * %(responses)s"},
    ),
    (
        "surveys_answer_options",
        {"id": "id + %(k)s * %(options)s", "answer_id": "answer_id + %(k)s * %(answers)s"},
    ),
    (
        "surveys_pillarscore",
        {"id": "id + %(k)s * %(pillars)s", "response_id": "response_id + %(k)s * %(responses)s"},
    ),
]
OFFSETS = {
    "cooperatives": "cooperatives_cooperative",
    "responses": "surveys_response",
    "answers": "surveys_answer",
    "options": "surveys_answer_options",
    "pillars": "surveys_pillarscore",
}


def scaled_database_url(scale: int) -> str:
    return DEFAULT_DATABASE_URL.rsplit("/", 1)[0] + f"/coopdx_bench_x{scale}"


def _database(url: str) -> tuple[str, str]:
    base, name = url.rsplit("/", 1)
    return base, name


def _psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", "-X", "-tAq", url, "-c", sql], capture_output=True, text=True, check=True).stdout


def _cooperatives(url: str) -> int:
    base, name = _database(url)
    if _psql(f"{base}/postgres", f"SELECT count(*) FROM pg_database WHERE datname = '{name}'").strip() != "1":
        return -1
    try:
        return int(_psql(url, "SELECT count(*) FROM cooperatives_cooperative").strip())
    except subprocess.CalledProcessError:
        return -1


def _kept_columns(cursor: Any, table: str, computed: dict[str, str]) -> list[str]:
    """The table's columns the copy takes as they are: all but the computed and generated ones."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s"
        " AND is_generated = 'NEVER' ORDER BY ordinal_position",
        [table],
    )
    return [f'"{name}"' for (name,) in cursor.fetchall() if name not in computed]


def ensure_scaled_database(scale: int, target: str | None = None) -> dict[str, float]:
    """Make the database at ``target`` (DATABASE_URL) hold the national data ×``scale``."""
    target = target or os.environ.get("DATABASE_URL") or scaled_database_url(scale)
    source = DEFAULT_DATABASE_URL
    if _database(target)[1] == _database(source)[1]:
        raise SystemExit(f"The ×{scale} data needs its own database, not {source}: set DATABASE_URL.")
    expected = sum(SECTOR_COUNTS.values()) * scale
    if _cooperatives(target) == expected:
        return {}
    timings: dict[str, float] = {}
    # The ×1 data, through the import commands, in its own process (it needs Django set up there).
    start = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": source}
    subprocess.run([sys.executable, "-m", "bench.national"], cwd=ROOT, env=env, check=True)
    timings["load_x1_s"] = time.perf_counter() - start

    import psycopg2

    start = time.perf_counter()
    base, name = _database(target)
    source_name = _database(source)[1]
    _psql(f"{base}/postgres", f'DROP DATABASE IF EXISTS "{name}"')
    _psql(f"{base}/postgres", f'CREATE DATABASE "{name}" TEMPLATE "{source_name}"')
    connection = psycopg2.connect(target)
    try:
        with connection, connection.cursor() as cursor:
            # The copies reference rows that exist by construction (same offsets in every table),
            # so the foreign keys' deferred checks, tens of millions at COMMIT, are skipped.
            cursor.execute("SET LOCAL session_replication_role = replica")
            # Figures are recomputed by the benchmark on the ×N data.
            cursor.execute("DELETE FROM indicators_indicatorsnapshot")
            cursor.execute("DELETE FROM indicators_aggregationrun")
            offsets = {}
            for key, table in OFFSETS.items():
                cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
                (offsets[key],) = cursor.fetchone() or (0,)
            kept_of = {table: ", ".join(_kept_columns(cursor, table, computed)) for table, computed in COPIES}
            for k in range(1, scale):
                for table, computed in COPIES:
                    kept = kept_of[table]
                    columns = ", ".join([*computed, kept])
                    expressions = ", ".join([*(e % {"k": k, **offsets} for e in computed.values()), kept])
                    # The ×1 rows only: ids up to the ×1 maximum.
                    key = next(k_ for k_, t in OFFSETS.items() if t == table)
                    cursor.execute(
                        f"INSERT INTO {table} ({columns}) SELECT {expressions} FROM {table} WHERE id <= {offsets[key]}"
                    )
            for table in OFFSETS.values():
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()
    timings["replicate_s"] = time.perf_counter() - start
    found = _cooperatives(target)
    if found != expected:
        raise SystemExit(f"Replication produced {found} cooperatives, expected {expected}.")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=10)
    args = parser.parse_args()
    print(ensure_scaled_database(args.scale))


if __name__ == "__main__":
    main()
