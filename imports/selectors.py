"""Reads of import jobs, scoped to the user."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import ImportJob, ImportJobStatus

if TYPE_CHECKING:
    from accounts.models import User


def import_job_list(*, user: User) -> QuerySet[ImportJob]:
    """Imports the user started; national administrators see every import."""
    jobs = ImportJob.objects.select_related("created_by", "scope_province")
    return jobs if user.is_national_admin else jobs.filter(created_by=user)


def import_job_get(*, user: User, pk: int) -> ImportJob:
    return get_object_or_404(import_job_list(user=user), pk=pk)


# How long an import that did not go through stays in its uploader's work list, unless a later
# import of the same kind succeeded: long enough to see it the next week, short enough that a
# file given up on does not stay there for ever.
FAILED_LISTED_DAYS = 14
NOT_IMPORTED = (ImportJobStatus.FAILED, ImportJobStatus.INVALID)


def import_job_list_failed(*, user: User, now: datetime.datetime | None = None) -> QuerySet[ImportJob]:
    """The user's own imports that did not go through (the file had errors, or the import
    failed), newest first, for the past ``FAILED_LISTED_DAYS`` days; one is no longer listed
    once a later import of the same kind by the same person was imported."""
    now = now or timezone.now()
    redone = ImportJob.objects.filter(
        created_by=OuterRef("created_by"),
        kind=OuterRef("kind"),
        status=ImportJobStatus.DONE,
        created_at__gt=OuterRef("created_at"),
    )
    return (
        import_job_list(user=user)
        .filter(created_by=user, status__in=NOT_IMPORTED)
        .filter(created_at__gte=now - datetime.timedelta(days=FAILED_LISTED_DAYS))
        .filter(~Exists(redone))
        .order_by("-created_at", "-pk")
    )
