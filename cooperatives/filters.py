"""Filters of the registry list, shared by the browser page and the API."""

from __future__ import annotations

import django_filters
from django.db.models import OrderBy, QuerySet
from django.utils.translation import gettext_lazy as _

from coopdx.collation import vietnamese

from .models import Cooperative, CooperativeStatus, Province, Sector, Ward
from .text import search_terms


class RegistryOrderingFilter(django_filters.OrderingFilter):
    """Sorting by name follows Vietnamese alphabetical order (``collation``) where the filter
    set asks for it; the API's keyset pagination needs plain columns and keeps byte order."""

    def get_ordering_value(self, param: str) -> str | OrderBy:
        value = super().get_ordering_value(param)
        if value.lstrip("-") == "name" and getattr(self.parent, "vietnamese_name_order", False):
            return vietnamese("name").desc() if value.startswith("-") else vietnamese("name").asc()
        return value


class CooperativeFilter(django_filters.FilterSet):
    vietnamese_name_order = True

    q = django_filters.CharFilter(method="filter_search", label=_("Name, code, representative or ward"))
    province = django_filters.ModelChoiceFilter(
        queryset=Province.objects.all(), to_field_name="code", label=_("Province"), empty_label=_("All provinces")
    )
    ward = django_filters.ModelChoiceFilter(
        queryset=Ward.objects.none(), to_field_name="code", label=_("Ward/commune"), empty_label=_("All wards/communes")
    )
    sector = django_filters.ModelChoiceFilter(
        queryset=Sector.objects.all(), to_field_name="code", label=_("Sector"), empty_label=_("All sectors")
    )
    status = django_filters.ChoiceFilter(
        choices=CooperativeStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    maturity_level = django_filters.NumberFilter(label=_("Maturity level"), min_value=0, max_value=5)
    # Each direction says what comes first, in words that read well in both languages
    # (django-filter's own "%s (descending)" is not translated into Vietnamese).
    ordering = RegistryOrderingFilter(
        fields=(
            ("name", "name"),
            ("code", "code"),
            ("members_count", "members"),
            ("founded_on", "founded"),
            ("updated_at", "updated"),
        ),
        field_labels={
            "name": _("Name (A→Z)"),
            "-name": _("Name (Z→A)"),
            "code": _("Code (0→9)"),
            "-code": _("Code (9→0)"),
            "members_count": _("Members (fewest first)"),
            "-members": _("Members (most first)"),
            "founded_on": _("Founding date (oldest first)"),
            "-founded": _("Founding date (newest first)"),
            "updated_at": _("Last change (oldest first)"),
            "-updated": _("Last change (newest first)"),
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
        super().__init__(*args, **kwargs)
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
