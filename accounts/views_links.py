"""Sign-in by a one-time link (``accounts.signin_links``): asking for one, and using it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from coopdx.http import client_ip

from .signin_links import signin_link_find, signin_link_request, signin_link_use


class LinkRequestForm(forms.Form):
    identifier = forms.CharField(
        label=_("User name or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )


@never_cache
def link_request(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("/")
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signin_link_request(identifier=form.cleaned_data["identifier"], ip=client_ip(request))
        # The same page whether or not a link went out: it does not tell who has an account.
        return render(request, "accounts/link_sent.html", {"minutes": settings.SIGNIN_LINK_MINUTES})
    return render(request, "accounts/link_request.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def link_signin(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link shows a button (a mail scanner following links does not use it up);
    pressing it signs in, once."""
    if request.method == "POST":
        user = signin_link_use(token=token, ip=client_ip(request))
        if user is not None:
            login(request, user, backend="accounts.backends.UserBackend")
            return redirect("/")
    elif signin_link_find(token) is not None:
        return render(request, "accounts/link_signin.html")
    return render(request, "accounts/link_invalid.html", status=410)
