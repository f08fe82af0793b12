"""Conditional requests (ETag / Last-Modified, 304) and the cache of rendered list answers.

A view states its data's version (``list_version``) in cheap reads that do not depend on the
number of rows: change stamps (``coopdx.versions``) and indexed maxima. The ETag hashes that
version with the caller (and their scope), the language and the full query string (filters,
cursor, page size), so two callers never share a validator for different bodies. ETags are
weak: the rows are the same, byte-for-byte encodings may differ (gzip).

The rendered body of a 200 answer is kept in the shared cache under the same material plus
the URL's host and the media type, for ``API_ANSWER_CACHE_SECONDS``: a repeated pull of an
unchanged page costs the version reads and one cache read, no page query and no serializer.
Any committed write to a table the answer shows changes the version (kept in the database, see
``coopdx.versions``), so a cached body is never served for newer data; the expiry only frees
the cache.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe
from rest_framework import status
from rest_framework.generics import GenericAPIView
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
            # The caller's scope: an officer moved to another province gets other rows.
            getattr(user, "role", None),
            getattr(user, "province_id", None),
            getattr(user, "cooperative_id", None),
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
    # An HTTP date counts whole seconds: a Last-Modified of the current second would also match
    # a change made later in that second, and If-Modified-Since would hide it. So it is sent
    # only once that second is over (RFC 9110, 8.8.2.2); the ETag, always sent, has no such gap.
    if last_modified is not None and int(last_modified.timestamp()) < int(time.time()):
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # Private: the body depends on who asks. no-cache: revalidate each time (cheap with 304).
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Authorization", "Cookie", "Accept-Language"))
    return response


def _answer_key(request: Request, etag: str) -> str:
    material = "|".join((etag, str(request.accepted_media_type), request.build_absolute_uri()))
    return "coopdx:api:answer:" + hashlib.sha256(material.encode("utf-8")).hexdigest()


def cached_answer(request: Request, etag: str) -> HttpResponse | None:
    """The rendered answer stored for this validator, URL and media type, if any."""
    if not settings.API_ANSWER_CACHE_SECONDS:
        return None
    stored = cache.get(_answer_key(request, etag))
    if stored is None:
        return None
    content_type, content = stored
    return HttpResponse(content, content_type=content_type)


def keep_answer(request: Request, etag: str, response: Response) -> None:
    """Store the body of a 200 answer once it is rendered."""
    if not settings.API_ANSWER_CACHE_SECONDS:
        return
    key = _answer_key(request, etag)

    def store(rendered: Any) -> None:
        if rendered.status_code == status.HTTP_200_OK:
            cache.set(key, (rendered["Content-Type"], rendered.content), settings.API_ANSWER_CACHE_SECONDS)

    response.add_post_render_callback(store)


class ConditionalListMixin(GenericAPIView):
    """``list()`` that answers 304 when the caller's copy is current, and from the answer cache.

    A view gives ``list_version() -> (parts, last_modified)``: values that change whenever its
    data changes, read without counting rows and without the query string. The validators and
    the cache key hold the whole query string, and only 200 answers are stored, so a repeated
    page builds no queryset, validates no filter and reads no row.
    """

    def list_version(self) -> tuple[tuple[Any, ...], datetime.datetime | None]:
        raise NotImplementedError

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        parts, last_modified = self.list_version()
        etag = make_etag(request, *parts)
        cached = not_modified(request, etag, last_modified)
        if cached is not None:
            return cached
        answer = cached_answer(request, etag)
        if answer is not None:
            return conditional_headers(answer, etag, last_modified)
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        response = self.get_paginated_response(serializer.data)
        keep_answer(request, etag, response)
        return conditional_headers(response, etag, last_modified)
