"""Nightly indicator snapshots: one trusted set of figures per day, round and scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    # Its worker stopped (killed, out of memory, machine lost) before it finished; nothing written.
    ABANDONED = "abandoned", _("Stopped: worker lost")


class AggregationRun(models.Model):
    """One computation of the indicators. At most one runs at a time (a partial unique index)."""

    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.RUNNING)
    trigger = models.CharField(_("trigger"), max_length=16, default="beat")
    triggered_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("triggered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    round_code = models.CharField(_("round"), max_length=32, blank=True)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Written while a worker computes it (coopdx.heartbeat); silence means the worker is gone.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    partitions_total = models.PositiveIntegerField(_("parts in all"), default=0)
    partitions_done = models.PositiveIntegerField(_("parts done"), default=0)
    rows_written = models.PositiveIntegerField(_("figures written"), default=0)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("indicator computation")
        verbose_name_plural = _("indicator computations")
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="running"), name="one_running_aggregation"),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.partitions_done / self.partitions_total) if self.partitions_total else 0


class Scope(models.TextChoices):
    NATION = "nation", _("Nation")
    PROVINCE = "province", _("Province")
    SECTOR = "sector", _("Sector (nation)")
    PROVINCE_SECTOR = "province_sector", _("Sector (province)")
    WARD = "ward", _("Ward/commune")


class IndicatorSnapshot(models.Model):
    """One figure: a metric of one round in one scope, as computed on ``snapshot_date``.

    Percentages are stored exactly as numerator / denominator; they are rounded only when shown.
    """

    # The figures' references are checked by the write, once per row they reference
    # (``services.write_snapshot``), not by the database once per figure: the five foreign key
    # triggers cost more than a third of the job on ~160,000 figures a day. Deleting a round, a
    # province, a sector or a ward still deletes its figures (Django's on_delete), a run with
    # figures still cannot be deleted.
    run = models.ForeignKey(
        AggregationRun,
        verbose_name=_("indicator computation"),
        on_delete=models.PROTECT,
        related_name="snapshots",
        db_constraint=False,
        db_index=False,
    )
    # Indexed first in snapshot_unique_figure; round and province lead the two indexes below. No
    # index of their own (nor the run's, nor the sector's): each one more is upkeep on the
    # ~160,000 figures every run writes.
    snapshot_date = models.DateField(_("snapshot date"))
    as_of = models.DateTimeField(_("as of"))
    round = models.ForeignKey(
        "surveys.SurveyRound",
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="snapshots",
        db_index=False,
        db_constraint=False,
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    sector = models.ForeignKey(
        "cooperatives.Sector",
        verbose_name=_("sector"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # A ward's figures carry its province too, so that every rule scoping by province (an
    # officer's, the province's page and API) covers its wards.
    ward = models.ForeignKey(
        "cooperatives.Ward",
        verbose_name=_("ward/commune"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    # "nation", "p:82", "s:NN", "p:82|s:NN" or "p:82|w:22345": unique with the date, round and metric.
    scope_key = models.CharField(_("scope key"), max_length=24)
    metric = models.CharField(_("metric"), max_length=64)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=12, null=True)
    numerator = models.BigIntegerField(_("numerator"), null=True)
    denominator = models.BigIntegerField(_("denominator"), null=True)

    class Meta:
        ordering = ["snapshot_date", "round", "scope_key", "metric"]
        verbose_name = _("indicator figure")
        verbose_name_plural = _("indicator figures")
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot_date", "round", "scope_key", "metric"], name="snapshot_unique_figure"
            ),
        ]
        indexes = [
            models.Index(fields=["round", "scope", "metric", "snapshot_date"], name="snapshot_lookup"),
            models.Index(fields=["province", "round", "snapshot_date"], name="snapshot_province"),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_date} {self.round_id} {self.scope_key} {self.metric}={self.value}"


def target_metrics() -> dict[str, str]:
    """The figures a target can be set for, by code: coverage, the average score and the share of
    every active indicator (the indicator definitions are data)."""
    from surveys.models import IndicatorDefinition

    metrics = {
        "survey_coverage_pct": str(_("Share that assessed themselves")),
        "maturity_score_avg": str(_("Average maturity score")),
    }
    for definition in IndicatorDefinition.objects.filter(is_active=True).order_by("code"):
        metrics[f"{definition.code}_pct"] = str(definition.name)
    return metrics


class IndicatorTarget(models.Model):
    """A value a figure should reach by a year: national (no province), or a province's own,
    which then replaces the national one on that province's pages. With a baseline (the value in
    an earlier year), "on track" means at or above the straight path from it to the target."""

    metric = models.CharField(_("indicator"), max_length=64)
    province = models.ForeignKey(
        "cooperatives.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for a national target."),
    )
    year = models.PositiveSmallIntegerField(
        _("target year"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    value = models.DecimalField(
        _("target value"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A percentage (0–100), or points for the average maturity score (0–100)."),
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    source = models.CharField(
        _("set by"), max_length=255, blank=True, help_text=_("The document that sets it, e.g. Kế hoạch 45/KH-UBND.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "province", "year"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "year"], condition=Q(province__isnull=True), name="one_national_target_a_year"
            ),
            models.UniqueConstraint(fields=["metric", "province", "year"], name="one_province_target_a_year"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.year}: {self.value}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.metric and self.metric not in target_metrics():
            errors["metric"] = [str(_("No such indicator."))]
        if (self.baseline_year is None) != (self.baseline_value is None):
            errors["baseline_value"] = [str(_("Give both the baseline year and its value, or neither."))]
        elif self.baseline_year is not None and self.year is not None and self.baseline_year >= self.year:
            errors["baseline_year"] = [str(_("The baseline year comes before the target year."))]
        if errors:
            raise ValidationError(errors)


class ProvinceCounts(models.Model):
    """A province's summed counts as of ``counted_from``, kept by the continuous figures
    (``indicators.continuous``): the province's own scopes (``own``: the province, its sectors,
    its wards) and its share of the nation's and the national sectors' (``shared``), per round,
    so that a change in one province rewrites that province's figures and the national ones
    without counting the others again. ``fingerprint`` names what the counts were made with (the
    rounds of the snapshot, the indicators, the evidence checks); counts made otherwise are
    counted again."""

    province = models.OneToOneField(
        "cooperatives.Province", verbose_name=_("province"), on_delete=models.CASCADE, related_name="+"
    )
    fingerprint = models.CharField(_("counted with"), max_length=64)
    counted_from = models.DateTimeField(_("changes counted until"))
    own = models.JSONField(_("counts of the province's scopes"), default=dict)
    shared = models.JSONField(_("share of the national counts"), default=dict)
    # False while today's figures were not yet written from these counts (a first count of every
    # province is spread over several minutes, and written when the last is counted).
    written = models.BooleanField(_("figures written"), default=False)
    written_at = models.DateTimeField(_("figures written at"), null=True, blank=True)

    class Meta:
        verbose_name = _("province counts")
        verbose_name_plural = _("province counts")

    def __str__(self) -> str:
        return f"{self.province_id} {self.counted_from:%Y-%m-%d %H:%M:%S}"
