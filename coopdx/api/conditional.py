"""Conditional requests: ETag / Last-Modified validators and 304 answers.

The validators are computed from the *scoped, filtered* queryset before the page is read
(one aggregate query), so an unchanged list costs one cheap query and no body. The ETag also
depends on the caller, the language and the full query string (filters, cursor, page size),
so two callers never share a validator for different bodies. ETags are weak: the rows are
the same, byte-for-byte encodings may differ (gzip).
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

# Bump when the representation changes, so that clients do not keep an old body.
REPRESENTATION_VERSION = "1"


def make_etag(request: Request, *parts: Any) -> str:
    user = request.user
    material = "|".join(
        str(p)
        for p in (
            REPRESENTATION_VERSION,
            getattr(user, "pk", None),
            translation.get_language(),
            request.get_full_path(),
            *parts,
        )
    )
    return f'W/"{hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]}"'


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def not_modified(request: Request, etag: str, last_modified: datetime.datetime | None) -> Response | None:
    """A 304 answer when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match:
        tags = parse_etags(if_none_match)
        if "*" in tags or _opaque(etag) in {_opaque(t) for t in tags}:
            return conditional_headers(Response(status=status.HTTP_304_NOT_MODIFIED), etag, last_modified)
        return None
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and last_modified is not None and int(last_modified.timestamp()) <= since:
        return conditional_headers(Response(status=status.HTTP_304_NOT_MODIFIED), etag, last_modified)
    return None


def conditional_headers(response: Any, etag: str, last_modified: datetime.datetime | None) -> Any:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # Private: the body depends on who asks. no-cache: revalidate each time (cheap with 304).
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Authorization", "Cookie", "Accept-Language"))
    return response


class ConditionalListMixin:
    """``list()`` that answers 304 when the caller's copy is current.

    A view gives ``list_version(queryset) -> (parts, last_modified)``: values that change
    whenever the rows of the (scoped, filtered) queryset change, read in one query.
    """

    def list_version(self, queryset: Any) -> tuple[tuple[Any, ...], datetime.datetime | None]:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        parts, last_modified = self.list_version(queryset)
        etag = make_etag(request, *parts)
        cached = not_modified(request, etag, last_modified)
        if cached is not None:
            return cached
        page = self.paginate_queryset(queryset)  # type: ignore[attr-defined]
        serializer = self.get_serializer(page, many=True)  # type: ignore[attr-defined]
        response = self.get_paginated_response(serializer.data)  # type: ignore[attr-defined]
        return conditional_headers(response, etag, last_modified)
