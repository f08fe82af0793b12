"""Scoring schemes as data (docs/scoring.md): the first scheme is the rule it replaces, a response
keeps the scheme it was scored with, a scheme in use is frozen, and re-scoring a round is an
explicit, logged action that leaves the snapshots already written as they were."""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation

from accounts.models import Role
from cooperatives.models import Cooperative
from indicators import services as indicator_services
from indicators.models import IndicatorSnapshot
from surveys.models import PillarScore, Response, RoundRescoring, ScoringScheme
from surveys.questionnaires import questionnaire_new_version, questionnaire_publish, questionnaire_spec
from surveys.rescoring import answer_values_of, round_rescore
from surveys.scoring import SchemeSpec, overall_level, pillar_level, score_response
from surveys.services import response_review, response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory, UserFactory

pytestmark = pytest.mark.django_db


def old_rule(score: Decimal, pillar_scores: list[Decimal]) -> tuple[list[int], int]:
    """The rule as it was written in code before schemes (kept here as the reference)."""
    bounds = (Decimal(10), Decimal(20), Decimal(40), Decimal(60), Decimal(80))
    levels = [sum(1 for b in bounds if s >= b) for s in pillar_scores]
    for level in range(5, 0, -1):
        if score < bounds[level - 1]:
            continue
        needed = (
            len(levels) if level == 5 else int((Decimal(4) / Decimal(6) * len(levels)).to_integral_value(ROUND_HALF_UP))
        )
        if sum(1 for value in levels if value >= level) >= needed:
            return levels, level
    return levels, 0


def test_the_first_scheme_turns_scores_into_levels_exactly_as_the_rule_it_replaces():
    scheme = ScoringScheme.objects.get(code="DX2021").spec()
    rng = random.Random(20261203)
    edges = [Decimal(v) for v in ("0", "9.99", "10", "19.99", "20", "39.99", "40", "59.99", "60", "79.99", "80", "100")]
    for _ in range(3000):
        count = rng.randint(1, 12)
        pillars = [
            rng.choice(edges) if rng.random() < 0.4 else Decimal(rng.randint(0, 10000)) / 100 for _ in range(count)
        ]
        score = rng.choice(edges) if rng.random() < 0.4 else Decimal(rng.randint(0, 10000)) / 100
        levels, level = old_rule(score, pillars)
        assert [pillar_level(s, scheme) for s in pillars] == levels
        assert overall_level(score, levels, scheme) == level, (score, pillars)


def random_answers(questionnaire, rng):
    answers = {}
    for pillar in questionnaire.pillars.prefetch_related("questions__options"):
        for question in pillar.questions.all():
            options = list(question.options.all())
            if question.kind in ("single", "yes_no"):
                answers[question.code] = rng.choice(options).code
            elif question.kind == "multiple":
                plain = [o.code for o in options if not o.exclusive]
                answers[question.code] = rng.sample(plain, rng.randint(1, len(plain)))
            elif question.kind == "number":
                answers[question.code] = str(rng.randint(0, int(question.bands[-1][0]) + 2))
            else:
                answers[question.code] = "Thiếu vốn"
    return answers


def submit(survey_round, cooperative, answers):
    officer = UserFactory(role=Role.PROVINCIAL_OFFICER, province=cooperative.province)
    response = response_start(survey_round=survey_round, cooperative=cooperative, by=officer)
    response_save_answers(response=response, answers=answers, by=officer)
    response = response_submit(response=response, by=officer, confirm_warnings=True)
    reviewer = UserFactory(role=Role.PROVINCIAL_OFFICER, province=cooperative.province)
    return response_review(response=response, by=reviewer, accept=True)


@pytest.fixture
def strict_scheme():
    """Higher bar: bounds 20…90, five pillars of six for levels 1-4, names of its own."""
    return ScoringScheme.objects.create(
        code="STRICT",
        name_vi="Thang chặt",
        pillar_bounds=["20", "35", "50", "70", "90"],
        overall_bounds=["20", "35", "50", "70", "90"],
        pillars_needed=["5/6", "5/6", "5/6", "5/6", "all"],
        level_names_vi=["Chưa", "Một", "Hai", "Ba", "Bốn", "Năm"],
        level_names_en=["None", "One", "Two", "Three", "Four", "Five"],
    )


