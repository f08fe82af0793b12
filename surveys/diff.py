"""What changed between two questionnaire versions, for the national team before it publishes:
parts and questions added or removed, questions reworded or moved, options and scores changed,
conditions changed, scoring settings and consistency rules changed. An empty list means the two
versions ask and score the same way (the check after an XLSForm round trip)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, reworded, moved, options, scores, condition, scoring, rule, settings
    code: str  # the part, question or rule
    what: Any  # a translatable label of the field
    before: str = ""
    after: str = ""

    @property
    def kind_label(self) -> Any:
        return CHANGE_KINDS.get(self.kind, self.kind)


# What each kind of change is called on the comparison page.
CHANGE_KINDS = {
    "added": _("Question added"),
    "removed": _("Question removed"),
    "reworded": _("Reworded"),
    "moved": _("Moved"),
    "options": _("Options"),
    "scores": _("Scores"),
    "condition": _("Condition"),
    "scoring": _("Scoring"),
    "settings": _("Settings"),
    "part": _("Part changed"),
    "part_added": _("Part added"),
    "part_removed": _("Part removed"),
    "option_added": _("Option added"),
    "option_removed": _("Option removed"),
    "rule": _("Rule changed"),
    "rule_added": _("Rule added"),
    "rule_removed": _("Rule removed"),
}

QUESTION_TEXT = {
    "text_vi": _("question (Vietnamese)"),
    "text_en": _("question (English)"),
    "help_vi": _("help (Vietnamese)"),
    "help_en": _("help (English)"),
    "unit_vi": _("unit (Vietnamese)"),
    "unit_en": _("unit (English)"),
}
QUESTION_SCORING = {
    "kind": _("kind"),
    "required": _("required"),
    "scored": _("scored"),
    "weight": _("weight"),
    "max_score": _("maximum score"),
    "bands": _("score bands"),
    "min_value": _("smallest answer"),
    "max_value": _("largest answer"),
    "integer_only": _("whole numbers only"),
}
QUESTION_LOGIC = {
    "relevant": _("shown only when"),
    "constraint": _("answer allowed when"),
    "constraint_message_vi": _("message when not allowed (Vietnamese)"),
    "constraint_message_en": _("message when not allowed (English)"),
}
PILLAR_FIELDS = {"name_vi": _("name (Vietnamese)"), "name_en": _("name (English)"), "weight": _("weight")}
RULE_FIELDS = {
    "severity": _("severity"),
    "condition": _("when"),
    "constraint": _("must hold"),
    "message_vi": _("message (Vietnamese)"),
    "message_en": _("message (English)"),
}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):
        return "; ".join(f"{a}={b}" for a, b in value)
    return "" if value is None else str(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return [[str(x) for x in pair] for pair in a] == [[str(x) for x in pair] for pair in b]
    return _shown(a) == _shown(b)


def _fields(kind: str, code: str, old: Any, new: Any, fields: dict[str, Any]) -> list[Change]:
    return [
        Change(kind, code, label, _shown(getattr(old, name)), _shown(getattr(new, name)))
        for name, label in fields.items()
        if not _same(getattr(old, name), getattr(new, name))
    ]


def _matched(
    old: Iterable[Any], new: Iterable[Any], key: Callable[[Any], str], label: Any, kind_prefix: str = ""
) -> tuple[list[Change], list[tuple[Any, Any]]]:
    """Items added and removed (by ``key``), and the pairs present in both."""
    before, after = {key(o): o for o in old}, {key(n): n for n in new}
    changes = [Change(f"{kind_prefix}removed", code, label, code, "") for code in before if code not in after]
    changes += [Change(f"{kind_prefix}added", code, label, "", code) for code in after if code not in before]
    return changes, [(before[code], after[code]) for code in before if code in after]


def _options(old: Any, new: Any) -> list[Change]:
    changes, pairs = _matched(old.options.all(), new.options.all(), lambda o: o.code, _("option"), "option_")
    code = old.code
    for a, b in pairs:
        for name, label in (("label_vi", _("label (Vietnamese)")), ("label_en", _("label (English)"))):
            if getattr(a, name) != getattr(b, name):
                changes.append(Change("options", f"{code}/{a.code}", label, getattr(a, name), getattr(b, name)))
        for name, label in (("score", _("score")), ("exclusive", _("excludes the others"))):
            if getattr(a, name) != getattr(b, name):
                changes.append(
                    Change("scores", f"{code}/{a.code}", label, _shown(getattr(a, name)), _shown(getattr(b, name)))
                )
    if [o.code for o in old.options.all()] != [o.code for o in new.options.all()] and not changes:
        changes.append(Change("options", code, _("order of the options"), "", ""))
    return changes


def questionnaire_diff(old: Any, new: Any) -> list[Change]:
    """The changes from version ``old`` to version ``new``, parts first, then questions in the
    new version's order, then the scoring scheme and the consistency rules."""
    pillars_old = list(old.pillars.prefetch_related("questions__options", "advice"))
    pillars_new = list(new.pillars.prefetch_related("questions__options", "advice"))
    changes, pairs = _matched(pillars_old, pillars_new, lambda p: p.code, _("part"), "part_")
    for a, b in pairs:
        changes += _fields("part", a.code, a, b, PILLAR_FIELDS)
        advice_a = {x.level: (x.text_vi, x.text_en) for x in a.advice.all()}
        advice_b = {x.level: (x.text_vi, x.text_en) for x in b.advice.all()}
        for level in sorted(set(advice_a) | set(advice_b)):
            if advice_a.get(level) != advice_b.get(level):
                changes.append(Change("part", a.code, _("advice for level %(level)s") % {"level": level}))
    questions_old = [(p.code, i, q) for p in pillars_old for i, q in enumerate(p.questions.all())]
    questions_new = [(p.code, i, q) for p in pillars_new for i, q in enumerate(p.questions.all())]
    added_removed, question_pairs = _matched(questions_old, questions_new, lambda t: t[2].code, _("question"))
    changes += added_removed
    for (pillar_a, position_a, a), (pillar_b, position_b, b) in question_pairs:
        if (pillar_a, position_a) != (pillar_b, position_b):
            changes.append(
                Change("moved", a.code, _("place"), f"{pillar_a} #{position_a + 1}", f"{pillar_b} #{position_b + 1}")
            )
        changes += _fields("reworded", a.code, a, b, QUESTION_TEXT)
        changes += _fields("scoring", a.code, a, b, QUESTION_SCORING)
        changes += _fields("condition", a.code, a, b, QUESTION_LOGIC)
        changes += _options(a, b)
    if old.scoring_scheme_id != new.scoring_scheme_id:
        changes.append(
            Change("settings", new.code, _("scoring scheme"), old.scoring_scheme.code, new.scoring_scheme.code)
        )
    rule_changes, rule_pairs = _matched(old.rules.all(), new.rules.all(), lambda r: r.code, _("rule"), "rule_")
    changes += rule_changes
    for a, b in rule_pairs:
        changes += _fields("rule", a.code, a, b, RULE_FIELDS)
    return changes
