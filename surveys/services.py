"""Writes to self-assessments. Browser, API and file import all come through here, so that
scoping, validation and scoring hold on every path."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from coopdx.errors import EditConflict
from coopdx.history import record_by
from cooperatives.models import Cooperative
from cooperatives.services import cooperatives_set_maturity

from .addons import addon_parse, addon_unanswered
from .answers import RawAnswer, parse_answer, store_answers
from .consistency import Finding, answers_check, confirmed_codes, questionnaire_rules, submission_refusal
from .flags import flags_raise, flags_resolve
from .lifecycle import change_refusal, counted_statuses, mark_entered, mark_started, mark_submitted, may_accept
from .models import (
    AddOnAnswer,
    Answer,
    FlagStatus,
    PillarScore,
    Question,
    Response,
    ResponseFlag,
    ResponseStatus,
    SurveyRound,
)
from .notices import response_reviewed
from .questionnaires import questionnaire_spec
from .scoring import AnswerValue, ScoreResult, score_response
from .skip_logic import answers_with_logic, constraints_refusal, has_logic, required_unanswered
from .webhook_events import response_accepted

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from accounts.models import User


class ResponseConflict(EditConflict):
    """The response changed since the form was opened (another tab, another person)."""


def _check_revision(response: Response, revision: int | None) -> None:
    """Refuse a write made from a form opened at an older revision of the response."""
    if revision is not None and revision != response.revision:
        raise ResponseConflict(
            _(
                "This self-assessment was changed in another window or by someone else after you opened it. "
                "Reload the page to see the latest answers, then make your changes again."
            )
        )


def _round_applies(survey_round: SurveyRound, cooperative: Cooperative) -> bool:
    return survey_round.province_id is None or survey_round.province_id == cooperative.province_id


@transaction.atomic
def response_start(*, survey_round: SurveyRound, cooperative: Cooperative, by: User) -> Response:
    """The cooperative's response in the round, created as a draft on first use."""
    if not by.has_perm("surveys.answer_for_cooperative", cooperative):
        raise PermissionDenied
    if not _round_applies(survey_round, cooperative):
        raise ValidationError(_("This round is not for this cooperative's province."))
    response = Response.objects.filter(round=survey_round, cooperative=cooperative).first()
    if response:
        return response
    if not survey_round.is_open():
        raise ValidationError(_("This survey round is closed."))
    response = Response(round=survey_round, cooperative=cooperative)
    mark_started(response, by=by)
    record_by(response, by)
    response.save()
    return response


def _questions(response: Response) -> dict[str, Question]:
    return {
        q.code: q
        for q in Question.objects.filter(questionnaire_id=response.round.questionnaire_id).prefetch_related("options")
    }