@pytest.fixture
def scored_round(open_round, province_a):
    rng = random.Random(7)
    responses = [
        submit(open_round, CooperativeFactory(province=province_a), random_answers(open_round.questionnaire, rng))
        for _ in range(8)
    ]
    return open_round, responses


def test_a_response_keeps_the_scheme_it_was_scored_with(scored_round, strict_scheme):
    survey_round, responses = scored_round
    assert {r.scoring_scheme.code for r in responses} == {"DX2021"}
    # A new questionnaire version with another scheme: the old round's responses keep theirs.
    draft = questionnaire_new_version(questionnaire=survey_round.questionnaire)
    assert draft.scoring_scheme.code == "DX2021"  # a new version starts from its parent's scheme
    draft.scoring_scheme = strict_scheme
    draft.save()
    questionnaire_publish(questionnaire=draft)
    assert set(Response.objects.filter(round=survey_round).values_list("scoring_scheme__code", flat=True)) == {"DX2021"}
    assert survey_round.scheme.code == "DX2021"


def test_re_scoring_a_round_is_logged_changes_levels_and_leaves_the_snapshots(
    scored_round, strict_scheme, national_admin, province_a
):
    survey_round, responses = scored_round
    indicator_services.aggregate_indicators()
    before = {
        (s.scope_key, s.metric): (s.value, s.numerator, s.denominator)
        for s in IndicatorSnapshot.objects.filter(round=survey_round)
    }
    assert before
    histories = {r.pk: r.history.count() for r in responses}

    log = round_rescore(survey_round=survey_round, scheme=strict_scheme, reason="Tiêu chí mới 2025", by=national_admin)

    spec = questionnaire_spec(survey_round.questionnaire)
    values = answer_values_of([r.pk for r in responses])
    changed = 0
    for old in responses:
        response = Response.objects.get(pk=old.pk)
        expected = score_response(spec, values[old.pk], strict_scheme.spec())
        assert (response.score, response.level, response.scoring_scheme) == (
            expected.score,
            expected.level,
            strict_scheme,
        )
        assert dict(PillarScore.objects.filter(response=response).values_list("pillar_code", "level")) == (
            expected.pillar_levels
        )
        assert response.history.count() == histories[old.pk] + 1
        last = response.history.first()
        assert last.history_user == national_admin and "Tiêu chí mới 2025" in last.history_change_reason
        assert Cooperative.objects.get(pk=response.cooperative_id).maturity_level == response.level
        assert response.level_name == strict_scheme.level_names_vi[response.level]
        changed += old.level != response.level
    assert changed > 0, "the stricter scheme must move some levels for this test to mean anything"
    assert (log.from_scheme.code, log.to_scheme, log.by, log.responses, log.levels_changed) == (
        "DX2021",
        strict_scheme,
        national_admin,
        len(responses),
        changed,
    )
    # The figures written before keep the old scheme's levels.
    after = {
        (s.scope_key, s.metric): (s.value, s.numerator, s.denominator)
        for s in IndicatorSnapshot.objects.filter(round=survey_round)
    }
    assert after == before
    # Later submissions in the round are scored with the round's new scheme.
    survey_round.refresh_from_db()
    late = submit(
        survey_round,
        CooperativeFactory(province=province_a),
        random_answers(survey_round.questionnaire, random.Random(3)),
    )
    assert late.scoring_scheme == strict_scheme


def test_re_scoring_needs_a_national_administrator_a_reason_and_another_scheme(
    scored_round, strict_scheme, officer_a, national_admin
):
    survey_round, responses = scored_round
    with pytest.raises(PermissionDenied):
        round_rescore(survey_round=survey_round, scheme=strict_scheme, reason="x", by=officer_a)
    with pytest.raises(ValidationError) as refused:
        round_rescore(survey_round=survey_round, scheme=strict_scheme, reason="  ", by=national_admin)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as same:
        round_rescore(survey_round=survey_round, scheme=survey_round.scheme, reason="again", by=national_admin)
    assert "scheme" in same.value.message_dict
    assert not RoundRescoring.objects.exists()
    assert set(Response.objects.filter(round=survey_round).values_list("scoring_scheme__code", flat=True)) == {"DX2021"}


