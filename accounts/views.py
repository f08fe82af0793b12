"""API token pages: national administrators issue tokens to organisations, a ministry analyst
obtains read-only tokens for themselves; the secret is shown once; revoking."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coopdx.http import AuthenticatedHttpRequest

from . import selectors
from .api.forms import ApiTokenIssueForm, PersonalTokenForm
from .api.services import MAX_PERSONAL_TOKENS, api_token_issue, api_token_revoke
from .middleware import SESSION_KEY
from .models import Role


def _require_token_access(request: AuthenticatedHttpRequest) -> None:
    # Tokens open national data to other systems: national administrators issue them to
    # organisations; ministry analysts, the API's users, obtain read-only ones for themselves.
    if not request.user.has_perm("accounts.obtain_api_token"):
        raise PermissionDenied


def _personal(request: AuthenticatedHttpRequest) -> bool:
    return not request.user.is_national_admin


@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_token_access(request)
    return render(
        request,
        "accounts/token_list.html",
        {
            "tokens": selectors.api_token_list(user=request.user),
            "personal": _personal(request),
            "max_personal": MAX_PERSONAL_TOKENS,
        },
    )


@login_required
@never_cache
def token_issue(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_token_access(request)
    personal = _personal(request)
    form_class = PersonalTokenForm if personal else ApiTokenIssueForm
    initial = {"organisation": request.user.organisation} if personal else None
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issued = api_token_issue(
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                role=Role.MINISTRY_ANALYST if personal else form.cleaned_data["role"],
                province=None if personal else form.cleaned_data["province"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            else:
                form.add_error(None, error.messages)
        else:
            # Rendered, not redirected: the secret exists only in this one response (never_cache
            # keeps it out of caches).
            return render(
                request,
                "accounts/token_issued.html",
                {"token": issued.token, "secret": issued.secret, "api_root": request.build_absolute_uri("/api/v1/")},
            )
    return render(
        request,
        "accounts/token_form.html",
        {"form": form, "personal": personal, "max_personal": MAX_PERSONAL_TOKENS},
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_token_access(request)
    token = selectors.api_token_get(user=request.user, pk=pk)
    api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token of %(organisation)s is revoked.") % {"organisation": token.organisation})
    return redirect("accounts:tokens")


# --- Two-step verification ------------------------------------------------------------------


def _qr_data_uri(url: str) -> str:
    import base64
    import io

    from django_otp.qr import write_qrcode_image

    buffer = io.BytesIO()
    write_qrcode_image(url, buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@login_required
def two_factor_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn on (or off) the authenticator-app code asked for at each log-in."""
    from base64 import b32encode

    from django_otp import login as otp_login
    from django_otp import user_has_device

    from . import services

    enabled = user_has_device(request.user, confirmed=True)
    error = ""
    if request.method == "POST" and not enabled:
        device = services.two_factor_confirm(user=request.user, token=request.POST.get("token", ""))
        if device is not None:
            update_session_auth_hash(request, request.user)  # this session stays; the others end
            otp_login(request, device)
            request.session[SESSION_KEY] = True
            messages.success(request, _("Two-step verification is on. You will be asked for a code at each log-in."))
            return redirect("accounts:two_factor_setup")
        error = _("That code is not right. Check the time on your phone and enter the current 6-digit code.")
    device = None if enabled else services.two_factor_start(user=request.user)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "enabled": enabled,
            "error": error,
            "qr": _qr_data_uri(device.config_url) if device else "",
            "key": b32encode(device.bin_key).decode() if device else "",
        },
    )


@login_required
@require_POST
def two_factor_disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    from . import services

    if not services.two_factor_disable(user=request.user, token=request.POST.get("token", "")):
        error = _("That code is not right. Enter the current 6-digit code from your authenticator app.")
        return render(request, "accounts/two_factor_setup.html", {"enabled": True, "error": error})
    update_session_auth_hash(request, request.user)  # this session stays; the others end
    request.session[SESSION_KEY] = False
    messages.info(request, _("Two-step verification is off."))
    return redirect("accounts:two_factor_setup")


@login_required
def two_factor_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The code step after the password, for users who turned two-step verification on."""
    from django.utils.http import url_has_allowed_host_and_scheme
    from django_otp import login as otp_login
    from django_otp import match_token, user_has_device
    from django_otp.middleware import is_verified

    target = request.GET.get("next") or request.POST.get("next") or "/"
    # A path of this site only; redirect() would read anything else as a URL name to reverse.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    if is_verified(request.user) or not user_has_device(request.user, confirmed=True):
        return HttpResponseRedirect(target)
    error = ""
    if request.method == "POST":
        device = match_token(request.user, request.POST.get("token", "").strip().replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return HttpResponseRedirect(target)
        error = _("That code is not right. Enter the current 6-digit code from your authenticator app.")
    return render(request, "accounts/two_factor_verify.html", {"error": error, "next": target})
