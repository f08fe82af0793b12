"""Questionnaires, rounds and responses in the API. Writes only validate the shape; the
rules (scope, revision, completeness, scoring) are the services'."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from surveys.models import (
    IndicatorDefinition,
    IndicatorMapping,
    Option,
    Pillar,
    Question,
    Questionnaire,
    Response,
    SurveyRound,
)


class OptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Option
        fields = ["code", "label_vi", "label_en", "score", "exclusive", "position"]


class QuestionSerializer(serializers.ModelSerializer):
    options = OptionSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = [
            "code",
            "kind",
            "text_vi",
            "text_en",
            "help_vi",
            "help_en",
            "unit_vi",
            "unit_en",
            "required",
            "scored",
            "weight",
            "max_score",
            "bands",
            "min_value",
            "max_value",
            "integer_only",
            "relevant",
            "constraint",
            "constraint_message_vi",
            "constraint_message_en",
            "position",
            "options",
        ]


class PillarSerializer(serializers.ModelSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Pillar
        fields = ["code", "name_vi", "name_en", "weight", "position", "questions"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    class Meta:
        model = Questionnaire
        fields = ["id", "code", "version", "title_vi", "title_en", "published_at", "created_at"]


class QuestionnaireDetailSerializer(QuestionnaireSerializer):
    pillars = PillarSerializer(many=True, read_only=True)

    class Meta(QuestionnaireSerializer.Meta):
        fields = [*QuestionnaireSerializer.Meta.fields, "source", "pillars"]


class QuestionnaireRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Questionnaire
        fields = ["id", "code", "version"]


class IndicatorMappingSerializer(serializers.ModelSerializer):
    questionnaire = QuestionnaireRefSerializer(read_only=True)

    class Meta:
        model = IndicatorMapping
        fields = ["questionnaire", "question_code", "option_codes"]


class IndicatorDefinitionSerializer(serializers.ModelSerializer):
    metric = serializers.SerializerMethodField(help_text="The metric name in /indicators/ figures.")
    mappings = IndicatorMappingSerializer(
        many=True,
        read_only=True,
        help_text="Versions that dropped or changed the question: there the series counts these instead.",
    )

    class Meta:
        model = IndicatorDefinition
        fields = [
            "code",
            "metric",
            "name_vi",
            "name_en",
            "description_vi",
            "description_en",
            "question_code",
            "option_codes",
            "mappings",
            "position",
            "is_active",
        ]

    def get_metric(self, definition: IndicatorDefinition) -> str:
        return f"{definition.code}_pct"


class UserRefSerializer(serializers.Serializer):
    """Who did something to a response: the account's user name and its full name."""

    username = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return user.get_full_name() or user.username


class ResponseSerializer(serializers.ModelSerializer):
    round = serializers.CharField(source="round.code", read_only=True)
    cooperative_code = serializers.CharField(source="cooperative.code", read_only=True)
    province = serializers.CharField(source="cooperative.province.code", read_only=True)
    entered_by = UserRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="Who last entered answers: the cooperative's member, or an officer on its behalf (is_proxy).",
    )
    submitted_by = UserRefSerializer(read_only=True, allow_null=True, help_text="Who submitted the response.")
    reviewed_by = UserRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="Who accepted or returned it. Whoever entered or submitted a response never accepts it.",
    )
    scoring_scheme = serializers.CharField(
        source="scoring_scheme.code",
        read_only=True,
        allow_null=True,
        help_text="Code of the scoring scheme the score and level were computed with (docs/scoring.md); "
        "null until scored.",
    )

    class Meta:
        model = Response
        fields = [
            "id",
            "round",
            "cooperative",
            "cooperative_code",
            "province",
            "status",
            "is_proxy",
            "entered_by",
            "score",
            "level",
            "scoring_scheme",
            "revision",
            "submitted_at",
            "submitted_by",
            "reviewed_at",
            "reviewed_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "description": "A text, a number as text, or one option code."},
            {"type": "number"},
            {"type": "array", "items": {"type": "string"}, "description": "Option codes."},
        ],
        "nullable": True,
        "description": "Null, an empty text or an empty list clears the answer.",
    }
)
class AnswerValueField(serializers.Field):
    """A raw answer as the browser form gives it: option code(s), a number or a text."""

    def to_internal_value(self, data: Any) -> Any:
        if data is None or isinstance(data, str):
            return data
        if isinstance(data, bool):
            raise serializers.ValidationError(_("Give option codes, a number or a text."))
        if isinstance(data, (int, float)):
            # As the browser form posts it: text. The service parses it per question kind.
            return str(data)
        if isinstance(data, list) and all(isinstance(item, str) for item in data):
            return data
        raise serializers.ValidationError(_("Give option codes, a number or a text."))

    def to_representation(self, value: Any) -> Any:
        return value


class RoundCodeField(serializers.SlugRelatedField[SurveyRound]):
    """A round by its code, among the rounds its serializer was given (``rounds``; none without)."""

    def get_queryset(self) -> QuerySet[SurveyRound]:
        rounds = getattr(self.parent, "rounds", None)
        return rounds if rounds is not None else SurveyRound.objects.none()


class ResponseStartSerializer(serializers.Serializer):
    round = RoundCodeField(
        slug_field="code", queryset=SurveyRound.objects.none(), help_text="The round's code, e.g. KS2026."
    )

    def __init__(self, *args: Any, rounds: QuerySet[SurveyRound] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The rounds the caller may start a response in (their scoped selector's); see RoundCodeField.
        self.rounds = rounds


class ResponseAnswersSerializer(serializers.Serializer):
    revision = serializers.IntegerField(
        min_value=0, help_text="The revision you read; a stale one is refused with 409 (optimistic locking)."
    )
    answers = serializers.DictField(
        child=AnswerValueField(),
        help_text=(
            "Answers by question code: the national questionnaire's, and a provincial round's add-on "
            "questions by their codes (kept apart, never scored)."
        ),
    )


class ResponseSubmitSerializer(serializers.Serializer):
    revision = serializers.IntegerField(min_value=0, help_text="The revision you read; 409 when it is stale.")
    confirm_warnings = serializers.BooleanField(
        default=False,
        help_text=(
            "The submitter confirms the answers that the questionnaire's consistency rules call unusual "
            "(warnings). Without it, a response that raises a warning is refused with 400 "
            "`warnings_to_confirm`; a contradiction (an error rule) is refused with 400 "
            "`inconsistent_answers` whatever this says. `fields` names each rule as `rules.<code>`."
        ),
    )
