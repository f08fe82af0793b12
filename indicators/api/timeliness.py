"""Completeness and timeliness of one round over the API: the nation and each province in the
caller's scope, read live (``indicators.timeliness``), with the validators of the other indicator
endpoints."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from coopdx.api.conditional import conditional_headers, make_etag, not_modified
from coopdx.api.schema import CONDITIONAL_PARAMETERS, NOT_MODIFIED, error_response
from surveys import selectors as survey_selectors

from ..timeliness import timeliness, timeliness_version
from .views import TAG_INDICATORS, IndicatorAccess


def share(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=24, decimal_places=12, coerce_to_string=False, read_only=True, allow_null=True, help_text=help_text
    )


class TimelinessSerializer(serializers.Serializer):
    province = serializers.CharField(
        source="province.code", allow_null=True, default=None, help_text="Province code; null for the nation."
    )
    province_name = serializers.CharField(source="province.name", allow_null=True, default=None)
    expected = serializers.IntegerField(
        help_text="Cooperatives expected to answer: the active registry (not archived, dissolved or suspended)."
    )
    counted = serializers.IntegerField(help_text="Their self-assessments that count (accepted; see the docs).")
    coverage_pct = share("counted / expected, 0–100; null when none expected.")
    submitted = serializers.IntegerField(help_text="Self-assessments sent for review (submitted, accepted, returned).")
    on_time = serializers.IntegerField(
        help_text="Sent on or before the round's closing day, a date in Viet Nam's time (Asia/Ho_Chi_Minh)."
    )
    on_time_pct = share("on_time / submitted, 0–100; null when none sent.")
    due_for_review = serializers.IntegerField(
        help_text="Reviewed (accepted or returned), or still waiting more than review_within_days after being sent."
    )
    reviewed_in_time = serializers.IntegerField(help_text="Reviewed within review_within_days of being sent.")
    reviewed_in_time_pct = share("reviewed_in_time / due_for_review, 0–100; null when none is due.")
    waiting_late = serializers.IntegerField(
        help_text="Still waiting for review, sent more than review_within_days ago."
    )


class RoundTimelinessSerializer(serializers.Serializer):
    round = serializers.CharField(source="round.code", help_text="Survey round code.")
    round_name = serializers.CharField(source="round.name")
    closes_on = serializers.DateField(source="round.closes_on", help_text="The round's closing day (Viet Nam).")
    review_within_days = serializers.IntegerField(help_text="The review delay (setting REVIEW_WITHIN_DAYS).")
    computed_at = serializers.DateTimeField(help_text="When the figures were read (they are computed live).")
    nation = TimelinessSerializer(help_text="Every province the round concerns.")
    provinces = TimelinessSerializer(many=True, help_text="The provinces in the caller's scope, alphabetical.")


@extend_schema(
    tags=TAG_INDICATORS,
    summary="Completeness and timeliness of one round: the nation and each province (404 outside the caller's scope)",
    description=(
        "Coverage (counted self-assessments out of the cooperatives expected to answer), the share sent on "
        "or before the closing day (Viet Nam time) and the share reviewed within `review_within_days`, each "
        "with the counts behind it. Computed from the responses when asked, not from the nightly snapshot. "
        "Provincial officers and tokens see the nation and their own province; a provincial round only "
        "its province. Answers 304 to a current ETag (the figures also change at midnight, when waiting "
        "responses may turn late)."
    ),
    parameters=CONDITIONAL_PARAMETERS,
    responses={200: RoundTimelinessSerializer, 304: NOT_MODIFIED, 404: error_response(404)},
)
class RoundTimeliness(IndicatorAccess):
    serializer_class = RoundTimelinessSerializer
    # What the answer shows, for the data-version check (the serializer is not a model's).
    shown_models = ("surveys.SurveyRound", "surveys.Response", "cooperatives.Cooperative", "cooperatives.Province")

    def list_version(self) -> Any:
        return timeliness_version()

    def get(self, request: Request, code: str) -> Any:
        survey_round = survey_selectors.round_get(user=self.request.user, code=code)
        parts, last_modified = self.list_version()
        etag = make_etag(request, *parts)
        cached = not_modified(request, etag, last_modified)
        if cached is not None:
            return cached
        figures = timeliness(user=self.request.user, rounds=[survey_round])[survey_round.pk]
        body = RoundTimelinessSerializer(
            {
                "round": survey_round,
                "review_within_days": figures.nation.review_within_days,
                "computed_at": timezone.now(),
                "nation": figures.nation,
                "provinces": figures.provinces,
            }
        ).data
        return conditional_headers(Response(body), etag, last_modified)
