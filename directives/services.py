"""Writes of directive tracking. Pages, the admin and the seed all come through here.

Permissions are asked of ``directives/rules.py``; scoping of what may be seen is the
selectors'. Reports are only ever added: there is no update or delete path for them.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from coopdx.history import record_by

from . import files as file_rules
from . import status as status_rules
from .models import Agency, DirectiveTask, Document, EvidenceFile, TaskReport
from .selectors import agency_current
from .webhook_events import report_posted

if TYPE_CHECKING:
    from accounts.models import User

AGENCY_FIELDS = (
    "code",
    "name",
    "short_name",
    "kind",
    "province",
    "legacy_province",
    "successor",
    "dissolved_on",
    "email",
)
DOCUMENT_FIELDS = (
    "code",
    "number",
    "kind",
    "title",
    "issuing_agency",
    "issued_on",
    "parent",
    "summary",
    "reporting_rule",
    "report_due_days",
)
TASK_FIELDS = (
    "code",
    "clause",
    "content",
    "lead_agency",
    "province",
    "starts_on",
    "deadline",
    "reporting_period",
    "indicator_codes",
    "note",
)


def _require(user: User, perm: str, obj: Model | None = None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied(_("You may not do this here."))


def _only(fields: dict[str, Any], allowed: Sequence[str]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    return fields


@transaction.atomic
def agency_save(*, by: User, agency: Agency | None = None, **fields: Any) -> Agency:
    """Create or change an agency (national administrators only); the change is kept in history.

    Recording a successor is how a reorganisation is entered: the dissolved agency's tasks keep
    it as their lead agency and show under the successor from then on.
    """
    if not by.is_national_admin:
        raise PermissionDenied(_("Only national administrators manage agencies."))
    agency = agency or Agency()
    for name, value in _only(fields, AGENCY_FIELDS).items():
        setattr(agency, name, value)
    agency.full_clean()
    record_by(agency, by)
    agency.save()
    return agency


def _attach_document_file(document: Document, uploaded: UploadedFile | None) -> None:
    if uploaded is None:
        return
    try:
        checked = file_rules.check_upload(uploaded)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document.file_name = checked.name[:255]
    document.file.save(checked.name, uploaded, save=False)


def _check_document_scope(document: Document, by: User) -> None:
    if by.is_officer and document.issuing_agency_id:
        if document.issuing_agency.province_id != by.province_id:
            raise ValidationError({"issuing_agency": _("Choose your province's People's Committee or department.")})
        parent_province = document.parent.issuing_agency.province_id if document.parent is not None else None
        if parent_province not in (None, by.province_id):
            raise ValidationError({"parent": _("Choose a national document or one of your province.")})
    _require(by, "directives.change_document", document)


@transaction.atomic
def document_create(*, by: User, file: UploadedFile | None = None, **fields: Any) -> Document:
    """Record a document. An officer records documents of their own province's bodies."""
    _require(by, "directives.add_document")
    document = Document(**_only(fields, DOCUMENT_FIELDS))
    _check_document_scope(document, by)
    document.full_clean(exclude=["file"])
    _attach_document_file(document, file)
    record_by(document, by)
    document.save()
    return document


@transaction.atomic
def document_update(*, document: Document, by: User, file: UploadedFile | None = None, **fields: Any) -> Document:
    """Change a document's details; the change is kept in its history. Its periods' rule stays
    once a report was given for one of them (the report would name a period the rule lacks)."""
    _require(by, "directives.change_document", document)
    rule_before = Document.objects.filter(pk=document.pk).values_list("reporting_rule", flat=True).first()
    for name, value in _only(fields, DOCUMENT_FIELDS).items():
        setattr(document, name, value)
    reported = TaskReport.objects.filter(task__document=document, period_start__isnull=False)
    if document.reporting_rule != rule_before and reported.exists():
        message = _("Reports were already given for this document's periods; its reporting periods cannot change.")
        raise ValidationError({"reporting_rule": message})
    _check_document_scope(document, by)
    document.full_clean(exclude=["file"])
    _attach_document_file(document, file)
    record_by(document, by)
    document.save()
    return document


