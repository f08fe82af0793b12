"""Support programmes (training, subsidies, platform onboarding, OCOP) and the support each
cooperative received from them, with its date: the data behind a programme's effect."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coopdx.validators import validate_visible_text

FIRST_YEAR = 2000
LAST_YEAR = 2100


class SupportKind(models.TextChoices):
    TRAINING = "training", _("Training")
    SUBSIDY_DECREE_98 = "subsidy_98", _("Subsidy under Decree 98/2018/NĐ-CP")
    SUBSIDY_PROVINCIAL = "subsidy_province", _("Provincial subsidy programme")
    ECOMMERCE = "ecommerce", _("Onboarding to an e-commerce platform")
    TRACEABILITY = "traceability", _("Onboarding to a traceability platform")
    OCOP = "ocop", _("OCOP support")
    OTHER = "other", _("Other support")


class SupportProgramme(models.Model):
    """A programme that supports cooperatives, national (no province) or of one province."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9._-]*$", _("Use capital letters, digits, '.', '_' or '-'."))],
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200, validators=[validate_visible_text])
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, validators=[validate_visible_text])
    kind = models.CharField(_("kind of support"), max_length=20, choices=SupportKind.choices)
    provider = models.CharField(
        _("provider"),
        max_length=200,
        validators=[validate_visible_text],
        help_text=_("The agency or organisation that gives the support."),
    )
    province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for a national programme."),
    )
    start_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("last year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text=_("Leave empty while the programme runs."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "code"]
        verbose_name = _("support programme")
        verbose_name_plural = _("support programmes")
        constraints = [
            models.CheckConstraint(
                name="support_programme_years",
                condition=models.Q(end_year__isnull=True) | models.Q(end_year__gte=models.F("start_year")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi

    @property
    def years(self) -> str:
        return f"{self.start_year}–{self.end_year}" if self.end_year else f"{self.start_year}–"

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("The last year cannot be before the first year.")})


class SupportReceived(models.Model):
    """One support a cooperative received from a programme, on a date."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", verbose_name=_("cooperative"), on_delete=models.PROTECT, related_name="+"
    )
    programme = models.ForeignKey(
        SupportProgramme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="received"
    )
    received_on = models.DateField(_("date received"))
    note = models.CharField(_("note"), max_length=500, blank=True, validators=[validate_visible_text])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on", "pk"]
        verbose_name = _("support received")
        verbose_name_plural = _("support received")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "cooperative", "received_on"], name="support_received_once_a_day"
            ),
        ]
        indexes = [models.Index(fields=["programme", "received_on"], name="support_programme_date")]

    def __str__(self) -> str:
        return f"{self.cooperative_id} / {self.programme_id} / {self.received_on}"

    def clean(self) -> None:
        """A date within the programme's years; a provincial programme supports its province only."""
        if not self.programme_id or not self.received_on:
            return
        programme = self.programme
        year = self.received_on.year
        if year < programme.start_year or (programme.end_year and year > programme.end_year):
            raise ValidationError(
                {
                    "received_on": _("The date is outside the programme's years (%(years)s).")
                    % {"years": programme.years}
                }
            )
        if programme.province_id and self.cooperative_id and self.cooperative.province_id != programme.province_id:
            raise ValidationError({"programme": _("This programme is for another province's cooperatives.")})
