"""The site as an installable, offline-capable web app: the manifest and the service worker.

The service worker's code is ``static/js/service-worker.js``; this view serves it from the site's
root (its scope must cover the form pages) with its configuration in front: the static files it
keeps (by their deployed, hashed names), a cache version that changes with their content, and
the URLs at which it forgets the pages it kept (logging in and out). Which pages it keeps is the
pages' own choice: a page it may keep says so in its headers (``offline_page_headers``), with the
key of its user, so that one user's pages are never shown to another. ``docs/offline.md`` tells
the whole story.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import TYPE_CHECKING

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

SERVICE_WORKER = "js/service-worker.js"
# What a form page needs to open and work without a connection (the base template's files).
OFFLINE_ASSETS = (
    "vendor/bootstrap/bootstrap.min.css",
    "css/coopdx.css",
    "css/high-contrast.css",
    "js/display.js",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/coopdx.js",
    "js/offline-form.js",
    "js/skip-logic.js",
    "img/favicon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
)
USER_HEADER = "X-Offline-User"
PAGE_HEADER = "X-Offline-Page"
REVISION_HEADER = "X-Offline-Revision"


def _source(path: str) -> bytes:
    found = finders.find(path)
    if not found or isinstance(found, list):
        raise FileNotFoundError(path)
    with open(found, "rb") as file:
        return file.read()


@cache
def cache_version() -> str:
    """A digest of the kept files and of the worker itself: a deploy that changes any of them
    gives a new version, and the browser replaces the worker and its cache of static files."""
    digest = hashlib.sha256()
    for path in (SERVICE_WORKER, *OFFLINE_ASSETS):
        digest.update(path.encode())
        digest.update(_source(path))
    return digest.hexdigest()[:16]


def user_key(user: User | AnonymousUser) -> str:
    """Who a kept page belongs to, without saying who it is (empty for a visitor)."""
    if not user.is_authenticated:
        return ""
    return salted_hmac("coopdx.pwa.user", str(user.pk), algorithm="sha256").hexdigest()[:20]


def offline_page_headers(response: HttpResponse, *, request: HttpRequest, key: str, revision: int) -> HttpResponse:
    """Let the service worker keep this page (``key`` groups the pages of one self-assessment;
    ``revision`` tells it whether its copy is still current)."""
    response[PAGE_HEADER] = key
    response[USER_HEADER] = user_key(request.user)
    response[REVISION_HEADER] = str(revision)
    return response


@require_safe
@cache_control(no_cache=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    config = {
        "version": cache_version(),
        "assets": [static(path) for path in OFFLINE_ASSETS],
        "forget": [reverse("accounts:login"), reverse("accounts:logout")],
        # Only the pages of a self-assessment being filled in are ever kept, and only those that
        # say so in their headers; the worker leaves every other page to the network.
        "pagePrefix": reverse("surveys:home") + "responses/",
        "headers": {"user": USER_HEADER, "page": PAGE_HEADER, "revision": REVISION_HEADER},
    }
    body = f"self.COOPDX = {json.dumps(config)};\n".encode() + _source(SERVICE_WORKER)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
@cache_control(max_age=86400)
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest; the names are Vietnamese, the site's first language."""
    body = {
        "name": "CoopDX – Chuyển đổi số hợp tác xã",
        "short_name": "CoopDX",
        "description": "Tự đánh giá chuyển đổi số của hợp tác xã, cả khi mất mạng.",
        "lang": "vi",
        "dir": "ltr",
        "start_url": reverse("surveys:home"),
        "scope": "/",
        "id": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5d3b",
        "icons": [
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response
