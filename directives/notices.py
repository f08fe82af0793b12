"""Notifications of directive tasks to the people who report on them: a report due soon (within
``DUE_SOON_DAYS``) or overdue, once per task, period (or deadline) and kind.

Who reports on a task is the rule ``directives.add_report``: the provincial officers of the
task's province; a national task (no province) is reported on by the national administrators;
and the agency accounts of the agency leading it today (the successor of a dissolved lead).
The e-mail to the lead agency's contact address (``reminders``) goes on as before.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from accounts.roles import AGENCY_ROLES
from notifications.models import NotificationKind
from notifications.services import notify

from .reminders import reminder_candidates
from .selectors import agency_current_map
from .status import TaskStatus

if TYPE_CHECKING:
    from .selectors import StatusTask


def _reporters(tasks: list[StatusTask]) -> dict[int | None, list[User]]:
    """The people who report, by province (None: the national administrators); one query."""
    provinces = {t.province_id for t in tasks}
    who = Q(role=Role.PROVINCIAL_OFFICER, province_id__in=[p for p in provinces if p is not None])
    if None in provinces:
        who |= Q(role=Role.NATIONAL_ADMIN)
    people: dict[int | None, list[User]] = defaultdict(list)
    for user in User.objects.filter(who, is_active=True).order_by("pk"):
        people[user.province_id if user.role == Role.PROVINCIAL_OFFICER else None].append(user)
    return people


def _agency_reporters(tasks: list[StatusTask], current: dict[int, int]) -> dict[int, list[User]]:
    """The agency accounts of each task's lead agency as it is today, by agency; one query."""
    leads = {current.get(t.lead_agency_id, t.lead_agency_id) for t in tasks}
    people: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(role__in=list(AGENCY_ROLES), agency_id__in=leads, is_active=True).order_by("pk"):
        if user.agency_id is not None:
            people[user.agency_id].append(user)
    return people


def task_notices_send(*, today: datetime.date | None = None) -> int:
    """Notify the reporters of every task due soon or overdue; returns how many were made."""
    today = today or timezone.localdate()
    tasks = reminder_candidates(today=today)
    if not tasks:
        return 0
    reporters = _reporters(tasks)
    current = agency_current_map()
    agency_reporters = _agency_reporters(tasks, current)
    made = 0
    for task in tasks:
        overdue = task.status == TaskStatus.OVERDUE
        period_key = task.judged_period_start or task.deadline
        made += len(
            notify(
                kind=NotificationKind.TASK_OVERDUE if overdue else NotificationKind.TASK_DUE,
                recipients=[
                    *reporters.get(task.province_id, []),
                    *agency_reporters.get(current.get(task.lead_agency_id, task.lead_agency_id), []),
                ],
                key=f"task_{'overdue' if overdue else 'due'}:{task.pk}:{period_key}",
                params={
                    "task": task.content[:200],
                    "document": task.document.number,
                    "due": task.due_on.strftime("%d/%m/%Y") if task.due_on else "",
                },
                link=reverse("directives:task", args=[task.pk]),
            )
        )
    return made
