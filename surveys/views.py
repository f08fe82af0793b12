"""Self-assessment pages: fill in page by page, submit, see the result; officers follow and review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperatives import selectors as registry

from . import importing, selectors, services
from .forms import PillarForm, ReviewForm
from .models import ResponseStatus


@login_required
def survey_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_member:
        cooperative = registry.cooperative_get(user=user, pk=user.cooperative_id)
        responses = {r.round_id: r for r in selectors.response_list(user=user)}
        open_rounds = selectors.open_rounds_for_cooperative(cooperative=cooperative)
        return render(
            request,
            "surveys/member_home.html",
            {
                "cooperative": cooperative,
                "open_rounds": [(r, responses.get(r.pk)) for r in open_rounds],
                "history": sorted(responses.values(), key=lambda r: r.round.opens_on, reverse=True),
            },
        )
    rounds = selectors.round_list(user=user)
    return render(
        request,
        "surveys/round_list.html",
        {"rounds": [(r, selectors.round_counts(survey_round=r, user=user)) for r in rounds[:20]]},
    )


@login_required
def round_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    if not (user.is_national or user.is_officer):
        raise PermissionDenied
    survey_round = selectors.round_get(user=user, code=code)
    state = request.GET.get("state", "")
    rows = selectors.round_progress(survey_round=survey_round, user=user)
    counts = selectors.round_counts(survey_round=survey_round, user=user)
    if state:
        rows = [row for row in rows if row["state"] == state]
    return render(
        request,
        "surveys/round_detail.html",
        {
            "round": survey_round,
            "rows": rows[:500],
            "truncated": len(rows) > 500,
            "counts": counts,
            "state": state,
            "states": ResponseStatus.choices,
        },
    )


@login_required
@require_POST
def round_remind(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    if not user.is_officer and not user.is_national_admin:
        raise PermissionDenied
    survey_round = selectors.round_get(user=user, code=code)
    sent = services.round_send_reminders(
        survey_round=survey_round, by=user, cooperative_ids=request.POST.getlist("cooperative")
    )
    messages.success(request, _("%(count)s reminder e-mails sent.") % {"count": sent})
    return redirect("surveys:round", code=code)


@login_required
@require_POST
def response_start(request: HttpRequest, code: str, cooperative_id: int) -> HttpResponse:
    survey_round = selectors.round_get(user=request.user, code=code)
    cooperative = registry.cooperative_get(user=request.user, pk=cooperative_id)
    try:
        response = services.response_start(survey_round=survey_round, cooperative=cooperative, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("surveys:home")
    return redirect("surveys:fill", pk=response.pk, page=1)


@login_required
def response_fill(request: HttpRequest, pk: int, page: int) -> HttpResponse:
    response = selectors.response_get(user=request.user, pk=pk)
    if not services.may_answer_for(request.user, response.cooperative):
        raise PermissionDenied  # read-only roles see the result page, never the form
    pillars = list(response.round.questionnaire.pillars.prefetch_related("questions__options"))
    if not 1 <= page <= len(pillars):
        raise Http404
    if not response.is_editable or not response.round.is_open():
        return redirect("surveys:result", pk=response.pk)
    pillar = pillars[page - 1]
    values = services.response_answer_values(response)
    form = PillarForm(request.POST or None, pillar=pillar, values=values, initial={"revision": response.revision})
    if request.method == "POST" and form.is_valid():
        try:
            services.response_save_answers(
                response=response, answers=form.answers(), by=request.user, revision=form.cleaned_data["revision"]
            )
        except services.ResponseConflict as error:
            messages.error(request, " ".join(error.messages))
            return redirect("surveys:fill", pk=response.pk, page=page)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            target = request.POST.get("go", "next")
            if target == "previous" and page > 1:
                return redirect("surveys:fill", pk=response.pk, page=page - 1)
            if target == "next" and page < len(pillars):
                return redirect("surveys:fill", pk=response.pk, page=page + 1)
            if target == "leave":
                messages.success(request, _("Your answers are saved. You can come back at any time."))
                return redirect("surveys:home")
            return redirect("surveys:submit", pk=response.pk)
    unanswered = set(services.response_unanswered(response, values))
    steps = [
        {"number": i, "pillar": p, "missing": sum(1 for q in p.questions.all() if q.code in unanswered)}
        for i, p in enumerate(pillars, start=1)
    ]
    return render(
        request,
        "surveys/fill.html",
        {
            "response": response,
            "form": form,
            "pillar": pillar,
            "page": page,
            "steps": steps,
            "last_page": len(pillars),
            "unanswered_here": [q for q in pillar.questions.all() if q.code in unanswered],
        },
    )


@login_required
def response_submit(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.response_get(user=request.user, pk=pk)
    if not services.may_answer_for(request.user, response.cooperative):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.response_submit(
                response=response, by=request.user, revision=int(request.POST.get("revision", response.revision))
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your self-assessment has been submitted to the province."))
            return redirect("surveys:result", pk=response.pk)
    unanswered = services.response_unanswered(response)
    questions = {q.code: q for q in response.round.questionnaire.questions.select_related("pillar")}
    return render(
        request,
        "surveys/submit.html",
        {"response": response, "unanswered": [questions[code] for code in unanswered]},
    )


@login_required
def response_result(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.response_get(user=request.user, pk=pk)
    pillars = selectors.response_pillars(response=response) if response.score is not None else []
    previous = selectors.previous_response(response=response)
    chart = {
        "labels": [row["pillar"].name for row in pillars],
        "scores": [float(row["score"] or 0) for row in pillars],
        "province": [float(row["province_average"] or 0) for row in pillars],
        "labelScore": _("This cooperative"),
        "labelProvince": _("Province average"),
    }
    return render(
        request,
        "surveys/result.html",
        {
            "response": response,
            "pillars": pillars,
            "previous": previous,
            "province_average": selectors.province_average_score(response=response) if pillars else None,
            "chart": chart,
            "review_form": ReviewForm() if response.status == ResponseStatus.SUBMITTED else None,
            "can_review": request.user.is_national_admin
            or (request.user.is_officer and request.user.province_id == response.cooperative.province_id),
        },
    )


@login_required
@require_POST
def response_review(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.response_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or return the response."))
        return redirect("surveys:result", pk=pk)
    try:
        services.response_review(
            response=response,
            by=request.user,
            accept=form.cleaned_data["decision"] == "accept",
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The review has been recorded."))
    return redirect(reverse("surveys:round", args=[response.round.code]))


@login_required
def round_template(request: HttpRequest, code: str) -> FileResponse:
    if not (request.user.is_officer or request.user.is_national_admin):
        raise PermissionDenied
    survey_round = selectors.round_get(user=request.user, code=code)
    return FileResponse(
        importing.response_template(survey_round),
        as_attachment=True,
        filename=f"mau-khao-sat-{code}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
