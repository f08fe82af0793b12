"""Filters of the responses list (applied to the caller's scoped responses)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from coopdx.api.filters import InstantFilter
from surveys.models import Response, ResponseStatus

MAX_ID = 2**63 - 1


class ResponseFilter(django_filters.FilterSet):
    round = django_filters.CharFilter(field_name="round__code", label=_("Round code"))
    cooperative = django_filters.NumberFilter(
        field_name="cooperative_id", min_value=1, max_value=MAX_ID, label=_("Cooperative id")
    )
    province = django_filters.CharFilter(field_name="cooperative__province__code", label=_("Province code"))
    status = django_filters.ChoiceFilter(choices=ResponseStatus.choices, label=_("Status"))
    updated_since = InstantFilter(
        field_name="updated_at", lookup_expr="gte", label=_("Changed since (ISO 8601 date-time)")
    )

    class Meta:
        model = Response
        fields = ["round", "cooperative", "province", "status", "updated_since"]
