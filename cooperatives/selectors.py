"""Reads of the registry, always scoped to what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from .models import Cooperative, CooperativeStatus, Province, Sector

if TYPE_CHECKING:
    from accounts.models import User


def cooperative_list(*, user: User, include_archived: bool = False) -> QuerySet[Cooperative]:
    """Cooperatives the user may see, with their province, ward and sector joined."""
    queryset = Cooperative.objects.visible_to(user).select_related("province", "ward", "sector")
    if not include_archived:
        queryset = queryset.filter(is_archived=False)
    return queryset


def cooperative_get(*, user: User, pk: int) -> Cooperative:
    """One cooperative; 404 when it does not exist or lies outside the user's scope."""
    return get_object_or_404(cooperative_list(user=user, include_archived=True), pk=pk)


def province_list(*, user: User) -> QuerySet[Province]:
    """Provinces the user works with: all for national roles, their own otherwise."""
    if user.is_national:
        return Province.objects.all()
    if user.is_officer:
        return Province.objects.filter(pk=user.province_id)
    if user.is_member and user.cooperative_id:
        return Province.objects.filter(cooperatives__pk=user.cooperative_id)
    return Province.objects.none()


def registry_summary(*, user: User) -> dict[str, object]:
    """Counts of the user's cooperatives: total, active, and per sector (one query each)."""
    cooperatives = cooperative_list(user=user)
    totals = cooperatives.aggregate(
        total=Count("pk", distinct=True),
        active=Count("pk", filter=Q(status=CooperativeStatus.ACTIVE), distinct=True),
        with_ocop=Count("pk", filter=Q(ocop_products__isnull=False), distinct=True),
    )
    per_sector = (
        Sector.objects.annotate(
            cooperatives_count=Count("cooperatives", filter=Q(cooperatives__in=cooperatives.values("pk")))
        )
        .order_by("position")
        .values("code", "name", "name_en", "cooperatives_count")
    )
    return {"totals": totals, "per_sector": list(per_sector)}


def province_overview(*, user: User) -> QuerySet[Province]:
    """Provinces in the user's scope annotated with their active cooperative counts."""
    return province_list(user=user).annotate(
        cooperatives_count=Count(
            "cooperatives",
            filter=Q(cooperatives__is_archived=False, cooperatives__status=CooperativeStatus.ACTIVE),
        )
    )
