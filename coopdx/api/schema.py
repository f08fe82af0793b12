"""OpenAPI: the error shape, and error responses documented on every operation.

``ApiAutoSchema`` adds the errors an operation can answer with, so no operation can forget
them: 401/403/429 everywhere (except the public schema views), 404 where the path names an
object, 400 where the caller sends query parameters or a body. Views add 409 (or anything
else) with ``extend_schema(responses=...)``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction, OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable machine code, e.g. not_found, invalid, conflict.")
    message = serializers.CharField(help_text="A message in the request's language (Accept-Language: vi or en).")

    def get_fields(self) -> dict[str, serializers.Field]:
        # Added here, not declared: a "fields" attribute would hide Serializer.fields from readers.
        fields = super().get_fields()
        fields["fields"] = serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Messages per invalid field; nested fields are dotted (answers.Q1).",
        )
        return fields


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


ERROR_DESCRIPTIONS = {
    400: "Invalid parameters or body (see error.fields).",
    401: "Not authenticated, or the token is unknown, expired or revoked.",
    403: "The role or the token's scopes do not allow this operation.",
    404: "Not found, or outside the caller's scope (the same answer).",
    409: "Conflict: the object changed since it was read (stale revision).",
    429: "Too many requests: slow down (see Retry-After).",
}


def error_response(code: int) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=ERROR_DESCRIPTIONS[code])


CONDITIONAL_PARAMETERS = [
    OpenApiParameter(
        "If-None-Match",
        str,
        OpenApiParameter.HEADER,
        required=False,
        description="The ETag of the copy you hold: answered with 304 when it is still current.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        str,
        OpenApiParameter.HEADER,
        required=False,
        description="An HTTP date: answered with 304 when nothing changed since (prefer If-None-Match).",
    ),
]
NOT_MODIFIED = OpenApiResponse(description="Not modified: your copy (ETag / Last-Modified) is current.")


class ApiAutoSchema(AutoSchema):
    def _error_codes(self) -> list[int]:
        view = self.view
        if getattr(view, "public_schema", False):
            return [429]
        codes = [401, 403, 429]
        if "{" in self.path:
            codes.append(404)
        has_query = bool(self._get_filter_parameters() or self._get_pagination_parameters()) or any(
            p and p.get("in") == "query" for p in self._process_override_parameters().values()
        )
        if has_query or self.method in ("POST", "PUT", "PATCH"):
            codes.append(400)
        return sorted(codes)

    def _get_response_bodies(self, direction: Direction = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    error_response(code), str(code), media_types=["application/json"], direction=direction
                )
        return responses
