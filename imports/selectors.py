"""Reads of import jobs, scoped to the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ImportJob

if TYPE_CHECKING:
    from accounts.models import User


def import_job_list(*, user: User) -> QuerySet[ImportJob]:
    """Imports the user started; national administrators see every import."""
    jobs = ImportJob.objects.select_related("created_by", "scope_province")
    return jobs if user.is_national_admin else jobs.filter(created_by=user)


def import_job_get(*, user: User, pk: int) -> ImportJob:
    return get_object_or_404(import_job_list(user=user), pk=pk)
