"""Reads of upward reports, scoped to the user: national roles see every report; an officer, those
of their province and of its agencies; anyone else none. Out of scope is 404, like missing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from coopdx.collation import vietnamese
from cooperatives.models import Province

from ..models import Agency
from .models import UpwardReport

if TYPE_CHECKING:
    from accounts.models import User


def upward_report_list(*, user: User) -> QuerySet[UpwardReport]:
    reports = UpwardReport.objects.select_related("agency", "province", "created_by")
    if not user.is_authenticated or not user.is_active:
        return reports.none()
    if user.is_national:
        return reports
    if user.is_officer and user.province_id is not None:
        return reports.filter(Q(province_id=user.province_id) | Q(agency__province_id=user.province_id))
    return reports.none()


def upward_report_get(*, user: User, pk: int) -> UpwardReport:
    """One report; 404 when missing or outside the user's scope."""
    return get_object_or_404(upward_report_list(user=user), pk=pk)


def upward_agency_choices(*, user: User) -> QuerySet[Agency]:
    """Agencies the user may prepare a report for: any current one for a national admin, the
    current bodies of their province for an officer, their own agency for an agency account."""
    agencies = Agency.objects.filter(successor__isnull=True).order_by("kind", vietnamese("short_name"))
    if user.is_national_admin:
        return agencies
    if user.is_agency_bound and user.agency_id is not None:
        return agencies.filter(pk=user.agency_id)
    if user.is_officer and user.province_id is not None:
        return agencies.filter(province_id=user.province_id)
    return agencies.none()


def upward_province_choices(*, user: User) -> QuerySet[Province]:
    if user.is_national_admin:
        return Province.objects.all()
    if user.is_officer and user.province_id is not None:
        return Province.objects.filter(pk=user.province_id)
    return Province.objects.none()
