"""Indicator series across questionnaire versions.

An indicator names the question and options it counts by their codes (``IndicatorDefinition``),
which stay the same from version to version, so its series goes on by itself while a new version
keeps them. When a new version drops the question, changes its kind or wording, or loses one of
the options the indicator counts, publishing that version is refused (``questionnaire_publish``)
until the national team says which question and options of the new version carry the series on
(an ``IndicatorMapping``; the same question again is a valid answer: "the rewording keeps the
meaning"). The nightly figures then count, for each response, the options of its own version:
``indicator_option_ids`` is the one place that resolves them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from accounts.models import User

    from .models import IndicatorDefinition, IndicatorMapping, Questionnaire


@dataclass(frozen=True)
class Break:
    """An indicator whose question a new version drops or changes, and how."""

    indicator: IndicatorDefinition
    question_code: str
    reason: str

    def __str__(self) -> str:
        return _("%(indicator)s counts %(question)s: %(reason)s") % {
            "indicator": self.indicator.name,
            "question": self.question_code,
            "reason": self.reason,
        }


def previous_version(questionnaire: Questionnaire) -> Questionnaire | None:
    """The latest published version of the same questionnaire before this one."""
    from .models import Questionnaire

    earlier = Questionnaire.objects.filter(code=questionnaire.code, version__lt=questionnaire.version)
    return earlier.filter(published_at__isnull=False).order_by("-version").first()


def _questions(questionnaire: Questionnaire) -> dict[str, Any]:
    return {q.code: q for q in questionnaire.questions.prefetch_related("options")}


def _change(old: Any, new: Any, codes: set[str]) -> str | None:
    if new is None:
        return _("this version has no such question.")
    if new.kind != old.kind:
        return _("the question's kind changes.")
    counted = codes & {o.code for o in old.options.all()}  # what the series counted until now
    missing = sorted(counted - {o.code for o in new.options.all()})
    if missing:
        return _("this version no longer has the options %(options)s.") % {"options": ", ".join(missing)}
    if new.text_vi != old.text_vi:
        return _("the question is worded differently.")
    labels_old = {o.code: o.label_vi for o in old.options.all()}
    if any(labels_old.get(o.code) != o.label_vi for o in new.options.all() if o.code in codes):
        return _("an option it counts is worded differently.")
    return None


def indicator_breaks(questionnaire: Questionnaire) -> list[Break]:
    """The active indicators whose question ``questionnaire`` drops or changes from the previous
    published version, and that no mapping of this version carries on."""
    from .models import IndicatorDefinition

    previous = previous_version(questionnaire)
    if previous is None:
        return []
    old_questions, new_questions = _questions(previous), _questions(questionnaire)
    mapped = set(questionnaire.indicator_mappings.values_list("indicator_id", flat=True))
    breaks = []
    for indicator in IndicatorDefinition.objects.filter(is_active=True):
        old = old_questions.get(indicator.question_code)
        if old is None or indicator.pk in mapped:
            continue  # the indicator did not count the previous version, or the team said how
        reason = _change(old, new_questions.get(indicator.question_code), {str(c) for c in indicator.option_codes})
        if reason:
            breaks.append(Break(indicator, indicator.question_code, reason))
    return breaks


@transaction.atomic
def indicator_mapping_set(
    *,
    questionnaire: Questionnaire,
    indicator: IndicatorDefinition,
    question_code: str,
    option_codes: Sequence[str],
    note: str = "",
    by: User | None,
) -> IndicatorMapping:
    """Say which question and options of a draft version carry an indicator's series on."""
    from .models import IndicatorMapping, Question

    if questionnaire.is_published:
        raise ValidationError(_("A published questionnaire cannot change; create a new version."))
    question = Question.objects.filter(questionnaire=questionnaire, code=question_code).first()
    if question is None:
        raise ValidationError({"question_code": _("This version has no question %(code)s.") % {"code": question_code}})
    codes = [str(code) for code in option_codes]
    known = set(question.options.values_list("code", flat=True))
    if not codes or set(codes) - known:
        raise ValidationError({"option_codes": _("Choose one or more options of %(code)s.") % {"code": question_code}})
    mapping, _created = IndicatorMapping.objects.update_or_create(
        questionnaire=questionnaire,
        indicator=indicator,
        defaults={"question_code": question_code, "option_codes": codes, "note": note[:255], "created_by": by},
    )
    return mapping


def indicator_option_ids(definitions: Sequence[tuple[str, str, list[Any]]]) -> dict[str, list[int]]:
    """Per indicator (code, question code, option codes), the ids of the options it counts in
    every version: its own codes, except in a version with a mapping, which counts the mapping's
    (options are rows of their version, so one list serves every response). Two queries."""
    from .models import IndicatorMapping, Option

    mappings: dict[str, list[tuple[int, str, list[Any]]]] = defaultdict(list)
    for code, version, question, options in IndicatorMapping.objects.filter(
        indicator__code__in=[d[0] for d in definitions]
    ).values_list("indicator__code", "questionnaire_id", "question_code", "option_codes"):
        mappings[code].append((version, question, options))
    questions = {d[1] for d in definitions} | {m[1] for found in mappings.values() for m in found}
    ids_of: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    rows = Option.objects.filter(question__code__in=questions)
    for pk, question_code, option_code, version in rows.values_list(
        "pk", "question__code", "code", "question__questionnaire_id"
    ):
        ids_of[(question_code, option_code)].append((pk, version))
    resolved: dict[str, list[int]] = {}
    for code, question_code, option_codes in definitions:
        mapped = {version for version, _q, _o in mappings[code]}
        # str(): the codes are JSON an administrator edits, where 1 and "1" mean the same option.
        ids = [pk for o in option_codes for pk, v in ids_of.get((question_code, str(o)), []) if v not in mapped]
        for version, question, options in mappings[code]:
            ids += [pk for o in options for pk, v in ids_of.get((question, str(o)), []) if v == version]
        resolved[code] = sorted(ids)
    return resolved
