"""Self-assessment pages: fill in page by page, submit, see the result; officers follow and review.

Longer than 300 lines on purpose: one thin view per URL of ``surveys/urls.py`` (each reads
through ``selectors`` and writes through ``services``), kept beside each other as the URL
list is; no view holds a rule of its own.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.exports import audited
from coopdx.errors import invalid_filters
from coopdx.exports import download
from cooperatives import selectors as registry
from cooperatives.models import Cooperative

from . import addons, exports, flags, lifecycle, offline, paper_form, reminders, report, selectors, services
from .consistency import AnswersInconsistent, Finding, confirmed_warnings
from .fill_parts import AddOnPart, part_context
from .forms import FlagConfirmForm, PillarForm, ReviewForm, RevisionForm, RoundFilterForm
from .models import Question, Response, ResponseStatus, SurveyRound
from .questionnaires import questionnaire_spec

ROUND_PAGE_SIZE = 100
UNREACHABLE_PAGE_SIZE = 500


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
    rounds = list(selectors.round_list(user=user)[:20])
    counts = selectors.round_counts_many(rounds=rounds, user=user)
    return render(request, "surveys/round_list.html", {"rounds": [(r, counts[r.pk]) for r in rounds]})


@login_required
def round_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    survey_round, state, search, cooperatives = _round_and_cooperatives(request, code)
    page = Paginator(cooperatives, ROUND_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "surveys/round_detail.html",
        {
            "round": survey_round,
            "rows": selectors.round_rows(survey_round=survey_round, cooperatives=list(page)),
            "page": page,
            "query": query.urlencode(),
            "counts": selectors.round_counts(survey_round=survey_round, user=user),
            # National readers choose a province for the responses' workbook (all, by default).
            "provinces": registry.province_list(user=user).order_by("name") if user.is_national else None,
            "may_manage_addons": survey_round.province_id is not None and user.has_perm(addons.MANAGE, survey_round),
            "state": state,
            "search": search,
        },
    )


def _round_and_cooperatives(request: HttpRequest, code: str) -> tuple[SurveyRound, str, str, QuerySet[Cooperative]]:
    """The round the user follows, the page's filters, and its cooperatives filtered by them
    (shared by the round page and its export, so the two always list the same rows)."""
    user = request.user
    if not user.has_perm("surveys.view_round_progress"):
        raise PermissionDenied
    survey_round = selectors.round_get(user=user, code=code)
    filters = RoundFilterForm(request.GET)
    # The page shows everything for a filter it cannot read; the export refuses it (round_export).
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    state, search = cleaned.get("state", ""), cleaned.get("q", "")
    cooperatives = selectors.round_cooperatives(survey_round=survey_round, user=user, state=state, search=search)
    return survey_round, state, search, cooperatives


@login_required
def round_export(request: HttpRequest, code: str, fmt: str) -> HttpResponseBase:
    """The round page's list (with its filters) as CSV or XLSX, with who entered and reviewed."""
    filters = RoundFilterForm(request.GET)
    if not filters.is_valid():
        return invalid_filters(request, filters, list_url=reverse("surveys:round", args=[code]))
    survey_round, _state, _search, cooperatives = _round_and_cooperatives(request, code)
    rows = exports.round_export_rows(survey_round=survey_round, cooperatives=cooperatives)
    safe_code = re.sub(r"[^\w.-]+", "-", survey_round.code, flags=re.ASCII).strip("-")
    stem = f"dot-khao-sat-{safe_code}-{timezone.localtime().strftime('%Y%m%d-%H%M')}"
    filters = {"round": survey_round.code, **{key: value for key, value in request.GET.items() if value}}
    rows = audited(rows, user=request.user, kind="round_list", fmt=fmt, filters=filters)
    return download(rows, fmt=fmt, stem=stem, sheet_name=survey_round.code)


