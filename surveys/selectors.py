"""Reads of questionnaires, rounds and responses, scoped to the user (browser and API alike).

Longer than 300 lines on purpose: every read of the survey app passes here, so that each is
scoped to its user in one place (the pages and the API share them); each function is one read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Avg, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Window
from django.shortcuts import get_object_or_404

from accounts.models import User as UserModel
from coopdx.collation import vietnamese
from coopdx.disclosure import enough
from cooperatives.models import Cooperative, CooperativeStatus

from .addons import addon_review_part
from .lifecycle import counted_statuses, expected_to_answer
from .models import (
    Advice,
    Answer,
    FlagStatus,
    IndicatorDefinition,
    IndicatorMapping,
    Option,
    Pillar,
    PillarScore,
    Question,
    Questionnaire,
    Response,
    ResponseFlag,
    ResponseStatus,
    SurveyRound,
)
from .scoring import AnswerValue

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from accounts.models import User


def round_list(*, user: User) -> QuerySet[SurveyRound]:
    """Rounds that concern the user: national ones and those of their province."""
    rounds = SurveyRound.objects.select_related("questionnaire", "province")
    if user.is_national:
        return rounds
    if user.is_officer:
        return rounds.filter(Q(province__isnull=True) | Q(province_id=user.province_id))
    if user.is_member and user.cooperative_id:
        return rounds.filter(Q(province__isnull=True) | Q(province__cooperatives__pk=user.cooperative_id))
    return rounds.none()


def round_get(*, user: User, code: str) -> SurveyRound:
    return get_object_or_404(round_list(user=user), code=code)


def response_list(*, user: User) -> QuerySet[Response]:
    responses = Response.objects.select_related(
        "round", "cooperative", "cooperative__province", "entered_by", "submitted_by", "reviewed_by", "scoring_scheme"
    )
    if user.is_national:
        return responses
    if user.is_officer and user.province_id is not None:
        return responses.filter(cooperative__province_id=user.province_id)
    if user.is_member and user.cooperative_id is not None:
        return responses.filter(cooperative_id=user.cooperative_id)
    return responses.none()


def response_get(*, user: User, pk: int) -> Response:
    """One response; 404 when missing or outside the user's scope (the same answer for both)."""
    return get_object_or_404(response_list(user=user).select_related("round__questionnaire"), pk=pk)


def round_progress(*, survey_round: SurveyRound, user: User, province_id: int | None = None) -> list[dict[str, Any]]:
    """Every cooperative in scope with its state in the round: not started, draft, submitted,
    returned or accepted. Two queries whatever the number of cooperatives."""
    cooperatives = Cooperative.objects.visible_to(user).filter(expected_to_answer()).select_related("ward")
    if survey_round.province_id:
        cooperatives = cooperatives.filter(province_id=survey_round.province_id)
    if province_id:
        cooperatives = cooperatives.filter(province_id=province_id)
    responses = Response.objects.filter(round=survey_round, cooperative=OuterRef("pk"))
    cooperatives = cooperatives.annotate(
        response_id=Subquery(responses.values("pk")[:1]),
        response_status=Subquery(responses.values("status")[:1]),
        response_level=Subquery(responses.values("level")[:1]),
    ).order_by(vietnamese("name"))
    emails: dict[int, list[str]] = {}
    for cooperative_id, email in (
        UserModel.objects.filter(cooperative__in=cooperatives.values("pk"), is_active=True)
        .exclude(email="")
        .values_list("cooperative_id", "email")
    ):
        emails.setdefault(cooperative_id, []).append(email)
    return [
        {
            "cooperative": cooperative,
            "response_id": cooperative.response_id,
            "state": cooperative.response_status or "not_started",
            "level": cooperative.response_level,
            "member_emails": emails.get(cooperative.pk, []),
        }
        for cooperative in cooperatives
    ]


ROUND_STATES = ("not_started", *ResponseStatus.values)


def _round_scope(*, survey_round: SurveyRound, user: User) -> QuerySet[Cooperative]:
    cooperatives = Cooperative.objects.visible_to(user).filter(expected_to_answer())
    if survey_round.province_id:
        cooperatives = cooperatives.filter(province_id=survey_round.province_id)
    return cooperatives


