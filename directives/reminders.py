"""Reminder e-mails for directive tasks: due within 14 days, or overdue, and not done.

Which tasks: those whose status today (``directives.status``) is "in progress" with a due date
from today to today + 14 days (a reminder that the date is near), or "overdue" (due date
passed, not done). For a deadline task the due date is its deadline; for a recurring task it
is the report due date of its latest closed period. Done tasks are never reminded.

Each reminder goes once: a ``ReminderLog`` row per (task, deadline or period, kind), with a
unique constraint, is written in the same transaction as the e-mail is sent; a failed send
rolls the row back so that the next run tries again. The mail goes to the contact e-mail of
the agency responsible today (the successor of a dissolved lead agency); an agency without an
e-mail is skipped and counted.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from coopdx.links import absolute_url

from .models import Agency, DirectiveTask, ReminderKind, ReminderLog
from .selectors import agency_current_map, due_soon_or_overdue, with_status
from .status import DUE_SOON_DAYS, TaskStatus

if TYPE_CHECKING:
    from .selectors import StatusTask

logger = logging.getLogger(__name__)

REMIND_DAYS_BEFORE = DUE_SOON_DAYS


@dataclass
class ReminderRun:
    sent: int = 0
    already_sent: int = 0
    without_email: int = 0


def reminder_candidates(*, today: datetime.date) -> list[StatusTask]:
    """Tasks not done whose due date is within the next 14 days or has passed (one query)."""
    tasks = with_status(DirectiveTask.objects.select_related("document", "lead_agency"), today)
    return list(due_soon_or_overdue(tasks, today).order_by("due_on", "pk"))


def reminders_send(*, today: datetime.date | None = None) -> ReminderRun:
    """Send each reminder that is due and was not sent before; return what happened."""
    today = today or timezone.localdate()
    run = ReminderRun()
    tasks = reminder_candidates(today=today)
    if not tasks:
        return run
    already = set(
        ReminderLog.objects.filter(task__in=[t.pk for t in tasks]).values_list("task_id", "period_key", "kind")
    )
    current_map = agency_current_map()
    agencies = Agency.objects.in_bulk({current_map.get(t.lead_agency_id, t.lead_agency_id) for t in tasks})
    connection = get_connection()
    for task in tasks:
        kind = ReminderKind.OVERDUE if task.status == TaskStatus.OVERDUE else ReminderKind.DUE_SOON
        due_on, period_key = task.due_on, task.judged_period_start or task.deadline
        # A candidate has a due date: a deadline task its deadline, a recurring one a judged period.
        assert due_on is not None and period_key is not None, task.pk
        if (task.pk, period_key, kind) in already:
            run.already_sent += 1
            continue
        agency = agencies[current_map.get(task.lead_agency_id, task.lead_agency_id)]
        if not agency.email:
            run.without_email += 1
            continue
        with transaction.atomic():
            _log, created = ReminderLog.objects.get_or_create(
                task=task,
                period_key=period_key,
                kind=kind,
                defaults={"due_on": due_on, "recipient": agency.email},
            )
            if not created:  # another run got there first
                run.already_sent += 1
                continue
            _message(task=task, due_on=due_on, agency=agency, kind=kind, today=today, connection=connection).send()
        run.sent += 1
    logger.info("directive reminders: %s", run)
    return run


def _message(
    *,
    task: DirectiveTask,
    due_on: datetime.date,
    agency: Agency,
    kind: str,
    today: datetime.date,
    connection: BaseEmailBackend,
) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "task": task,
            "agency": agency,
            "overdue": kind == ReminderKind.OVERDUE,
            "days_left": (due_on - today).days,
            "days_late": (today - due_on).days,
            "url": absolute_url(reverse("directives:task", args=[task.pk])),
        }
        subject = " ".join(render_to_string("directives/email/reminder_subject.txt", context).split())
        body = render_to_string("directives/email/reminder_body.txt", context)
    return EmailMessage(subject=subject, body=body, to=[agency.email], connection=connection)
