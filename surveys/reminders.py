"""Reminding the cooperatives of a round that have not submitted, by e-mail."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from coopdx.links import absolute_url

from .models import SurveyRound

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)


@dataclass
class ReminderResult:
    sent: int
    # Cooperatives that were due a reminder but have no e-mail address (nor a member with one).
    unreachable: list[int] = field(default_factory=list)
    # Messages the mail server refused or never took (it was down or hung up): none are retried
    # here, the officer is told and can send again.
    failed: int = 0


def round_send_reminders(
    *, survey_round: SurveyRound, by: User, cooperative_ids: Sequence[int | str]
) -> ReminderResult:
    """E-mail the cooperatives in the user's scope that have not submitted (only the chosen ones
    when some are chosen). Says how many were sent and which could not be reached."""
    from .selectors import round_progress

    progress = round_progress(survey_round=survey_round, user=by)
    pending = [row for row in progress if row["state"] in ("not_started", "draft", "returned")]
    wanted = {int(pk) for pk in cooperative_ids if str(pk).isdigit()}
    messages = []
    unreachable = []
    link = absolute_url(reverse("surveys:home"))
    # Cooperatives read Vietnamese, whatever the officer's own language.
    with translation.override(settings.LANGUAGE_CODE):
        for row in pending:
            cooperative = row["cooperative"]
            if wanted and cooperative.pk not in wanted:
                continue
            recipients = [email for email in [cooperative.email, *row["member_emails"]] if email]
            if not recipients:
                unreachable.append(cooperative.pk)
                continue
            subject = _("Reminder: digital transformation self-assessment %(round)s") % {"round": survey_round.name}
            body = _(
                'Dear %(name)s,\n\nThe self-assessment round "%(round)s" closes on %(closes)s. '
                "Please log in to CoopDX to complete and submit it:\n%(link)s\n\n%(officer)s"
            ) % {
                "name": cooperative.name,
                "round": survey_round.name,
                "closes": survey_round.closes_on.strftime("%d/%m/%Y"),
                "link": link,
                "officer": by.get_full_name() or by.username,
            }
            messages.append(EmailMessage(subject, body, None, recipients))
    sent = _send_each(messages)
    return ReminderResult(sent=sent, unreachable=unreachable, failed=len(messages) - sent)


def _send_each(messages: Sequence[EmailMessage]) -> int:
    """Send over one connection, one message at a time, and count what the server took: a
    server that fails part-way leaves an exact count rather than an error page."""
    if not messages:
        return 0
    sent = 0
    try:
        with get_connection() as connection:
            for message in messages:
                message.connection = connection
                sent += message.send()
    except (smtplib.SMTPException, OSError):
        logger.warning("reminder e-mails: the mail server failed after %s of %s", sent, len(messages), exc_info=True)
    return sent
