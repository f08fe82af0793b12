"""Skip logic and constraints of a questionnaire's questions: XLSForm's ``relevant`` and
``constraint`` columns, in the expression language of ``surveys.expressions``.

* ``relevant`` is a condition on *earlier* answers (questionnaire order: part, then position).
  While it is false the question is hidden: not shown (browser and offline form), not required,
  not scored (``scoring.hidden_codes``), and its answer is not kept: the browser's and the API's
  saves delete it (``response_save_answers``), the paper import leaves it out with a warning.
* ``constraint`` is a condition the answer must meet, ``.`` standing for the answer itself
  (``. <= ${MEMBERS}``). It is checked whenever the question is answered and shown: on saving
  the question's answer (browser, offline form, API), on submission for every answer, and on
  each row of the paper import, with the question's message or a general one.

A draft version's questions are checked on saving (``Question.clean``, so in the admin and the
importers alike): an expression that does not parse, a condition on a later question, or a
``.`` outside a constraint is refused with the place of the mistake.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from .consistency import question_facts_of
from .expressions import Expression, QuestionFacts, mentioned_codes, parse, tree_json
from .scoring import AnswerValue, PillarSpec, QuestionSpec, hidden_codes

if TYPE_CHECKING:
    from .models import Question


def _earlier_facts(question: Question) -> dict[str, QuestionFacts]:
    """The questions before ``question`` in its version's order."""
    from .models import Question

    if not question.pillar_id:
        return {}
    earlier = []
    others = Question.objects.filter(questionnaire_id=question.questionnaire_id).select_related("pillar")
    mine = (question.pillar.position, question.position)
    for other in others.exclude(pk=question.pk).prefetch_related("options"):
        if (other.pillar.position, other.position) < mine:
            earlier.append(other)
    return question_facts_of(earlier)


def question_expressions(
    question: Question, facts: Mapping[str, QuestionFacts] | None = None
) -> tuple[Expression | None, Expression | None]:
    """Parse a question's condition and constraint; ValidationError per field. Without ``facts``
    the condition may read only the questions before it."""
    if facts is None:
        earlier = _earlier_facts(question)
        itself = QuestionFacts(
            kind=question.kind,
            options=frozenset(o.code for o in question.options.all()) if question.pk else frozenset(),
        )
    else:
        itself = facts.get(question.code, QuestionFacts(kind=question.kind))
        earlier = {code: fact for code, fact in facts.items() if code != question.code}
    return logic_expressions(
        code=question.code, relevant=question.relevant, constraint=question.constraint, earlier=earlier, itself=itself
    )


def logic_expressions(
    *, code: str, relevant: str, constraint: str, earlier: Mapping[str, QuestionFacts], itself: QuestionFacts
) -> tuple[Expression | None, Expression | None]:
    """Parse a condition (on the ``earlier`` questions) and a constraint (``.`` is the question
    ``code`` itself); ValidationError with a message per field."""
    errors: dict[str, list[str]] = {}
    parsed_relevant = parsed_constraint = None
    if relevant.strip():
        later = sorted(mentioned_codes(relevant) - set(earlier))
        if later:
            errors["relevant"] = [
                _("%(code)s is not a question before this one: a condition can read only earlier answers.")
                % {"code": later[0]}
            ]
        else:
            try:
                parsed_relevant = parse(relevant, earlier)
            except ValidationError as error:
                errors["relevant"] = error.messages
    if constraint.strip():
        try:
            parsed_constraint = parse(constraint, {**earlier, code: itself}, itself=code)
        except ValidationError as error:
            errors["constraint"] = error.messages
    if errors:
        raise ValidationError(errors)
    return parsed_relevant, parsed_constraint


def question_logic(question: Question, facts: Mapping[str, QuestionFacts]) -> dict[str, Any]:
    """The parsed logic of a saved question, as ``QuestionSpec`` fields."""
    if not (question.relevant.strip() or question.constraint.strip()):
        return {}
    relevant, constraint = question_expressions(question, facts)
    return {
        "relevant": relevant,
        "constraint": constraint,
        "constraint_message_vi": question.constraint_message_vi,
        "constraint_message_en": question.constraint_message_en,
    }


