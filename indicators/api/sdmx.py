"""Indicator figures as SDMX-CSV (``indicators.sdmx``), the format national statistics offices
exchange: the latest snapshot (or as of a date) in the caller's scope, with the list's filters,
streamed; figures over fewer than five answers carry OBS_STATUS ``C`` and no value."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request

from audit.exports import audited
from coopdx.api.bulk import CSVRenderer
from coopdx.api.conditional import conditional_headers, make_etag, not_modified
from coopdx.api.schema import CONDITIONAL_PARAMETERS, NOT_MODIFIED
from indicators import sdmx

from .serializers import FigureQuerySerializer
from .views import TAG_BULK, FigureBulk


class _Echo:
    def write(self, value: str) -> str:
        return value


def _lines(rows: Iterator[list[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)


class SDMXCSVRenderer(CSVRenderer):
    media_type = "application/vnd.sdmx.data+csv"
    format = "sdmx-csv"


@extend_schema_view(
    get=extend_schema(
        tags=TAG_BULK,
        summary="The latest indicator figures as SDMX-CSV (dataflow VN_COOPDX:DX_INDICATORS(1.0))",
        operation_id="bulk_indicators_sdmx_csv",
        description=(
            "SDMX-CSV 1.0: DATAFLOW, REF_AREA (VN, province or ward code), COOP_SECTOR (_T or the sector code), "
            "SURVEY_ROUND, INDICATOR, TIME_PERIOD (the round's year), UNIT_MEASURE (PT, SCORE, NUMBER), OBS_VALUE, "
            "OBS_STATUS (A; C with no value for a figure over fewer than 5 answers; M when none could be computed)."
        ),
        parameters=[FigureQuerySerializer, *CONDITIONAL_PARAMETERS],
        responses={(200, "application/vnd.sdmx.data+csv"): OpenApiTypes.STR, 304: NOT_MODIFIED},
    )
)
class FigureBulkSDMX(FigureBulk):
    renderer_classes = [SDMXCSVRenderer]

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        parts, last_modified = self.list_version()
        etag = make_etag(request, "sdmx", *parts)
        cached = not_modified(request, etag, last_modified)
        if cached is not None:
            return cached
        rows = audited(
            sdmx.sdmx_rows(self.get_queryset()),
            user=request.user,
            kind="indicators",
            fmt="sdmx-csv",
            filters={key: value for key, value in request.query_params.items() if value},
        )
        response = StreamingHttpResponse(_lines(rows), content_type="application/vnd.sdmx.data+csv; version=1.0.0")
        stamp = (self.day or timezone.localdate()).strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="coopdx-indicators-sdmx-{stamp}.csv"'
        return conditional_headers(response, etag, last_modified)
