"""Vietnamese first: pages are in Vietnamese unless the user chose English with the switch.

Django's LocaleMiddleware also follows the browser's Accept-Language header, which would show
English to an officer whose office computer happens to run an English Windows. Pages follow
only the user's explicit choice (the language cookie); the API, used by machines, keeps
honouring Accept-Language.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if request.path.startswith("/api/"):
            super().process_request(request)
            return
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SessionIdleTimeoutMiddleware:
    """Log out a session left idle (shared office computers). The absolute limit is
    SESSION_COOKIE_AGE; this one is SESSION_IDLE_TIMEOUT seconds without a request."""

    KEY = "_last_activity"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        import time

        from django.contrib import messages
        from django.contrib.auth import logout
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(self.KEY, now)
            if now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, _("You were logged out after a period without activity."))
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
            # Written at most once a minute, so that browsing does not rewrite the session each time.
            if now - last >= 60 or self.KEY not in request.session:
                request.session[self.KEY] = now
        return self.get_response(request)


class HealthProbeMiddleware:
    """Answers ``/healthz`` before the session, authentication and the rest are consulted: a probe
    that carries a cookie (a browser, a monitoring tool replaying one) must not need the database
    to say that the database is down. Placed right after Django's SecurityMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path == "/healthz":
            from .views import healthz

            return healthz(request)
        return self.get_response(request)


class NulInQueryMiddleware:
    """A NUL character in the query string is refused with 400 before any view reads it.

    No link or form of the site produces one, and PostgreSQL refuses it in any text (a filter
    reading ``?province=%00`` would otherwise end in a 500). Pages get a page in the user's
    language; the API its error shape. Bodies are checked where they are read: Django's form
    fields and DRF's serializer fields refuse NUL characters themselves.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        refused = [
            key for key, values in request.GET.lists() if "\x00" in key or any("\x00" in value for value in values)
        ]
        if refused:
            from django.utils.translation import gettext as _

            from coopdx.errors import bad_request_response

            message = _("The address contains a control character (NUL) and cannot be read.")
            fields = {key.replace("\x00", "\\x00"): [message] for key in refused}
            return bad_request_response(request, message, code="invalid_query", fields=fields)
        return self.get_response(request)
