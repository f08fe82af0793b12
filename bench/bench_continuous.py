"""Benchmark 10: the continuous figures (one minute's work) beside the full nightly job.

On the national data set, after the night's job and a first minute's work (which counts every
province), a cooperative is suspended (or made active again) in one province, then in five,
through the registry's service; the minute's work that follows is timed against the full job,
pair by pair. After each, every figure of today's snapshot is compared with the full job's.

    python -m bench.bench_continuous [--scale 1] [--repeat 3]   (PostgreSQL)
"""

from __future__ import annotations

import argparse
import os
import statistics

from bench.common import print_table, record, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("SURVEYS_COUNT_SUBMITTED", "true")
    # Only the change just made is looked for: the overlap (a change looked for again for ten
    # minutes, in case its transaction committed late) is measured by what it re-counts.
    os.environ["INDICATORS_CONTINUOUS_OVERLAP_SECONDS"] = "0"
    from bench.national import prepare

    prepare(args.scale)
    from django.db import connection

    from accounts.models import Role, User
    from bench.bench_aggregate import vacuum_snapshot
    from cooperatives.models import Cooperative, Province
    from cooperatives.services import cooperative_update
    from indicators.continuous import figures_follow_changes
    from indicators.models import ProvinceCounts
    from indicators.services import aggregate_indicators

    admin, _ = User.objects.get_or_create(
        username="bench-continuous", defaults={"role": Role.NATIONAL_ADMIN, "is_staff": True}
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    vacuum_snapshot()
    full_first, _run = timed(lambda: aggregate_indicators(trigger="bench"))
    ProvinceCounts.objects.all().delete()  # the first minute counts every province

    def first_count() -> tuple[int, int]:
        """The minutes (calls) a first count of every province takes, and the figures written."""
        minutes = 0
        while (run := figures_follow_changes()) is not None:
            minutes += 1
            if run.rows_written:
                return minutes, run.rows_written
        return minutes, 0

    first, (minutes, seeded) = timed(first_count)
    provinces = list(Province.objects.order_by("code").values_list("pk", flat=True))

    def change(count: int) -> None:
        """A cooperative suspended, or active again, in each of ``count`` provinces."""
        for province_id in provinces[:count]:
            cooperative = Cooperative.objects.filter(province_id=province_id, is_archived=False).order_by("pk").first()
            assert cooperative is not None
            status = "suspended" if cooperative.status == "active" else "active"
            cooperative_update(cooperative=cooperative, by=admin, status=status)

    metrics: dict[str, object] = {
        "cooperatives": Cooperative.objects.count(),
        "full_job_s": round(full_first, 3),
        "first_count_all_provinces_s": round(first, 3),
        "first_count_minutes": minutes,
        "first_count_figures": seeded,
    }
    for count in (1, 5):
        full_times: list[float] = []
        minute_times: list[float] = []
        written = mismatches = 0
        for _ in range(args.repeat):
            change(count)
            elapsed, run = timed(figures_follow_changes)
            assert run is not None and run.partitions_done == count, run
            minute_times.append(elapsed)
            written = run.rows_written
            followed = snapshot()
            vacuum_snapshot()
            elapsed, _full = timed(lambda: aggregate_indicators(trigger="bench"))
            full_times.append(elapsed)
            mismatches += len(followed ^ snapshot())
        minute, full = statistics.median(minute_times), statistics.median(full_times)
        metrics.update(
            {
                f"change_in_{count}_minute_s": round(minute, 3),
                f"change_in_{count}_full_job_s": round(full, 3),
                f"change_in_{count}_minute_to_full_ratio": round(minute / full, 3),
                f"change_in_{count}_figures_rewritten": written,
                f"change_in_{count}_figures_differing": mismatches,
            }
        )
    print_table(f"Continuous figures x{args.scale} ({connection.vendor})", list(metrics.items()))
    record(f"continuous_x{args.scale}", metrics)


def snapshot() -> set[tuple]:
    from django.utils import timezone

    from indicators.models import IndicatorSnapshot

    return set(
        IndicatorSnapshot.objects.filter(snapshot_date=timezone.localdate()).values_list(
            "round_id", "scope_key", "metric", "value", "numerator", "denominator"
        )
    )


if __name__ == "__main__":
    main()
