"""The officer's work list ("what to do this week") on the dashboard, above the figures.

``{% load work_list %}{% officer_work_list %}`` puts it on a page. Each kind of work is read by a
scoped selector of the app that owns it (responses waiting for review, data-check flags on them
and the call list: surveys; possible duplicates: the registry; failed imports: imports; reports
due: directives; people no notification reached: notifications); this tag only composes them,
so it lives in the top app, the one that may import all the others.
An item leaves the list when its work is done, because every selector reads the current state.

Provincial officers have the whole list; agency accounts (a ministry's, a province's body's, the
Cooperative Alliance's) the reports their agency owes, the one work they do here. Other national
roles' dashboard is the nation's, and their work (accounts, rounds, the questionnaire) is elsewhere.
"""

from __future__ import annotations

from typing import Any, cast

from django import template

from cooperatives import selectors as registry
from imports import selectors as imports
from notifications import selectors as notifications
from surveys import selectors as surveys

from .. import selectors as directives

register = template.Library()

# How many of each kind the panel names; the count says how many there are in all.
SHOWN = 5


@register.inclusion_tag("directives/_work_list.html", takes_context=True)
def officer_work_list(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    if user.is_authenticated and user.is_agency_bound:
        owed = list(directives.task_list_to_report(user=user))
        return {"shown": True, "tasks": owed[:SHOWN], "tasks_count": len(owed), "nothing": not owed}
    if not user.is_authenticated or not user.is_officer or user.province_id is None:
        return {"shown": False}
    review_rounds = list(surveys.rounds_with_responses_to_review(user=user))
    to_review = sum(r.waiting for r in review_rounds)
    reviews = list(surveys.response_list_to_review(user=user)[:SHOWN]) if to_review else []
    # One query: the flags named, each carrying how many there are in all.
    flags = list(surveys.flag_list_to_review(user=user)[:SHOWN])
    flags_count = cast(Any, flags[0]).total if flags else 0  # annotated by the selector
    to_reach = surveys.cooperatives_to_reach(user=user, province_id=user.province_id).count()
    tasks = list(directives.task_list_to_report(user=user))
    failed_imports = list(imports.import_job_list_failed(user=user))
    duplicates = registry.possible_duplicates(user=user, province_id=user.province_id)
    unreached = notifications.unreached_list(user=user).count()
    return {
        "shown": True,
        "review_rounds": review_rounds,
        "to_review": to_review,
        "reviews": reviews,
        "flags": flags,
        "flags_count": flags_count,
        "to_reach": to_reach,
        "tasks": tasks[:SHOWN],
        "tasks_count": len(tasks),
        "failed_imports": failed_imports[:SHOWN],
        "failed_imports_count": len(failed_imports),
        "duplicates": duplicates[:SHOWN],
        "duplicates_count": len(duplicates),
        "unreached": unreached,
        "nothing": not (to_review or flags_count or to_reach or tasks or failed_imports or duplicates or unreached),
    }
