"""Every API error in one JSON shape, with a machine code and a message in the request's language:

    {"error": {"code": "not_found", "message": "Không tìm thấy.", "fields": {}}}

``fields`` maps a field (dotted for nested ones, e.g. ``answers.Q1_3``) to its messages.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from coopdx.errors import EditConflict

logger = logging.getLogger("coopdx.api")


class Conflict(exceptions.APIException):
    """The object changed since the caller read it (a stale revision)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The object was changed by someone else; read it again.")
    default_code = "conflict"


def _flatten(detail: Any, prefix: str, into: dict[str, list[str]]) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            _flatten(value, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        for index, item in enumerate(detail):
            _flatten(item, f"{prefix}.{index}" if prefix else str(index), into)
    else:
        items = detail if isinstance(detail, list) else [detail]
        into.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).extend(str(item) for item in items)


def _codes(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [code for value in detail.values() for code in _codes(value)]
    if isinstance(detail, list):
        return [code for item in detail for code in _codes(item)]
    return [getattr(detail, "code", None) or "invalid"]


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    fields: dict[str, list[str]] = {}
    _flatten(exc.detail, "", fields)
    general = fields.pop(api_settings.NON_FIELD_ERRORS_KEY, [])
    codes = _codes(exc.detail)
    # A rule of a service refusing the whole request (e.g. "incomplete") keeps its own code.
    code = codes[0] if general and not fields and len(set(codes)) == 1 and codes[0] != "invalid" else "invalid"
    message = " ".join(general) if general else _("Some fields are invalid.")
    return error_body(code, message, fields)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, EditConflict):
        exc = Conflict(" ".join(exc.messages))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(get_error_detail(exc))
    elif isinstance(exc, Http404):
        # The same words for "missing" and "outside your scope", whatever the model.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied) and not exc.args:
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):
        # Too many files or fields in one body, and the like: the request's fault, not a bug.
        from coopdx.errors import bad_request_message

        exc = exceptions.ParseError(bad_request_message(exc), code="bad_request")
    response = drf_exception_handler(exc, context)
    if response is None:
        # A bug: keep Django's error reporting (the signal, the log), answer in the API's shape.
        logger.error("Unhandled error in the API", exc_info=exc)
        request = context.get("request")
        got_request_exception.send(sender=None, request=getattr(request, "_request", request))
        return Response(error_body("server_error", _("A server error occurred.")), status=500)
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    else:
        detail = getattr(exc, "detail", "")
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        code = codes if isinstance(codes, str) else getattr(exc, "default_code", "error")
        response.data = error_body(code, str(detail))
    return response


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown addresses under /api/v1/ answer in the API's shape, not with an HTML page."""
    return JsonResponse(
        error_body("not_found", str(exceptions.NotFound.default_detail)),
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
