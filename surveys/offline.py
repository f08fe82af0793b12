"""What the questionnaire's pages give the offline form (``static/js/offline-form.js``) and the
service worker: how far each part is answered, the pages of the response to keep on the device,
and the headers that let the worker keep a page (``coopdx.pwa``). Nothing here writes: answers
typed offline are sent later through the API's save (``services.response_save_answers``, with
the revision check), the one path of every answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from coopdx.pwa import offline_page_headers, user_key

from .models import AddOnQuestion, Pillar, Response
from .scoring import AnswerValue


def _asked(pillar: Pillar, hidden: frozenset[str]) -> list[str]:
    return [q.code for q in pillar.questions.all() if q.code not in hidden]


def fill_progress(
    pillars: list[Pillar],
    pillar: Pillar | None,
    values: Mapping[str, AnswerValue],
    hidden: frozenset[str] = frozenset(),
    provincial: Sequence[AddOnQuestion] = (),
    addon_values: Mapping[str, AnswerValue] | None = None,
) -> dict[str, int]:
    """Answered questions out of all, on this part and over the whole questionnaire (any answer
    counts, required or not: it is how far the member has come, not what submission needs). A
    question the saved answers hide (skip logic) counts in neither. A provincial round's add-ons
    count as their own last part (``pillar`` None)."""

    def answered(part: Pillar) -> int:
        return sum(1 for code in _asked(part, hidden) if code in values and not values[code].is_empty)

    extra = addon_values or {}
    addons_answered = sum(1 for q in provincial if q.code in extra and not extra[q.code].is_empty)
    return {
        "part_answered": answered(pillar) if pillar else addons_answered,
        "part_total": len(_asked(pillar, hidden)) if pillar else len(provincial),
        "all_answered": sum(answered(p) for p in pillars) + addons_answered,
        "all_total": sum(len(_asked(p, hidden)) for p in pillars) + len(provincial),
    }


def offline_context(request: HttpRequest, response: Response, *, pages: int) -> dict[str, Any]:
    """The data attributes of the offline form: where to send answers, which pages to keep."""
    return {
        "user_key": user_key(request.user),
        "api_url": reverse("api:response-detail", args=[response.pk]),
        "page_urls": [reverse("surveys:fill", args=[response.pk, n]) for n in range(1, pages + 1)],
        "submit_url": reverse("surveys:submit", args=[response.pk]),
    }


def keep_offline(http_response: HttpResponse, *, request: HttpRequest, response: Response) -> HttpResponse:
    """Mark a page of a response being filled in as one the service worker may keep."""
    if request.method != "GET" or http_response.status_code != 200:
        return http_response
    return offline_page_headers(
        http_response, request=request, key=f"response-{response.pk}", revision=response.revision
    )