def round_cooperatives(
    *, survey_round: SurveyRound, user: User, state: str = "", search: str = ""
) -> QuerySet[Cooperative]:
    """The cooperatives a round concerns in the user's scope, filtered by their state in the
    round and by a search of the registry's kind, in the database and ordered by name: ready to
    be paginated."""
    from cooperatives.filters import CooperativeFilter

    cooperatives = _round_scope(survey_round=survey_round, user=user).select_related("ward")
    responses = Response.objects.filter(round=survey_round, cooperative=OuterRef("pk"))
    if state == "not_started":
        cooperatives = cooperatives.filter(~Exists(responses))
    elif state in ResponseStatus.values:
        cooperatives = cooperatives.filter(Exists(responses.filter(status=state)))
    if search:
        cooperatives = CooperativeFilter({"q": search}, queryset=cooperatives).qs
    return cooperatives.order_by(vietnamese("name"), "pk")


def round_rows(*, survey_round: SurveyRound, cooperatives: list[Cooperative]) -> list[dict[str, Any]]:
    """A page of a round's cooperatives with their response, who entered and who reviewed it
    (one query for the page)."""
    responses = {
        r.cooperative_id: r
        for r in Response.objects.filter(
            round=survey_round, cooperative__in=[c.pk for c in cooperatives]
        ).select_related("entered_by", "submitted_by", "reviewed_by")
    }
    rows = []
    for cooperative in cooperatives:
        response = responses.get(cooperative.pk)
        rows.append(
            {
                "cooperative": cooperative,
                "response": response,
                "response_id": response.pk if response else None,
                "state": response.status if response else "not_started",
                "level": response.level if response else None,
            }
        )
    return rows


def round_unreachable(*, user: User, cooperative_ids: list[int]) -> QuerySet[Cooperative]:
    """Cooperatives a reminder could not reach (no e-mail), to call or to print, in scope."""
    return (
        Cooperative.objects.visible_to(user)
        .filter(pk__in=cooperative_ids)
        .select_related("ward")
        .order_by(vietnamese("name"), "pk")
    )


def response_list_to_review(*, user: User) -> QuerySet[Response]:
    """Submitted responses waiting for the user's review, oldest submission first: in the
    officer's province (every one for a national administrator), except those the user entered,
    which another person accepts (the rule ``surveys.accept_response``, set-wise)."""
    if not (user.is_national_admin or user.is_officer):
        return Response.objects.none()
    return (
        response_list(user=user)
        .filter(status=ResponseStatus.SUBMITTED)
        .exclude(Response.entered_by_user(user))
        .order_by("submitted_at", "pk")
    )


def flag_list_to_review(*, user: User) -> QuerySet[ResponseFlag]:
    """Open data-check flags on the responses waiting for the user's review
    (:func:`response_list_to_review`), oldest first, each with ``total``, how many there are in
    all (so that a page naming a few says how many in the same query)."""
    return (
        ResponseFlag.objects.filter(status=FlagStatus.OPEN, response__in=response_list_to_review(user=user))
        .select_related("response__cooperative", "response__round")
        .annotate(total=Window(Count("pk")))
        .order_by("raised_at", "pk")
    )


def response_flags(*, response: Response) -> list[ResponseFlag]:
    """Every flag the data checks raised on the response, open ones first, with who resolved them."""
    flags = response.flags.select_related("resolved_by")
    return sorted(flags, key=lambda flag: (not flag.is_open, flag.raised_at, flag.pk))


def flag_get(*, user: User, pk: int) -> ResponseFlag:
    """One flag on a response the user sees; 404 when missing or outside the user's scope."""
    return get_object_or_404(
        ResponseFlag.objects.filter(response__in=response_list(user=user)).select_related("response"), pk=pk
    )


class WaitingFields(TypedDict):
    waiting: int


if TYPE_CHECKING:
    RoundWithWaiting = WithAnnotations[SurveyRound, WaitingFields]


def rounds_with_responses_to_review(*, user: User) -> QuerySet[RoundWithWaiting]:
    """The rounds of :func:`response_list_to_review`, each with ``waiting``, its count (one query)."""
    waiting = response_list_to_review(user=user)
    return (
        SurveyRound.objects.filter(pk__in=waiting.values("round_id"))
        .annotate(waiting=Count("responses", filter=Q(responses__in=waiting.values("pk"))))
        .order_by("-opens_on", "pk")
    )


def open_rounds(*, user: User) -> QuerySet[SurveyRound]:
    """The rounds open today that concern the user."""
    from django.utils import timezone

    today = timezone.localdate()
    return round_list(user=user).filter(opens_on__lte=today, closes_on__gte=today)


