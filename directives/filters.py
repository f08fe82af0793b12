"""Filters of the task board, applied to tasks already scoped and annotated with their status."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Province

from .models import Agency, DirectiveTask, Document
from .selectors import agency_cooperating_filter, agency_lead_filter, agency_lineage_ids
from .status import TaskStatus

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class TaskKind:
    DEADLINE = "deadline"
    RECURRING = "recurring"
    choices = [(DEADLINE, _("With a deadline")), (RECURRING, _("Recurring"))]


class MyAgency:
    """The board's sections for an agency account: the tasks it leads, those it co-operates on."""

    LEAD = "lead"
    COOPERATING = "cooperating"
    choices = [(LEAD, _("Tasks of my agency")), (COOPERATING, _("Tasks where my agency co-operates"))]


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y")


class TaskBoardFilter(django_filters.FilterSet):
    document = django_filters.ModelChoiceFilter(
        queryset=Document.objects.none(), label=_("Document"), empty_label=_("All documents")
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=Agency.objects.none(),
        method="filter_agency",
        label=_("Responsible agency"),
        to_field_name="code",
        empty_label=_("All agencies"),
    )
    province = django_filters.ModelChoiceFilter(
        queryset=Province.objects.none(), to_field_name="code", label=_("Province"), empty_label=_("All provinces")
    )
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"), empty_label=_("All statuses"))
    kind = django_filters.ChoiceFilter(
        choices=TaskKind.choices, method="filter_kind", label=_("Kind"), empty_label=_("All kinds")
    )
    mine = django_filters.ChoiceFilter(
        choices=MyAgency.choices, method="filter_mine", label=_("My agency"), empty_label=_("All tasks")
    )
    due_from = django_filters.DateFilter(
        field_name="due_on",
        lookup_expr="gte",
        label=_("Due from"),
        input_formats=DATE_INPUT_FORMATS,
        widget=_date_widget(),
    )
    due_to = django_filters.DateFilter(
        field_name="due_on",
        lookup_expr="lte",
        label=_("Due until"),
        input_formats=DATE_INPUT_FORMATS,
        widget=_date_widget(),
    )

    class Meta:
        model = DirectiveTask
        fields = ["document", "agency", "province", "status", "kind", "mine", "due_from", "due_to"]

    def __init__(
        self,
        *args: Any,
        documents: QuerySet[Document],
        agencies: QuerySet[Agency],
        provinces: QuerySet[Province],
        agency_ids: set[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # "My agency" is offered to agency accounts only: the agency and those dissolved into it.
        self.agency_ids = agency_ids or set()
        if not self.agency_ids:
            del self.filters["mine"]
        for name, queryset in (("document", documents), ("agency", agencies), ("province", provinces)):
            choice = self.filters[name]
            assert isinstance(choice, django_filters.ModelChoiceFilter)
            choice.queryset = queryset

    def filter_agency(self, queryset: QuerySet[DirectiveTask], name: str, value: Agency) -> QuerySet[DirectiveTask]:
        """Tasks the agency answers for today: its own and those of the agencies it succeeded."""
        if not value:
            return queryset
        return queryset.filter(lead_agency_id__in=agency_lineage_ids(value.pk))

    def filter_mine(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        if value == MyAgency.LEAD:
            return queryset.filter(agency_lead_filter(self.agency_ids))
        if value == MyAgency.COOPERATING:
            return queryset.filter(agency_cooperating_filter(self.agency_ids))
        return queryset

    def filter_kind(self, queryset: QuerySet[DirectiveTask], name: str, value: str) -> QuerySet[DirectiveTask]:
        if value == TaskKind.DEADLINE:
            return queryset.filter(reporting_period="")
        if value == TaskKind.RECURRING:
            return queryset.exclude(reporting_period="")
        return queryset
