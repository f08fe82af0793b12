"""Consistency rules between the answers of a questionnaire version, kept as data.

Each ``ConsistencyRule`` of a version says: *when* ``condition`` holds (always, if it is empty),
``constraint`` must hold too, with a message in Vietnamese and English and a severity:

* an **error** blocks the submission (a contradiction: online orders every month and no online
  channel at all);
* a **warning** asks the cooperative to confirm (an unusual but possible answer: e-invoices
  without accounting software); the codes it confirmed are kept on the response
  (``Response.confirmed_warnings``) for the officer who reviews it.

A rule is checked only once every question it refers to is answered: a missing answer is the
required-answer check's to report, not a contradiction. The national team writes rules in the
admin, on a draft version, in the XLSForm expression language (``surveys.expressions``); saving
parses them against that version's questions and options, so a rule that could not run is
refused with the place of the mistake.

The browser's submission, the API's and the paper import all call ``answers_check`` and
``submission_refusal`` (through ``services.response_submit`` or the importer), so a rule holds
identically on each path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from .expressions import Expression, QuestionFacts, parse

if TYPE_CHECKING:
    from .models import ConsistencyRule
    from .scoring import AnswerValue


@dataclass(frozen=True)
class CompiledRule:
    code: str
    severity: str
    message_vi: str
    message_en: str
    condition: Expression | None
    constraint: Expression

    @property
    def codes(self) -> frozenset[str]:
        """The questions the rule reads."""
        return self.constraint.codes | (self.condition.codes if self.condition else frozenset())

    @property
    def message(self) -> str:
        language = (translation.get_language() or "vi")[:2]
        return (self.message_en if language == "en" else "") or self.message_vi


@dataclass(frozen=True)
class Finding:
    """A rule the answers break."""

    rule: CompiledRule

    @property
    def code(self) -> str:
        return self.rule.code

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def is_error(self) -> bool:
        return self.rule.severity == "error"

    @property
    def message(self) -> str:
        return self.rule.message

    @property
    def questions(self) -> list[str]:
        return sorted(self.rule.codes)


def question_facts_of(questions: Iterable[Any]) -> dict[str, QuestionFacts]:
    """Facts for parsing, from questions whose options are prefetched."""
    return {q.code: QuestionFacts(kind=q.kind, options=frozenset(o.code for o in q.options.all())) for q in questions}


def question_facts(questionnaire_id: int) -> dict[str, QuestionFacts]:
    """The version's questions as expressions need them: kind and option codes (two queries;
    only those columns, so data migrations can call it before later columns exist)."""
    from .models import Option, Question

    options = Prefetch("options", queryset=Option.objects.only("pk", "code", "question_id"))
    questions = Question.objects.filter(questionnaire_id=questionnaire_id).only("pk", "code", "kind")
    return question_facts_of(questions.prefetch_related(options))


def rule_expressions(
    rule: ConsistencyRule, facts: Mapping[str, QuestionFacts] | None = None
) -> tuple[Expression | None, Expression]:
    """Parse a rule's two expressions against its version's questions; ValidationError per field."""
    facts = question_facts(rule.questionnaire_id) if facts is None else facts
    errors: dict[str, list[str]] = {}
    condition: Expression | None = None
    constraint: Expression | None = None
    if rule.condition.strip():
        try:
            condition = parse(rule.condition, facts)
        except ValidationError as error:
            errors["condition"] = error.messages
    try:
        constraint = parse(rule.constraint, facts)
    except ValidationError as error:
        errors["constraint"] = error.messages
    if errors:
        raise ValidationError(errors)
    assert constraint is not None
    return condition, constraint


def _compile(questionnaire_id: int) -> tuple[CompiledRule, ...]:
    from .models import ConsistencyRule

    rules = list(ConsistencyRule.objects.filter(questionnaire_id=questionnaire_id))
    if not rules:
        return ()
    facts = question_facts(questionnaire_id)
    compiled = []
    for rule in rules:
        condition, constraint = rule_expressions(rule, facts)
        compiled.append(CompiledRule(rule.code, rule.severity, rule.message_vi, rule.message_en, condition, constraint))
    return tuple(compiled)


@lru_cache(maxsize=32)
def _compiled_cached(questionnaire_id: int, published_at: Any) -> tuple[CompiledRule, ...]:
    return _compile(questionnaire_id)


def questionnaire_rules(questionnaire: Any) -> tuple[CompiledRule, ...]:
    """The version's rules, parsed; cached for published versions, which never change."""
    if questionnaire.published_at is None:
        return _compile(questionnaire.pk)
    return _compiled_cached(questionnaire.pk, questionnaire.published_at)


def answers_check(rules: Sequence[CompiledRule], values: Mapping[str, AnswerValue]) -> list[Finding]:
    """The rules that ``values`` (answers by question code) break, errors first."""
    findings = []
    for rule in rules:
        if any(code not in values or values[code].is_empty for code in rule.codes):
            continue
        if rule.condition is not None and not rule.condition.evaluate(values):
            continue
        if not rule.constraint.evaluate(values):
            findings.append(Finding(rule))
    return sorted(findings, key=lambda f: not f.is_error)


class AnswersInconsistent(ValidationError):
    """A submission the rules refuse: contradictions (code ``inconsistent_answers``) or warnings
    not yet confirmed (``warnings_to_confirm``). ``findings`` says which rules."""

    def __init__(self, findings: Sequence[Finding], code: str) -> None:
        self.findings = list(findings)
        self.refusal_code = code
        if code == "inconsistent_answers":
            self.summary = _("Some answers contradict each other; correct them before sending.")
        else:
            self.summary = _("Some answers are unusual; confirm that they are right before sending.")
        super().__init__(" ".join([self.summary, *(f.message for f in self.findings)]), code=code)


def submission_refusal(findings: Sequence[Finding], *, warnings_confirmed: bool) -> AnswersInconsistent | None:
    """Why these findings stop a submission, or None: any error does; a warning does until the
    submitter confirms it."""
    errors = [f for f in findings if f.is_error]
    if errors:
        return AnswersInconsistent(errors, "inconsistent_answers")
    warnings = [f for f in findings if not f.is_error]
    if warnings and not warnings_confirmed:
        return AnswersInconsistent(warnings, "warnings_to_confirm")
    return None


def confirmed_codes(findings: Sequence[Finding]) -> list[str]:
    """What a submission that went through keeps: the warnings its submitter confirmed."""
    return [f.code for f in findings if not f.is_error]


def confirmed_warnings(response: Any) -> list[CompiledRule]:
    """The rules whose warnings the submitter of ``response`` confirmed, in the version's order
    (no query once the version's rules are cached)."""
    codes = set(response.confirmed_warnings or ())
    if not codes:
        return []
    return [rule for rule in questionnaire_rules(response.round.questionnaire) if rule.code in codes]
