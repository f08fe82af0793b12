"""The possible duplicates page: the groups to look at, merging them, dismissing them. Thin:
``selectors`` read (in scope, 404 otherwise), ``merging`` and ``services`` write."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopdx.http import AuthenticatedHttpRequest

from . import merging, selectors, services
from .models import DuplicateDismissal

# How many groups the page lists at once; the heading says how many there are in all.
SHOWN = 100


def _ids(values: list[str]) -> list[int]:
    """Cooperative ids from a form; anything else is as missing (404)."""
    try:
        return [int(value) for value in values]
    except ValueError as error:
        raise Http404 from error


def _back(request: AuthenticatedHttpRequest) -> HttpResponse:
    province = request.POST.get("province", "")
    url = reverse("cooperatives:duplicates")
    return redirect(f"{url}?province={province}" if province.isdigit() else url)


@login_required
@permission_required("cooperatives.review_duplicates", raise_exception=True)
def duplicate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A province's possible duplicates (an officer's own; a national administrator's choice, or
    every province), each with what its cooperatives share, and the groups dismissed."""
    user = request.user
    provinces = selectors.province_list(user=user)
    code = request.GET.get("province", "")
    if code:
        province = get_object_or_404(provinces, code=code)
    elif user.is_officer:
        province = get_object_or_404(provinces, pk=user.province_id)
    else:
        province = None
    province_id = province.pk if province is not None else None
    groups = selectors.possible_duplicates(user=user, province_id=province_id)
    return render(
        request,
        "cooperatives/duplicate_list.html",
        {
            "province": province,
            "provinces": provinces if user.is_national else None,
            "groups": groups[:SHOWN],
            "groups_count": len(groups),
            "dismissals": selectors.duplicate_dismissal_list(user=user, province_id=province_id),
            "note_max_length": DuplicateDismissal.NOTE_MAX_LENGTH,
        },
    )


@login_required
@require_POST
@permission_required("cooperatives.review_duplicates", raise_exception=True)
def duplicate_merge(request: AuthenticatedHttpRequest) -> HttpResponse:
    group = selectors.duplicate_group_get(user=request.user, ids=_ids(request.POST.getlist("cooperatives")))
    keep = next((c for c in group if str(c.pk) == request.POST.get("keep")), None)
    if keep is None:
        messages.error(request, _("Choose the cooperative to keep."))
        return _back(request)
    try:
        merging.cooperatives_merge(keep=keep, merged=[c for c in group if c != keep], by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _back(request)
    messages.success(
        request,
        _("Merged into %(code)s; the other records are archived and keep their history.") % {"code": keep.code},
    )
    return redirect("cooperatives:detail", pk=keep.pk)


@login_required
@require_POST
@permission_required("cooperatives.review_duplicates", raise_exception=True)
def duplicate_dismiss(request: AuthenticatedHttpRequest) -> HttpResponse:
    group = selectors.duplicate_group_get(user=request.user, ids=_ids(request.POST.getlist("cooperatives")))
    try:
        services.duplicates_dismiss(cooperatives=group, by=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("Marked as not duplicates; the group is listed again if another cooperative joins it.")
        )
    return _back(request)


@login_required
@require_POST
@permission_required("cooperatives.review_duplicates", raise_exception=True)
def duplicate_dismissal_undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dismissal = selectors.duplicate_dismissal_get(user=request.user, pk=pk)
    services.duplicates_dismissal_undo(dismissal=dismissal, by=request.user)
    messages.success(request, _("The group is listed again."))
    return _back(request)
