"""The page of a round's self-assessments that the registry contradicts: per province (counts
and rate) for national roles, and the cooperatives concerned in a province. Thin: the round's
selector scopes it, ``evidence_selectors`` count in the database."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from coopdx.http import AuthenticatedHttpRequest
from cooperatives import selectors as registry

from . import evidence_selectors, selectors

PAGE_SIZE = 50


@login_required
@permission_required("surveys.view_evidence_mismatches", raise_exception=True)
def round_evidence(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    user = request.user
    survey_round = selectors.round_get(user=user, code=code)
    checks, not_applying = evidence_selectors.round_checks(survey_round)
    provinces = evidence_selectors.province_mismatches(user=user, survey_round=survey_round, checks=checks)
    chosen = request.GET.get("province", "")
    if user.is_officer:
        province = user.province
    elif chosen:
        # A province outside the user's scope is not found, like a missing one.
        province = get_object_or_404(registry.province_list(user=user), code=chosen)
    else:
        province = None
    context = {
        "round": survey_round,
        "not_applying": not_applying,
        "provinces": provinces,
        "province": province,
    }
    totals = next((p for p in provinces if province and p.province.pk == province.pk), None)
    if totals is not None:
        context["totals"] = totals
        context["check_counts"] = [(r.check, totals.per_check.get(r.check.code, 0)) for r in checks]
    if province is not None:
        responses = evidence_selectors.mismatched_responses(
            user=user, survey_round=survey_round, province=province, checks=checks
        )
        page = Paginator(responses, PAGE_SIZE).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = [(response, [r.check for r in checks if getattr(response, r.flag)]) for response in page]
    return render(request, "surveys/round_evidence.html", context)
