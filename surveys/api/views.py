"""Questionnaires, rounds and self-assessments over the API.

Reads go through the scoped selectors; writes through ``surveys.services``, the browser's
own path, so scoping, the revision check, completeness and scoring hold here too. The
cooperative of a new response comes from the URL, looked up in the caller's scope: a member
can only ever reach their own cooperative, whatever the body says.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from accounts.models import ApiScope
from coopdx.api.exceptions import error_body
from coopdx.api.schema import error_response
from coopdx.api.views import SignedInGenericAPIView
from coopdx.http import AuthenticatedRequest
from cooperatives import selectors as registry
from surveys import selectors, services
from surveys.addons import addon_answer_values
from surveys.consistency import AnswersInconsistent
from surveys.models import AddOnQuestion, Questionnaire, SurveyRound
from surveys.models import Response as SurveyResponse

from .filters import ResponseFilter
from .response_detail import ResponseDetailSerializer
from .rounds import RoundSerializer
from .serializers import (
    IndicatorDefinitionSerializer,
    QuestionnaireDetailSerializer,
    QuestionnaireSerializer,
    ResponseAnswersSerializer,
    ResponseSerializer,
    ResponseStartSerializer,
    ResponseSubmitSerializer,
)

SURVEY_SCOPES = (ApiScope.RESPONSES_READ, ApiScope.RESPONSES_WRITE, ApiScope.INDICATORS_READ)
RESPONSE_READ_SCOPES = (ApiScope.RESPONSES_READ, ApiScope.RESPONSES_WRITE)
# Who may enter answers (accounts.rules); the services ask "surveys.answer_for_cooperative"
# of the particular cooperative.
MAY_ANSWER = "surveys.answer_surveys"
TAG_SURVEYS = ["Questionnaires and rounds"]
TAG_RESPONSES = ["Self-assessments"]
ADDONS = Prefetch("addon_questions", queryset=AddOnQuestion.objects.prefetch_related("options"))


@extend_schema(tags=TAG_SURVEYS, summary="Questionnaire versions (published ones; drafts too for admins)")
class QuestionnaireList(SignedInGenericAPIView, generics.ListAPIView):
    serializer_class = QuestionnaireSerializer
    pagination_class = None
    filter_backends: list[Any] = []
    required_scopes = {"GET": SURVEY_SCOPES}

    def get_queryset(self) -> QuerySet[Questionnaire]:
        if getattr(self, "swagger_fake_view", False):
            return Questionnaire.objects.none()
        return selectors.questionnaire_list(user=self.request.user)


@extend_schema(tags=TAG_SURVEYS, summary="One questionnaire version: pillars, questions and options")
class QuestionnaireDetail(SignedInGenericAPIView, generics.RetrieveAPIView):
    serializer_class = QuestionnaireDetailSerializer
    required_scopes = {"GET": SURVEY_SCOPES}
    queryset = Questionnaire.objects.none()

    def get_object(self) -> Questionnaire:
        return selectors.questionnaire_get(user=self.request.user, pk=self.kwargs["pk"])


@extend_schema(tags=TAG_SURVEYS, summary="National indicator definitions (the `<code>_pct` metrics)")
class IndicatorDefinitionList(SignedInGenericAPIView, generics.ListAPIView):
    serializer_class = IndicatorDefinitionSerializer
    pagination_class = None
    filter_backends: list[Any] = []
    required_scopes = {"GET": SURVEY_SCOPES}

    def get_queryset(self) -> Any:
        return selectors.indicator_definition_list()


@extend_schema(tags=TAG_SURVEYS, summary="Survey rounds that concern the caller (national and their province's)")
class RoundList(SignedInGenericAPIView, generics.ListAPIView):
    serializer_class = RoundSerializer
    pagination_class = None
    filter_backends: list[Any] = []
    required_scopes = {"GET": SURVEY_SCOPES}

    def get_queryset(self) -> QuerySet[SurveyRound]:
        if getattr(self, "swagger_fake_view", False):
            return SurveyRound.objects.none()
        return selectors.round_list(user=self.request.user).prefetch_related(ADDONS)


@extend_schema(tags=TAG_SURVEYS, summary="One survey round (404 outside the caller's scope)")
class RoundDetail(SignedInGenericAPIView, generics.RetrieveAPIView):
    serializer_class = RoundSerializer
    required_scopes = {"GET": SURVEY_SCOPES}
    queryset = SurveyRound.objects.none()
    lookup_field = "code"

    def get_object(self) -> SurveyRound:
        return selectors.round_get(user=self.request.user, code=self.kwargs["code"])


def _detail(request: AuthenticatedRequest, response: SurveyResponse) -> dict[str, Any]:
    """The response as the caller may see it now (read again through the selector)."""
    response = selectors.response_get(user=request.user, pk=response.pk)
    context = {
        "request": request,
        "answers": services.response_answer_values(response),
        "provincial_answers": addon_answer_values(response),
    }
    return ResponseDetailSerializer(response, context=context).data


@extend_schema(tags=TAG_RESPONSES, summary="Self-assessments in the caller's scope")
class ResponseList(SignedInGenericAPIView, generics.ListAPIView):
    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter
    ordering = ("pk",)
    required_scopes = {"GET": RESPONSE_READ_SCOPES}

    def get_queryset(self) -> QuerySet[SurveyResponse]:
        if getattr(self, "swagger_fake_view", False):
            return SurveyResponse.objects.none()
        return selectors.response_list(user=self.request.user)


class ResponseDetail(SignedInGenericAPIView):
    serializer_class = ResponseDetailSerializer
    queryset = SurveyResponse.objects.none()
    required_scopes = {"GET": RESPONSE_READ_SCOPES, "PATCH": ApiScope.RESPONSES_WRITE}
    allowed = {"PATCH": MAY_ANSWER}

    @extend_schema(tags=TAG_RESPONSES, summary="One self-assessment with its answers and pillar scores")
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        response = selectors.response_get(user=request.user, pk=pk)
        return Response(_detail(request, response))

    @extend_schema(
        tags=TAG_RESPONSES,
        summary="Save answers (a draft page, or corrections before review)",
        description=(
            "Give the `revision` you read: if the response changed since, the answer is 409 and nothing is "
            "saved. Errors of single answers are 400 with `fields` like `answers.<question code>`. "
            "An edited submitted or returned response goes back to draft and must be submitted again."
        ),
        request=ResponseAnswersSerializer,
        responses={200: ResponseDetailSerializer, 409: error_response(409)},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        response = selectors.response_get(user=request.user, pk=pk)
        body = ResponseAnswersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            response = services.response_save_answers(
                response=response,
                answers=body.validated_data["answers"],
                by=request.user,
                revision=body.validated_data["revision"],
            )
        except services.ResponseConflict:
            raise  # a ValidationError too, but answered 409 by the API's error handler
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise serializers.ValidationError({"answers": error.message_dict}) from error
            raise
        return Response(_detail(request, response))


class ResponseSubmit(SignedInGenericAPIView):
    serializer_class = ResponseSubmitSerializer
    queryset = SurveyResponse.objects.none()
    required_scopes = {"POST": ApiScope.RESPONSES_WRITE}
    allowed = {"POST": MAY_ANSWER}

    @extend_schema(
        tags=TAG_RESPONSES,
        summary="Submit a complete self-assessment: it is scored and goes to the province for review",
        request=ResponseSubmitSerializer,
        responses={200: ResponseDetailSerializer, 400: error_response(400), 409: error_response(409)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        response = selectors.response_get(user=request.user, pk=pk)
        body = ResponseSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            response = services.response_submit(
                response=response,
                by=request.user,
                revision=body.validated_data["revision"],
                confirm_warnings=body.validated_data["confirm_warnings"],
            )
        except AnswersInconsistent as refusal:
            fields = {f"rules.{finding.code}": [finding.message] for finding in refusal.findings}
            return Response(
                error_body(refusal.refusal_code, refusal.summary, fields), status=status.HTTP_400_BAD_REQUEST
            )
        return Response(_detail(request, response))


class CooperativeResponseStart(SignedInGenericAPIView):
    serializer_class = ResponseStartSerializer
    queryset = SurveyResponse.objects.none()
    required_scopes = {"POST": ApiScope.RESPONSES_WRITE}
    allowed = {"POST": MAY_ANSWER}

    @extend_schema(
        tags=TAG_RESPONSES,
        summary="Start (or get) the cooperative's self-assessment in a round",
        description=(
            "The cooperative is the one in the URL, looked up in the caller's scope (404 outside it): a member "
            "reaches only their own cooperative; an officer enters on behalf of cooperatives of their province. "
            "201 when the response is created, 200 when it already existed."
        ),
        request=ResponseStartSerializer,
        responses={201: ResponseDetailSerializer, 200: ResponseDetailSerializer},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        cooperative = registry.cooperative_get(user=request.user, pk=pk)
        body = ResponseStartSerializer(data=request.data, rounds=selectors.round_list(user=request.user))
        body.is_valid(raise_exception=True)
        survey_round = body.validated_data["round"]
        existed = (
            selectors.response_list(user=request.user).filter(round=survey_round, cooperative=cooperative).exists()
        )
        response = services.response_start(survey_round=survey_round, cooperative=cooperative, by=request.user)
        return Response(_detail(request, response), status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)
