"""The import job: an uploaded file going through check → confirm → import, as a row a page polls.

One model serves every kind of file; the kind names the importer a domain registered
(:mod:`imports.kinds`). The job is bound to the uploading officer's province, the unit every
importer scopes its rows by (a foreign key by name, so this app imports no domain code).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import kinds


class ImportJobStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    VALIDATING = "validating", _("Checking the file")
    READY = "ready", _("Checked, waiting for confirmation")
    INVALID = "invalid", _("Errors found")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """An uploaded file going through check → confirm → import, as a row a page polls."""

    # A kind registered with imports.kinds, e.g. "registry" or "responses".
    kind = models.CharField(_("kind"), max_length=16)
    # What the importer needs besides the file, e.g. {"round": "KS2026"} for self-assessments.
    options = models.JSONField(_("import options"), default=dict, blank=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    # Rows of other provinces are refused when set (an officer's own province).
    scope_province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=8, default="vi")
    status = models.CharField(
        _("status"), max_length=16, choices=ImportJobStatus.choices, default=ImportJobStatus.PENDING
    )
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)
    summary = models.JSONField(_("result summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Written while a worker checks or writes the file (coopdx.heartbeat); silence means the
    # worker is gone, and the job is released (jobs.import_jobs_release_abandoned).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.original_name

    @property
    def kind_label(self) -> str:
        return kinds.kind_label(self.kind)

    @property
    def progress_percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0

    @property
    def is_running(self) -> bool:
        return self.status in (ImportJobStatus.PENDING, ImportJobStatus.VALIDATING, ImportJobStatus.IMPORTING)