def cooperatives_to_reach(*, user: User, province_id: int | None = None) -> QuerySet[Cooperative]:
    """The call list: cooperatives in scope that have not started any open round that concerns
    them (no response at all: not even a draft) and that no reminder can reach, having neither a
    phone nor an e-mail address, nor a member with an e-mail (as ``reminders`` reads them).
    Dissolved and archived ones are left out. Ordered by ward then name, to go round by ward."""
    from django.utils import timezone

    today = timezone.localdate()
    open_rounds = SurveyRound.objects.filter(opens_on__lte=today, closes_on__gte=today)
    concerning = open_rounds.filter(Q(province__isnull=True) | Q(province_id=OuterRef("province_id")))
    started = Response.objects.filter(cooperative=OuterRef("pk"), round__in=open_rounds)
    member_email = UserModel.objects.filter(cooperative=OuterRef("pk"), is_active=True).exclude(email="")
    cooperatives = (
        Cooperative.objects.visible_to(user).filter(is_archived=False).exclude(status=CooperativeStatus.DISSOLVED)
    )
    if province_id is not None:
        cooperatives = cooperatives.filter(province_id=province_id)
    return (
        cooperatives.filter(phone="", email="")
        .filter(Exists(concerning), ~Exists(started), ~Exists(member_email))
        .select_related("ward")
        .order_by(vietnamese("ward__name"), vietnamese("name"), "pk")
    )


def round_counts_many(*, rounds: list[SurveyRound], user: User) -> dict[int, dict[str, int]]:
    """How many cooperatives in scope are in each state, for each round: one grouped query of
    responses by round and status, one of cooperatives by province, whatever the number of rounds.
    The cooperatives are those the round expects an answer from (``lifecycle.expected_to_answer``),
    the base of the dashboard's coverage."""
    cooperatives = Cooperative.objects.visible_to(user).filter(expected_to_answer())
    per_province = dict(
        cooperatives.order_by().values_list("province_id").annotate(n=Count("pk")).values_list("province_id", "n")
    )
    grouped = (
        Response.objects.filter(round__in=[r.pk for r in rounds], cooperative__in=cooperatives)
        .filter(Q(round__province__isnull=True) | Q(round__province_id=F("cooperative__province_id")))
        .order_by()
        .values_list("round_id", "status", "is_proxy")
        .annotate(n=Count("pk"))
    )
    by_round: dict[int, dict[str, int]] = {}
    proxies: dict[int, int] = {}
    for round_id, status, is_proxy, n in grouped:
        statuses = by_round.setdefault(round_id, {})
        statuses[status] = statuses.get(status, 0) + n
        if is_proxy:
            proxies[round_id] = proxies.get(round_id, 0) + n
    counts = {}
    for survey_round in rounds:
        if survey_round.province_id:
            total = per_province.get(survey_round.province_id, 0)
        else:
            total = sum(per_province.values())
        by_status = by_round.get(survey_round.pk, {})
        counts[survey_round.pk] = {
            "total": total,
            "not_started": total - sum(by_status.values()),
            "proxy": proxies.get(survey_round.pk, 0),
            **{s: by_status.get(s, 0) for s in ResponseStatus.values},
        }
    return counts


def round_counts(*, survey_round: SurveyRound, user: User) -> dict[str, int]:
    """How many cooperatives in scope are in each state (database counts only)."""
    return round_counts_many(rounds=[survey_round], user=user)[survey_round.pk]


def response_review(*, response: Response) -> list[dict[str, Any]]:
    """Every question of the response, part by part as the form asks them, with the saved answer
    as the person who gave it reads it: the chosen options' labels, the number and its unit, the
    text; ``answered`` False where nothing was saved. For the check before sending. Four queries
    whatever the number of questions."""
    answers = {
        answer.question_id: answer for answer in Answer.objects.filter(response=response).prefetch_related("options")
    }
    parts = []
    pillars = response.round.questionnaire.pillars.prefetch_related("questions")
    for page, pillar in enumerate(pillars, start=1):
        rows = []
        for question in pillar.questions.all():
            answer = answers.get(question.pk)
            options = list(answer.options.all()) if answer else []
            value = AnswerValue(
                options=[option.code for option in options],
                number=answer.number if answer else None,
                text=answer.text if answer else "",
            )
            rows.append(
                {
                    "question": question,
                    "labels": [option.label for option in options],
                    "number": value.number,
                    "text": value.text,
                    "answered": not value.is_empty,  # the rule the required check uses
                }
            )
        parts.append({"page": page, "pillar": pillar, "name": pillar.name, "rows": rows})
    provincial = addon_review_part(response, page=len(parts) + 1)  # a provincial round's add-ons, last
    return parts if provincial is None else [*parts, provincial]


