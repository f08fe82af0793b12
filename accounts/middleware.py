"""Two-step verification: once a user has turned it on, nothing is served until the code is given."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_otp import user_has_device

ALLOWED = ("/accounts/2fa/verify/", "/accounts/logout/", "/static/", "/i18n/", "/jsi18n/", "/healthz")
# Whether the session's user has a confirmed device: looked up once per session, not per request.
SESSION_KEY = "_otp_required"


def otp_required(request: HttpRequest) -> bool:
    required = request.session.get(SESSION_KEY)
    if required is None:
        required = user_has_device(request.user, confirmed=True)
        request.session[SESSION_KEY] = required
    return bool(required)


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(ALLOWED)
            and otp_required(request)
        ):
            if request.path.startswith("/api/"):
                message = _("Two-step verification is required: enter your code in the browser first.")
                return JsonResponse(
                    {"error": {"code": "verification_required", "message": message, "fields": {}}}, status=403
                )
            return redirect(f"/accounts/2fa/verify/?next={request.get_full_path()}")
        return self.get_response(request)
