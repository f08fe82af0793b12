"""Continuous figures: between the nightly runs, every minute, today's snapshot follows the
responses and the registry, at a cost that grows with what changed and not with the nation.

Each province's counts are kept summed per scope (``ProvinceCounts``): its own scopes (the
province, its sectors, its wards) and its share of the nation's and of the national sectors'.
A minute's work finds the provinces where something changed since their counts were made,
counts those provinces again (``aggregation.compute_partition``, one province each), adds the
kept shares of the others to make the nation and the sectors, and rewrites only those scopes'
figures of today's snapshot, in one transaction under the aggregation lock. The figures are the
ones a full run would write: the same counts, rolled up and derived by the same code
(``aggregation.Rollup``, ``aggregation.figures_of``); a test compares them on random changes.

What changed is read from the history tables, which every write path fills (the browser, the
API, the importers, the admin, merges, rescoring): a cooperative's rows name every province it
was in, a response's, an OCOP product's or a listing's their cooperative. A change is looked for
from the time its province was counted, less ``INDICATORS_CONTINUOUS_OVERLAP_SECONDS`` (clocks),
and never after the oldest transaction then open on PostgreSQL: a history row's time is taken
before its transaction commits. Counts found as kept rewrite nothing; a province's figures are
rewritten only when its counts changed. Provinces are counted within a time budget, the longest
uncounted first, so a day of changes everywhere (or a first count, at ×10) takes several minutes.

Nothing is updated before the night's full run has written today's snapshot, nor for a round
it did not count; counts made with other rounds, indicators, evidence checks or reference codes
(a ward created or renamed) are made again, and written once every province has them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.forms.models import model_to_dict
from django.utils import timezone

from coopdx import versions
from coopdx.heartbeat import beating
from cooperatives.models import Cooperative, EcommerceListing, OcopProduct, Province, Sector, Ward
from surveys.evidence import resolved_checks
from surveys.lifecycle import counted_statuses
from surveys.models import IndicatorDefinition, Response, SurveyRound

from .aggregation import Rollup, active_definitions, compute_partition, figures_of
from .models import AggregationRun, IndicatorSnapshot, ProvinceCounts, RunStatus, Scope
from .services import AggregationBusy, MissingReference, check_references, failing_run, insert_figures, run_start
from .versioning import INDICATORS
from .webhook_events import indicators_recomputed

SCORE = 2  # the place of the summed score (a Decimal, kept as text) in a count vector
# A province's kept counts: its own scopes', and its share of the nation's and sectors' (JSON).
Parts = tuple[dict[str, Any], dict[str, Any]]


def figures_follow_changes() -> AggregationRun | None:
    """Rewrite the figures of today's snapshot that changed; None when none did, when today has
    no snapshot yet, or when another computation holds the lock (the next minute will)."""
    today = timezone.localdate()
    if not IndicatorSnapshot.objects.filter(snapshot_date=today).exists():
        return None
    rounds = list(
        SurveyRound.objects.filter(
            pk__in=IndicatorSnapshot.objects.filter(snapshot_date=today).values("round_id").distinct()
        ).order_by("opens_on")
    )
    # Read before the changes are looked for: what commits after is looked for next time.
    counted_from = _counted_from(timezone.now())
    definitions = active_definitions()
    fingerprint = _fingerprint(rounds, definitions)
    stale = stale_provinces(fingerprint)
    if not stale and not ProvinceCounts.objects.filter(fingerprint=fingerprint, written=False).exists():
        return None
    try:
        run = run_start(trigger="continuous")
    except AggregationBusy:
        return None
    with failing_run(run.pk), beating(AggregationRun, run.pk):
        AggregationRun.objects.filter(pk=run.pk).update(partitions_total=len(stale))
        counted = _count_within_budget(stale, rounds, definitions)
        left = [pk for pk in stale if pk not in counted]
        if not _write(run.pk, today, rounds, counted, Kept(fingerprint, counted_from, left, definitions)):
            AggregationRun.objects.filter(pk=run.pk).delete()  # counts as kept: nothing to show for it
            return None
    run.refresh_from_db()
    return run


@dataclass(frozen=True)
class Kept:
    """How the new counts are kept: made with ``fingerprint``, changes looked for until
    ``counted_from``; ``left``: the stale provinces not counted this time."""

    fingerprint: str
    counted_from: datetime.datetime
    left: list[int]
    definitions: list[str]


def _count_within_budget(stale: list[int], rounds: list[SurveyRound], definitions: list[str]) -> dict[int, Parts]:
    """The stale provinces counted again, in their order (the longest uncounted first), as many
    as ``INDICATORS_CONTINUOUS_BUDGET_SECONDS`` allows (at least one): a first count of a large
    country, or a day of changes everywhere, is spread over several minutes."""
    deadline = time.monotonic() + settings.INDICATORS_CONTINUOUS_BUDGET_SECONDS
    counted: dict[int, Parts] = {}
    for pk in stale:
        if counted and time.monotonic() > deadline:
            break
        counted[pk] = _count(pk, rounds, definitions)
    return counted


def stale_provinces(fingerprint: str) -> list[int]:
    """The provinces to count again, those never counted (or counted otherwise) first, then
    those where a cooperative, a response or the registry's evidence changed since each was
    counted, the longest uncounted first."""
    provinces = set(Province.objects.values_list("pk", flat=True))
    rows = ProvinceCounts.objects.filter(fingerprint=fingerprint, province_id__in=provinces)
    kept = dict(rows.values_list("province_id", "counted_from"))
    missing = sorted(provinces - set(kept))
    if not kept:
        return missing
    overlap = datetime.timedelta(seconds=settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS)
    since = min(kept.values()) - overlap
    last: dict[int, datetime.datetime] = {}  # the latest change seen in each province

    def seen(pairs: Iterable[tuple[int | None, datetime.datetime]]) -> None:
        for province_id, at in pairs:
            if province_id is not None and (province_id not in last or at > last[province_id]):
                last[province_id] = at

    # A cooperative changed: the province it went to, and the one it was in just before.
    changed = Cooperative.history.filter(history_date__gt=since)
    seen(changed.values("province_id").annotate(at=Max("history_date")).values_list("province_id", "at"))
    before = Cooperative.history.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
    before = before.order_by("-history_date")
    seen(changed.annotate(was=Subquery(before.values("province_id")[:1])).values_list("was", "history_date"))
    # A response, or the registry's evidence its answers are checked against (``surveys.evidence``),
    # changed: its cooperative's province (a cooperative that moved or went is above).
    for history in (Response.history, OcopProduct.history, EcommerceListing.history):
        touched = history.filter(history_date__gt=since)
        grouped = touched.values("cooperative__province_id").annotate(at=Max("history_date"))
        seen(grouped.values_list("cooperative__province_id", "at"))
    stale = [pk for pk, at in last.items() if pk in kept and at > kept[pk] - overlap]
    return missing + sorted(stale, key=lambda pk: (kept[pk], pk))


def _fingerprint(rounds: list[SurveyRound], definitions: list[str]) -> str:
    """What the counts are made with: the rounds, the indicators and evidence checks, the counted
    statuses, and the codes the scopes are named by."""
    made_with = {
        "rounds": [r.pk for r in rounds],
        "definitions": definitions,
        "indicators": list(
            IndicatorDefinition.objects.filter(code__in=definitions).values_list(
                "code", "question_code", "option_codes"
            )
        ),
        "checks": [[model_to_dict(r.check), r.option_ids] for r in resolved_checks()],
        "counted": sorted(counted_statuses()),
        "codes": [list(model.objects.order_by("pk").values_list("pk", "code")) for model in (Province, Sector, Ward)],
    }
    return hashlib.sha256(json.dumps(made_with, sort_keys=True, default=str).encode()).hexdigest()


def _counted_from(started: datetime.datetime) -> datetime.datetime:
    """The time from which changes are still to be looked for: when this count started, or the
    start of the oldest transaction then open (its history rows bear earlier times)."""
    if connection.vendor != "postgresql":
        return started
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()"
        )
        oldest = cursor.fetchone()[0]
    return min(started, oldest) if oldest else started


def _count(province_id: int, rounds: list[SurveyRound], definitions: list[str]) -> Parts:
    """A province's counts rolled up: (its own scopes, its share of the nation's and sectors')."""
    counts = compute_partition(round_ids=[r.pk for r in rounds], province_id=province_id)
    rollup = Rollup(definitions)
    rollup.add_registry(counts["registry"])
    rollup.add_responses(counts["responses"])
    own: dict[str, Any] = {"scopes": {}, "totals": {}, "sums": []}
    shared: dict[str, Any] = {"scopes": {}, "totals": {}, "sums": []}
    part = {key: shared if key == "nation" or key.startswith("s:") else own for key in rollup.scopes}
    for key, place in rollup.scopes.items():
        part[key]["scopes"][key] = list(place)
        part[key]["totals"][key] = rollup.totals.get(key, 0)
    for (round_id, key), summed in rollup.sums.items():
        part[key]["sums"].append([round_id, key, [str(v) if i == SCORE else v for i, v in enumerate(summed)]])
    return own, shared