def response_pillars(*, response: Response) -> list[dict[str, Any]]:
    """The response's pillars with score, level, the province average and advice for its level."""
    questionnaire = response.round.questionnaire
    pillars = list(questionnaire.pillars.all())
    scores = {p.pillar_code: p for p in PillarScore.objects.filter(response=response)}
    province_average = {
        code: average
        for code, average, n in PillarScore.objects.filter(
            response__round_id=response.round_id,
            response__cooperative__province_id=response.cooperative.province_id,
            response__status__in=(*counted_statuses(), ResponseStatus.SUBMITTED),
        )
        .values("pillar_code")
        .annotate(avg=Avg("score"), n=Count("pk"))
        .values_list("pillar_code", "avg", "n")
        if enough(n)  # the small-numbers rule, as for the overall average
    }
    advice = {(a.pillar_id, a.level): a for a in Advice.objects.filter(pillar__questionnaire=questionnaire)}
    rows = []
    for pillar in pillars:
        score = scores.get(pillar.code)
        rows.append(
            {
                "pillar": pillar,
                "score": score.score if score else None,
                "level": score.level if score else None,
                "province_average": _round(province_average.get(pillar.code)),
                "advice": advice.get((pillar.pk, score.level)) if score else None,
            }
        )
    return rows


def _round(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def previous_response(*, response: Response) -> Response | None:
    """The same cooperative's scored response in the round before this one."""
    return (
        Response.objects.filter(
            cooperative_id=response.cooperative_id,
            round__opens_on__lt=response.round.opens_on,
            score__isnull=False,
        )
        .select_related("round")
        .order_by("-round__opens_on")
        .first()
    )


def province_average_score(*, response: Response) -> Decimal | None:
    """The province's average score in the round, or None over fewer than ``MIN_ANSWERS``
    self-assessments (``coopdx.disclosure``: an average of two discloses the other's score)."""
    figures = Response.objects.filter(
        round_id=response.round_id,
        cooperative__province_id=response.cooperative.province_id,
        status__in=(*counted_statuses(), ResponseStatus.SUBMITTED),
        score__isnull=False,
    ).aggregate(avg=Avg("score"), n=Count("pk"))
    return _round(figures["avg"]) if enough(figures["n"]) else None


def open_rounds_for_cooperative(*, cooperative: Cooperative) -> list[SurveyRound]:
    from django.utils import timezone

    today = timezone.localdate()
    return list(
        SurveyRound.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .filter(Q(province__isnull=True) | Q(province_id=cooperative.province_id))
        .select_related("questionnaire")
    )


def questionnaire_list(*, user: User) -> QuerySet[Questionnaire]:
    """Published versions for everyone; national administrators also see drafts."""
    questionnaires = Questionnaire.objects.all()
    if user.is_national_admin:
        return questionnaires
    return questionnaires.filter(published_at__isnull=False)


def questionnaire_get(*, user: User, pk: int) -> Questionnaire:
    """One version with its pillars, questions and options (four queries in all)."""
    questions = Question.objects.order_by("position").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("position"))
    )
    pillars = Pillar.objects.order_by("position").prefetch_related(Prefetch("questions", queryset=questions))
    return get_object_or_404(
        questionnaire_list(user=user).prefetch_related(Prefetch("pillars", queryset=pillars)), pk=pk
    )


def questionnaire_versions(*, user: User) -> QuerySet[Questionnaire]:
    """Every version the user may see, newest first within each questionnaire, with its number
    of questions and the rounds that use it (two queries)."""
    rounds = Prefetch("rounds", queryset=SurveyRound.objects.order_by("-opens_on", "code"))
    return (
        questionnaire_list(user=user)
        .annotate(question_count=Count("questions", distinct=True))
        .prefetch_related(rounds)
        .order_by("code", "-version")
    )


def indicator_definition_list() -> QuerySet[IndicatorDefinition]:
    """The national indicators (data, not scoped), with the published versions' mappings that
    carry a series on where a version dropped or changed its question (``surveys.continuity``)."""
    published = IndicatorMapping.objects.filter(questionnaire__published_at__isnull=False)
    mappings = Prefetch("mappings", queryset=published.select_related("questionnaire").order_by("questionnaire_id"))
    return IndicatorDefinition.objects.order_by("position", "code").prefetch_related(mappings)
