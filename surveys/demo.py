"""Demo self-assessments for `make run`: three yearly rounds, the last one open.

Answers are drawn per cooperative from a "digital propensity" that grows a little each
year, so trends and province differences look like real data. Written through the paper
import (the same path as a province's bulk entry) and reviewed through the services.
Idempotent: a round that already has responses is left alone. A drawn form that the
questionnaire's consistency rules call contradictory is drawn again, as a cooperative would
correct it; unusual answers (warnings) stay, confirmed by the import.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from accounts.models import User
from cooperatives.models import Cooperative
from imports.files import Sheet

from .answers import parse_answer
from .consistency import CompiledRule, answers_check, questionnaire_rules
from .importing import ResponseImporter
from .models import Question, Questionnaire, Response, ResponseStatus, SurveyRound
from .services import response_review, response_save_answers, response_start, round_create

ROUNDS = [
    ("KS2024", "Khảo sát chuyển đổi số HTX 2024", "DX survey of cooperatives 2024", (2024, 10, 1), (2024, 12, 31)),
    ("KS2025", "Khảo sát chuyển đổi số HTX 2025", "DX survey of cooperatives 2025", (2025, 10, 1), (2025, 12, 31)),
    ("KS2026", "Khảo sát chuyển đổi số HTX 2026", "DX survey of cooperatives 2026", (2026, 10, 1), (2026, 12, 31)),
]


def _answer(question: Question, propensity: float, rng: random.Random) -> str | None:
    options = sorted(question.options.all(), key=lambda o: o.score)
    if question.kind in ("single", "yes_no"):
        index = min(len(options) - 1, max(0, int(rng.gauss(propensity, 0.25) * len(options))))
        return options[index].code
    if question.kind == "multiple":
        chosen = [o.code for o in options if not o.exclusive and o.score > 0 and rng.random() < propensity]
        if not chosen:
            fallback = [o for o in options if o.exclusive] or options[:1]
            return fallback[0].code
        return ";".join(chosen)
    if question.kind == "number":
        return str(max(0, int(rng.gauss(propensity * 8, 2))))
    return rng.choice(["Thiếu vốn đầu tư", "Thiếu người có kỹ năng số", "Internet chưa ổn định", ""])


def _coherent_answers(
    questions: list[Question], rules: tuple[CompiledRule, ...], propensity: float, rng: random.Random
) -> list[str | None]:
    """A drawn form that breaks no error rule (at most 20 draws; the rules make few forms fail)."""
    for _attempt in range(20):
        raw = [_answer(q, propensity, rng) for q in questions]
        values = {q.code: parse_answer(q, value) for q, value in zip(questions, raw, strict=True)}
        if not any(finding.is_error for finding in answers_check(rules, values)):
            break
    return raw


@transaction.atomic
def demo_surveys_seed(*, seed: int = 2026) -> None:
    rng = random.Random(seed)
    questionnaire = Questionnaire.objects.get(code="NATIONAL", version=1)
    questions = list(Question.objects.filter(questionnaire=questionnaire).prefetch_related("options"))
    rules = questionnaire_rules(questionnaire)
    admin = User.objects.get(username="quantri")
    cooperatives = list(Cooperative.objects.filter(is_archived=False).order_by("code"))
    member_cooperative_ids = set(
        User.objects.filter(cooperative__isnull=False).values_list("cooperative_id", flat=True)
    )
    propensity = {
        c.pk: min(0.95, max(0.05, rng.gauss(0.35 + 0.1 * (c.province.code == "82"), 0.18))) for c in cooperatives
    }
    for year_index, (code, name_vi, name_en, opens, closes) in enumerate(ROUNDS):
        survey_round = SurveyRound.objects.filter(code=code).first() or round_create(
            by=admin,
            code=code,
            name_vi=name_vi,
            name_en=name_en,
            questionnaire=questionnaire,
            opens_on=datetime.date(*opens),
            closes_on=datetime.date(*closes),
        )
        if Response.objects.filter(round=survey_round).exists():
            continue
        is_open = survey_round.is_open()
        chosen = [
            c for c in cooperatives if rng.random() < (0.45 if is_open else 0.7) and c.pk not in member_cooperative_ids
        ]
        drafts = chosen[: len(chosen) // 4] if is_open else []
        submitted = chosen[len(drafts) :]
        rows = []
        for number, cooperative in enumerate(submitted, start=2):
            level = propensity[cooperative.pk] + 0.08 * year_index
            rows.append((number, [cooperative.code, *_coherent_answers(questions, rules, level, rng)]))
        sheet = Sheet(headers=["Mã số HTX", *[q.code for q in questions]], rows=rows)
        importer = ResponseImporter()
        plan = importer.plan(sheet=sheet, options={"round": code}, scope_province=None, progress=None)
        if not plan.ok:
            raise RuntimeError(f"demo responses invalid: {plan.errors[:3]}")
        # Paper surveys entered by the provinces' data entry (no account of the demo), so that the
        # national administrator may accept them: whoever enters a response never accepts it.
        importer.apply(plan=plan, by=None)
        for response in Response.objects.filter(round=survey_round, status=ResponseStatus.SUBMITTED):
            if not is_open or rng.random() < 0.5:
                response_review(response=response, by=admin, accept=True)
        for cooperative in drafts:
            response = response_start(survey_round=survey_round, cooperative=cooperative, by=admin)
            first_pillar = questions[:5]
            response_save_answers(
                response=response,
                by=admin,
                answers={q.code: _answer(q, propensity[cooperative.pk], rng) for q in first_pillar},
            )