def test_the_command_and_the_admin_action_re_score_through_the_same_service(
    scored_round, strict_scheme, national_admin, client
):
    survey_round, _ = scored_round
    call_command("rescore_round", survey_round.code, "STRICT", reason="Bộ tiêu chí 2025")
    assert RoundRescoring.objects.get().by is None
    national_admin.is_superuser = True  # the admin's model pages are the superusers'
    national_admin.save()
    client.force_login(national_admin)
    changelist = "/admin/surveys/surveyround/"
    asked = client.post(changelist, {"action": "rescore", "_selected_action": [survey_round.pk]})
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    done = client.post(
        changelist,
        {"action": "rescore", "_selected_action": [survey_round.pk], "confirm": "1", "scheme": "", "reason": "x"},
    )
    assert done.status_code == 200  # no scheme chosen: the form again, nothing done
    assert RoundRescoring.objects.count() == 1
    first = ScoringScheme.objects.get(code="DX2021")
    client.post(
        changelist,
        {
            "action": "rescore",
            "_selected_action": [survey_round.pk],
            "confirm": "1",
            "scheme": first.pk,
            "reason": "back",
        },
    )
    log = RoundRescoring.objects.order_by("-pk").first()
    assert (log.to_scheme, log.by, log.reason) == (first, national_admin, "back")
    assert set(Response.objects.filter(round=survey_round).values_list("scoring_scheme__code", flat=True)) == {"DX2021"}


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("pillar_bounds", ["10", "20", "20", "60", "80"], "rise"),
        ("overall_bounds", ["10", "20", "40", "60"], "5 numbers"),
        ("overall_bounds", ["10", "20", "40", "60", "120"], "at most 100"),
        ("pillars_needed", ["4/6", "0", "4/6", "4/6", "all"], "above 0"),
        ("pillars_needed", ["4/6", "most", "4/6", "4/6", "all"], "not a share"),
        ("level_names_vi", ["A", "B", "C", "D", "E"], "six names"),
    ],
)
def test_a_scheme_that_could_not_score_is_refused_with_what_is_wrong(strict_scheme, field, value, words):
    setattr(strict_scheme, field, value)
    said = {}
    for language in ("en", "vi"):
        with translation.override(language):
            with pytest.raises(ValidationError) as refused:
                strict_scheme.full_clean()
            said[language] = " ".join(refused.value.messages)
    assert words in said["en"].lower()
    assert said["vi"] != said["en"]  # the national team reads it in Vietnamese


def test_a_scheme_in_use_is_frozen_and_an_unused_one_may_change(strict_scheme):
    used = ScoringScheme.objects.get(code="DX2021")
    assert used.in_use  # the published national questionnaire names it
    used.pillar_bounds = ["5", "20", "40", "60", "80"]
    with pytest.raises(ValidationError):
        used.full_clean()
    used.refresh_from_db()
    used.name_en = "Renamed"  # its name is not a rule
    used.full_clean()
    assert not strict_scheme.in_use
    strict_scheme.pillar_bounds = ["15", "35", "50", "70", "90"]
    strict_scheme.full_clean()


def test_the_scheme_spec_reads_fractions_exactly():
    spec = SchemeSpec.parse(
        {
            "pillar_bounds": [10, 20, 40, 60, 80],
            "overall_bounds": [10, 20, 40, 60, 80],
            "pillars_needed": ["1/2"] * 4 + ["all"],
        }
    )
    # Half of 3 pillars is 1.5: half-up, 2 needed for level 1.
    assert overall_level(Decimal(15), [1, 0, 0], spec) == 0
    assert overall_level(Decimal(15), [1, 1, 0], spec) == 1


