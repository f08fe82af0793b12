"""Error pages: 403, 404 and the CSRF failure in the site's layout and the user's language.

The 500 page is Django's own handler with ``templates/500.html``, which takes nothing from the
request (no user, no navigation, no database), so that it still renders when those are what failed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


class EditConflict(ValidationError):
    """A write refused because its object changed since the form was opened (another tab,
    another person). Apps raise their own subclass; the API answers it with 409 Conflict."""


def _back_url(request: HttpRequest) -> str:
    """The page the user came from, on this site only (never a link to somewhere else)."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    parts = urlsplit(referer)
    path = parts.path or "/"
    if path == request.path:
        return ""
    return f"{path}?{parts.query}" if parts.query else path


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        from coopdx.api.exceptions import error_body

        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return render(request, "404.html", {"back_url": _back_url(request)}, status=404)


def bad_request_message(exception: Exception | None) -> str:
    """What to tell the user of a request Django refused as malformed (``SuspiciousOperation``)."""
    from django.conf import settings
    from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent

    if isinstance(exception, TooManyFilesSent):
        return _("Too many files were sent at once (at most %(limit)s).") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FILES
        }
    if isinstance(exception, TooManyFieldsSent):
        return _("Too many fields were sent at once (at most %(limit)s).") % {
            "limit": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        }
    return _("The request could not be read. Go back and try again from the page's own links and forms.")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return bad_request_response(request, bad_request_message(exception))


def bad_request_response(
    request: HttpRequest, message: str, *, code: str = "bad_request", fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    """400 with ``message``: in the API's error shape under /api/, else a page in the site's layout."""
    if request.path.startswith("/api/"):
        from coopdx.api.exceptions import error_body

        return JsonResponse(error_body(code, message, fields), status=400)
    context = {"message": message, "back_url": _back_url(request)}
    return render(request, "errors/bad_request.html", context, status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", {"back_url": _back_url(request)}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # A form that was open too long (or sent from another session): say so, and offer to reload it.
    return render(request, "403_csrf.html", {"back_url": _back_url(request)}, status=403)


def invalid_filters(request: HttpRequest, form: Form, *, list_url: str) -> HttpResponse:
    """400 for a download whose filters do not read (a province that does not exist, a date that
    is not one): the filter, the value given and why, instead of a file of the whole scope; the way
    back leads to the page the user came from, or else to the list the download belongs to."""
    problems = [
        {
            "label": form[name].label if name in form.fields else name,
            "value": form.data.get(name, ""),
            "messages": messages,
        }
        for name, messages in form.errors.items()
    ]
    return render(
        request,
        "errors/invalid_filters.html",
        {"problems": problems, "back_url": _back_url(request) or list_url},
        status=400,
    )
