"""Re-scoring a round under another scoring scheme: an explicit, logged action.

Every scored response of the round (submitted, returned or accepted) is scored again from its
saved answers under the new scheme, keeps that scheme, and gets a history row naming who did it
and why; the round then scores its later submissions with it too, and the registry's maturity
levels follow. The snapshots already written are left as they were: a day's figures stay those of
the scheme in force that day, and the next aggregation writes the new ones.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from .models import Answer, PillarScore, Response, RoundRescoring, ScoringScheme, SurveyRound
from .questionnaires import questionnaire_spec
from .scoring import AnswerValue, score_response
from .services import cooperatives_refresh_maturity

if TYPE_CHECKING:
    from accounts.models import User

BATCH = 2000


def round_rescore(*, survey_round: SurveyRound, scheme: ScoringScheme, reason: str, by: User | None) -> RoundRescoring:
    """Score the round's scored responses again under ``scheme``, in one transaction, and log it.
    ``by`` is None for an operator at the command line."""
    if by is not None and not by.has_perm("surveys.rescore_round"):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the round is scored again.")})
    with transaction.atomic():
        survey_round = (
            # Only the round's row is locked: the re-scored scheme is an outer join.
            SurveyRound.objects.select_for_update(of=("self",))
            .select_related("questionnaire__scoring_scheme", "scoring_scheme")
            .get(pk=survey_round.pk)
        )
        previous = survey_round.scheme
        if previous.pk == scheme.pk:
            raise ValidationError({"scheme": _("The round is already scored with this scheme.")})
        responses = list(
            Response.objects.select_for_update().filter(round=survey_round, score__isnull=False).order_by("pk")
        )
        levels_changed = _score_again(survey_round, scheme, responses, reason=reason, by=by)
        SurveyRound.objects.filter(pk=survey_round.pk).update(scoring_scheme=scheme)
        log = RoundRescoring.objects.create(
            round=survey_round,
            from_scheme=previous,
            to_scheme=scheme,
            by=by,
            reason=reason,
            responses=len(responses),
            levels_changed=levels_changed,
        )
        cooperatives_refresh_maturity(cooperative_ids=[r.cooperative_id for r in responses], by=by)
    return log


def _score_again(
    survey_round: SurveyRound, scheme: ScoringScheme, responses: list[Response], *, reason: str, by: User | None
) -> int:
    """Score, write the responses (with history) and their pillar rows; how many levels moved."""
    pillars = questionnaire_spec(survey_round.questionnaire)
    rules = scheme.spec()
    values = answer_values_of([r.pk for r in responses])
    pillar_rows: list[PillarScore] = []
    changed = 0
    for response in responses:
        result = score_response(pillars, values.get(response.pk, {}), rules)
        changed += response.level != result.level
        response.score, response.level, response.scoring_scheme = result.score, result.level, scheme
        pillar_rows.extend(
            PillarScore(response=response, pillar_code=code, score=value, level=result.pillar_levels[code])
            for code, value in result.pillar_scores.items()
        )
    PillarScore.objects.filter(response__in=[r.pk for r in responses]).delete()
    PillarScore.objects.bulk_create(pillar_rows, batch_size=BATCH)
    bulk_update_with_history(
        responses,
        Response,
        ["score", "level", "scoring_scheme"],
        batch_size=BATCH,
        default_user=by,
        default_change_reason=f"{_('Scored again under %(scheme)s') % {'scheme': scheme.code}}: {reason}"[:100],
    )
    return changed


def answer_values_of(response_ids: list[int]) -> dict[int, dict[str, AnswerValue]]:
    """The saved answers of many responses by response and question code, in two queries."""
    values: dict[int, dict[str, AnswerValue]] = defaultdict(dict)
    chosen: dict[int, list[str]] = defaultdict(list)
    through = Answer.options.through
    for answer_id, code in through.objects.filter(answer__response_id__in=response_ids).values_list(
        "answer_id", "option__code"
    ):
        chosen[answer_id].append(code)
    rows = Answer.objects.filter(response_id__in=response_ids).values_list(
        "pk", "response_id", "question__code", "number", "text"
    )
    for pk, response_id, code, number, text in rows:
        values[response_id][code] = AnswerValue(options=chosen.get(pk, []), number=number, text=text)
    return values
