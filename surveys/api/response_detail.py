"""One self-assessment in the API: its national answers and pillar scores, and apart from them
the answers to a provincial round's add-on questions (never scored: ``surveys.addons``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from surveys.models import PillarScore, Response
from surveys.scoring import AnswerValue

from .serializers import ResponseSerializer


class PillarScoreSerializer(serializers.ModelSerializer):
    class Meta:
        model = PillarScore
        fields = ["pillar_code", "score", "level"]


class AnswerSerializer(serializers.Serializer):
    options = serializers.ListField(child=serializers.CharField(), help_text="Chosen option codes.")
    # Sent as a JSON number (the answers are rendered as they are stored), so documented as one.
    number = serializers.FloatField(allow_null=True, help_text="The number answered, or null.")
    text = serializers.CharField(allow_blank=True)


class ResponseDetailSerializer(ResponseSerializer):
    answers = serializers.SerializerMethodField(help_text="Saved answers by question code.")
    provincial_answers = serializers.SerializerMethodField(
        help_text="Saved answers to the round's provincial add-on questions, by code: never part of the score."
    )
    pillar_scores = PillarScoreSerializer(many=True, read_only=True)
    confirmed_warnings = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Codes of the consistency rules whose warnings the submitter confirmed when sending.",
    )

    class Meta(ResponseSerializer.Meta):
        fields = [
            *ResponseSerializer.Meta.fields,
            "review_comment",
            "confirmed_warnings",
            "answers",
            "provincial_answers",
            "pillar_scores",
        ]
        read_only_fields = fields

    @staticmethod
    def _by_code(values: Mapping[str, AnswerValue]) -> dict[str, Any]:
        return {
            code: {"options": list(value.options), "number": value.number, "text": value.text}
            for code, value in values.items()
        }

    @extend_schema_field(serializers.DictField(child=AnswerSerializer()))
    def get_answers(self, response: Response) -> dict[str, Any]:
        return self._by_code(self.context["answers"])

    @extend_schema_field(serializers.DictField(child=AnswerSerializer()))
    def get_provincial_answers(self, response: Response) -> dict[str, Any]:
        return self._by_code(self.context.get("provincial_answers", {}))
