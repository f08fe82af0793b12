"""Reads of directives, documents, tasks and reports, always scoped to what the user may see.

Scope (``scope``): national roles see everything. A provincial officer sees national documents
(issued by a body with no province) and their own province's, and of their tasks those with no
province or with their own; anything else is 404, like a missing object. Agency accounts read as
national roles do, and report only on their agency's tasks (``task_get_to_report``: 404 for the
others). Members see nothing.

By sub-domain: ``agencies`` (successor chains, the agencies a user may pick), ``scope``
(documents and provinces), ``task_status`` (a task's status in the database and by the pure
rule), ``tasks`` (the board, one task, reports, evidence), ``summaries`` (completion and totals).
Callers import from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .agencies import (
    agencies_for_officer_documents,
    agency_choices,
    agency_current,
    agency_current_map,
    agency_lineage_ids,
    task_agency_role,
    user_agency_ids,
)
from .scope import document_get, document_list, province_list
from .summaries import (
    NO_TASKS,
    AgencyRate,
    agency_completion,
    attach_current_agencies,
    document_completion,
    status_totals,
)
from .task_status import (
    TaskStatusFields,
    due_soon_or_overdue,
    report_facts,
    task_assessment,
    task_status_annotations,
    with_status,
)
from .tasks import (
    TaskBoardFields,
    agency_cooperating_filter,
    agency_lead_filter,
    evidence_get,
    report_list,
    task_get,
    task_get_to_report,
    task_list,
    task_list_to_report,
    task_reports,
)

if TYPE_CHECKING:
    # Annotated task types, for callers' type hints only.
    from .task_status import StatusTask as StatusTask
    from .tasks import BoardTask as BoardTask

__all__ = [
    "AgencyRate",
    "TaskBoardFields",
    "TaskStatusFields",
    "agencies_for_officer_documents",
    "agency_cooperating_filter",
    "agency_lead_filter",
    "agency_choices",
    "agency_completion",
    "agency_current",
    "agency_current_map",
    "agency_lineage_ids",
    "attach_current_agencies",
    "document_completion",
    "due_soon_or_overdue",
    "NO_TASKS",
    "document_get",
    "document_list",
    "evidence_get",
    "province_list",
    "report_facts",
    "report_list",
    "status_totals",
    "task_assessment",
    "task_get",
    "task_agency_role",
    "task_get_to_report",
    "task_list",
    "task_list_to_report",
    "task_reports",
    "task_status_annotations",
    "user_agency_ids",
    "with_status",
]
