"""Indicator figures in SDMX-CSV (SDMX-CSV 1.0, the CSV of SDMX 2.1), the exchange format of
national statistics offices; the mapping is described in docs/exports.md.

One observation per figure of the nation, a province or a ward, all sectors or one:
DATAFLOW ``VN_COOPDX:DX_INDICATORS(1.0)``; dimensions REF_AREA (``VN``, the province code, or
the ward code), COOP_SECTOR (``_T`` for all, else the sector code), SURVEY_ROUND (the round's
code), INDICATOR (the metric), TIME_PERIOD (the year the round opened); then UNIT_MEASURE (``PT``
percent, ``SCORE`` 0-100, ``NUMBER`` a count), OBS_VALUE and OBS_STATUS (``A`` normal, ``C``
confidential: a figure over fewer than ``MIN_ANSWERS`` answers, whose OBS_VALUE is left empty,
exactly as the dashboard's downloads show "n < 5").
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from .models import IndicatorSnapshot
from .selectors import too_few

DATAFLOW = "VN_COOPDX:DX_INDICATORS(1.0)"
HEADER = [
    "DATAFLOW",
    "REF_AREA",
    "COOP_SECTOR",
    "SURVEY_ROUND",
    "INDICATOR",
    "TIME_PERIOD",
    "UNIT_MEASURE",
    "OBS_VALUE",
    "OBS_STATUS",
]
FIELDS = (
    "province__code",
    "ward__code",
    "sector__code",
    "round__code",
    "round__opens_on",
    "metric",
    "value",
    "denominator",
)


def unit_of(metric: str) -> str:
    if metric.endswith("_pct"):
        return "PT"
    if metric.endswith("_avg"):
        return "SCORE"
    return "NUMBER"


def sdmx_count(figures: QuerySet[IndicatorSnapshot]) -> int:
    return figures.count()


def sdmx_rows(figures: QuerySet[IndicatorSnapshot], *, chunk_size: int = 2000) -> Iterator[list[object]]:
    """The header, then one observation per figure of ``figures`` (already scoped to the reader)."""
    yield list(HEADER)
    rows = (
        figures.order_by("round__opens_on", "round__code", "scope_key", "metric", "pk")
        .values_list(*FIELDS)
        .iterator(chunk_size=chunk_size)
    )
    for province, ward, sector, round_code, opens_on, metric, value, answers in rows:
        area = ward or province or "VN"
        status = "A"
        shown: object = ""
        if value is not None and too_few(metric, answers):
            status = "C"
        elif value is not None:
            shown = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
            shown = format(shown, "f")
        else:
            status = "M"  # missing: no figure could be computed
        yield [DATAFLOW, area, sector or "_T", round_code, metric, opens_on.year, unit_of(metric), shown, status]