def has_logic(pillars: Sequence[PillarSpec]) -> bool:
    return any(q.relevant is not None or q.constraint is not None for p in pillars for q in p.questions)


def required_unanswered(pillars: Sequence[PillarSpec], values: Mapping[str, AnswerValue]) -> list[str]:
    """Codes of required questions without an answer, in order; a hidden question is not required."""
    hidden = hidden_codes(pillars, values)
    return [
        q.code
        for pillar in pillars
        for q in pillar.questions
        if q.required and q.code not in hidden and (q.code not in values or values[q.code].is_empty)
    ]


def constraint_message(question: QuestionSpec) -> str:
    language = (translation.get_language() or "vi")[:2]
    message = (question.constraint_message_en if language == "en" else "") or question.constraint_message_vi
    return message or _("This answer is not allowed given the other answers.")


def constraint_errors(
    pillars: Sequence[PillarSpec], values: Mapping[str, AnswerValue], codes: Iterable[str] | None = None
) -> dict[str, list[str]]:
    """The answered, shown questions (of ``codes``, or all) whose constraint the answers break."""
    wanted = None if codes is None else set(codes)
    hidden = hidden_codes(pillars, values)
    errors: dict[str, list[str]] = {}
    for pillar in pillars:
        for question in pillar.questions:
            if question.constraint is None or question.code in hidden:
                continue
            if wanted is not None and question.code not in wanted:
                continue
            value = values.get(question.code)
            if value is None or value.is_empty:
                continue
            if not question.constraint.evaluate(values):
                errors[question.code] = [constraint_message(question)]
    return errors


def answers_with_logic(
    pillars: Sequence[PillarSpec],
    saved: Mapping[str, AnswerValue],
    questions: Mapping[str, Question],
    parsed: dict[Question, AnswerValue],
) -> dict[Question, AnswerValue]:
    """A save's answers under the version's logic: the constraints of the answers sent must hold
    (ValidationError by code), and every answer they hide, saved before or sent now, is emptied."""
    values = {**saved, **{q.code: value for q, value in parsed.items()}}
    errors = constraint_errors(pillars, values, codes=[q.code for q in parsed])
    if errors:
        raise ValidationError(errors)
    for code in hidden_codes(pillars, values):
        if code in values and not values[code].is_empty:
            parsed[questions[code]] = AnswerValue()
    return parsed


def constraints_refusal(pillars: Sequence[PillarSpec], values: Mapping[str, AnswerValue]) -> ValidationError | None:
    """A submission's refusal when a shown answer breaks its constraint (code ``constraint``)."""
    errors = constraint_errors(pillars, values)
    if not errors:
        return None
    listed = "; ".join(f"{code}: {' '.join(messages)}" for code, messages in errors.items())
    return ValidationError(listed, code="constraint")


def answer_json(value: AnswerValue) -> Any:
    """An answer as the browser's evaluator reads it (``expressions._answer``)."""
    if value.is_empty:
        return ""
    if value.number is not None:
        return float(Decimal(value.number))
    if value.options:
        return " ".join(value.options)
    return value.text


def page_logic(pillars: Sequence[PillarSpec], pillar_code: str, values: Mapping[str, AnswerValue]) -> dict[str, Any]:
    """What the browser needs to show and hide a part's questions as the member answers: each
    question's condition and constraint (trees), their messages, and the shown answers of the
    other parts (a hidden question's answer reads as empty)."""
    hidden = hidden_codes(pillars, values)
    page = next(p for p in pillars if p.code == pillar_code)
    on_page = {q.code for q in page.questions}
    return {
        "order": [q.code for p in pillars for q in p.questions],
        "kinds": {q.code: q.kind for q in page.questions},
        "relevant": {q.code: tree_json(q.relevant.tree) for q in page.questions if q.relevant is not None},
        "constraint": {q.code: tree_json(q.constraint.tree) for q in page.questions if q.constraint is not None},
        "messages": {q.code: constraint_message(q) for q in page.questions if q.constraint is not None},
        "others": {
            code: answer_json(value)
            for code, value in values.items()
            if code not in on_page and code not in hidden and not value.is_empty
        },
    }
