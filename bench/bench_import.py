"""Benchmark 1: registry import of the national XLSX through the import command, on PostgreSQL.

Prints rows/second and queries per 1,000 rows for a first import (all new) and a re-import
(all unchanged: the upsert path), beside the floor: merely reading the workbook.

    python -m bench.bench_import [--scale 1]
"""

from __future__ import annotations

import argparse
import io
from contextlib import redirect_stdout

from bench.common import DATA_DIR, print_table, record, setup_django, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    args = parser.parse_args()
    setup_django()

    import openpyxl
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.generate import generate
    from cooperatives.models import Cooperative

    path = DATA_DIR / f"registry_x{args.scale}.xlsx"
    if not path.exists():
        generate(scale=args.scale, out=DATA_DIR)

    def read_only() -> int:
        workbook = openpyxl.load_workbook(path, read_only=True)
        count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True)) - 1
        workbook.close()
        return count

    floor, rows = timed(read_only, repeat=2)

    def reset() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE cooperatives_cooperative, cooperatives_historicalcooperative, "
                "cooperatives_ocopproduct, cooperatives_ecommercelisting RESTART IDENTITY CASCADE"
            )

    def run_import() -> int:
        with CaptureQueriesContext(connection) as queries, redirect_stdout(io.StringIO()):
            call_command("import_cooperatives", str(path))
        return len(queries)

    reset()
    first, first_queries = timed(run_import)
    assert Cooperative.objects.count() == rows, "import did not write every row"
    again, again_queries = timed(run_import)
    assert Cooperative.objects.count() == rows
    metrics = {
        "rows": rows,
        "read_workbook_s": round(floor, 3),
        "import_new_s": round(first, 3),
        "import_new_rows_per_s": round(rows / first),
        "import_new_queries": first_queries,
        "import_new_queries_per_1000_rows": round(first_queries * 1000 / rows, 2),
        "reimport_unchanged_s": round(again, 3),
        "reimport_queries": again_queries,
        "import_to_read_ratio": round(first / floor, 2),
    }
    print_table(f"Registry import, x{args.scale} ({rows:,} rows, {connection.vendor})", list(metrics.items()))
    record(f"import_x{args.scale}", metrics)


if __name__ == "__main__":
    main()
