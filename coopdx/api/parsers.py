"""The API's JSON reader: DRF's, bounded in size and depth.

DRF reads a JSON body from the request stream without Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``
check, and Python's decoder raises ``RecursionError`` on deeply nested arrays: both would be a
server error or a memory spike. A body over ``API_MAX_JSON_BYTES`` is 413, one nested too deeply
400, both in the API's error shape. The largest body a client needs (every answer of a
self-assessment) is a few kilobytes.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class BoundedJSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        limit = settings.API_MAX_JSON_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and str(declared).isdigit() and int(declared) > limit:
            raise BodyTooLarge
        if stream is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise BodyTooLarge
            stream = io.BytesIO(body)
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError(_("The JSON body is nested too deeply.")) from error
