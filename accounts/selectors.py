"""Reads of accounts and API tokens, scoped to the user."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ApiToken, User


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """Every token for a national administrator; a ministry analyst's own tokens otherwise."""
    tokens = ApiToken.objects.select_related("province", "created_by", "revoked_by")
    if user.is_national_admin:
        return tokens
    return tokens.filter(created_by=user, personal=True)


def api_token_get(*, user: User, pk: int) -> ApiToken:
    """A token the user may see (404 otherwise, the same as a missing one)."""
    return get_object_or_404(api_token_list(user=user), pk=pk)


def api_token_active_count(*, user: User) -> int:
    from django.utils import timezone

    return ApiToken.objects.filter(
        created_by=user, personal=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).count()
