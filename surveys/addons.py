"""A provincial round's add-on questions: written by the province (or the national administrator)
while nobody has submitted, answered after the national questionnaire, never scored.

The one path of add-ons: the round's page writes the questions here; the browser's and the API's
saves (``services.response_save_answers``), the offline form (through the API) and the paper
import read and write their answers here, with the national answers' reader
(``answers.parse_answer``). The scoring, the aggregation, the version diff and the XLSForm read
only ``Question`` and ``Answer``: add-ons are other tables, so they cannot reach the index.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from .answers import RawAnswer, parse_answer
from .models import AddOnAnswer, AddOnKind, AddOnOption, AddOnQuestion, Response, ResponseStatus, SurveyRound
from .scoring import AnswerValue

if TYPE_CHECKING:
    from accounts.models import User

MANAGE = "surveys.manage_addon_questions"
# A yes/no add-on's options, as the national questionnaire's yes/no questions have them.
YES_NO = (("yes", "Có", "Yes"), ("no", "Không", "No"))
OptionLabels = tuple[str, str]  # Vietnamese, English (may be empty)


def round_has_submissions(survey_round: SurveyRound) -> bool:
    """Whether a response of the round was ever submitted (its add-ons are then frozen)."""
    submitted = ~Q(status=ResponseStatus.DRAFT) | Q(submitted_at__isnull=False)
    return Response.objects.filter(submitted, round=survey_round).exists()


def addon_refusal(survey_round: SurveyRound) -> str | None:
    """Why the round's add-on questions cannot change now, or None."""
    if survey_round.province_id is None:
        return _("A national round has no provincial add-on questions: they belong to a provincial round.")
    if round_has_submissions(survey_round):
        return _(
            "A response of this round has been submitted, so its add-on questions can no longer change: "
            "every cooperative answers the same questions."
        )
    return None


def _check(survey_round: SurveyRound, by: User) -> None:
    if not by.has_perm(MANAGE, survey_round):
        raise PermissionDenied
    refusal = addon_refusal(survey_round)
    if refusal:
        raise ValidationError(refusal)


def addon_questions(survey_round: SurveyRound) -> list[AddOnQuestion]:
    """The round's add-on questions in order, with their options (two queries)."""
    return list(AddOnQuestion.objects.filter(round=survey_round).prefetch_related("options"))


def _option_rows(kind: str, options: Sequence[OptionLabels]) -> list[tuple[str, str, str]]:
    if kind == AddOnKind.YES_NO:
        return list(YES_NO)
    if kind not in (AddOnKind.SINGLE, AddOnKind.MULTIPLE):
        return []
    rows = [(vi.strip(), en.strip()) for vi, en in options if vi.strip()]
    if len(rows) < 2:
        raise ValidationError({"options": _("Give at least two options, one a line.")})
    if len({vi.casefold() for vi, _en in rows}) != len(rows):
        raise ValidationError({"options": _("Two options have the same Vietnamese label.")})
    return [(str(n), vi, en) for n, (vi, en) in enumerate(rows, start=1)]


@transaction.atomic
def addon_question_save(
    *,
    survey_round: SurveyRound,
    by: User,
    code: str,
    kind: str,
    text_vi: str,
    text_en: str = "",
    required: bool = False,
    options: Sequence[OptionLabels] = (),
    question: AddOnQuestion | None = None,
) -> AddOnQuestion:
    """Add an add-on question at the end of the round's, or change ``question``; a choice
    question's options are numbered in the order given (an option keeps its code at its place)."""
    _check(survey_round, by)
    if question is None:
        last = AddOnQuestion.objects.filter(round=survey_round).aggregate(last=Max("position"))["last"]
        question = AddOnQuestion(round=survey_round, position=0 if last is None else last + 1)
    elif question.round_id != survey_round.pk:
        raise PermissionDenied
    if question.pk and question.kind != kind:
        question.answers.all().delete()  # drafts' answers of the old kind no longer fit the question
    question.code, question.kind, question.required = code.strip(), kind, required
    question.text_vi, question.text_en = text_vi.strip(), text_en.strip()
    rows = _option_rows(kind, options)
    question.full_clean()
    question.save()
    kept = {o.code: o for o in question.options.all()}
    question.options.exclude(code__in=[c for c, _vi, _en in rows]).delete()
    for position, (option_code, vi, en) in enumerate(rows):
        option = kept.get(option_code) or AddOnOption(question=question, code=option_code)
        option.label_vi, option.label_en, option.position = vi, en, position
        option.full_clean()
        option.save()
    return question


