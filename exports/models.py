"""The export job: a national (or provincial) extract written by a worker, as a row a page polls.

A job holds only the rows its creator may read: every source reads through the creator's
scoped selectors (``exports.sources``). The file is offered only once complete (written to a
temporary file, then stored), and only until ``expires_at`` (``EXPORT_KEEP_DAYS``).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    RESPONSES = "responses", _("Responses and answers")
    REGISTRY = "registry", _("Cooperative registry")
    INDICATORS = "indicators", _("Indicator figures")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (gzip)")
    NDJSON = "ndjson", _("NDJSON (gzip)")
    SDMX_CSV = "sdmx-csv", _("SDMX-CSV (gzip, indicator figures only)")


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Writing")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportJob(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ExportKind.choices)
    fmt = models.CharField(_("format"), max_length=16, choices=ExportFormat.choices)
    # Round codes and province codes; empty: every one the creator may read.
    rounds = models.JSONField(_("rounds"), default=list, blank=True)
    provinces = models.JSONField(_("provinces"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    progress_done = models.PositiveIntegerField(_("rows written"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    dictionary = models.FileField(_("data dictionary"), upload_to="exports/%Y/%m/", blank=True)
    size = models.BigIntegerField(_("size (bytes)"), default=0)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, default="vi")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    # Written while a worker writes the file (coopdx.heartbeat); silence means the worker is gone.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.kind}.{self.fmt} #{self.pk}"

    @property
    def progress_percent(self) -> int:
        return min(100, int(100 * self.progress_done / self.progress_total)) if self.progress_total else 0

    @property
    def is_running(self) -> bool:
        return self.status in (ExportStatus.PENDING, ExportStatus.RUNNING)

    @property
    def is_available(self) -> bool:
        return (
            self.status == ExportStatus.DONE
            and bool(self.file)
            and (self.expires_at is None or self.expires_at > timezone.now())
        )

    @property
    def filters(self) -> dict[str, list[str]]:
        return {"rounds": list(self.rounds), "provinces": list(self.provinces)}
