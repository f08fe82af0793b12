"""Benchmark 7: the national export job (responses and answers of three rounds, CSV gzip) on
PostgreSQL, beside the floor: a raw ``COPY (SELECT …) TO STDOUT`` of the same answers through
psycopg2, gzip'ed, in the same run. Each export runs in a child process of its own, which reports
its peak memory (``ru_maxrss``) before and after the export; a run over a quarter of the provinces
shows that the peak does not grow with the rows.

    python -m bench.bench_export      (DATABASE_URL, default coopdx_bench; SURVEYS_COUNT_SUBMITTED=true)
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

from bench.common import print_table, record, timed

REFERENCE_SQL = """
COPY (
  SELECT r.id, sr.code, c.code, q.code, a.number, a.text, string_agg(o.code, ';' ORDER BY o.position)
  FROM surveys_response r
  JOIN surveys_surveyround sr ON sr.id = r.round_id
  JOIN cooperatives_cooperative c ON c.id = r.cooperative_id
  JOIN surveys_answer a ON a.response_id = r.id
  JOIN surveys_question q ON q.id = a.question_id
  LEFT JOIN surveys_answer_options ao ON ao.answer_id = a.id
  LEFT JOIN surveys_option o ON o.id = ao.option_id
  WHERE sr.code = ANY(%s) AND c.province_id = ANY(%s)
  GROUP BY r.id, sr.code, c.code, q.code, a.id
  ORDER BY r.id, a.id
) TO STDOUT WITH CSV
"""


def child(provinces: list[str]) -> None:
    """Run one export job in this process and print what it did, as JSON."""
    from bench.common import setup_django

    setup_django()  # the parent loaded the data
    from accounts.models import Role, User
    from bench.generate import ROUND_CODES
    from exports.models import ExportJob
    from exports.services import export_job_run
    from surveys.models import Response

    admin, _ = User.objects.get_or_create(username="bench.admin", defaults={"role": Role.NATIONAL_ADMIN})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    job = ExportJob.objects.create(
        kind="responses", fmt="csv", rounds=list(ROUND_CODES), provinces=provinces, created_by=admin
    )
    start = time.perf_counter()
    job = export_job_run(job_id=job.pk)
    seconds = time.perf_counter() - start
    expected = Response.objects.filter(round__code__in=ROUND_CODES)
    if provinces:
        expected = expected.filter(cooperative__province__code__in=provinces)
    with job.file.open("rb") as handle, gzip.open(handle) as text:
        lines = sum(1 for _ in text) - 1
    result = {
        "status": job.status,
        "seconds": seconds,
        "rows": job.progress_done,
        "rows_in_file": lines,
        "rows_in_database": expected.count(),
        "bytes": job.size,
        "maxrss_before_kb": before,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    job.file.delete(save=False)
    job.dictionary.delete(save=False)
    print(json.dumps(result))


def run_child(provinces: list[str]) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.bench_export", "--child", "--provinces", ",".join(provinces)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def reference(provinces: list[str]) -> tuple[float, int]:
    """The same answers by COPY through psycopg2, gzip'ed to a temporary file: seconds, bytes."""
    from django.db import connection

    from bench.generate import ROUND_CODES

    with tempfile.TemporaryFile() as raw, connection.cursor() as cursor:
        with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as packed:
            start = time.perf_counter()
            sql = cursor.mogrify(REFERENCE_SQL, [list(ROUND_CODES), provinces_ids(provinces)]).decode()
            cursor.copy_expert(sql, packed)
        seconds = time.perf_counter() - start
        return seconds, raw.tell()


def provinces_ids(codes: list[str]) -> list[int]:
    from cooperatives.models import Province

    provinces = Province.objects.all() if not codes else Province.objects.filter(code__in=codes)
    return list(provinces.values_list("pk", flat=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--provinces", default="")
    parser.add_argument("--as-is", action="store_true", help="measure the database as it is, loading nothing")
    args = parser.parse_args()
    provinces = [code for code in args.provinces.split(",") if code]
    if args.child:
        child(provinces)
        return
    os.environ.setdefault("SURVEYS_COUNT_SUBMITTED", "true")
    if args.as_is:
        from bench.common import setup_django

        setup_django()
    else:
        from bench.national import prepare

        prepare(1)
    from cooperatives.models import Province

    quarter = list(Province.objects.order_by("code").values_list("code", flat=True)[::4])
    small = run_child(quarter)
    full = run_child([])
    _best, (floor_seconds, floor_bytes) = timed(lambda: reference([]))
    for result in (small, full):
        assert result["status"] == "done", result
        assert result["rows"] == result["rows_in_file"] == result["rows_in_database"], result
    rows: list[tuple[str, object]] = [
        ("rows (responses, 3 rounds)", int(full["rows"])),
        ("export s", full["seconds"]),
        ("rows per s", int(full["rows"] / full["seconds"])),
        ("file MB (gzip)", full["bytes"] / 1e6),
        ("peak memory MB (child, whole run)", full["maxrss_kb"] / 1024),
        ("memory before the export MB", full["maxrss_before_kb"] / 1024),
        ("COPY reference s (answers, gzip)", floor_seconds),
        ("export ÷ COPY", full["seconds"] / floor_seconds),
        ("COPY file MB (gzip)", floor_bytes / 1e6),
        ("quarter: rows", int(small["rows"])),
        ("quarter: export s", small["seconds"]),
        ("quarter: peak memory MB", small["maxrss_kb"] / 1024),
        ("peak full ÷ quarter", full["maxrss_kb"] / small["maxrss_kb"]),
    ]
    print_table("Export job: responses and answers of 3 rounds, CSV gzip (PostgreSQL)", rows)
    record(
        "export_x1",
        {
            "rows": int(full["rows"]),
            "export_s": round(full["seconds"], 3),
            "copy_reference_s": round(floor_seconds, 3),
            "ratio_to_copy": round(full["seconds"] / floor_seconds, 2),
            "peak_rss_mb": round(full["maxrss_kb"] / 1024, 1),
            "quarter_rows": int(small["rows"]),
            "quarter_peak_rss_mb": round(small["maxrss_kb"] / 1024, 1),
            "file_mb": round(full["bytes"] / 1e6, 2),
        },
    )


if __name__ == "__main__":
    main()