@login_required
@require_POST
@permission_required("surveys.send_reminders", raise_exception=True)
def round_remind(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    survey_round = selectors.round_get(user=user, code=code)
    result = reminders.round_send_reminders(
        survey_round=survey_round, by=user, cooperative_ids=request.POST.getlist("cooperative")
    )
    # The page after sending says how many were sent and lists who could not be reached; kept in
    # the session so that a reload shows it again without sending anything.
    request.session[f"reminders:{survey_round.code}"] = {
        "sent": result.sent,
        "failed": result.failed,
        "unreachable": result.unreachable,
    }
    return redirect("surveys:reminded", code=code)


@login_required
@permission_required("surveys.send_reminders", raise_exception=True)
def round_reminded(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    survey_round = selectors.round_get(user=user, code=code)
    result = request.session.get(f"reminders:{survey_round.code}")
    if not result:
        return redirect("surveys:round", code=code)
    unreachable = selectors.round_unreachable(user=user, cooperative_ids=result["unreachable"])
    return render(
        request,
        "surveys/reminders_sent.html",
        {
            "round": survey_round,
            "sent": result["sent"],
            "failed": result.get("failed", 0),
            # A national round may leave thousands to call: pages of a printable length.
            "page": Paginator(unreachable, UNREACHABLE_PAGE_SIZE).get_page(request.GET.get("page")),
        },
    )


@login_required
@permission_required("surveys.view_round_progress", raise_exception=True)
def call_list(request: HttpRequest) -> HttpResponse:
    """The printable list of a province's cooperatives that have not started the open round and
    that no reminder reaches (no phone, no e-mail), with what is known to find them. An officer
    sees their province (another one is 404); a national role picks one."""
    user = request.user
    provinces = registry.province_list(user=user)
    code = request.GET.get("province", "")
    if code:
        province = get_object_or_404(provinces, code=code)
    elif user.is_officer:
        province = get_object_or_404(provinces, pk=user.province_id)
    else:
        province = None
    cooperatives = (
        selectors.cooperatives_to_reach(user=user, province_id=province.pk)
        if province is not None
        else Cooperative.objects.none()
    )
    return render(
        request,
        "surveys/call_list.html",
        {
            "province": province,
            "provinces": provinces if user.is_national else None,
            "open_rounds": selectors.open_rounds(user=user),
            "page": Paginator(cooperatives, UNREACHABLE_PAGE_SIZE).get_page(request.GET.get("page")),
            "today": timezone.localdate(),
        },
    )


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
    if not request.user.has_perm("surveys.answer_for_cooperative", response.cooperative):
        raise PermissionDenied  # read-only roles see the result page, never the form
    pillars = list(response.round.questionnaire.pillars.prefetch_related("questions__options"))
    # A provincial round's add-on questions are a last part of their own (surveys.addons).
    provincial = addons.addon_questions(response.round)
    last_page = len(pillars) + (1 if provincial else 0)
    if not 1 <= page <= last_page:
        raise Http404
    if not response.is_editable or not response.round.is_open():
        return redirect("surveys:result", pk=response.pk)
    pillar = pillars[page - 1] if page <= len(pillars) else None
    values, addon_values = services.response_answer_values(response), addons.addon_answer_values(response)
    form = PillarForm(
        request.POST or None,
        pillar=pillar,
        questions=provincial,
        values=addon_values if pillar is None else values,
        initial={"revision": response.revision},
    )
    status = 200
    if request.method == "POST" and form.damaged:
        status = 400
    elif request.method == "POST" and form.is_valid():
        saved = _save_pillar(request, response, form, page=page, last_page=last_page)
        if saved is not None:
            return saved
    unanswered = set(services.response_unanswered(response, values))
    spec = questionnaire_spec(response.round.questionnaire)
    page_html = render(
        request,
        "surveys/fill.html",
        {
            "response": response,
            "form": form,
            **part_context(
                pillars=pillars,
                page=page,
                spec=spec,
                values=values,
                unanswered=unanswered,
                addons=AddOnPart(
                    name=addons.addon_part_name(response.round),
                    questions=provincial,
                    values=addon_values,
                    missing=len(addons.addon_unanswered(response, addon_values)),
                )
                if provincial
                else None,
            ),
            "offline": offline.offline_context(request, response, pages=last_page),
        },
        status=status,
    )
    return offline.keep_offline(page_html, request=request, response=response)


def _save_pillar(
    request: HttpRequest, response: Response, form: PillarForm, *, page: int, last_page: int
) -> HttpResponse | None:
    """Save a page's answers and go where the user asked; None when the service refused some
    answers (their errors are then on the form, shown again)."""
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
        return None
    return _after_save(request, response, page=page, last_page=last_page)


def _after_save(request: HttpRequest, response: Response, *, page: int, last_page: int) -> HttpResponse:
    """The page the button pressed leads to: the previous or next pillar, home, else the submit page."""
    target = request.POST.get("go", "next")
    if target == "previous" and page > 1:
        return redirect("surveys:fill", pk=response.pk, page=page - 1)
    if target == "next" and page < last_page:
        return redirect("surveys:fill", pk=response.pk, page=page + 1)
    if target == "leave":
        messages.success(request, _("Your answers are saved. You can come back at any time."))
        return redirect("surveys:home")
    return redirect("surveys:submit", pk=response.pk)


def _may_open_parts(request: HttpRequest, response: Response) -> bool:
    """Whether links into the response's parts would open them for this user (not after its
    acceptance or the round's close, nor for read-only roles, who would meet a refusal)."""
    return (
        response.is_editable
        and response.round.is_open()
        and request.user.has_perm("surveys.answer_for_cooperative", response.cooperative)
    )


@login_required
def response_submit(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.response_get(user=request.user, pk=pk)
    if not request.user.has_perm("surveys.answer_for_cooperative", response.cooperative):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        form = RevisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["revision"]))
            status = 400
        else:
            try:
                response = services.response_submit(
                    response=response,
                    by=request.user,
                    revision=form.cleaned_data["revision"],
                    confirm_warnings=request.POST.get("confirm_warnings") == "1",
                )
            except AnswersInconsistent:
                # The page lists each rule below, beside the answers; no second copy in a banner.
                status = 400
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                if request.user.is_member:
                    messages.success(request, _("Your self-assessment has been submitted to the province."))
                else:
                    messages.success(
                        request,
                        _(
                            "The self-assessment entered on behalf of %(cooperative)s has been submitted to the "
                            "province. Another officer reviews it."
                        )
                        % {"cooperative": response.cooperative.name},
                    )
                return redirect("surveys:result", pk=response.pk)
    values = services.response_answer_values(response)
    unanswered = services.response_unanswered(response, values)
    findings = services.response_findings(response, values)
    questions = {q.code: q for q in response.round.questionnaire.questions.select_related("pillar")}
    parts = selectors.response_review(response=response)
    missing = [
        {"page": q.pillar.position + 1, "part": q.pillar.name, "text": q.text}
        for q in map(questions.get, unanswered)
        if q
    ]
    if parts and parts[-1].get("provincial"):
        addon_missing = set(addons.addon_unanswered(response))
        part = parts[-1]
        missing += [
            {"page": part["page"], "part": part["name"], "text": row["question"].text}
            for row in part["rows"]
            if row["question"].code in addon_missing
        ]
    page_html = render(
        request,
        "surveys/submit.html",
        {
            "response": response,
            "unanswered": missing,
            "errors": [_finding_row(f, questions) for f in findings if f.is_error],
            "warnings": [_finding_row(f, questions) for f in findings if not f.is_error],
            "confirm_asked": request.method == "POST" and status == 400,
            "parts": parts,
            "may_change": _may_open_parts(request, response),
            "offline": offline.offline_context(request, response, pages=len(parts)),
        },
        status=status,
    )
    if not _may_open_parts(request, response):
        return page_html
    return offline.keep_offline(page_html, request=request, response=response)


def _finding_row(finding: Finding, questions: dict[str, Question]) -> dict[str, Any]:
    """A broken rule as the submit page shows it: the message and the questions it reads, each
    with the page of the form where it is asked."""
    return {
        "code": finding.code,
        "message": finding.message,
        "questions": [questions[code] for code in finding.questions if code in questions],
    }


@login_required
def response_result(request: HttpRequest, pk: int) -> HttpResponse:
    return _result_page(request, selectors.response_get(user=request.user, pk=pk))


def _result_page(request: HttpRequest, response: Response, *, status: int = 200) -> HttpResponse:
    can_review = request.user.has_perm("surveys.review_response", response)
    may_accept = lifecycle.may_accept(request.user, response)
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
            "review_form": ReviewForm(may_accept=may_accept) if response.status == ResponseStatus.SUBMITTED else None,
            "can_review": can_review,
            "may_accept": may_accept,
            "may_continue": _may_open_parts(request, response),
            "self_acceptance_message": services.self_acceptance_message(),
            "parts": selectors.response_review(response=response),
            # The data checks' doubts are for those who follow the province, not the cooperative.
            "flags": [] if request.user.is_member else selectors.response_flags(response=response),
            "confirmed_warnings": confirmed_warnings(response),
            "has_result": report.has_result(response),
        },
        status=status,
    )


