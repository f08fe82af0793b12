"""The checks a questionnaire's JSON description carries besides its questions, loaded with it:
consistency rules between answers (``rules``, per version; ``surveys.consistency``) and evidence
checks against the registry (``evidence``; ``surveys.evidence``). Both take a migration's
historical registry as ``apps``; an early migration's, without the models, has nothing to load.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps


def evidence_checks_load(data: dict[str, Any], apps: Any = global_apps) -> int:
    """Upsert the evidence checks of a questionnaire's JSON description by code (``surveys.evidence``);
    a registry without the model (the early migrations') has none to load. Returns how many."""
    try:
        EvidenceCheck = apps.get_model("surveys", "EvidenceCheck")
    except LookupError:
        return 0
    checks = data.get("evidence", [])
    for position, check in enumerate(checks):
        EvidenceCheck.objects.update_or_create(
            code=check["code"],
            defaults={
                "question_code": check["question"],
                "option_codes": check["options"],
                "kind": check["kind"],
                "direction": check["direction"],
                "message_vi": check["message"]["vi"],
                "message_en": check["message"].get("en", ""),
                "position": position,
            },
        )
    return len(checks)


def consistency_rules_load(data: dict[str, Any], apps: Any = global_apps, questionnaire: Any = None) -> int:
    """Create the rules of a version's JSON (``rules``) it does not have yet, each parsed first
    (a shipped rule that could not run fails loudly). Rules never change a score, so a published
    version may receive them, as it receives number bounds. Returns how many were created."""
    from .consistency import rule_expressions

    Questionnaire = apps.get_model("surveys", "Questionnaire")
    try:
        ConsistencyRule = apps.get_model("surveys", "ConsistencyRule")
    except LookupError:  # an early migration's registry: a later one loads the rules
        return 0
    if questionnaire is None:
        questionnaire = Questionnaire.objects.filter(code=data["code"], version=data["version"]).first()
    if questionnaire is None:
        return 0
    existing = set(ConsistencyRule.objects.filter(questionnaire=questionnaire).values_list("code", flat=True))
    created = 0
    for position, rule_data in enumerate(data.get("rules", [])):
        if rule_data["code"] in existing:
            continue
        rule = ConsistencyRule(
            questionnaire=questionnaire,
            code=rule_data["code"],
            severity=rule_data["severity"],
            condition=rule_data.get("when", ""),
            constraint=rule_data["must"],
            message_vi=rule_data["message"]["vi"],
            message_en=rule_data["message"].get("en", ""),
            position=position,
        )
        rule_expressions(rule)
        rule.save()
        created += 1
    return created
