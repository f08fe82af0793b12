"""Reference geography, sectors and the national cooperative registry.

This module is over 300 lines because it is one schema: the registry's tables, their constraints and the
officers' findings about them (dismissed possible duplicates) read best side by side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coopdx.collation import vietnamese
from coopdx.validators import validate_visible_text

from .text import nfc, search_document, search_words
from .validators import (
    WEBSITE_MESSAGE,
    validate_cooperative_code,
    validate_founding_date,
    validate_members_count,
    validate_phone,
    validate_website,
)

if TYPE_CHECKING:
    from accounts.models import User


class Province(models.Model):
    """A province or centrally-governed city in force since 1 July 2025 (34 of them)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(pgettext_lazy("administrative unit", "kind"), max_length=50)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        ordering = [vietnamese("short_name")]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.short_name


class Ward(models.Model):
    """A ward, commune or special zone of a current province."""

    code = models.CharField(_("code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(pgettext_lazy("administrative unit", "kind"), max_length=50)
    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="wards")

    class Meta:
        ordering = [vietnamese("name")]
        verbose_name = _("ward/commune")
        verbose_name_plural = _("wards/communes")

    def __str__(self) -> str:
        return self.name


class LegacyProvince(models.Model):
    """One of the 63 provinces before 1 July 2025, with the province that succeeded it."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=100)
    successor = models.ForeignKey(
        Province, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="predecessors"
    )

    class Meta:
        ordering = [vietnamese("short_name")]
        verbose_name = _("pre-2025 province")
        verbose_name_plural = _("pre-2025 provinces")

    def __str__(self) -> str:
        return self.short_name


class Sector(models.Model):
    """One of the eight cooperative sectors of the national statistics."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        # Sectors have an official English name; English pages show it.
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class CooperativeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    DISSOLVED = "dissolved", _("Dissolved")


class Traceability(models.TextChoices):
    NONE = "none", _("None")
    PAPER = "paper", _("Paper records")
    QR_PARTIAL = "qr_partial", _("QR codes on some products")
    QR_ALL = "qr_all", _("QR codes on all products")


SEARCH_TEXT_LENGTH = 600


class WebAddressField(models.URLField):
    """A web address people can open: http or https only (a plain URLField also takes ftp)."""

    default_validators = [validate_website]
    default_error_messages = {"invalid": WEBSITE_MESSAGE}

    def formfield(self, **kwargs: Any) -> Any:
        # The form's own URL check says the same as the model's.
        return super().formfield(**{"error_messages": {"invalid": WEBSITE_MESSAGE}, **kwargs})


class CooperativeQuerySet(models.QuerySet["Cooperative"]):
    def visible_to(self, user: User) -> CooperativeQuerySet:
        """The cooperatives a user may see: the whole country, one province or one HTX."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_national:
            return self
        if user.is_officer:
            return self.filter(province_id=user.province_id)
        if user.is_member:
            return self.filter(pk=user.cooperative_id)
        return self.none()


class Cooperative(models.Model):
    """A cooperative (hợp tác xã), keyed nationally by its official code."""

    code = models.CharField(_("cooperative code"), max_length=14, unique=True, validators=[validate_cooperative_code])
    name = models.CharField(_("name"), max_length=255, validators=[validate_visible_text])
    # Folded words of the name, then of the code, representative and ward (" hop tac xa ... |
    # 8212345678 nguyen van an phuong ..."), abbreviations written out, so that search ignores
    # diacritics and word order on SQLite and PostgreSQL alike; kept in step by clean() and
    # the importer (see ``text.search_document``).
    search_text = models.CharField(max_length=SEARCH_TEXT_LENGTH, editable=False, db_index=True)
    # The representative's name folded like the name's words (``text.search_words``), so that the
    # duplicate rule (``duplicates``) compares it in the database; kept in step with search_text.
    representative_key = models.CharField(
        _("representative, folded for comparison"),
        max_length=150,
        editable=False,
        blank=True,
        default="",
        db_default="",
    )
    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="cooperatives"
    )
    ward = models.ForeignKey(
        Ward, verbose_name=_("ward/commune"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="cooperatives")
    status = models.CharField(
        _("status"), max_length=16, choices=CooperativeStatus.choices, default=CooperativeStatus.ACTIVE
    )
    members_count = models.PositiveIntegerField(
        _("number of members"), null=True, blank=True, validators=[validate_members_count]
    )
    founded_on = models.DateField(_("founding date"), null=True, blank=True, validators=[validate_founding_date])
    address = models.CharField(_("address"), max_length=255, blank=True, validators=[validate_visible_text])
    phone = models.CharField(_("phone"), max_length=32, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    representative = models.CharField(
        _("representative"), max_length=150, blank=True, validators=[validate_visible_text]
    )
    website = WebAddressField(_("website"), blank=True)
    traceability = models.CharField(
        _("traceability in use"), max_length=16, choices=Traceability.choices, default=Traceability.NONE
    )
    # Latest accepted maturity level (0-5), kept by the survey services for filtering.
    maturity_level = models.PositiveSmallIntegerField(
        _("maturity level"), null=True, blank=True, validators=[MaxValueValidator(5)]
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["search_text", "representative_key", "updated_at"])
    objects = CooperativeQuerySet.as_manager()

    class Meta:
        ordering = [vietnamese("name"), "code"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        indexes = [
            models.Index(fields=["province", "sector", "status"], name="coop_province_sector_status"),
            models.Index(fields=["province", "name"], name="coop_province_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        self.name = nfc(self.name).strip()
        self.search_text = self.current_search_text()
        self.representative_key = self.build_representative_key(self.representative)
        if self.ward_id and self.province_id and self.ward.province_id != self.province_id:
            from django.core.exceptions import ValidationError

            raise ValidationError({"ward": _("This ward/commune is not in the chosen province.")})

    def current_search_text(self, ward_name: str | None = None) -> str:
        """The search text of the fields as they are now; a caller that already holds the ward's
        name (a bulk import) passes it rather than have it read."""
        if ward_name is None:
            ward_name = self.ward.name if self.ward is not None else ""
        return self.build_search_text(self.name, self.code, self.representative, ward_name)

    @staticmethod
    def build_representative_key(representative: str) -> str:
        return search_words(representative)[:150]

    @staticmethod
    def build_search_text(name: str, code: str, representative: str = "", ward: str = "") -> str:
        return search_document(name=name, code=code, representative=representative, ward=ward)[:SEARCH_TEXT_LENGTH]


class OcopProduct(models.Model):
    """A product certified under the One Commune One Product programme."""

    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("cooperative"), on_delete=models.CASCADE, related_name="ocop_products"
    )
    name = models.CharField(_("product"), max_length=255, validators=[validate_visible_text])
    stars = models.PositiveSmallIntegerField(_("star rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    year_certified = models.PositiveSmallIntegerField(
        _("year certified"), validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-stars", "name"]
        verbose_name = _("OCOP product")
        verbose_name_plural = _("OCOP products")
        constraints = [
            models.CheckConstraint(name="ocop_stars_1_5", condition=models.Q(stars__gte=1, stars__lte=5)),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.stars}★)"


class Platform(models.TextChoices):
    SHOPEE = "shopee", "Shopee"
    LAZADA = "lazada", "Lazada"
    TIKI = "tiki", "Tiki"
    TIKTOK = "tiktok", "TikTok Shop"
    POSTMART = "postmart", "Postmart"
    VOSO = "voso", "Voso"
    PROVINCIAL = "provincial", _("Provincial trade platform")
    OTHER = "other", _("Other")


class EcommerceListing(models.Model):
    """Where a cooperative sells online: a national marketplace or a provincial platform."""

    cooperative = models.ForeignKey(
        Cooperative, verbose_name=_("cooperative"), on_delete=models.CASCADE, related_name="listings"
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    url = WebAddressField(_("address (URL)"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["platform"]
        verbose_name = _("e-commerce listing")
        verbose_name_plural = _("e-commerce listings")
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "url"], name="listing_unique_url"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.url}"


class DuplicateDismissal(models.Model):
    """An officer's finding that a group of possible duplicates are different cooperatives.

    Stored as the set of the group's cooperative ids (sorted): a group found later is hidden
    while all its members lie within one standing dismissal (``duplicates``). Undoing it keeps
    the row, with who undid it and when.
    """

    NOTE_MAX_LENGTH = 500

    province = models.ForeignKey(Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    cooperative_ids = models.JSONField(_("cooperatives"))
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True, validators=[validate_visible_text])
    dismissed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("dismissed by"), on_delete=models.PROTECT, related_name="+"
    )
    dismissed_at = models.DateTimeField(_("dismissed"))
    undone_by = models.ForeignKey(
        "accounts.User", verbose_name=_("undone by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["-dismissed_at", "-pk"]
        verbose_name = _("dismissed possible duplicate")
        verbose_name_plural = _("dismissed possible duplicates")
        indexes = [models.Index(fields=["province", "undone_at"], name="dismissal_province_standing")]

    def __str__(self) -> str:
        return ", ".join(str(pk) for pk in self.cooperative_ids)
