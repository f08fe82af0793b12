"""Every read of support programmes and support received, scoped to the user (404 outside it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cooperatives.models import Cooperative
from surveys.models import SurveyRound
from surveys.selectors import round_list

from .models import SupportProgramme, SupportReceived

if TYPE_CHECKING:
    from accounts.models import User


def programme_list(*, user: User) -> QuerySet[SupportProgramme]:
    """National programmes and those of the user's province (every one for national roles), each
    with the number of cooperatives the user may see that received its support."""
    programmes = SupportProgramme.objects.select_related("province")
    if user.is_national:
        supported = Count("received__cooperative", distinct=True)
    elif user.is_officer and user.province_id is not None:
        programmes = programmes.filter(Q(province__isnull=True) | Q(province_id=user.province_id))
        supported = Count(
            "received__cooperative", distinct=True, filter=Q(received__cooperative__province_id=user.province_id)
        )
    else:
        return programmes.none()
    return programmes.annotate(supported_count=supported)


def programme_get(*, user: User, code: str) -> SupportProgramme:
    return get_object_or_404(programme_list(user=user), code=code)


def programme_choices(*, user: User, cooperative: Cooperative) -> QuerySet[SupportProgramme]:
    """The programmes that may have supported ``cooperative``: national ones and its province's."""
    return SupportProgramme.objects.filter(Q(province__isnull=True) | Q(province_id=cooperative.province_id)).order_by(
        "-start_year", "code"
    )


def support_list_for_programme(*, user: User, programme: SupportProgramme) -> QuerySet[SupportReceived]:
    return (
        SupportReceived.objects.filter(programme=programme, cooperative__in=Cooperative.objects.visible_to(user))
        .select_related("cooperative", "cooperative__province", "cooperative__sector")
        .order_by("-received_on", "cooperative__code")
    )


def support_list_for_cooperative(*, user: User, cooperative: Cooperative) -> QuerySet[SupportReceived]:
    """The support a cooperative the user may see received (empty for one outside their scope)."""
    return (
        SupportReceived.objects.filter(cooperative=cooperative, cooperative__in=Cooperative.objects.visible_to(user))
        .select_related("programme")
        .order_by("-received_on", "pk")
    )


def support_get(*, user: User, pk: int) -> SupportReceived:
    records = SupportReceived.objects.filter(cooperative__in=Cooperative.objects.visible_to(user))
    return get_object_or_404(records.select_related("cooperative", "programme"), pk=pk)


def closed_rounds(*, user: User) -> QuerySet[SurveyRound]:
    """The rounds the user may compare, latest first: those that have closed."""
    return round_list(user=user).filter(closes_on__lt=timezone.localdate()).order_by("-opens_on", "code")
