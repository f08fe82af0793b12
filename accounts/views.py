"""API token pages of national administrators: list, issue (the secret shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .api.forms import ApiTokenIssueForm
from .api.services import api_token_issue, api_token_revoke
from .models import ApiToken
from .rules import is_national_admin


def _require_admin(request: HttpRequest) -> None:
    # Tokens open national data to other systems: national administrators only.
    if not is_national_admin(request.user):
        raise PermissionDenied


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    tokens = ApiToken.objects.select_related("province", "created_by", "revoked_by")
    return render(request, "accounts/token_list.html", {"tokens": tokens})


@login_required
@never_cache
def token_issue(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = ApiTokenIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = api_token_issue(
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                province=form.cleaned_data["province"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
            )
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            # Rendered, not redirected: the secret exists only in this one response (never_cache
            # keeps it out of caches).
            return render(
                request,
                "accounts/token_issued.html",
                {"token": issued.token, "secret": issued.secret, "api_root": request.build_absolute_uri("/api/v1/")},
            )
    return render(request, "accounts/token_form.html", {"form": form})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    token = get_object_or_404(ApiToken, pk=pk)
    api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token of %(organisation)s is revoked.") % {"organisation": token.organisation})
    return redirect("accounts:tokens")
