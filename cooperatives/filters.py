"""Filters of the registry list, shared by the browser page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Cooperative, CooperativeStatus, Province, Sector, Ward
from .text import search_terms


class CooperativeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Name, code, representative or ward"))
    province = django_filters.ModelChoiceFilter(
        queryset=Province.objects.all(), to_field_name="code", label=_("Province")
    )
    ward = django_filters.ModelChoiceFilter(queryset=Ward.objects.none(), to_field_name="code", label=_("Ward/commune"))
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), to_field_name="code", label=_("Sector"))
    status = django_filters.ChoiceFilter(choices=CooperativeStatus.choices, label=_("Status"))
    maturity_level = django_filters.NumberFilter(label=_("Maturity level"), min_value=0, max_value=5)
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("code", "code"),
            ("members_count", "members"),
            ("founded_on", "founded"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("Name"),
            "code": _("Code"),
            "members_count": _("Members"),
            "founded_on": _("Founding date"),
            "updated_at": _("Last change"),
        },
        label=_("Sort by"),
        # The blank choice: a search lists the closest matches first (``selectors.cooperative_search_ranked``),
        # otherwise the default order, name A→Z. A choice made here overrides the ranking.
        empty_label=_("Best match"),
    )

    class Meta:
        model = Cooperative
        fields = ["q", "province", "ward", "sector", "status", "maturity_level"]

    def __init__(self, *args: object, provinces: QuerySet[Province] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if provinces is not None:
            self.filters["province"].queryset = provinces
        # Wards are offered once a province is chosen (3,321 options would be useless).
        province_code = self.data.get("province") if self.data else None
        if province_code:
            self.filters["ward"].queryset = Ward.objects.filter(province__code=province_code)
        elif provinces is not None and self.narrows_wards() and provinces.count() == 1:
            self.filters["ward"].queryset = Ward.objects.filter(province__in=provinces)

    def narrows_wards(self) -> bool:
        """Whether the ward choices matter for this request: the page always lists them."""
        return True

    def filter_search(self, queryset: QuerySet[Cooperative], name: str, value: str) -> QuerySet[Cooperative]:
        """Every word of the query begins a word somewhere in the name, code, representative or
        ward, in any order (see ``text.search_terms``). Ranking is the page's (``selectors``)."""
        for term in search_terms(value):
            queryset = queryset.filter(search_text__contains=f" {term}")
        return queryset
