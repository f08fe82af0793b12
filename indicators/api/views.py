"""Indicator figures over the API: national, per province, per sector, by round, latest or as of
a date, and the time series of one figure. Read only from the nightly snapshots.

Just over 300 lines: one view per endpoint with the OpenAPI description of its parameters,
which is most of the text."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from functools import cached_property
from typing import Any, TypeVar

from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import DateTimeField, Serializer

from accounts.models import ApiScope
from coopdx.api.bulk import (
    CHUNK_SIZE,
    CSVRenderer,
    JSONErrorsNegotiation,
    NDJSONRenderer,
    csv_response,
    ndjson_response,
)
from coopdx.api.conditional import ConditionalListMixin, conditional_headers, make_etag, not_modified
from coopdx.api.pagination import KeysetPagination
from coopdx.api.schema import CONDITIONAL_PARAMETERS, NOT_MODIFIED, error_response
from coopdx.api.views import SignedInGenericAPIView
from cooperatives import selectors as registry
from cooperatives.models import Sector
from indicators.models import IndicatorSnapshot, Scope
from indicators.selectors import snapshot_date, snapshot_list, snapshot_version

from .serializers import (
    FigureQuerySerializer,
    FigureSerializer,
    SeriesQuerySerializer,
    SnapshotQuerySerializer,
    WardFigureQuerySerializer,
    snapshot_page_schema,
)

TAG_INDICATORS = ["Indicators"]
TAG_BULK = ["Bulk downloads"]
# The dashboard's rule (accounts.rules): national roles and provincial officers.
MAY_SEE_INDICATORS = "indicators.view_indicators"

Row = TypeVar("Row")


class SnapshotPagination(KeysetPagination):
    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return snapshot_page_schema(schema)


class IndicatorAccess(SignedInGenericAPIView):
    allowed = {"GET": MAY_SEE_INDICATORS}
    required_scopes = {"GET": ApiScope.INDICATORS_READ}
    query_serializer_class: type[Serializer] = FigureQuerySerializer

    @cached_property
    def params(self) -> dict[str, Any]:
        query = self.query_serializer_class(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return dict(query.validated_data)


class SnapshotFigures(IndicatorAccess, ConditionalListMixin, generics.ListAPIView):
    """Figures of one snapshot day (the latest, or the latest on or before ?as_of=)."""

    serializer_class = FigureSerializer
    pagination_class: type[BasePagination] | None = SnapshotPagination
    filter_backends: list[Any] = []
    ordering = ("round", "scope_key", "metric")
    day: datetime.date | None = None
    as_of: datetime.datetime | None = None

    def narrow(self, queryset: QuerySet[IndicatorSnapshot]) -> QuerySet[IndicatorSnapshot]:
        params = self.params
        if params.get("scope"):
            queryset = queryset.filter(scope=params["scope"])
        if params.get("scope_key"):
            queryset = queryset.filter(scope_key=params["scope_key"])
        if params.get("province"):
            queryset = queryset.filter(province__code=params["province"])
        if params.get("sector"):
            queryset = queryset.filter(sector__code=params["sector"])
        if params.get("ward"):
            queryset = queryset.filter(ward__code=params["ward"])
        return queryset

    def get_queryset(self) -> QuerySet[IndicatorSnapshot]:
        if getattr(self, "swagger_fake_view", False):
            return IndicatorSnapshot.objects.none()
        params = self.params
        figures = self.narrow(snapshot_list(user=self.request.user))
        self.day = snapshot_date(params.get("as_of"))
        if self.day is None:
            return figures.none()
        figures = figures.filter(snapshot_date=self.day)
        if params.get("round"):
            figures = figures.filter(round__code=params["round"])
        if params.get("metric"):
            figures = figures.filter(metric=params["metric"])
        return figures

    def list_version(self) -> tuple[tuple[Any, ...], datetime.datetime | None]:
        stamp, run, finished_at = snapshot_version()
        return (stamp, run), finished_at

    def paginate_queryset(self, queryset: QuerySet[IndicatorSnapshot, Row] | Sequence[Row]) -> list[Row] | None:
        # The payload's as_of: when the figures read were computed (the day's, with no figure).
        # ``list()`` always pages the queryset of ``get_queryset``; the base also takes a list.
        if isinstance(queryset, QuerySet):
            self.as_of = queryset.order_by().aggregate(as_of=Max("as_of"))["as_of"]
        if self.as_of is None and self.day is not None:
            self.as_of = IndicatorSnapshot.objects.filter(snapshot_date=self.day).aggregate(as_of=Max("as_of"))["as_of"]
        return super().paginate_queryset(queryset)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        as_of = DateTimeField().to_representation(self.as_of) if self.as_of else None
        response.data = {"snapshot_date": self.day, "as_of": as_of, **response.data}
        return response


LIST_DESCRIPTION = (
    "Every payload carries the snapshot's `snapshot_date` and `as_of`, and each row its `round`. Without "
    "`as_of` the latest snapshot is read; with `?as_of=YYYY-MM-DD` the latest taken on or before that date. "
    "Provincial officers see the national and sector figures and their own province's (its wards "
    "included). Answers 304 to a current ETag."
)


@extend_schema(
    tags=TAG_INDICATORS,
    summary="Indicator figures of one snapshot, filtered",
    description=LIST_DESCRIPTION,
    parameters=[FigureQuerySerializer, *CONDITIONAL_PARAMETERS],
    responses={200: FigureSerializer(many=True), 304: NOT_MODIFIED},
)
class FigureList(SnapshotFigures):
    pass


@extend_schema(
    tags=TAG_INDICATORS,
    summary="National figures",
    description=LIST_DESCRIPTION,
    parameters=[SnapshotQuerySerializer, *CONDITIONAL_PARAMETERS],
    responses={200: FigureSerializer(many=True), 304: NOT_MODIFIED},
)
class NationalFigures(SnapshotFigures):
    query_serializer_class = SnapshotQuerySerializer

    def narrow(self, queryset: QuerySet[IndicatorSnapshot]) -> QuerySet[IndicatorSnapshot]:
        return queryset.filter(scope=Scope.NATION)


@extend_schema(
    tags=TAG_INDICATORS,
    summary="One province's figures, overall and per sector (404 outside the caller's scope)",
    description=LIST_DESCRIPTION,
    parameters=[SnapshotQuerySerializer, *CONDITIONAL_PARAMETERS],
    responses={200: FigureSerializer(many=True), 304: NOT_MODIFIED},
)
class ProvinceFigures(SnapshotFigures):
    query_serializer_class = SnapshotQuerySerializer

    def narrow(self, queryset: QuerySet[IndicatorSnapshot]) -> QuerySet[IndicatorSnapshot]:
        # The provinces the caller works with, from the registry's selector: others are 404.
        if not registry.province_list(user=self.request.user).filter(code=self.kwargs["code"]).exists():
            raise Http404
        # Its wards have their own endpoint: a province's hundred wards would bury its own figures.
        return queryset.filter(province__code=self.kwargs["code"]).exclude(scope=Scope.WARD)


@extend_schema(
    tags=TAG_INDICATORS,
    summary="The figures of one province's wards/communes (404 outside the caller's scope)",
    description=LIST_DESCRIPTION
    + " A ward has figures when it has active cooperatives in the registry; no counts per level.",
    parameters=[WardFigureQuerySerializer, *CONDITIONAL_PARAMETERS],
    responses={200: FigureSerializer(many=True), 304: NOT_MODIFIED},
)
class WardFigures(SnapshotFigures):
    query_serializer_class = WardFigureQuerySerializer

    def narrow(self, queryset: QuerySet[IndicatorSnapshot]) -> QuerySet[IndicatorSnapshot]:
        if not registry.province_list(user=self.request.user).filter(code=self.kwargs["code"]).exists():
            raise Http404
        queryset = queryset.filter(province__code=self.kwargs["code"], scope=Scope.WARD)
        if self.params.get("ward"):
            queryset = queryset.filter(ward__code=self.params["ward"])
        return queryset


@extend_schema(
    tags=TAG_INDICATORS,
    summary="One sector's figures: national, and per province within the caller's scope",
    description=LIST_DESCRIPTION,
    parameters=[SnapshotQuerySerializer, *CONDITIONAL_PARAMETERS],
    responses={200: FigureSerializer(many=True), 304: NOT_MODIFIED},
)
class SectorFigures(SnapshotFigures):
    query_serializer_class = SnapshotQuerySerializer

    def narrow(self, queryset: QuerySet[IndicatorSnapshot]) -> QuerySet[IndicatorSnapshot]:
        if not Sector.objects.filter(code=self.kwargs["code"]).exists():
            raise Http404
        return queryset.filter(sector__code=self.kwargs["code"])


@extend_schema(
    tags=TAG_INDICATORS,
    summary="The time series of one figure (one metric in one scope), by snapshot date and round",
    description=(
        "e.g. `?metric=ecommerce_pct&scope_key=p:82`. A scope key outside the caller's scope is 404. "
        "Each point carries its snapshot_date, as_of and round. Answers 304 to a current ETag."
    ),
    parameters=[SeriesQuerySerializer, *CONDITIONAL_PARAMETERS],
    responses={200: FigureSerializer(many=True), 304: NOT_MODIFIED, 404: error_response(404)},
)
class FigureSeries(IndicatorAccess, ConditionalListMixin, generics.ListAPIView):
    serializer_class = FigureSerializer
    filter_backends: list[Any] = []
    query_serializer_class = SeriesQuerySerializer
    ordering = ("snapshot_date", "round")

    def get_queryset(self) -> QuerySet[IndicatorSnapshot]:
        if getattr(self, "swagger_fake_view", False):
            return IndicatorSnapshot.objects.none()
        params = self.params
        scoped = snapshot_list(user=self.request.user)
        if not scoped.filter(scope_key=params["scope_key"]).exists():
            raise Http404
        points = scoped.filter(scope_key=params["scope_key"], metric=params["metric"])
        if params.get("round"):
            points = points.filter(round__code=params["round"])
        if params.get("since"):
            points = points.filter(snapshot_date__gte=params["since"])
        if params.get("until"):
            points = points.filter(snapshot_date__lte=params["until"])
        return points

    def list_version(self) -> tuple[tuple[Any, ...], datetime.datetime | None]:
        stamp, run, finished_at = snapshot_version()
        return (stamp, run), finished_at


BULK_FIELDS = (
    ("snapshot_date", "snapshot_date"),
    ("as_of", "as_of"),
    ("round", "round__code"),
    ("scope", "scope"),
    ("scope_key", "scope_key"),
    ("province", "province__code"),
    ("sector", "sector__code"),
    ("ward", "ward__code"),
    ("metric", "metric"),
    ("value", "value"),
    ("numerator", "numerator"),
    ("denominator", "denominator"),
)
BULK_DESCRIPTION = (
    "Every figure of the latest snapshot (or the latest on or before `as_of`) in the caller's scope, "
    "streamed, with the list's filters. Columns: " + ", ".join(name for name, _path in BULK_FIELDS) + "."
)


class FigureBulk(SnapshotFigures):
    pagination_class = None
    content_negotiation_class = JSONErrorsNegotiation
    fmt = "csv"

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        parts, last_modified = self.list_version()
        etag = make_etag(request, *parts)
        cached = not_modified(request, etag, last_modified)
        if cached is not None:
            return cached
        queryset = self.get_queryset()
        rows = (
            queryset.order_by("round", "scope_key", "metric", "pk")
            .values_list(*(path for _name, path in BULK_FIELDS))
            .iterator(chunk_size=CHUNK_SIZE)
        )
        header = [name for name, _path in BULK_FIELDS]
        stamp = (self.day or timezone.localdate()).strftime("%Y%m%d")
        if self.fmt == "csv":
            response = csv_response(header, rows, f"coopdx-indicators-{stamp}.csv")
        else:
            response = ndjson_response(header, rows, f"coopdx-indicators-{stamp}.ndjson")
        return conditional_headers(response, etag, last_modified)


@extend_schema_view(
    get=extend_schema(
        tags=TAG_BULK,
        summary="The latest indicator figures as CSV (UTF-8 with BOM)",
        operation_id="bulk_indicators_csv",
        description=BULK_DESCRIPTION,
        parameters=[FigureQuerySerializer, *CONDITIONAL_PARAMETERS],
        responses={(200, "text/csv"): OpenApiTypes.STR, 304: NOT_MODIFIED},
    )
)
class FigureBulkCSV(FigureBulk):
    renderer_classes = [CSVRenderer]
    fmt = "csv"


@extend_schema_view(
    get=extend_schema(
        tags=TAG_BULK,
        summary="The latest indicator figures as NDJSON (one JSON object per line)",
        operation_id="bulk_indicators_ndjson",
        description=BULK_DESCRIPTION,
        parameters=[FigureQuerySerializer, *CONDITIONAL_PARAMETERS],
        responses={(200, "application/x-ndjson"): OpenApiTypes.STR, 304: NOT_MODIFIED},
    )
)
class FigureBulkNDJSON(FigureBulk):
    renderer_classes = [NDJSONRenderer]
    fmt = "ndjson"
