"""Survey rounds in the API, with a provincial round's add-on questions (``surveys.addons``)."""

from __future__ import annotations

from rest_framework import serializers

from surveys.models import AddOnOption, AddOnQuestion, SurveyRound

from .serializers import QuestionnaireRefSerializer


class AddOnOptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AddOnOption
        fields = ["code", "label_vi", "label_en"]


class AddOnQuestionSerializer(serializers.ModelSerializer):
    options = AddOnOptionSerializer(many=True, read_only=True)

    class Meta:
        model = AddOnQuestion
        fields = ["code", "kind", "text_vi", "text_en", "required", "options"]


class RoundSerializer(serializers.ModelSerializer):
    questionnaire = QuestionnaireRefSerializer(read_only=True)
    province = serializers.CharField(
        source="province.code", read_only=True, allow_null=True, default=None, help_text="Null: a national round."
    )
    is_open = serializers.SerializerMethodField()
    addon_questions = AddOnQuestionSerializer(
        many=True,
        read_only=True,
        help_text=(
            "A provincial round's own questions, asked after the national questionnaire and never scored: "
            "answered by their codes in `answers`, read back in `provincial_answers`. Empty for a national round."
        ),
    )

    class Meta:
        model = SurveyRound
        fields = [
            "code",
            "name_vi",
            "name_en",
            "questionnaire",
            "province",
            "opens_on",
            "closes_on",
            "is_open",
            "addon_questions",
        ]

    def get_is_open(self, survey_round: SurveyRound) -> bool:
        return survey_round.is_open()
