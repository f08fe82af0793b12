"""The user's notifications, their settings, and the officer's list of people not reached."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopdx.http import AuthenticatedHttpRequest

from . import selectors, services
from .backends import enabled_channels
from .forms import PreferenceForm

PAGE_SIZE = 30


def _shown(page: Page) -> Page:
    """Each notification of the page with its subject and body in the page's language."""
    language = translation.get_language() or "vi"
    for notification in page:
        notification.shown_subject, notification.shown_body = notification.in_language(language)
    return page


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": _shown(page)})


@login_required
@require_POST
def notification_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark one read, then open what it is about (or go back to the list)."""
    notification = selectors.notification_get(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    target = notification.link if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def notification_read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(by=request.user)
    return redirect("notifications:list")


@login_required
def preference_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    preference = services.preference_for(request.user)
    initial = {"email": preference.email, "zalo": preference.zalo, "language": preference.language}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.preference_save(user=request.user, by=request.user, **form.cleaned_data)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:settings")
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "channels": enabled_channels(), "user_email": request.user.email},
    )


@login_required
def unreached_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.unreached_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/unreached.html", {"page": _shown(page)})
