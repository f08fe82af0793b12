"""An upward report's draft: whose report it is, its period, its heading and its editable texts.

The period is kept as two explicit dates (start and cut-off) rather than derived from a
reporting rule, so that whatever rule computes a task's periods, a report says which figures
it holds: those known on its cut-off date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

from coopdx.validators import validate_visible_text

# A section of a report is a few pages at most; more is a paste gone wrong.
MAX_SECTION_CHARS = 20_000


def _text(label: _StrPromise, *, blank: bool = True) -> models.TextField:
    return models.TextField(
        label, blank=blank, validators=[MaxLengthValidator(MAX_SECTION_CHARS), validate_visible_text]
    )


class UpwardReport(models.Model):
    """A report to send upward, for exactly one agency or one province, edited before export."""

    agency = models.ForeignKey(
        "directives.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="upward_reports",
    )
    province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="upward_reports",
    )
    period_start = models.DateField(_("period start"))
    # The cut-off ("số liệu tính đến ngày"): figures and reports known on this day, none later.
    period_end = models.DateField(_("cut-off date"))
    superior_agency = models.CharField(
        _("superior agency line"), max_length=255, blank=True, validators=[validate_visible_text]
    )
    agency_name = models.CharField(_("agency as printed"), max_length=255, validators=[validate_visible_text])
    number = models.CharField(_("number"), max_length=60, validators=[validate_visible_text])
    place = models.CharField(_("place"), max_length=100, validators=[validate_visible_text])
    issued_on = models.DateField(_("date of the report"))
    subject = models.CharField(_("subject"), max_length=500, validators=[validate_visible_text])
    introduction = _text(_("results: summary"))
    difficulties = _text(_("difficulties and obstacles"))
    proposals = _text(_("proposals and recommendations"))
    recipients = _text(_("recipients"))
    signer_title = models.CharField(_("signer's title"), max_length=255, blank=True, validators=[validate_visible_text])
    signer_name = models.CharField(_("signer's name"), max_length=255, blank=True, validators=[validate_visible_text])
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        app_label = "directives"
        ordering = ["-period_end", "-pk"]
        verbose_name = _("upward report")
        verbose_name_plural = _("upward reports")
        constraints = [
            models.CheckConstraint(
                name="upward_report_agency_xor_province",
                condition=Q(agency__isnull=False, province__isnull=True)
                | Q(agency__isnull=True, province__isnull=False),
            ),
            models.CheckConstraint(name="upward_report_period_order", condition=Q(period_start__lte=F("period_end"))),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    def clean(self) -> None:
        if bool(self.agency_id) == bool(self.province_id):
            raise ValidationError(_("Choose either an agency or a province."), code="scope")
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValidationError({"period_end": _("The cut-off date is before the start of the period.")})
