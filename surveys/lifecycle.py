"""The life of a self-assessment, as rules on one response, with no query of their own.

    draft ──submit──▶ submitted ──accept──▶ accepted (final)
      ▲                   │
      └──edit── returned ◀┘ return (with the officer's comment)

The browser's services (one response at a time) and the paper import (thousands in one bulk
write) both call these, so a rule about who may change a response, or what a submission sets,
changes in one place; so does the rule of which responses count. Permissions are the rules
module's (``surveys.answer_for_cooperative``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import rules
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from cooperatives.models import CooperativeStatus

from .answers import answers_signature
from .models import Response, ResponseStatus, ScoringScheme

if TYPE_CHECKING:
    from accounts.models import User

    from .scoring import AnswerValue, ScoreResult


def counted_statuses() -> tuple[str, ...]:
    """The statuses whose responses count (in the indicators and the registry's maturity level):
    accepted, and also submitted where the programme says so (``SURVEYS_COUNT_SUBMITTED``)."""
    if getattr(settings, "SURVEYS_COUNT_SUBMITTED", False):
        return (ResponseStatus.ACCEPTED, ResponseStatus.SUBMITTED)
    return (ResponseStatus.ACCEPTED,)


def expected_to_answer(prefix: str = "") -> Q:
    """The cooperatives a round expects an answer from: the active registry (not archived, neither
    dissolved nor suspended), as the indicators' coverage counts it. ``prefix`` reaches the
    cooperative from another model (``"cooperative__"`` from a response). The round pages, their
    counts and reminders and the completeness figures (``indicators.timeliness``) all read it."""
    return Q(**{f"{prefix}is_archived": False, f"{prefix}status": CooperativeStatus.ACTIVE})


def change_refusal(response: Response | None) -> str | None:
    """Why the answers of ``response`` cannot change any more (it was accepted), or None."""
    if response is not None and not response.is_editable:
        return _("This response has been accepted and can no longer change.")
    return None


def may_accept(user: User, response: Response) -> bool:
    """Whether ``user`` may accept ``response``: the rule ``surveys.accept_response`` (a reviewer of
    it, and not whoever entered it), asked of the rule itself. ``User.has_perm`` would let a
    superuser pass before asking it, skipping the four eyes."""
    return rules.has_perm("surveys.accept_response", user, response)


def mark_started(response: Response, *, by: User | None) -> None:
    """A new response, a draft begun by ``by``: an officer's, an administrator's or an import's
    is a proxy entry (on behalf of the cooperative)."""
    response.entered_by = by
    response.is_proxy = by is None or not by.is_member


def mark_entered(response: Response, *, by: User | None) -> None:
    """Answers were typed by ``by``: an officer's or an administrator's entry is a proxy entry
    (on behalf of the cooperative), and stays one after the cooperative's own edits. The
    revision moves, so a form opened before this change cannot overwrite it."""
    response.revision = (response.revision or 0) + 1
    response.entered_by = by
    response.is_proxy = response.is_proxy or by is None or not by.is_member
    response.answers_signature = ""  # the answers are no longer the submitted ones
    response.confirmed_warnings = []
    if response.status in (ResponseStatus.SUBMITTED, ResponseStatus.RETURNED):
        # An edited response must be submitted again before it counts.
        response.status = ResponseStatus.DRAFT


def mark_submitted(
    response: Response,
    *,
    result: ScoreResult,
    scheme: ScoringScheme,
    values: Mapping[str, AnswerValue],
    by: User | None,
    now: datetime.datetime,
    confirmed_warnings: Sequence[str] = (),
) -> None:
    """The response is sent for review with its score, level (under ``scheme``, which it keeps)
    and answers' signature (its pillar rows and its data checks, ``flags.flags_raise``, are the
    caller's to write, one by one or in bulk), and the consistency warnings its submitter
    confirmed (``consistency``)."""
    response.answers_signature = answers_signature(values)
    response.confirmed_warnings = list(confirmed_warnings)
    response.score = result.score
    response.level = result.level
    response.scoring_scheme = scheme
    response.status = ResponseStatus.SUBMITTED
    response.submitted_at = now
    response.submitted_by = by
    response.revision = (response.revision or 0) + 1