@transaction.atomic
def addon_question_delete(*, question: AddOnQuestion, by: User) -> None:
    """Remove an add-on question, with the answers drafts gave it."""
    _check(question.round, by)
    question.delete()


@transaction.atomic
def addon_question_move(*, question: AddOnQuestion, by: User, up: bool) -> None:
    """Swap the question with the one before (``up``) or after it."""
    _check(question.round, by)
    ordered = list(AddOnQuestion.objects.select_for_update().filter(round_id=question.round_id))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


def addon_parse(
    response: Response, raw: Mapping[str, RawAnswer]
) -> tuple[dict[AddOnQuestion, AnswerValue], dict[str, list[str]]]:
    """Read answers given by code to the response's round's add-ons: the values, and the errors
    by code (a code that is no add-on of the round is an unknown question)."""
    if not raw:
        return {}, {}
    questions = {q.code: q for q in addon_questions(response.round)}
    parsed: dict[AddOnQuestion, AnswerValue] = {}
    errors: dict[str, list[str]] = {}
    for code, value in raw.items():
        question = questions.get(code)
        if question is None:
            errors.setdefault(code, []).append(_("Unknown question."))
            continue
        try:
            parsed[question] = parse_answer(question, value)
        except ValidationError as error:
            errors.setdefault(code, []).extend(error.messages)
    return parsed, errors


def addon_answer_values(response: Response) -> dict[str, AnswerValue]:
    """The response's add-on answers by code (two queries)."""
    answers = AddOnAnswer.objects.filter(response=response).select_related("question").prefetch_related("options")
    return {
        a.question.code: AnswerValue(options=[o.code for o in a.options.all()], number=a.number, text=a.text)
        for a in answers
    }


def addon_unanswered(response: Response, values: Mapping[str, AnswerValue] | None = None) -> list[str]:
    """Codes of the required add-on questions still without an answer, in order."""
    values = addon_answer_values(response) if values is None else values
    required = AddOnQuestion.objects.filter(round_id=response.round_id, required=True).values_list("code", flat=True)
    return [code for code in required if code not in values or values[code].is_empty]


def addon_part_name(survey_round: SurveyRound) -> str:
    """The name of the add-ons' part of the form, in the reader's language."""
    province = survey_round.province
    if province is None:
        return ""
    if province.kind == "Thành phố":  # the six centrally governed cities
        return _("Additional questions from %(province)s city") % {"province": province.short_name}
    return _("Additional questions from %(province)s province") % {"province": province.short_name}


def addon_review_part(response: Response, *, page: int) -> dict[str, Any] | None:
    """The add-ons' part of a response's answers as the review pages show them (as
    ``selectors.response_review`` gives the national parts), or None without add-ons."""
    questions = addon_questions(response.round)
    if not questions:
        return None
    answers = {a.question_id: a for a in AddOnAnswer.objects.filter(response=response).prefetch_related("options")}
    rows = []
    for question in questions:
        answer = answers.get(question.pk)
        options = list(answer.options.all()) if answer else []
        number, text = (answer.number, answer.text) if answer else (None, "")
        rows.append(
            {
                "question": question,
                "labels": [option.label for option in options],
                "number": number,
                "text": text,
                "answered": bool(options) or number is not None or bool(text.strip()),
            }
        )
    return {"page": page, "name": addon_part_name(response.round), "provincial": True, "rows": rows}


def addon_bulk_replace(survey_round: SurveyRound, rows: Sequence[tuple[int, Mapping[str, AnswerValue]]]) -> None:
    """Replace the add-on answers of many responses at once (the paper import's bulk write):
    a few queries whatever the number of rows."""
    questions = {q.code: q for q in addon_questions(survey_round)}
    if not questions or not rows:
        return
    AddOnAnswer.objects.filter(response_id__in=[pk for pk, _values in rows]).delete()
    option_ids = {(q.code, o.code): o.pk for q in questions.values() for o in q.options.all()}
    answers: list[AddOnAnswer] = []
    chosen: list[tuple[int, list[int]]] = []
    for response_id, values in rows:
        for code, value in values.items():
            if value.is_empty:
                continue
            answers.append(
                AddOnAnswer(response_id=response_id, question=questions[code], number=value.number, text=value.text)
            )
            chosen.append((len(answers) - 1, [option_ids[(code, c)] for c in value.options]))
    AddOnAnswer.objects.bulk_create(answers, batch_size=2000)
    through = AddOnAnswer.options.through
    through.objects.bulk_create(
        [through(addonanswer_id=answers[i].pk, addonoption_id=o) for i, options in chosen for o in options],
        batch_size=10000,
    )
