"""The registry filters of the browser (``CooperativeFilter``), plus what a nightly pull needs."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from coopdx.api.filters import InstantFilter
from cooperatives.filters import CooperativeFilter
from cooperatives.models import Cooperative


class ApiCooperativeFilter(CooperativeFilter):
    # Keyset pagination compares plain column values, so ?ordering=name stays in column order.
    vietnamese_name_order = False

    updated_since = InstantFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Changed since (ISO 8601 date-time, e.g. 2026-01-31T00:00:00+07:00)"),
    )
    include_archived = django_filters.BooleanFilter(
        method="filter_include_archived", label=_("Include archived cooperatives (default: false)")
    )

    class Meta(CooperativeFilter.Meta):
        fields = [*CooperativeFilter.Meta.fields, "updated_since", "include_archived"]

    def narrows_wards(self) -> bool:
        # No form is shown: the choices matter only to validate a given ward (saves a query).
        return bool(self.data and self.data.get("ward"))

    def filter_include_archived(self, queryset: QuerySet[Cooperative], name: str, value: bool) -> QuerySet[Cooperative]:
        return queryset  # applied in filter_queryset, where its default (exclude) can act

    def filter_queryset(self, queryset: QuerySet[Cooperative]) -> QuerySet[Cooperative]:
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("include_archived"):
            queryset = queryset.filter(is_archived=False)
        return queryset
