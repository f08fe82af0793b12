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
