"""Questionnaire versions: loading the shipped national questionnaire, new versions, publishing,
and the frozen scoring structure of a version."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .check_data import consistency_rules_load, evidence_checks_load
from .schemes import scheme_for
from .scoring import OptionSpec, PillarSpec, QuestionSpec

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_FILE = DATA_DIR / "questionnaire_national_v1.json"


def questionnaire_load(data: dict[str, Any], apps: Any = global_apps, *, publish: bool = True) -> Any:
    """Create (once) and publish a questionnaire version from its JSON description (or leave it
    a draft, for the national team to preview and compare before publishing: an XLSForm upload).

    Idempotent: an existing (code, version) is left as it is, since a published version
    never changes. Indicator definitions are upserted by code. ``apps`` lets a data
    migration pass its historical registry.
    """
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Pillar = apps.get_model("surveys", "Pillar")
    Question = apps.get_model("surveys", "Question")
    Option = apps.get_model("surveys", "Option")
    Advice = apps.get_model("surveys", "Advice")
    IndicatorDefinition = apps.get_model("surveys", "IndicatorDefinition")
    with transaction.atomic():
        questionnaire = Questionnaire.objects.filter(code=data["code"], version=data["version"]).first()
        if questionnaire is None:
            scheme: dict[str, Any] = {}
            # The migration that loads the first version runs before schemes exist (0002).
            if any(field.name == "scoring_scheme" for field in Questionnaire._meta.fields):
                scheme["scoring_scheme"] = scheme_for(data.get("scoring_scheme"), apps)
            questionnaire = Questionnaire.objects.create(
                code=data["code"],
                version=data["version"],
                title_vi=data["title"]["vi"],
                title_en=data["title"].get("en", ""),
                source=data.get("source", ""),
                **scheme,
            )
            for p_index, pillar_data in enumerate(data["pillars"]):
                pillar = Pillar.objects.create(
                    questionnaire=questionnaire,
                    code=pillar_data["code"],
                    name_vi=pillar_data["name"]["vi"],
                    name_en=pillar_data["name"].get("en", ""),
                    weight=Decimal(str(pillar_data.get("weight", 1))),
                    position=p_index,
                )
                for level, text in sorted(pillar_data.get("advice", {}).items()):
                    Advice.objects.create(
                        pillar=pillar, level=int(level), text_vi=text["vi"], text_en=text.get("en", "")
                    )
                for q_index, q in enumerate(pillar_data["questions"]):
                    question = Question.objects.create(
                        questionnaire=questionnaire,
                        pillar=pillar,
                        code=q["code"],
                        kind=q["kind"],
                        text_vi=q["text"]["vi"],
                        text_en=q["text"].get("en", ""),
                        help_vi=q.get("help", {}).get("vi", ""),
                        help_en=q.get("help", {}).get("en", ""),
                        unit_vi=q.get("unit", {}).get("vi", ""),
                        unit_en=q.get("unit", {}).get("en", ""),
                        required=q.get("required", True),
                        scored=q.get("scored", True),
                        weight=Decimal(str(q.get("weight", 1))),
                        max_score=q.get("max_score"),
                        bands=q.get("bands", []),
                        position=q_index,
                        **_bounds(Question, q),
                        **_logic(Question, q),
                    )
                    Option.objects.bulk_create(
                        [
                            Option(
                                question=question,
                                code=o["code"],
                                label_vi=o["label"]["vi"],
                                label_en=o["label"].get("en", ""),
                                score=o.get("score", 0),
                                exclusive=o.get("exclusive", False),
                                position=o_index,
                            )
                            for o_index, o in enumerate(q.get("options", []))
                        ]
                    )
            consistency_rules_load(data, apps, questionnaire=questionnaire)
            if publish:
                questionnaire.published_at = timezone.now()
                questionnaire.save(update_fields=["published_at"])
        for position, indicator in enumerate(data.get("indicators", [])):
            IndicatorDefinition.objects.update_or_create(
                code=indicator["code"],
                defaults={
                    "name_vi": indicator["name"]["vi"],
                    "name_en": indicator["name"].get("en", ""),
                    "description_vi": indicator.get("description", {}).get("vi", ""),
                    "description_en": indicator.get("description", {}).get("en", ""),
                    "question_code": indicator["question"],
                    "option_codes": indicator["options"],
                    "position": position,
                },
            )
        evidence_checks_load(data, apps)
    return questionnaire


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _bounds(model: Any, q: dict[str, Any]) -> dict[str, Any]:
    """A number question's bounds, for a registry that has them (not the early migrations')."""
    if not any(f.name == "integer_only" for f in model._meta.get_fields()):
        return {}
    return {
        "min_value": _decimal(q.get("min")),
        "max_value": _decimal(q.get("max")),
        "integer_only": q.get("integer", False),
    }


def _logic(model: Any, q: dict[str, Any]) -> dict[str, Any]:
    """A question's skip logic and constraint, for a registry that has them (not the early migrations')."""
    if not any(f.name == "relevant" for f in model._meta.get_fields()):
        return {}
    message = q.get("constraint_message", {})
    return {
        "relevant": q.get("relevant", ""),
        "constraint": q.get("constraint", ""),
        "constraint_message_vi": message.get("vi", ""),
        "constraint_message_en": message.get("en", ""),
    }


def number_bounds_load(data: dict[str, Any], apps: Any = global_apps) -> int:
    """Set the number questions' bounds of an existing version from its JSON description.

    Bounds refuse impossible answers and never change a score, so a published version may
    receive them. Returns how many questions were updated.
    """
    Question = apps.get_model("surveys", "Question")
    updated = 0
    for pillar_data in data["pillars"]:
        for q in pillar_data["questions"]:
            if q["kind"] != "number":
                continue
            updated += Question.objects.filter(
                questionnaire__code=data["code"], questionnaire__version=data["version"], code=q["code"]
            ).update(**_bounds(Question, q))
    return updated


def national_questionnaire_data() -> dict[str, Any]:
    with open(NATIONAL_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def national_questionnaire_load(apps: Any = global_apps) -> Any:
    return questionnaire_load(national_questionnaire_data(), apps)


@transaction.atomic
def questionnaire_new_version(*, questionnaire: Any) -> Any:
    """Copy a questionnaire into the next version, as an editable draft."""
    from .models import Advice, ConsistencyRule, Option, Pillar, Questionnaire

    latest = Questionnaire.objects.filter(code=questionnaire.code).order_by("-version").first()
    draft = Questionnaire.objects.create(
        code=questionnaire.code,
        version=latest.version + 1,
        title_vi=questionnaire.title_vi,
        title_en=questionnaire.title_en,
        source=questionnaire.source,
        scoring_scheme=questionnaire.scoring_scheme,
    )
    for pillar in questionnaire.pillars.prefetch_related("questions__options", "advice"):
        new_pillar = Pillar.objects.create(
            questionnaire=draft,
            code=pillar.code,
            name_vi=pillar.name_vi,
            name_en=pillar.name_en,
            weight=pillar.weight,
            position=pillar.position,
        )
        Advice.objects.bulk_create(
            [
                Advice(pillar=new_pillar, level=a.level, text_vi=a.text_vi, text_en=a.text_en)
                for a in pillar.advice.all()
            ]
        )
        for question in pillar.questions.all():
            options = list(question.options.all())
            question.pk = None
            question.questionnaire = draft
            question.pillar = new_pillar
            question.save()
            Option.objects.bulk_create(
                [
                    Option(
                        question=question,
                        code=o.code,
                        label_vi=o.label_vi,
                        label_en=o.label_en,
                        score=o.score,
                        exclusive=o.exclusive,
                        position=o.position,
                    )
                    for o in options
                ]
            )
    ConsistencyRule.objects.bulk_create(
        [
            ConsistencyRule(
                questionnaire=draft,
                code=rule.code,
                severity=rule.severity,
                condition=rule.condition,
                constraint=rule.constraint,
                message_vi=rule.message_vi,
                message_en=rule.message_en,
                position=rule.position,
            )
            for rule in questionnaire.rules.all()
        ]
    )
    return draft


def questionnaire_publish(*, questionnaire: Any) -> Any:
    """Publish a draft version. Refused while an indicator's question is dropped or changed with
    no mapping saying how its series goes on (``surveys.continuity``)."""
    from .continuity import indicator_breaks
    from .models import Questionnaire

    if questionnaire.is_published:
        raise ValidationError(_("This version is already published."))
    if not questionnaire.questions.exists():
        raise ValidationError(_("A questionnaire needs at least one question before it is published."))
    breaks = indicator_breaks(questionnaire)
    if breaks:
        raise ValidationError([ValidationError(str(b), code="indicator_breaks") for b in breaks])
    Questionnaire.objects.filter(pk=questionnaire.pk).update(published_at=timezone.now())
    questionnaire.refresh_from_db()
    return questionnaire


@lru_cache(maxsize=32)
def _spec_cached(questionnaire_id: int, published_at: Any) -> tuple[PillarSpec, ...]:
    from .consistency import question_facts_of
    from .models import Pillar
    from .skip_logic import question_logic

    pillars = list(Pillar.objects.filter(questionnaire_id=questionnaire_id).prefetch_related("questions__options"))
    questions = [q for pillar in pillars for q in pillar.questions.all()]
    facts = question_facts_of(questions)
    return tuple(
        PillarSpec(
            code=pillar.code,
            weight=pillar.weight,
            questions=tuple(
                QuestionSpec(
                    code=q.code,
                    kind=q.kind,
                    weight=q.weight,
                    scored=q.scored,
                    required=q.required,
                    max_score=q.max_score,
                    bands=tuple((Decimal(str(minimum)), int(score)) for minimum, score in q.bands),
                    options=tuple(OptionSpec(o.code, o.score, o.exclusive) for o in q.options.all()),
                    **question_logic(q, facts),
                )
                for q in pillar.questions.all()
            ),
        )
        for pillar in pillars
    )


def questionnaire_spec(questionnaire: Any) -> tuple[PillarSpec, ...]:
    """The scoring structure of a version. Cached for published versions, which never change."""
    if questionnaire.published_at is None:
        return _spec_cached.__wrapped__(questionnaire.pk, None)
    return _spec_cached(questionnaire.pk, questionnaire.published_at)
