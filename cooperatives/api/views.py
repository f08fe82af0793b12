"""Reference data and the registry over the API. Thin: selectors read, serializers show."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics

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
from coopdx.api.filters import ScopedFilterBackend
from coopdx.api.schema import CONDITIONAL_PARAMETERS, NOT_MODIFIED
from coopdx.api.views import SignedInGenericAPIView
from coopdx.http import AuthenticatedRequest
from cooperatives import selectors
from cooperatives.models import Cooperative, LegacyProvince, Province, Sector

from .filters import ApiCooperativeFilter
from .serializers import (
    CooperativeDetailSerializer,
    CooperativeSerializer,
    LegacyProvinceSerializer,
    ProvinceDetailSerializer,
    ProvinceSerializer,
    SectorSerializer,
)

if TYPE_CHECKING:
    from rest_framework.generics import BaseFilterProtocol  # the stubs' type of a filter backend

# Reference data (units and sectors) is public knowledge that every caller needs to read
# codes; it is not scoped. Any token that reads the registry or indicators may read it.
REFERENCE_SCOPES = (ApiScope.REGISTRY_READ, ApiScope.INDICATORS_READ, ApiScope.RESPONSES_READ, ApiScope.RESPONSES_WRITE)
TAG_REFERENCE = ["Reference data"]
TAG_REGISTRY = ["Registry"]
TAG_BULK = ["Bulk downloads"]


@extend_schema(tags=TAG_REFERENCE, summary="Current provinces, with the pre-2025 provinces merged into each")
class ProvinceList(SignedInGenericAPIView, generics.ListAPIView):
    serializer_class = ProvinceSerializer
    pagination_class = None
    filter_backends: list[Any] = []
    required_scopes = {"GET": REFERENCE_SCOPES}

    def get_queryset(self) -> QuerySet[Province]:
        return Province.objects.prefetch_related("predecessors").order_by("code")


@extend_schema(tags=TAG_REFERENCE, summary="One province with its wards/communes and legacy names")
class ProvinceDetail(SignedInGenericAPIView, generics.RetrieveAPIView):
    serializer_class = ProvinceDetailSerializer
    lookup_field = "code"
    required_scopes = {"GET": REFERENCE_SCOPES}

    def get_queryset(self) -> QuerySet[Province]:
        return Province.objects.prefetch_related("predecessors", "wards")


@extend_schema(tags=TAG_REFERENCE, summary="The 63 pre-2025 provinces and the current province succeeding each")
class LegacyProvinceList(SignedInGenericAPIView, generics.ListAPIView):
    serializer_class = LegacyProvinceSerializer
    pagination_class = None
    filter_backends: list[Any] = []
    required_scopes = {"GET": REFERENCE_SCOPES}

    def get_queryset(self) -> QuerySet[LegacyProvince]:
        return LegacyProvince.objects.select_related("successor").order_by("code")


@extend_schema(tags=TAG_REFERENCE, summary="Cooperative sectors")
class SectorList(SignedInGenericAPIView, generics.ListAPIView):
    serializer_class = SectorSerializer
    pagination_class = None
    filter_backends: list[Any] = []
    required_scopes = {"GET": REFERENCE_SCOPES}

    def get_queryset(self) -> QuerySet[Sector]:
        return Sector.objects.order_by("position")


class RegistryQueryMixin(SignedInGenericAPIView):
    """The caller's cooperatives through the browser's selector and filters."""

    filter_backends: Sequence[type[BaseFilterProtocol[Cooperative]]] = [ScopedFilterBackend]
    filterset_class = ApiCooperativeFilter
    # Default order for a nightly pull: stable ids. ``?ordering=`` picks another (keyset-paged).
    ordering = ("pk",)
    allowed = {"GET": "cooperatives.view_registry"}
    required_scopes = {"GET": ApiScope.REGISTRY_READ}

    def get_queryset(self) -> QuerySet[Cooperative]:
        if getattr(self, "swagger_fake_view", False):
            return Cooperative.objects.none()
        # Archived cooperatives are excluded by the filter unless ?include_archived=true.
        return selectors.cooperative_list(user=self.request.user, include_archived=True)

    def get_filterset_extra_kwargs(self) -> dict[str, Any]:
        return {"provinces": selectors.province_list(user=self.request.user)}

    def list_version(self) -> tuple[tuple[Any, ...], datetime.datetime | None]:
        stamp, latest = selectors.registry_version()
        return (stamp, latest), latest


@extend_schema(
    tags=TAG_REGISTRY,
    summary="Cooperatives in the caller's scope",
    description=(
        "Filters as in the registry page (`q`: every word, in any order, accents ignored, on the name, code, "
        "representative and ward; province, ward, sector, "
        "status, maturity level), plus `updated_since` and `include_archived`. Keyset-paginated: follow "
        "`next`. Answers 304 to `If-None-Match` with the current ETag."
    ),
    parameters=CONDITIONAL_PARAMETERS,
    responses={200: CooperativeSerializer(many=True), 304: NOT_MODIFIED},
)
class CooperativeList(RegistryQueryMixin, ConditionalListMixin, generics.ListAPIView):
    serializer_class = CooperativeSerializer


@extend_schema(tags=TAG_REGISTRY, summary="One cooperative (404 outside the caller's scope)")
class CooperativeDetail(SignedInGenericAPIView, generics.RetrieveAPIView):
    serializer_class = CooperativeDetailSerializer
    required_scopes = {"GET": ApiScope.REGISTRY_READ}
    queryset = Cooperative.objects.none()  # for the schema; objects come from the selector

    def get_object(self) -> Cooperative:
        return selectors.cooperative_get(user=self.request.user, pk=self.kwargs["pk"])


BULK_FIELDS = (
    ("id", "pk"),
    ("code", "code"),
    ("name", "name"),
    ("province", "province__code"),
    ("province_name", "province__name"),
    ("ward", "ward__code"),
    ("ward_name", "ward__name"),
    ("sector", "sector__code"),
    ("status", "status"),
    ("members_count", "members_count"),
    ("founded_on", "founded_on"),
    ("maturity_level", "maturity_level"),
    ("is_archived", "is_archived"),
    ("address", "address"),
    ("phone", "phone"),
    ("email", "email"),
    ("representative", "representative"),
    ("website", "website"),
    ("traceability", "traceability"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
)


class CooperativeBulk(RegistryQueryMixin, generics.GenericAPIView):
    """The whole registry in the caller's scope, streamed; the list's filters apply."""

    pagination_class = None
    content_negotiation_class = JSONErrorsNegotiation
    serializer_class = CooperativeSerializer  # documents the row's fields
    fmt = "csv"

    def get(self, request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> Any:
        queryset = self.filter_queryset(self.get_queryset())
        parts, last_modified = self.list_version()
        etag = make_etag(request, *parts)
        cached = not_modified(request, etag, last_modified)
        if cached is not None:
            return cached
        if not queryset.query.order_by:
            queryset = queryset.order_by("pk")
        rows = queryset.values_list(*(path for _name, path in BULK_FIELDS)).iterator(chunk_size=CHUNK_SIZE)
        header = [name for name, _path in BULK_FIELDS]
        stamp = timezone.localdate().strftime("%Y%m%d")
        if self.fmt == "csv":
            response = csv_response(header, rows, f"coopdx-registry-{stamp}.csv")
        else:
            response = ndjson_response(header, rows, f"coopdx-registry-{stamp}.ndjson")
        return conditional_headers(response, etag, last_modified)


BULK_DESCRIPTION = (
    "Every cooperative in the caller's scope, streamed (constant memory), with the list's filters. "
    "Columns: " + ", ".join(name for name, _path in BULK_FIELDS) + ". Answers 304 to a current ETag."
)


@extend_schema_view(
    get=extend_schema(
        tags=TAG_BULK,
        summary="The registry as CSV (UTF-8 with BOM)",
        operation_id="bulk_cooperatives_csv",
        filters=True,
        description=BULK_DESCRIPTION,
        parameters=CONDITIONAL_PARAMETERS,
        responses={(200, "text/csv"): OpenApiTypes.STR, 304: NOT_MODIFIED},
    )
)
class CooperativeBulkCSV(CooperativeBulk):
    renderer_classes = [CSVRenderer]
    fmt = "csv"


@extend_schema_view(
    get=extend_schema(
        tags=TAG_BULK,
        summary="The registry as NDJSON (one JSON object per line)",
        operation_id="bulk_cooperatives_ndjson",
        filters=True,
        description=BULK_DESCRIPTION,
        parameters=CONDITIONAL_PARAMETERS,
        responses={(200, "application/x-ndjson"): OpenApiTypes.STR, 304: NOT_MODIFIED},
    )
)
class CooperativeBulkNDJSON(CooperativeBulk):
    renderer_classes = [NDJSONRenderer]
    fmt = "ndjson"
