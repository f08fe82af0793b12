"""Indicator figures in the API: every row says its snapshot date, as_of and round."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from indicators.models import IndicatorSnapshot, Scope

SCOPE_KEY_HELP = (
    '"nation", "p:<province>", "s:<sector>", "p:<province>|s:<sector>" or "p:<province>|w:<ward>", '
    "e.g. p:82 or p:82|w:28783."
)


class FigureSerializer(serializers.ModelSerializer):
    round = serializers.CharField(source="round.code", read_only=True, help_text="Survey round code.")
    province = serializers.CharField(source="province.code", read_only=True, allow_null=True, default=None)
    sector = serializers.CharField(source="sector.code", read_only=True, allow_null=True, default=None)
    ward = serializers.CharField(
        source="ward.code",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="Ward/commune code (5 digits) of a figure of the ward scope, else null.",
    )
    value = serializers.DecimalField(
        max_digits=24,
        decimal_places=12,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text="Percentages are 0–100; counts and averages as they are. Null when there is no data.",
    )

    class Meta:
        model = IndicatorSnapshot
        fields = [
            "snapshot_date",
            "as_of",
            "round",
            "scope",
            "scope_key",
            "province",
            "sector",
            "ward",
            "metric",
            "value",
            "numerator",
            "denominator",
        ]
        read_only_fields = fields


class SnapshotQuerySerializer(serializers.Serializer):
    """Which snapshot: the latest, or the latest on or before ``as_of``; one round or all."""

    as_of = serializers.DateField(
        required=False, help_text="YYYY-MM-DD: use the latest snapshot taken on or before this date."
    )
    round = serializers.CharField(required=False, max_length=32, help_text="Survey round code (default: all).")
    metric = serializers.CharField(required=False, max_length=64, help_text="e.g. ecommerce_pct.")


class FigureQuerySerializer(SnapshotQuerySerializer):
    scope = serializers.ChoiceField(choices=Scope.choices, required=False)
    scope_key = serializers.CharField(required=False, max_length=24, help_text=SCOPE_KEY_HELP)
    province = serializers.CharField(required=False, max_length=2, help_text="Province code (its figures only).")
    sector = serializers.CharField(required=False, max_length=10, help_text="Sector code.")
    ward = serializers.CharField(required=False, max_length=5, help_text="Ward/commune code (its figures only).")


class WardFigureQuerySerializer(SnapshotQuerySerializer):
    ward = serializers.CharField(required=False, max_length=5, help_text="One ward/commune code (default: all).")


class SeriesQuerySerializer(serializers.Serializer):
    metric = serializers.CharField(max_length=64, help_text="e.g. ecommerce_pct.")
    scope_key = serializers.CharField(max_length=24, help_text=SCOPE_KEY_HELP)
    round = serializers.CharField(required=False, max_length=32, help_text="Survey round code (default: all).")
    since = serializers.DateField(required=False, help_text="First snapshot date (YYYY-MM-DD).")
    until = serializers.DateField(required=False, help_text="Last snapshot date (YYYY-MM-DD).")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("since") and attrs.get("until") and attrs["since"] > attrs["until"]:
            raise serializers.ValidationError({"until": [_("The end is before the start.")]})
        return attrs


def snapshot_page_schema(results: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["snapshot_date", "as_of", "next", "results"],
        "properties": {
            "snapshot_date": {
                "type": "string",
                "format": "date",
                "nullable": True,
                "description": "The snapshot read (null when no figures exist yet).",
            },
            "as_of": {
                "type": "string",
                "format": "date-time",
                "nullable": True,
                "description": "When the snapshot was computed.",
            },
            "next": {"type": "string", "format": "uri", "nullable": True},
            "results": results,
        },
    }
