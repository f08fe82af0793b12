"""Denied accesses, kept for administrators (changes themselves are in the history tables)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DeniedAccess(models.Model):
    """A request answered 403, or 404 on an object URL, for a logged-in user or an API token."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=500)
    status = models.PositiveSmallIntegerField(_("status"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("denied access")
        verbose_name_plural = _("denied accesses")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.status} {self.method} {self.path}"


class ExportAction(models.TextChoices):
    DOWNLOAD = "download", _("Download")
    START = "start", _("Export started")


class ExportRecord(models.Model):
    """One export started or one file downloaded: who, what (kind, format, filters), scope, when,
    how many rows. The user is kept by name as well, so the trail outlives a deleted account."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16, choices=ExportAction.choices)
    # What was exported, e.g. "registry", "round_list", "responses", "indicators", "export_job".
    kind = models.CharField(_("kind"), max_length=32)
    fmt = models.CharField(_("format"), max_length=16)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    # "national", or the province code an officer's rows are bound to.
    scope = models.CharField(_("scope"), max_length=16)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("export record")
        verbose_name_plural = _("export records")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.kind}.{self.fmt}"