@pytest.mark.django_db(transaction=True)
def test_after_the_migration_every_stored_response_has_the_first_scheme_and_the_same_result():
    """Responses scored before schemes existed: migrate back to before them, forward again, and
    every scored response names the first scheme, which scores its answers to the stored result."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from tests.conftest import ensure_reference_data

    ensure_reference_data()
    from surveys.models import SurveyRound

    questionnaire = ScoringScheme.objects.get(code="DX2021").questionnaires.get(code="NATIONAL", version=1)
    survey_round = SurveyRound.objects.create(
        code="KS-MIG",
        name_vi="Khảo sát",
        questionnaire=questionnaire,
        opens_on=datetime.date(2026, 1, 1),
        closes_on=datetime.date(2030, 12, 31),
    )
    rng = random.Random(11)
    scored = [submit(survey_round, CooperativeFactory(), random_answers(questionnaire, rng)).pk for _ in range(6)]
    stored = {r.pk: (r.score, r.level) for r in Response.objects.filter(pk__in=scored)}

    executor = MigrationExecutor(connection)
    executor.migrate([("surveys", "0008_evidence_checks")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    first = ScoringScheme.objects.get(code="DX2021")
    assert set(Response.objects.filter(pk__in=scored).values_list("scoring_scheme", flat=True)) == {first.pk}
    spec = questionnaire_spec(questionnaire)
    values = answer_values_of(scored)
    for pk, (score, level) in stored.items():
        result = score_response(spec, values[pk], first.spec())
        assert (result.score, result.level) == (score, level)


def test_a_changed_scheme_re_scores_a_round_to_the_result_worked_by_hand(
    open_round, province_a, national_admin, best_answers, worst_answers
):
    """Five pillars answered at their best, one at its worst. By hand: pillar scores 100 × 5 and
    0, overall (5 × 100 + 0) / 6 = 83.33. The first scheme: 83.33 ≥ 60 and 5 pillars at 4 or
    above (4 needed) → level 4 (level 5 needs all six). A scheme whose level 4 needs all pillars
    and whose level 5 needs 90: not 5 (83.33 < 90), not 4 (one pillar at 0), 3 (83.33 ≥ 40, five
    pillars at 3 or above, 4 needed)."""
    pillars = list(open_round.questionnaire.pillars.order_by("position"))
    assert len(pillars) == 6 and len({p.weight for p in pillars}) == 1
    last = set(pillars[-1].questions.values_list("code", flat=True))
    answers = {code: (worst_answers if code in last else best_answers)[code] for code in best_answers}
    response = submit(open_round, CooperativeFactory(province=province_a), answers)
    scores = dict(PillarScore.objects.filter(response=response).values_list("pillar_code", "score"))
    assert sorted(scores.values()) == [Decimal(0), *[Decimal(100)] * 5]
    assert (response.score, response.level) == (Decimal("83.33"), 4)

    hand = ScoringScheme.objects.create(
        code="HAND",
        name_vi="Thang kiểm tra",
        pillar_bounds=["10", "20", "40", "60", "80"],
        overall_bounds=["10", "20", "40", "60", "90"],
        pillars_needed=["4/6", "4/6", "4/6", "all", "all"],
        level_names_vi=["M0", "M1", "M2", "M3", "M4", "M5"],
    )
    indicator_services.aggregate_indicators()
    level_counts = dict(
        IndicatorSnapshot.objects.filter(round=open_round, scope_key="nation", metric__startswith="level_").values_list(
            "metric", "numerator"
        )
    )
    assert (level_counts["level_4_count"], level_counts["level_3_count"]) == (1, 0)
    round_rescore(survey_round=open_round, scheme=hand, reason="Kiểm tra bằng tay", by=national_admin)
    response.refresh_from_db()
    assert (response.score, response.level, response.level_name) == (Decimal("83.33"), 3, "M3")
    assert Cooperative.objects.get(pk=response.cooperative_id).maturity_level == 3
    # The snapshot of the day before re-scoring still counts the response at level 4.
    assert (
        dict(
            IndicatorSnapshot.objects.filter(
                round=open_round, scope_key="nation", metric__startswith="level_"
            ).values_list("metric", "numerator")
        )
        == level_counts
    )
