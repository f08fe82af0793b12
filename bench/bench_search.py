"""Benchmark: registry search with and without its trigram index, on a large registry.

The registry search filters every word with ``search_text LIKE '% word%'``. On PostgreSQL a
trigram (GIN) index serves it (migration ``cooperatives/0010``); this measures the search page's
queries (the count, then the first 25 ranked rows) with the index, and with bitmap scans turned
off (what the planner did before the index: read the whole table), alternately, in one run.

The registry is the demo registry (300 cooperatives) copied ``--copies`` times with shuffled
names and codes: 930 copies make 279,300 rows, ten times the national registry.

    python -m bench.bench_search [--copies 930] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.common import print_table, record, setup_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coopdx_bench_search"
QUERIES = ["thuy san tan", "xoai cat hoa loc", "nguyen van"]
WORDS = [
    "nong",
    "nghiep",
    "thuy",
    "san",
    "dich",
    "vu",
    "lua",
    "gao",
    "rau",
    "an",
    "toan",
    "chan",
    "nuoi",
    "ca",
    "phe",
    "xoai",
    "cat",
    "tan",
    "phu",
    "dong",
    "hoa",
    "loc",
    "binh",
    "minh",
    "thanh",
    "long",
    "my",
    "hiep",
    "phuoc",
    "thoi",
    "son",
    "lam",
    "tien",
    "giang",
    "hau",
    "kinh",
    "doanh",
    "tong",
    "hop",
    "sach",
]
COPY = """
INSERT INTO cooperatives_cooperative (code, name, search_text, status, members_count, founded_on, address, phone,
    email, representative, website, traceability, maturity_level, is_archived, created_at, updated_at, province_id,
    sector_id, ward_id)
SELECT lpad((3000000000 + n * 1000 + c.id)::text, 10, '0'), c.name || ' ' || n,
    ' hop tac xa ' || w[1 + (n * 7 + c.id) %% 40] || ' ' || w[1 + (n * 13 + c.id * 3) %% 40] || ' '
    || w[1 + (n * 29 + c.id * 7) %% 40] || ' ' || n || ' | ' || lpad((3000000000 + n * 1000 + c.id)::text, 10, '0')
    || ' ' || split_part(c.search_text, ' | ', 2),
    c.status, c.members_count, c.founded_on, c.address, c.phone, c.email, c.representative, c.website,
    c.traceability, c.maturity_level, c.is_archived, c.created_at, c.updated_at, c.province_id, c.sector_id, c.ward_id
FROM cooperatives_cooperative c, generate_series(1, %s) n, (SELECT %s::text[] AS w) words
WHERE c.code NOT LIKE '3%%'
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=930)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    setup_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    from accounts.models import Role, User
    from cooperatives.filters import CooperativeFilter
    from cooperatives.models import Cooperative
    from cooperatives.selectors import cooperative_list, cooperative_search_ranked

    if not Cooperative.objects.exists():
        call_command("load_reference_data", verbosity=0)
        call_command("seed_demo", verbosity=0)
    demo = Cooperative.objects.exclude(code__startswith="3").count()
    if Cooperative.objects.count() < demo * (args.copies + 1):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM cooperatives_cooperative WHERE code LIKE '3%%'")
            cursor.execute(COPY, [args.copies, WORDS])
            cursor.execute("ANALYZE cooperatives_cooperative")
    admin = User.objects.filter(role=Role.NATIONAL_ADMIN).first() or User.objects.create(
        username="bench.admin", role=Role.NATIONAL_ADMIN
    )
    rows = Cooperative.objects.count()
    copied = Cooperative.objects.filter(code__startswith="3").order_by("-code")
    queries = [*QUERIES, copied.values_list("code", flat=True)[0]]  # a code, as officers paste one

    def search(query: str) -> int:
        found = CooperativeFilter(data={"q": query}, queryset=cooperative_list(user=admin)).qs
        ranked = cooperative_search_ranked(found, query)
        list(ranked[:25])
        return ranked.count()

    results: list[tuple[str, object]] = [("cooperatives", rows)]
    metrics: dict[str, object] = {"rows": rows}
    for query in queries:
        times: dict[str, list[float]] = {"index": [], "scan": []}
        for _ in range(args.repeat):
            for mode in ("index", "scan"):
                with transaction.atomic(), connection.cursor() as cursor:
                    if mode == "scan":
                        cursor.execute("SET LOCAL enable_bitmapscan = off")
                    start = time.perf_counter()
                    matches = search(query)
                    times[mode].append(time.perf_counter() - start)
        indexed, scanned = statistics.median(times["index"]), statistics.median(times["scan"])
        results += [
            (f"{query!r}: matches", matches),
            (f"{query!r}: with the index, ms", round(indexed * 1000, 1)),
            (f"{query!r}: whole-table scan, ms", round(scanned * 1000, 1)),
            (f"{query!r}: scan / index", round(scanned / indexed, 1)),
        ]
        metrics[f"{query} index_ms"] = round(indexed * 1000, 1)
        metrics[f"{query} scan_over_index"] = round(scanned / indexed, 2)
    print_table(f"Registry search, {rows:,} cooperatives, median of {args.repeat}", results)
    record("search", metrics)


if __name__ == "__main__":
    main()
