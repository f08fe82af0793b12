"""Reads of export jobs: each person sees the jobs they started; 404 for anyone else's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cooperatives import selectors as registry
from surveys import selectors as surveys

from .models import ExportJob

if TYPE_CHECKING:
    from accounts.models import User
    from cooperatives.models import Province
    from surveys.models import SurveyRound


def export_job_list(*, user: User) -> QuerySet[ExportJob]:
    if not user.is_authenticated or not user.has_perm("exports.start_export"):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(created_by=user)


def export_job_get(*, user: User, pk: int) -> ExportJob:
    return get_object_or_404(export_job_list(user=user), pk=pk)


def export_rounds(*, user: User) -> QuerySet[SurveyRound]:
    """The rounds the user may export (those that concern them)."""
    return surveys.round_list(user=user).order_by("-opens_on")


def export_provinces(*, user: User) -> QuerySet[Province]:
    return registry.province_list(user=user).order_by("name")
