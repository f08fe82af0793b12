"""Reading an answer: option codes, a number or a text, checked against its question.

The one check of answers: the browser form, the API and the paper import all call
:func:`parse_answer` (numbers through :func:`parse_number`), so that each refuses the same
values with the same message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from coopdx.validators import validate_visible_text

from .models import CHOICE_KINDS, NUMBER_KINDS, AddOnAnswer, Answer, QuestionKind
from .scoring import AnswerValue

RawAnswer = str | Sequence[str] | int | float | Decimal | None


class AskedQuestion(Protocol):
    """What the reader asks of a question: a national one (``Question``) or a province's add-on
    (``AddOnQuestion``), read by the same rules."""

    @property
    def code(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def text_vi(self) -> str: ...
    @property
    def options(self) -> Any: ...
    @property
    def min_value(self) -> Decimal | None: ...
    @property
    def max_value(self) -> Decimal | None: ...
    @property
    def integer_only(self) -> bool: ...


def parse_answer(question: AskedQuestion, raw: RawAnswer) -> AnswerValue:
    """Turn a raw value (option codes, a number, a text) into an answer, or say what is wrong."""
    if raw is None or raw == "" or raw == []:
        return AnswerValue()
    if question.kind in CHOICE_KINDS:
        if isinstance(raw, str):
            codes = [raw]
        elif isinstance(raw, int | float | Decimal):  # a spreadsheet cell read as a number
            codes = [str(raw)]
        else:
            codes = [str(code) for code in raw]
        valid = {option.code: option for option in question.options.all()}
        codes = _option_codes(valid, codes)
        unknown = [code for code in codes if code not in valid]
        if unknown:
            raise ValidationError(
                _("Unknown option %(codes)s for question %(question)s.")
                % {"codes": ", ".join(unknown), "question": question.code}
            )
        if len(set(codes)) != len(codes):
            raise ValidationError(_("An option is given twice."))
        if question.kind != QuestionKind.MULTIPLE and len(codes) > 1:
            raise ValidationError(_("Question %(question)s takes one answer only.") % {"question": question.code})
        if len(codes) > 1 and any(valid[code].exclusive for code in codes):
            raise ValidationError(
                _('"%(label)s" cannot be combined with other answers.')
                % {"label": next(valid[c].label for c in codes if valid[c].exclusive)}
            )
        return AnswerValue(options=codes)
    if question.kind in NUMBER_KINDS:
        return AnswerValue(number=parse_number(question, raw))
    text = str(raw).strip()
    if len(text) > 500:
        raise ValidationError(_("Keep the answer under 500 characters."))
    validate_visible_text(text)
    return AnswerValue(text=text)


def _label_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _option_codes(valid: Mapping[str, Any], parts: list[str]) -> list[str]:
    """Option codes from cells holding codes or labels (as the paper form's drop-down lists
    write them, in Vietnamese or English), several separated by ";"; a label that itself holds
    a ";" is read whole first."""
    labels = {
        _label_key(label): code
        for code, option in valid.items()
        for label in (option.label_vi, option.label_en)
        if label
    }
    codes: list[str] = []
    for part in parts:
        if part.strip() not in valid and _label_key(part) in labels:
            codes.append(labels[_label_key(part)])
            continue
        for piece in (piece.strip() for piece in part.split(";")):
            if piece:
                codes.append(piece if piece in valid else labels.get(_label_key(piece), piece))
    return codes


def _shown(value: Decimal) -> str:
    """A bound as the user reads it: in their language's digits, without trailing zeros."""
    exact = value.to_integral_value() if value == value.to_integral_value() else value.normalize()
    return formats.number_format(exact)


def number_bounds_message(question: AskedQuestion) -> str:
    """What a number question accepts, said as the error for anything else."""
    low, high = question.min_value, question.max_value
    values = {"min": _shown(low) if low is not None else "", "max": _shown(high) if high is not None else ""}
    if question.integer_only:
        if low is not None and high is not None:
            return _("Enter a whole number from %(min)s to %(max)s.") % values
        if low is not None:
            return _("Enter a whole number of %(min)s or more.") % values
        if high is not None:
            return _("Enter a whole number of at most %(max)s.") % values
        return _("Enter a whole number.")
    if low is not None and high is not None:
        return _("Enter a number from %(min)s to %(max)s.") % values
    if low is not None:
        return _("Enter a number of %(min)s or more.") % values
    if high is not None:
        return _("Enter a number of at most %(max)s.") % values
    return _("Enter a number of zero or more.")


def parse_number(question: AskedQuestion, raw: RawAnswer) -> Decimal:
    """A number answer checked against its question's bounds and integer-ness.

    The one check of number answers: the browser form, the API and the paper import all call
    it, so that each refuses the same values with the same message. A comma is read as the
    decimal separator, as Vietnamese write it.
    """
    try:
        number = Decimal(str(raw).replace(",", ".").strip())
    except InvalidOperation as error:
        raise ValidationError(_("Enter a number.")) from error
    if not number.is_finite():
        raise ValidationError(_("Enter a number."))
    low, high = question.min_value, question.max_value
    if (
        (low is not None and number < low)
        or (high is not None and number > high)
        or (question.integer_only and number != number.to_integral_value())
        or (low is None and number < 0)
        or number >= Decimal("1e10")
    ):
        raise ValidationError(number_bounds_message(question))
    if number != number.quantize(Decimal("0.01"), rounding=ROUND_DOWN):
        raise ValidationError(_("Enter a number with at most two decimal places."))
    return number.to_integral_value() if question.integer_only else number


def answers_signature(values: Mapping[str, AnswerValue]) -> str:
    """A digest of a response's answers: equal for two responses exactly when every question has
    the same chosen options, number and text (empty answers left out; a number compared to two
    decimals, as stored, so "12" read from a paper form equals the 12.00 saved by the browser)."""
    parts = []
    for code in sorted(values):
        value = values[code]
        if value.is_empty:
            continue
        number = "" if value.number is None else format(Decimal(value.number).quantize(Decimal("0.01")), "f")
        parts.append([code, sorted(value.options), number, value.text.strip()])
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()


def store_answers(model: type[Answer] | type[AddOnAnswer], response: Any, parsed: Mapping[Any, AnswerValue]) -> None:
    """Store read answers of a response: national ones (``Answer``) or the round's add-ons
    (``AddOnAnswer``), each in its own table; an empty answer removes the stored one."""
    if not parsed:
        return
    existing = {a.question_id: a for a in model.objects.filter(response=response, question__in=list(parsed))}
    for question, value in parsed.items():
        answer = existing.get(question.pk)
        if value.is_empty:
            if answer:
                answer.delete()
            continue
        answer = answer or model(response=response, question=question)
        answer.number, answer.text = value.number, value.text
        answer.save()
        if question.kind in CHOICE_KINDS:
            options = {o.code: o for o in question.options.all()}
            answer.options.set([options[code] for code in value.options])