@login_required
def response_result_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The one-page A4 result (PDF) of a scored self-assessment, in the reader's language."""
    response = selectors.response_get(user=request.user, pk=pk)
    if response.score is None or not report.has_result(response):
        # A draft (edited again) or a returned response keeps its last score, but it is not a result.
        raise Http404(_("This self-assessment has not been submitted yet, so it has no score."))
    safe_code = re.sub(r"[^\w.-]+", "-", f"{response.cooperative.code}-{response.round.code}", flags=re.ASCII)
    pdf = HttpResponse(report.result_pdf(response=response), content_type="application/pdf")
    pdf["Content-Disposition"] = f'inline; filename="ket-qua-{safe_code.strip("-")}.pdf"'
    return pdf


@login_required
def cooperative_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """A cooperative's scored rounds side by side, pillar by pillar."""
    cooperative = registry.cooperative_get(user=request.user, pk=pk)
    return render(
        request,
        "surveys/progress.html",
        {"cooperative": cooperative, **report.cooperative_progress(cooperative=cooperative)},
    )


@login_required
@require_POST
def flag_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer confirms a data-check flag; a refusal is said on the review page, with a 400."""
    flag = selectors.flag_get(user=request.user, pk=pk)
    form = FlagConfirmForm(request.POST)
    if form.is_valid():
        try:
            flags.response_flag_confirm(flag=flag, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The flag is confirmed: the figures stand."))
            return redirect("surveys:result", pk=flag.response_id)
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return _result_page(request, selectors.response_get(user=request.user, pk=flag.response_id), status=400)


@login_required
@require_POST
def response_review(request: HttpRequest, pk: int) -> HttpResponse:
    response = selectors.response_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST)  # all decisions: the service says why one is refused
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
        return redirect("surveys:result", pk=pk)
    messages.success(request, _("The review has been recorded."))
    return redirect(reverse("surveys:round", args=[response.round.code]))


@login_required
@permission_required("surveys.import_responses", raise_exception=True)
def round_template(request: HttpRequest, code: str) -> FileResponse:
    survey_round = selectors.round_get(user=request.user, code=code)
    return FileResponse(
        paper_form.response_template(
            survey_round, selectors.round_cooperatives(survey_round=survey_round, user=request.user)
        ),
        as_attachment=True,
        filename=f"mau-khao-sat-{code}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
