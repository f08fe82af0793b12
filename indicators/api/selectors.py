"""Scoped reads of the indicator snapshots for the API.

The dashboard decides scope with ``indicators.selectors.province_for`` (an officer sees their
province, and the national and sector figures for comparison); this states the same rule as
a queryset. Kept here so as not to edit the app's selectors while its owners work on them;
move into ``indicators/selectors.py`` when convenient.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from indicators import selectors
from indicators.models import IndicatorSnapshot

if TYPE_CHECKING:
    from accounts.models import User


def _scope(user: User) -> Q | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_national:
        return Q()
    if user.is_officer:
        # The nation and national sector figures have no province; the officer's own
        # province and its sectors carry the province.
        return Q(province__isnull=True) | Q(province_id=user.province_id)
    return None


def snapshot_list(*, user: User) -> QuerySet[IndicatorSnapshot]:
    """Every figure (all days, rounds and scopes) the user may see, with round, province and sector."""
    scope = _scope(user)
    if scope is None:
        return IndicatorSnapshot.objects.none()
    return selectors.snapshot_rows(queryset=IndicatorSnapshot.objects.filter(scope))


def snapshot_day(*, on: datetime.date | None = None) -> datetime.date | None:
    """The latest snapshot date, or the latest on or before ``on``."""
    return selectors.snapshot_date(on)
