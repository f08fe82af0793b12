"""Benchmark 4: dashboard pages at national scale: server time and queries, beside /healthz.

Renders the national dashboard (map and province table) and a provincial dashboard through
Django's test client against the benchmark database, after an aggregation; prints the median
time of each page, its number of queries, and the ratio to the trivial /healthz page.

    python -m bench.bench_dashboard [--scale 1] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.common import print_table, record


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    os.environ.setdefault("SURVEYS_COUNT_SUBMITTED", "true")
    from bench.national import prepare

    prepare(args.scale)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Role, User
    from cooperatives.models import Cooperative, Province
    from indicators.models import IndicatorSnapshot
    from indicators.services import aggregate_indicators

    if not IndicatorSnapshot.objects.exists():
        aggregate_indicators(trigger="bench")
    province = Province.objects.get(code="82")
    analyst, _ = User.objects.get_or_create(username="bench.ministry", defaults={"role": Role.MINISTRY_ANALYST})
    officer, _ = User.objects.get_or_create(
        username="bench.officer", defaults={"role": Role.PROVINCIAL_OFFICER, "province": province}
    )

    def measure(user: User | None, path: str) -> tuple[float, int]:
        client = Client()
        if user is not None:
            client.force_login(user)
        client.get(path)  # warm up
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - start)
            assert response.status_code in (200, 503), (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        return statistics.median(times), len(queries)

    reference, reference_queries = measure(None, "/healthz")
    national, national_queries = measure(analyst, "/dashboard/")
    provincial, provincial_queries = measure(officer, "/dashboard/")
    metrics = {
        "cooperatives": Cooperative.objects.count(),
        "healthz_ms": round(reference * 1000, 1),
        "national_ms": round(national * 1000, 1),
        "national_queries": national_queries,
        "national_to_healthz_ratio": round(national / reference, 1),
        "provincial_ms": round(provincial * 1000, 1),
        "provincial_queries": provincial_queries,
        "provincial_to_healthz_ratio": round(provincial / reference, 1),
    }
    print_table(f"Dashboard x{args.scale} ({connection.vendor})", list(metrics.items()))
    record(f"dashboard_x{args.scale}", metrics)


if __name__ == "__main__":
    main()