@transaction.atomic
def response_save_answers(
    *, response: Response, answers: Mapping[str, RawAnswer], by: User, revision: int | None = None
) -> Response:
    """Save some answers of a draft (a page of the questionnaire). Checks the revision the
    form was opened at, so two tabs cannot silently overwrite each other."""
    response = Response.objects.select_for_update().select_related("round", "cooperative").get(pk=response.pk)
    if not by.has_perm("surveys.answer_for_cooperative", response.cooperative):
        raise PermissionDenied
    refusal = change_refusal(response)
    if refusal:
        raise ValidationError(refusal)
    if not response.round.is_open():
        raise ValidationError(_("This survey round is closed."))
    _check_revision(response, revision)
    questions = _questions(response)
    # The codes that are no national question are the round's add-ons, kept apart (never scored).
    addon_values, errors = addon_parse(response, {c: raw for c, raw in answers.items() if c not in questions})
    parsed: dict[Question, AnswerValue] = {}
    for code, raw in ((c, raw) for c, raw in answers.items() if c in questions):
        question = questions[code]
        try:
            parsed[question] = parse_answer(question, raw)
        except ValidationError as error:
            errors.setdefault(code, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    spec = questionnaire_spec(response.round.questionnaire)
    if has_logic(spec):
        parsed = answers_with_logic(spec, response_answer_values(response), questions, parsed)
    store_answers(Answer, response, parsed)
    store_answers(AddOnAnswer, response, addon_values)
    mark_entered(response, by=by)
    record_by(response, by)
    response.save()
    return response


def response_answer_values(response: Response) -> dict[str, AnswerValue]:
    """The saved answers by question code (two queries)."""
    values: dict[str, AnswerValue] = {}
    answers = Answer.objects.filter(response=response).select_related("question").prefetch_related("options")
    for answer in answers:
        values[answer.question.code] = AnswerValue(
            options=[o.code for o in answer.options.all()], number=answer.number, text=answer.text
        )
    return values


def response_unanswered(response: Response, values: Mapping[str, AnswerValue] | None = None) -> list[str]:
    """Codes of required questions still without an answer, in questionnaire order."""
    values = response_answer_values(response) if values is None else values
    return required_unanswered(questionnaire_spec(response.round.questionnaire), values)


def response_compute(response: Response, values: Mapping[str, AnswerValue] | None = None) -> ScoreResult:
    values = response_answer_values(response) if values is None else values
    return score_response(questionnaire_spec(response.round.questionnaire), values, response.round.scheme.spec())


def _write_pillars(response: Response, result: ScoreResult) -> None:
    """Replace the response's pillar rows by the result's (the paper import writes them in bulk)."""
    PillarScore.objects.filter(response=response).delete()
    PillarScore.objects.bulk_create(
        [
            PillarScore(response=response, pillar_code=code, score=value, level=result.pillar_levels[code])
            for code, value in result.pillar_scores.items()
        ]
    )


def response_findings(response: Response, values: Mapping[str, AnswerValue] | None = None) -> list[Finding]:
    """The consistency rules of the response's version that its saved answers break."""
    values = response_answer_values(response) if values is None else values
    return answers_check(questionnaire_rules(response.round.questionnaire), values)


@transaction.atomic
def response_submit(
    *, response: Response, by: User, revision: int | None = None, confirm_warnings: bool = False
) -> Response:
    """Submit a complete response: it is scored and goes to the province for review. The
    version's consistency rules apply: an error refuses it, a warning until ``confirm_warnings``."""
    response = (
        Response.objects.select_for_update().select_related("round__questionnaire", "cooperative").get(pk=response.pk)
    )
    if not by.has_perm("surveys.answer_for_cooperative", response.cooperative):
        raise PermissionDenied
    refusal = change_refusal(response)
    if refusal:
        raise ValidationError(refusal)
    if not response.round.is_open():
        raise ValidationError(_("This survey round is closed."))
    _check_revision(response, revision)
    values = response_answer_values(response)
    missing = response_unanswered(response, values) + addon_unanswered(response)
    if missing:
        raise ValidationError(
            _("%(count)s required questions are still unanswered.") % {"count": len(missing)}, code="incomplete"
        )
    broken = constraints_refusal(questionnaire_spec(response.round.questionnaire), values)
    if broken:
        raise broken
    findings = response_findings(response, values)
    inconsistent = submission_refusal(findings, warnings_confirmed=confirm_warnings)
    if inconsistent:
        raise inconsistent
    result = response_compute(response, values)
    now, scheme, confirmed = timezone.now(), response.round.scheme, confirmed_codes(findings)
    mark_submitted(response, result=result, scheme=scheme, values=values, by=by, now=now, confirmed_warnings=confirmed)
    _write_pillars(response, result)
    record_by(response, by)
    response.save()
    flags_raise(response_ids=[response.pk], by=by, now=now)
    # A submitted response counts at once where the setting says so.
    cooperatives_refresh_maturity(cooperative_ids=[response.cooperative_id], by=by)
    return response


def self_acceptance_message() -> str:
    return _("You entered this self-assessment, so you cannot accept it yourself; another officer needs to review it.")


@transaction.atomic
def response_review(*, response: Response, by: User, accept: bool, comment: str = "") -> Response:
    """A provincial officer (or national admin) accepts a submitted response or returns it."""
    response = Response.objects.select_for_update().select_related("cooperative").get(pk=response.pk)
    if not by.has_perm("surveys.review_response", response):
        raise PermissionDenied
    if response.status != ResponseStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted response can be reviewed."))
    if accept and not may_accept(by, response):
        raise ValidationError(self_acceptance_message())
    if not accept and not comment.strip():
        raise ValidationError({"comment": [_("Say what needs correcting when you return a response.")]})
    # Open data-check flags close with the review: accepting confirms them in the reviewer's name
    # (the page shows each flag beside the decision, and says so), returning clears them.
    now = timezone.now()
    flags_resolve(
        response_ids=[response.pk],
        status=FlagStatus.CONFIRMED if accept else FlagStatus.RETURNED,
        by=by,
        now=now,
        note=comment.strip()[: ResponseFlag.NOTE_MAX_LENGTH],
    )
    response.status = ResponseStatus.ACCEPTED if accept else ResponseStatus.RETURNED
    response.reviewed_by = by
    response.reviewed_at = now
    response.review_comment = comment.strip()
    response.revision += 1
    record_by(response, by)
    response.save()
    cooperatives_refresh_maturity(cooperative_ids=[response.cooperative_id], by=by)
    response_reviewed(response=response)  # the members are told, with the comment, on commit
    if accept:
        response_accepted(response=response)  # webhooks, sent on commit
    return response


def cooperatives_refresh_maturity(*, cooperative_ids: Sequence[int], by: User | None = None) -> int:
    """Keep each cooperative's maturity level equal to its latest counted response's level.

    The counting rule is the surveys'; the write is the registry's (``cooperatives_set_maturity``,
    with history naming ``by``). Called after a submission, a review and a paper import.
    Returns how many changed.
    """
    latest = Subquery(
        Response.objects.filter(cooperative=OuterRef("pk"), status__in=counted_statuses())
        .order_by("-round__opens_on")
        .values("level")[:1]
    )
    ids = list(cooperative_ids)
    moves: dict[int, int | None] = {}
    for start in range(0, len(ids), 5000):
        rows = Cooperative.objects.filter(pk__in=ids[start : start + 5000]).annotate(latest=latest)
        moves.update(
            (pk, level) for pk, current, level in rows.values_list("pk", "maturity_level", "latest") if current != level
        )
    return cooperatives_set_maturity(levels=moves, by=by) if moves else 0


def round_create(*, by: User, **fields: Any) -> SurveyRound:
    if not by.has_perm("surveys.add_round"):
        raise PermissionDenied
    survey_round = SurveyRound(**fields)
    survey_round.full_clean()
    survey_round.save()
    return survey_round
