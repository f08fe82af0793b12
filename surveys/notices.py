"""Notifications of the surveys: a round opened, a round closing soon, a response reviewed.

Each event notifies once (``notifications.services.notify`` keeps one notification per person
and event key). The two round notices are sent by a daily task that looks at every open round,
so a member who joins a cooperative during a round is told too; the review notice is sent by
``services.response_review`` inside its transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role, User
from notifications.models import NotificationKind
from notifications.services import notify

from .lifecycle import expected_to_answer
from .models import Response, ResponseStatus, SurveyRound

if TYPE_CHECKING:
    from notifications.models import Notification

CHUNK = 500


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _round_params(survey_round: SurveyRound) -> dict[str, object]:
    return {
        "round": {"vi": survey_round.name_vi, "en": survey_round.name_en or survey_round.name_vi},
        "closes": _date(survey_round.closes_on),
    }


def _members(survey_round: SurveyRound, *, not_submitted: bool) -> QuerySet[User]:
    """Active members of the cooperatives the round expects an answer from (optionally only of
    those that have not submitted yet)."""
    members = User.objects.filter(
        expected_to_answer("cooperative__"), role=Role.COOPERATIVE_MEMBER, is_active=True
    ).order_by("pk")
    if survey_round.province_id:
        members = members.filter(cooperative__province_id=survey_round.province_id)
    if not_submitted:
        sent = Response.objects.filter(
            round=survey_round,
            cooperative=OuterRef("cooperative"),
            status__in=[ResponseStatus.SUBMITTED, ResponseStatus.ACCEPTED],
        )
        members = members.exclude(Exists(sent))
    return members


def _chunks(members: QuerySet[User]) -> Iterator[list[User]]:
    batch: list[User] = []
    for member in members.iterator(chunk_size=CHUNK):
        batch.append(member)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def round_notices_send(*, today: datetime.date | None = None) -> int:
    """Tell the members of every open round that it is open, and, from
    ``ROUND_REMINDER_DAYS_BEFORE_CLOSE`` days before it closes, those who have not submitted
    that it closes soon. Returns how many notifications were made."""
    today = today or timezone.localdate()
    days = settings.ROUND_REMINDER_DAYS_BEFORE_CLOSE
    made = 0
    link = reverse("surveys:home")
    for survey_round in SurveyRound.objects.filter(opens_on__lte=today, closes_on__gte=today):
        params = _round_params(survey_round)
        for batch in _chunks(_members(survey_round, not_submitted=False)):
            made += len(
                notify(
                    kind=NotificationKind.ROUND_OPENED,
                    recipients=batch,
                    key=f"round_opened:{survey_round.pk}",
                    params=params,
                    link=link,
                )
            )
        if survey_round.closes_on - datetime.timedelta(days=days) <= today:
            for batch in _chunks(_members(survey_round, not_submitted=True)):
                made += len(
                    notify(
                        kind=NotificationKind.ROUND_REMINDER,
                        recipients=batch,
                        key=f"round_reminder:{survey_round.pk}:{days}",
                        params=params,
                        link=link,
                    )
                )
    return made


def _level_names(response: Response) -> dict[str, str]:
    """The response's level named in each language, by the scheme it was scored with."""
    result: dict[str, str] = {}
    for language in ("vi", "en"):
        with translation.override(language):
            result[language] = response.level_name
    return result


def response_reviewed(*, response: Response) -> list[Notification]:
    """Tell the cooperative's members (and whoever submitted the response) that it was accepted
    or returned, with the officer's comment."""
    returned = response.status == ResponseStatus.RETURNED
    recipients = list(
        User.objects.filter(cooperative_id=response.cooperative_id, role=Role.COOPERATIVE_MEMBER, is_active=True)
    )
    if response.submitted_by is not None:
        recipients.append(response.submitted_by)
    survey_round = response.round
    return notify(
        kind=NotificationKind.RESPONSE_RETURNED if returned else NotificationKind.RESPONSE_ACCEPTED,
        recipients=recipients,
        key=f"response_{response.status}:{response.pk}:{response.revision}",
        params={
            "round": {"vi": survey_round.name_vi, "en": survey_round.name_en or survey_round.name_vi},
            "cooperative": response.cooperative.name,
            "comment": response.review_comment,
            "level": _level_names(response),
        },
        link=reverse("surveys:result", args=[response.pk]),
    )
