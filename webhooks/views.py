"""The owner's webhook pages: list, subscribe (the secret shown once), the delivery log with its
retry button, a test event, switching off and on, removing. Thin: selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from coopdx.http import AuthenticatedHttpRequest

from . import selectors, services
from .forms import SubscriptionForm
from .signing import TOLERANCE_SECONDS


def _require(request: AuthenticatedHttpRequest) -> None:
    if not request.user.has_perm(services.MANAGE):
        raise PermissionDenied


@login_required
def subscription_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    subscriptions = selectors.subscription_list(user=request.user)
    return render(request, "webhooks/subscription_list.html", {"subscriptions": subscriptions})


@login_required
@never_cache
def subscription_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request)
    tokens = selectors.tokens_to_subscribe(user=request.user)
    form = SubscriptionForm(request.POST or None, tokens=tokens)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.subscription_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            # Rendered, not redirected: the secret exists only in this one response.
            return render(
                request,
                "webhooks/subscription_created.html",
                {
                    "subscription": made.subscription,
                    "secret": made.secret,
                    "tolerance_minutes": TOLERANCE_SECONDS // 60,
                },
            )
    return render(request, "webhooks/subscription_form.html", {"form": form, "has_tokens": tokens.exists()})


@login_required
def subscription_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    subscription = selectors.subscription_get(user=request.user, pk=pk)
    deliveries = selectors.delivery_list(subscription=subscription)
    return render(
        request, "webhooks/subscription_detail.html", {"subscription": subscription, "deliveries": deliveries}
    )


def _act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    _require(request)
    subscription = selectors.subscription_get(user=request.user, pk=pk)
    try:
        if action == "ping":
            services.subscription_ping(subscription=subscription, by=request.user)
            messages.success(request, _("A test event is on its way; its delivery is in the log below."))
        elif action == "enable":
            services.subscription_enable(subscription=subscription, by=request.user)
            messages.success(request, _("The webhook is on again."))
        elif action == "disable":
            services.subscription_disable(
                subscription=subscription, reason=_("switched off by its owner"), by=request.user
            )
            messages.success(request, _("The webhook is switched off."))
        elif action == "delete":
            services.subscription_delete(subscription=subscription, by=request.user)
            messages.success(request, _("The webhook is removed."))
            return redirect("webhooks:list")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("webhooks:detail", pk=pk)


@login_required
@require_POST
def subscription_ping(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "ping")


@login_required
@require_POST
def subscription_enable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "enable")


@login_required
@require_POST
def subscription_disable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "disable")


@login_required
@require_POST
def subscription_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "delete")


@login_required
@require_POST
def delivery_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require(request)
    delivery = selectors.delivery_get(user=request.user, pk=pk)
    try:
        services.delivery_retry(delivery=delivery, by=request.user)
        messages.success(request, _("The delivery is being sent again."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("webhooks:detail", pk=delivery.subscription_id)
