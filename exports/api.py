"""Export jobs over the API: start one (POST), follow it (GET), download its file when done.

The browser's path: ``exports.services`` starts, ``exports.selectors`` reads (the caller's own
jobs; anyone else's is 404). A token needs the read scope of what it exports.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.permissions import token_of
from accounts.models import ApiScope
from coopdx.api.schema import error_response
from coopdx.api.views import SignedInGenericAPIView
from coopdx.http import AuthenticatedRequest

from . import selectors, services
from .models import ExportFormat, ExportJob, ExportKind

TAG_EXPORTS = ["Export jobs"]
READ_SCOPES = (ApiScope.RESPONSES_READ, ApiScope.REGISTRY_READ, ApiScope.INDICATORS_READ)
SCOPE_OF_KIND = {
    ExportKind.RESPONSES: ApiScope.RESPONSES_READ,
    ExportKind.REGISTRY: ApiScope.REGISTRY_READ,
    ExportKind.INDICATORS: ApiScope.INDICATORS_READ,
}
MAY_EXPORT = "exports.start_export"


class ExportJobSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    dictionary_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "fmt",
            "rounds",
            "provinces",
            "status",
            "progress_done",
            "progress_total",
            "size",
            "created_at",
            "finished_at",
            "expires_at",
            "message",
            "download_url",
            "dictionary_url",
        ]

    def _url(self, job: ExportJob, name: str) -> str | None:
        if not job.is_available:
            return None
        return self.context["request"].build_absolute_uri(reverse(name, args=[job.pk]))

    def get_download_url(self, job: ExportJob) -> str | None:
        return self._url(job, "api:export-job-file")

    def get_dictionary_url(self, job: ExportJob) -> str | None:
        return self._url(job, "exports:dictionary")


class ExportStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExportKind.choices)
    fmt = serializers.ChoiceField(choices=ExportFormat.choices, default=ExportFormat.CSV)
    rounds = serializers.ListField(child=serializers.CharField(max_length=32), required=False, max_length=50)
    provinces = serializers.ListField(child=serializers.CharField(max_length=2), required=False, max_length=40)


class ExportJobList(SignedInGenericAPIView, generics.ListAPIView):
    serializer_class = ExportJobSerializer
    required_scopes = {"GET": READ_SCOPES, "POST": READ_SCOPES}
    allowed = {"GET": MAY_EXPORT, "POST": MAY_EXPORT}

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ExportJob.objects.none()
        return selectors.export_job_list(user=self.request.user)

    @extend_schema(tags=TAG_EXPORTS, summary="Your export jobs, newest first")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAG_EXPORTS,
        summary="Start an export job (written in the background; poll its status)",
        request=ExportStartSerializer,
        responses={202: ExportJobSerializer, 400: error_response(400)},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        body = ExportStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        token = token_of(request)
        if token is not None and SCOPE_OF_KIND[data["kind"]] not in token.scopes:
            raise PermissionDenied
        try:
            job = services.export_job_start(
                kind=data["kind"],
                fmt=data["fmt"],
                rounds=data.get("rounds", []),
                provinces=data.get("provinces", []),
                by=request.user,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"fmt": error.messages}) from error
        return Response(ExportJobSerializer(job, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)


class ExportJobDetail(SignedInGenericAPIView, generics.RetrieveAPIView):
    serializer_class = ExportJobSerializer
    required_scopes = {"GET": READ_SCOPES}
    allowed = {"GET": MAY_EXPORT}

    def get_object(self) -> ExportJob:
        return selectors.export_job_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(tags=TAG_EXPORTS, summary="An export job's status and progress, with its download links when done")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ExportJobFile(SignedInGenericAPIView):
    required_scopes = {"GET": READ_SCOPES}
    allowed = {"GET": MAY_EXPORT}

    @extend_schema(
        tags=TAG_EXPORTS,
        summary="Download a finished export (gzip); recorded in the audit trail",
        responses={(200, "application/gzip"): OpenApiTypes.BINARY, 404: error_response(404)},
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> FileResponse:
        job = selectors.export_job_get(user=request.user, pk=pk)
        if not job.is_available:
            raise Http404
        services.export_job_downloaded(job=job, by=request.user)
        name = (job.file.name or "").rsplit("/", 1)[-1]
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=name, content_type="application/gzip")


urlpatterns = [
    path("exports/", ExportJobList.as_view(), name="export-job-list"),
    path("exports/<int:pk>/", ExportJobDetail.as_view(), name="export-job-detail"),
    path("exports/<int:pk>/file/", ExportJobFile.as_view(), name="export-job-file"),
]
