"""Streaming bulk downloads (CSV and NDJSON) for nightly pulls: constant memory, any size.

Rows are read with ``queryset.iterator(chunk_size=2000)``; CSV cells that a spreadsheet would
run as formulas are neutralised (the registry export's rule).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request

from coopdx.exports import csv_stream, neutralise

CHUNK_SIZE = 2000


class CSVRenderer(BaseRenderer):
    """Documents the bulk endpoints' media type; the body is streamed by the view itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        return b""


class NDJSONRenderer(CSVRenderer):
    media_type = "application/x-ndjson"
    format = "ndjson"


class JSONErrorsNegotiation(BaseContentNegotiation):
    """Bulk views stream their own body; anything else they answer (errors) is JSON."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = JSONRenderer()
        return renderer, renderer.media_type


def _plain(value: Any) -> Any:
    """One cell as the JSON API shows it: local ISO date-times, numbers as numbers."""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> StreamingHttpResponse:
    def lines() -> Iterator[list[Any]]:
        yield list(header)
        for row in rows:
            yield [neutralise(_plain(value)) for value in row]

    response = StreamingHttpResponse(csv_stream(lines()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def ndjson_response(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> StreamingHttpResponse:
    encoder = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":"))

    def lines() -> Iterator[str]:
        for row in rows:
            yield encoder.encode({name: _plain(value) for name, value in zip(header, row, strict=True)}) + "\n"

    response = StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