def _prepare_task(task: DirectiveTask, by: User) -> None:
    lead = task.lead_agency if task.lead_agency_id else None
    if lead is not None and lead.province_id:
        # A provincial body's task belongs to its province.
        task.province_id = lead.province_id
    if by.is_officer:
        if lead is not None and lead.province_id != by.province_id:
            raise ValidationError({"lead_agency": _("Choose your province's People's Committee or department.")})
        task.province_id = by.province_id
    document_province = task.document.issuing_agency.province_id if task.document_id else None
    if document_province and task.province_id != document_province:
        raise ValidationError({"province": _("A provincial document's tasks belong to that province.")})
    if task.indicator_codes is None:
        task.indicator_codes = []


@transaction.atomic
def task_create(
    *, by: User, document: Document, cooperating_agencies: Iterable[Agency] = (), **fields: Any
) -> DirectiveTask:
    """Give an agency a task under a document. An officer's task always lands in their province."""
    _require(by, "directives.add_task")
    task = DirectiveTask(document=document, **_only(fields, TASK_FIELDS))
    _prepare_task(task, by)
    _require(by, "directives.change_task", task)
    task.full_clean()
    record_by(task, by)
    task.save()
    task.cooperating_agencies.set(list(cooperating_agencies))
    return task


@transaction.atomic
def task_update(
    *, task: DirectiveTask, by: User, cooperating_agencies: Iterable[Agency] | None = None, **fields: Any
) -> DirectiveTask:
    """Change a task; its history is kept. An officer cannot move a task out of their province."""
    _require(by, "directives.change_task", task)
    for name, value in _only(fields, TASK_FIELDS).items():
        setattr(task, name, value)
    _prepare_task(task, by)
    _require(by, "directives.change_task", task)
    task.full_clean()
    record_by(task, by)
    task.save()
    if cooperating_agencies is not None:
        task.cooperating_agencies.set(list(cooperating_agencies))
    return task


def report_periods(*, task: DirectiveTask, today: datetime.date | None = None) -> list[status_rules.Period]:
    """The periods a recurring task may be reported on today, newest (the running one) first."""
    if not task.reporting_period:
        return []
    today = today or timezone.localdate()
    return [
        record.period
        for record in status_rules.period_history(
            starts_on=task.starts_on,
            reporting_period=task.reporting_period,
            reports=[],
            today=today,
            schedule=task.schedule,
        )
    ]


@transaction.atomic
def report_create(
    *,
    task: DirectiveTask,
    by: User,
    status: str,
    percent_done: int,
    narrative: str,
    period_start: datetime.date | None = None,
    files: Sequence[UploadedFile] = (),
) -> TaskReport:
    """Add a progress report with its evidence. Earlier reports are never touched.

    The reporting agency is the author's agency for an agency account (the rule lets them report
    only on tasks their agency, or one dissolved into it, leads), else the lead agency's current
    successor.

    Every file is checked (type by extension and content, at most 10 MB; at most 10 files and
    30 MB together) before anything is written; one bad file refuses the whole report with a
    message naming it.
    """
    _require(by, "directives.add_report", task)
    errors: dict[str, list[ValidationError]] = {}
    if task.reporting_period:
        allowed = {period.start for period in report_periods(task=task)}
        if period_start not in allowed:
            errors["period_start"] = [
                ValidationError(_("Choose one of the task's reporting periods."), code="invalid_period")
            ]
    else:
        period_start = None
    if refused := file_rules.check_report_files(files):
        errors["evidence"] = refused
    report = TaskReport(
        task=task,
        period_start=period_start,
        status=status,
        percent_done=percent_done,
        narrative=narrative.strip(),
        # An agency account reports as its agency; anyone else for the agency responsible today.
        reporting_agency=by.agency
        if by.is_agency_bound and by.agency is not None
        else agency_current(task.lead_agency),
        submitted_by=by,
    )
    try:
        report.full_clean(exclude=[*errors])
    except ValidationError as error:
        for field, field_errors in error.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
    if errors:
        raise ValidationError(errors)
    report.save()
    stored: list[EvidenceFile] = []
    try:
        for uploaded in files:
            checked = file_rules.check_upload(uploaded)
            evidence = EvidenceFile(
                report=report,
                original_name=checked.name[:255],
                size=checked.size,
                content_type=checked.kind.content_type,
            )
            evidence.file.save(checked.name, uploaded, save=False)
            stored.append(evidence)
            evidence.save()
    except Exception:
        # The database rolls back; files already written to storage are removed too.
        for evidence in stored:
            evidence.file.delete(save=False)
        raise
    report_posted(report=report)  # webhooks, sent on commit
    return report
