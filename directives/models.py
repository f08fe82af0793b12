"""Directive tracking: documents, the agencies they task, the tasks, and progress reports.

Resolution 20-NQ/TW and Directive 19/CT-TTg assign tasks to ministries, provincial People's
Committees and the Vietnam Cooperative Alliance; provinces issue follow-up documents. Agencies
are reorganised (ministries merged in March 2025, provinces in July 2025): an agency records
its successor, and a task keeps the lead agency it was given while the "current responsible
agency" follows the successor chain (see ``selectors.agency_current_map``).

Reports accumulate: a report is never changed or deleted once written.

Longer than 300 lines on purpose: one aggregate (documents, their tasks and the agencies they
name, the reports and their evidence) whose keys and constraints refer to each other.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from coopdx.collation import vietnamese

from .periods import MAX_DUE_DAYS, ReportingRule, Schedule

INDICATOR_CODE_PATTERN = r"^[a-z][a-z0-9_]*_pct$"
indicator_code_validator = RegexValidator(
    INDICATOR_CODE_PATTERN,
    _("An indicator code is lower-case letters, digits and underscores ending in _pct, e.g. ecommerce_pct."),
    code="invalid_indicator_code",
)


class AgencyKind(models.TextChoices):
    CENTRAL = "central", _("Central body (Party, Government)")
    MINISTRY = "ministry", _("Ministry")
    PROVINCIAL_COMMITTEE = "provincial_committee", _("Provincial People's Committee")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("Provincial department")
    COOPERATIVE_ALLIANCE = "cooperative_alliance", _("Cooperative Alliance")


class Agency(models.Model):
    """A body that issues documents or is given tasks; reorganised ones point to their successor."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    # The current province whose officers act for this agency (for a dissolved provincial
    # body: the province that succeeded it, e.g. Phú Yên's committee → Đắk Lắk).
    province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    legacy_province = models.ForeignKey(
        "cooperatives.LegacyProvince",
        verbose_name=_("pre-2025 province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("The agency that took over this one's tasks after a reorganisation."),
    )
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", vietnamese("short_name")]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_dissolved(self) -> bool:
        return self.successor_id is not None

    def clean(self) -> None:
        if self.kind in (AgencyKind.PROVINCIAL_COMMITTEE, AgencyKind.PROVINCIAL_DEPARTMENT) and not self.province_id:
            raise ValidationError({"province": _("A provincial body needs its (current) province.")})
        if self.successor_id:
            # Walk the chain from the successor: reaching this agency again would be a cycle.
            seen = {self.pk} if self.pk else set()
            current: Agency | None = self.successor
            while current is not None:
                if current.pk in seen:
                    raise ValidationError({"successor": _("The successor chain would loop back to this agency.")})
                seen.add(current.pk)
                current = current.successor


class DocumentKind(models.TextChoices):
    RESOLUTION = "resolution", pgettext_lazy("document kind", "Resolution")
    DIRECTIVE = "directive", pgettext_lazy("document kind", "Directive")
    DECISION = "decision", pgettext_lazy("document kind", "Decision")
    PLAN = "plan", pgettext_lazy("document kind", "Plan")
    OFFICIAL_LETTER = "official_letter", pgettext_lazy("document kind", "Official letter")


ALLOWED_FILE_EXTENSIONS = ("pdf", "docx", "xlsx", "jpg", "jpeg", "png")


def _stored_name(folder: str, filename: str) -> str:
    # Never keep the uploader's name on disk; the original name is kept in a field.
    extension = PurePath(filename).suffix.lower()[:6]
    return f"directives/{folder}/{uuid.uuid4().hex}{extension}"


def document_upload_to(instance: object, filename: str) -> str:
    return _stored_name("documents", filename)


def evidence_upload_to(instance: object, filename: str) -> str:
    return _stored_name("evidence", filename)


class Document(models.Model):
    """A resolution, directive, decision, plan or official letter, possibly implementing another."""

    # Stable code for seeded documents (e.g. "ct-19-2023"); optional for documents added later.
    code = models.CharField(_("code"), max_length=40, blank=True)
    number = models.CharField(_("number"), max_length=60, help_text=_('e.g. "19/CT-TTg"'))
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=500)
    issuing_agency = models.ForeignKey(
        Agency, verbose_name=_("issuing body"), on_delete=models.PROTECT, related_name="issued_documents"
    )
    issued_on = models.DateField(_("date issued"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("implements"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The document this one implements, e.g. the directive a provincial plan carries out."),
    )
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("attached file"), upload_to=document_upload_to, blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    # How the document's recurring tasks are reported (``directives.periods``).
    reporting_rule = models.CharField(
        _("reporting periods"),
        max_length=16,
        choices=ReportingRule.choices,
        default=ReportingRule.CALENDAR,
        help_text=_(
            "How the periods of this document's recurring tasks are cut: calendar months, quarters, half-years "
            "and years; or, under Decree 09/2019, from the 15th of the month before the period to the 14th of its "
            "last month."
        ),
    )
    report_due_days = models.PositiveSmallIntegerField(
        _("report due (days after the period)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_DUE_DAYS)],
        help_text=_(
            "Days after a period's last day by which its report is due. Leave empty for the rule's default: "
            "15 days for calendar periods, 6 days (the 20th) under Decree 09."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["issued_on", "number"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="document_unique_code"),
            models.UniqueConstraint(fields=["number", "issued_on"], name="document_unique_number_date"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def schedule(self) -> Schedule:
        """The rule of the periods of this document's recurring tasks and their reports' due dates."""
        return Schedule.of(self.reporting_rule, self.report_due_days)

    def clean(self) -> None:
        if self.parent_id and self.pk:
            seen = {self.pk}
            current: Document | None = self.parent
            while current is not None:
                if current.pk in seen:
                    raise ValidationError({"parent": _("A document cannot implement itself, even indirectly.")})
                seen.add(current.pk)
                current = current.parent


class ReportingPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


class DirectiveTask(models.Model):
    """A task a document gives an agency: with a deadline, or recurring ("thường xuyên")."""

    if TYPE_CHECKING:
        # Not a field: the agency carrying the task today (after 2025 successions), set on the
        # tasks of a page by ``selectors.attach_current_agencies`` for the templates.
        current_agency: Agency

    code = models.CharField(_("code"), max_length=60, blank=True)
    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="tasks")
    clause = models.CharField(_("clause"), max_length=255, blank=True, help_text=_("Where in the document."))
    content = models.TextField(_("content"))
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_tasks"
    )
    cooperating_agencies = models.ManyToManyField(
        Agency, verbose_name=_("co-operating agencies"), blank=True, related_name="cooperating_tasks"
    )
    province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directive_tasks",
    )
    starts_on = models.DateField(_("starts on"), help_text=_("Recurring tasks are reported from this date's period."))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    # Blank for a task with a deadline; set for a recurring task ("thường xuyên").
    reporting_period = models.CharField(
        _("reporting period"), max_length=16, choices=ReportingPeriod.choices, blank=True
    )
    indicator_codes = models.JSONField(_("linked indicator codes"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["document", "pk"]
        verbose_name = _("directive task")
        verbose_name_plural = _("directive tasks")
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~Q(code=""), name="task_unique_code"),
            models.CheckConstraint(
                name="task_deadline_xor_recurring",
                condition=(
                    Q(deadline__isnull=False, reporting_period="")
                    | (Q(deadline__isnull=True) & ~Q(reporting_period=""))
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "deadline"], name="task_province_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.document.number}: {self.content[:60]}"

    @property
    def is_recurring(self) -> bool:
        return bool(self.reporting_period)

    @property
    def schedule(self) -> Schedule:
        return self.document.schedule

    def clean(self) -> None:
        errors: dict[str, list[object]] = {}
        if self.reporting_period and self.deadline:
            errors.setdefault("deadline", []).append(_("A recurring task has a reporting period, not a deadline."))
        if not self.reporting_period and not self.deadline:
            errors.setdefault("deadline", []).append(_("Give a deadline, or make the task recurring."))
        if self.deadline and self.starts_on and self.deadline < self.starts_on:
            errors.setdefault("deadline", []).append(_("The deadline is before the start date."))
        codes = self.indicator_codes
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            errors.setdefault("indicator_codes", []).append(_("Indicator codes must be a list of texts."))
        else:
            for code in codes:
                try:
                    indicator_code_validator(code)
                except ValidationError:
                    errors.setdefault("indicator_codes", []).append(
                        _("“%(code)s” is not a valid indicator code (expected e.g. ecommerce_pct).") % {"code": code}
                    )
            if len(set(codes)) != len(codes):
                errors.setdefault("indicator_codes", []).append(_("An indicator code is listed twice."))
        lead_province = self.lead_agency.province_id if self.lead_agency_id else None
        if lead_province and self.province_id and self.province_id != lead_province:
            errors.setdefault("province", []).append(_("The task's province must be the lead agency's province."))
        if errors:
            raise ValidationError(errors)


class ReportStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class ImmutableReportError(Exception):
    """Raised on any attempt to change or delete a progress report."""


class TaskReport(models.Model):
    """One progress report on a task, as written by (or for) its responsible agency. Never changed."""

    task = models.ForeignKey(DirectiveTask, verbose_name=_("task"), on_delete=models.PROTECT, related_name="reports")
    # For a recurring task, the first day of the period reported on; empty for deadline tasks.
    period_start = models.DateField(_("period"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices)
    percent_done = models.PositiveSmallIntegerField(_("percent done"), validators=[MaxValueValidator(100)])
    narrative = models.TextField(_("narrative"))
    # The agency responsible when the report was written (the successor for a dissolved lead).
    reporting_agency = models.ForeignKey(
        Agency, verbose_name=_("reporting agency"), on_delete=models.PROTECT, related_name="reports"
    )
    submitted_by = models.ForeignKey(
        "accounts.User", verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.CheckConstraint(name="report_percent_0_100", condition=Q(percent_done__lte=100)),
            models.CheckConstraint(
                name="report_done_is_100", condition=~Q(status=ReportStatus.DONE) | Q(percent_done=100)
            ),
        ]
        indexes = [models.Index(fields=["task", "status", "period_start"], name="report_task_status_period")]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.get_status_display()} · {self.percent_done}%"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableReportError("Progress reports are never changed; write a new report instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableReportError("Progress reports are never deleted.")

    def clean(self) -> None:
        if self.status == ReportStatus.DONE and self.percent_done != 100:
            raise ValidationError(
                {"percent_done": ValidationError(_("A report marked done must be at 100%."), code="done_not_100")}
            )


class EvidenceFile(models.Model):
    """A file attached to a report as evidence: PDF, Word, Excel or an image, at most 10 MB."""

    report = models.ForeignKey(
        TaskReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="evidence_files"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due within 14 days")
    OVERDUE = "overdue", _("Overdue")


class ReminderLog(models.Model):
    """A reminder that was e-mailed: at most one per task, deadline or period, and kind."""

    task = models.ForeignKey(DirectiveTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="+")
    # The deadline of a deadline task, or the first day of the period of a recurring one.
    period_key = models.DateField(_("deadline or period"))
    kind = models.CharField(_("kind"), max_length=16, choices=ReminderKind.choices)
    due_on = models.DateField(_("due on"))
    recipient = models.EmailField(_("recipient"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["task", "period_key", "kind"], name="reminder_once_per_period_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} · {self.period_key} · {self.kind}"


# Reports sent upward are their own aggregate, kept in their own module (``directives.upward``).
from .upward.models import UpwardReport  # noqa: E402, F401