def _add(rollup: Rollup, part: dict[str, Any]) -> None:
    """Add kept counts (``_count``'s) to a rollup."""
    for key, place in part["scopes"].items():
        scope, province_id, sector_id, ward_id = place
        rollup.scopes.setdefault(key, (scope, province_id, sector_id, ward_id))
    for key, total in part["totals"].items():
        rollup.totals[key] += total
    for round_id, key, kept in part["sums"]:
        counts = [Decimal(v) if i == SCORE else v for i, v in enumerate(kept)]
        summed = rollup.sums.get((round_id, key))
        rollup.sums[(round_id, key)] = (
            counts if summed is None else [a + b for a, b in zip(summed, counts, strict=True)]
        )


def _write(run_id: int, day: datetime.date, rounds: list[SurveyRound], counted: dict[int, Parts], kept: Kept) -> bool:
    """Keep the provinces' new counts and, while every province has counts, replace the figures
    of those whose counts changed since their figures were written, the nation's and the
    sectors' in today's snapshot; in one transaction, closing the run. False when nothing
    changed (the counts were the kept ones)."""
    with transaction.atomic():
        if not AggregationRun.objects.select_for_update().filter(pk=run_id).exists():
            raise MissingReference(f"indicators.AggregationRun {run_id} no longer exists")
        mine = ProvinceCounts.objects.filter(fingerprint=kept.fingerprint)
        # A province's figures are those of its kept counts when they were written after the last
        # full run of the day (which writes every figure from its own counts).
        full = _last_full_write(day)
        shown = mine.filter(province_id__in=counted, written=True)
        if full is not None:
            shown = shown.filter(written_at__gt=full)
        before = {pk: [own, shared] for pk, own, shared in shown.values_list("province_id", "own", "shared")}
        changed = False
        for province_id, (own, shared) in counted.items():
            same = json.loads(json.dumps([own, shared])) == before.get(province_id)
            changed = changed or not same
            values: dict[str, Any] = {"fingerprint": kept.fingerprint, "own": own, "shared": shared}
            values["counted_from"] = kept.counted_from
            ProvinceCounts.objects.update_or_create(
                province_id=province_id, defaults=values if same else {**values, "written": False}
            )
        # Those found unchanged were so until then; those left to count were not.
        mine.exclude(province_id__in=kept.left).update(counted_from=kept.counted_from)
        rewritten = set(mine.filter(written=False).values_list("province_id", flat=True))
        every = mine.count() == Province.objects.count()
        figures: list[dict[str, Any]] = []
        if every and rewritten:
            rollup = Rollup(kept.definitions)
            # The nation and the sectors from every province's share, and the rewritten provinces'.
            for part in [
                *mine.values_list("shared", flat=True),
                *mine.filter(province_id__in=rewritten).values_list("own", flat=True),
            ]:
                _add(rollup, part)
            figures = figures_of(rollup, rounds)
        elif not changed:
            return False
        now = timezone.now()
        AggregationRun.objects.filter(pk=run_id).update(
            status=RunStatus.SUCCEEDED, finished_at=now, rows_written=len(figures), partitions_done=len(counted)
        )
        if not figures:
            return True
        IndicatorSnapshot.objects.filter(snapshot_date=day, round__in=rounds).filter(
            Q(province_id__in=rewritten) | Q(scope__in=[Scope.NATION, Scope.SECTOR])
        ).delete()
        check_references(run_id, figures)
        insert_figures(figures, run_id=run_id, snapshot_date=day, as_of=now)
        mine.filter(province_id__in=rewritten).update(written=True, written_at=now)
        versions.mark_changed(INDICATORS)
        indicators_recomputed(run_id=run_id, day=day, rounds=rounds, figures=figures, provinces_changed=rewritten)
    return True


def _last_full_write(day: datetime.date) -> datetime.datetime | None:
    """When a full run last wrote the day's figures (the night's, or a refresh)."""
    runs = AggregationRun.objects.filter(status=RunStatus.SUCCEEDED, finished_at__date__gte=day)
    return runs.exclude(trigger="continuous").aggregate(at=Max("finished_at"))["at"]
