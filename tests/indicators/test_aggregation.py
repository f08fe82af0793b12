"""Indicators computed for small hand-made data sets, compared with figures worked out by hand.

Data: Đồng Tháp (82) has 4 active cooperatives (3 agricultural, 1 transport) and one suspended;
Đắk Lắk (66) has 1 agricultural one. Round KS2026 (all accepted unless said):
  82-a NN: DX_NEED yes, ONLINE_CHANNELS marketplace+social, TRACEABILITY qr_all, ACCOUNTING software
  82-b NN: DX_NEED no,  ONLINE_CHANNELS none,               TRACEABILITY paper,  ACCOUNTING paper
  82-c VT: DX_NEED yes, ONLINE_CHANNELS website,            TRACEABILITY none,   ACCOUNTING einvoice
  82-d NN: submitted only (not counted)
  66-a NN: DX_NEED yes, ONLINE_CHANNELS provincial_platform, TRACEABILITY qr_partial, ACCOUNTING spreadsheet
By hand, for Đồng Tháp: 4 active, 3 counted → coverage 75 %; dx_necessary 2/3 = 66.666…%;
online_sales 2/3; ecommerce 1/3; website 1/3; traceability 1/3; digital_accounting 2/3.
Nation: 5 active, 4 counted → 80 %; dx_necessary 3/4 = 75 %; ecommerce 2/4 = 50 %;
traceability 2/4; digital_accounting 2/4; online_sales 3/4.
Sector NN nationally: 4 active, 3 counted; ecommerce 2/3.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_celery_beat.models import PeriodicTask

from indicators import services as indicator_services
from indicators.models import AggregationRun, IndicatorSnapshot, RunStatus
from surveys.consistency import AnswersInconsistent
from surveys.models import Response, ResponseStatus
from surveys.services import response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory, complete_answers

pytestmark = pytest.mark.django_db(transaction=False)


def answer(questionnaire, survey_round, cooperative, admin, accept=True, **chosen):
    values = complete_answers(questionnaire, "worst")
    values.update(chosen)
    response = response_start(survey_round=survey_round, cooperative=cooperative, by=admin)
    response_save_answers(response=response, answers=values, by=admin)
    # Some chosen mixes are unusual (software and no computer): confirmed, as a cooperative would.
    response = response_submit(response=response, by=admin, confirm_warnings=True)
    if accept:
        Response.objects.filter(pk=response.pk).update(status=ResponseStatus.ACCEPTED)
    return response


@pytest.fixture
def data(questionnaire, open_round, national_admin, province_a, province_b):
    from cooperatives.models import Sector

    transport = Sector.objects.get(code="VT")
    a = CooperativeFactory(province=province_a, code="8200000001")
    b = CooperativeFactory(province=province_a, code="8200000002")
    c = CooperativeFactory(province=province_a, code="8200000003", sector=transport)
    d = CooperativeFactory(province=province_a, code="8200000004")
    CooperativeFactory(province=province_a, code="8200000005", status="suspended")
    e = CooperativeFactory(province=province_b, code="6600000001")
    q, r, admin = questionnaire, open_round, national_admin
    answer(
        q,
        r,
        a,
        admin,
        DX_NEED="yes",
        ONLINE_CHANNELS=["marketplace", "social"],
        TRACEABILITY="qr_all",
        ACCOUNTING=["software"],
    )
    answer(q, r, b, admin, DX_NEED="no", ONLINE_CHANNELS=["none"], TRACEABILITY="paper", ACCOUNTING=["paper"])
    answer(q, r, c, admin, DX_NEED="yes", ONLINE_CHANNELS=["website"], TRACEABILITY="none", ACCOUNTING=["einvoice"])
    answer(q, r, d, admin, accept=False, DX_NEED="yes", ONLINE_CHANNELS=["website"])
    answer(
        q,
        r,
        e,
        admin,
        DX_NEED="yes",
        ONLINE_CHANNELS=["provincial_platform"],
        TRACEABILITY="qr_partial",
        ACCOUNTING=["spreadsheet"],
    )
    return r


def values(scope_key, survey_round):
    return {s.metric: s.value for s in IndicatorSnapshot.objects.filter(scope_key=scope_key, round=survey_round)}


def close(value, numerator, denominator):
    return abs(value - Decimal(100) * numerator / denominator) < Decimal("1e-9")


def test_province_figures_match_the_hand_count(data):
    indicator_services.aggregate_indicators()
    dt = values("p:82", data)
    assert dt["cooperatives_total"] == 4
    assert dt["surveyed_total"] == 3
    assert dt["survey_coverage_pct"] == 75
    assert close(dt["dx_necessary_pct"], 2, 3)
    assert close(dt["online_sales_pct"], 2, 3)
    assert close(dt["ecommerce_pct"], 1, 3)
    assert close(dt["website_pct"], 1, 3)
    assert close(dt["traceability_pct"], 1, 3)
    assert close(dt["digital_accounting_pct"], 2, 3)
    assert dt["dx_plan_pct"] == 0
    assert sum(dt[f"level_{level}_count"] for level in range(6)) == 3


def test_ward_figures_match_the_hand_count(data, province_a):
    """Each ward's figures count its own cooperatives, with the same numerators and denominators
    as the province's; a ward without active cooperatives has no figures; a cooperative without
    a ward counts in its province only; no counts per level for a ward."""
    from cooperatives.models import Cooperative, Ward

    first, second, third = Ward.objects.filter(province=province_a).order_by("code")[:3]
    # a and b stay in the first ward; c (transport, answered) and d (answer not counted) move
    # to the second; the suspended one to the third; one more active cooperative has no ward.
    Cooperative.objects.filter(code__in=["8200000003", "8200000004"]).update(ward=second)
    Cooperative.objects.filter(code="8200000005").update(ward=third)
    CooperativeFactory(province=province_a, code="8200000006", ward=None)
    indicator_services.aggregate_indicators()
    one = IndicatorSnapshot.objects.filter(scope_key=f"p:82|w:{first.code}", round=data)
    two = {s.metric: s for s in IndicatorSnapshot.objects.filter(scope_key=f"p:82|w:{second.code}", round=data)}
    assert {s.scope for s in one} == {"ward"} and {(s.province_id, s.ward_id) for s in one} == {
        (province_a.pk, first.pk)
    }
    first_values = {s.metric: (s.numerator, s.denominator) for s in one}
    assert first_values["cooperatives_total"] == (2, None)
    assert first_values["survey_coverage_pct"] == (2, 2)
    assert first_values["dx_necessary_pct"] == (1, 2)
    assert first_values["ecommerce_pct"] == (1, 2)
    assert first_values["digital_accounting_pct"] == (1, 2)
    assert two["cooperatives_total"].numerator == 2
    assert (two["survey_coverage_pct"].numerator, two["survey_coverage_pct"].denominator) == (1, 2)
    assert two["survey_coverage_pct"].value == 50
    assert (two["website_pct"].numerator, two["website_pct"].denominator, two["website_pct"].value) == (1, 1, 100)
    assert not any(metric.startswith("level_") for metric in [*first_values, *two])
    assert not IndicatorSnapshot.objects.filter(scope_key=f"p:82|w:{third.code}").exists()
    assert values("p:82", data)["cooperatives_total"] == 5  # the one without a ward included
    wards_total = IndicatorSnapshot.objects.filter(
        round=data, scope="ward", province=province_a, metric="cooperatives_total"
    ).values_list("numerator", flat=True)
    assert sum(wards_total) == 4


def test_nation_and_sector_figures_match_the_hand_count(data):
    indicator_services.aggregate_indicators()
    nation = values("nation", data)
    assert (nation["cooperatives_total"], nation["surveyed_total"]) == (5, 4)
    assert nation["survey_coverage_pct"] == 80
    assert nation["dx_necessary_pct"] == 75
    assert nation["ecommerce_pct"] == 50
    assert nation["online_sales_pct"] == 75
    assert nation["traceability_pct"] == 50
    assert nation["digital_accounting_pct"] == 50
    agriculture = values("s:NN", data)
    assert (agriculture["cooperatives_total"], agriculture["surveyed_total"]) == (4, 3)
    assert close(agriculture["ecommerce_pct"], 2, 3)
    transport_dt = values("p:82|s:VT", data)
    assert (transport_dt["surveyed_total"], transport_dt["website_pct"]) == (1, 100)


def test_percentages_are_stored_exactly_with_numerator_and_denominator(data):
    indicator_services.aggregate_indicators()
    figure = IndicatorSnapshot.objects.get(scope_key="p:82", round=data, metric="dx_necessary_pct")
    assert (figure.numerator, figure.denominator) == (2, 3)
    assert str(figure.value).startswith("66.666666666")


def test_submitted_responses_count_when_the_setting_says_so(data, settings):
    settings.SURVEYS_COUNT_SUBMITTED = True
    indicator_services.aggregate_indicators()
    assert values("p:82", data)["surveyed_total"] == 4


def test_running_twice_the_same_day_gives_identical_figures(data):
    indicator_services.aggregate_indicators()
    first = sorted(IndicatorSnapshot.objects.values_list("scope_key", "metric", "value", "numerator", "denominator"))
    indicator_services.aggregate_indicators()
    second = sorted(IndicatorSnapshot.objects.values_list("scope_key", "metric", "value", "numerator", "denominator"))
    assert first == second
    assert IndicatorSnapshot.objects.values("snapshot_date").distinct().count() == 1


def test_a_run_that_dies_half_way_leaves_the_previous_snapshot_whole(data, monkeypatch):
    indicator_services.aggregate_indicators()
    before = sorted(IndicatorSnapshot.objects.values_list("pk", "metric", "value"))
    real_insert = indicator_services.insert_figures

    def half_then_die(rows, **constants):
        real_insert(rows[: len(rows) // 2], **constants)
        raise RuntimeError("simulated crash mid-write")

    monkeypatch.setattr(indicator_services, "insert_figures", half_then_die)
    with pytest.raises(RuntimeError):
        indicator_services.aggregate_indicators()
    assert sorted(IndicatorSnapshot.objects.values_list("pk", "metric", "value")) == before
    failed = AggregationRun.objects.order_by("-started_at").first()
    assert failed.status == RunStatus.FAILED
    assert "simulated crash" in failed.message


def test_two_runs_cannot_both_write(data):
    holder = indicator_services.run_start(trigger="test")
    with pytest.raises(indicator_services.AggregationBusy):
        indicator_services.aggregate_indicators()
    assert not IndicatorSnapshot.objects.exists()
    indicator_services.run_fail(run_id=holder.pk, message="released")
    indicator_services.aggregate_indicators()
    assert IndicatorSnapshot.objects.exists()


def test_the_lock_is_enforced_by_the_database():
    AggregationRun.objects.create(trigger="one")
    with pytest.raises(IntegrityError):
        AggregationRun.objects.create(trigger="two")


def test_a_run_whose_worker_stopped_beating_is_released_within_minutes(data, settings):
    """A run that beat two minutes ago is still working and keeps the lock; one silent for
    longer than JOB_STALE_SECONDS lost its worker: it is marked abandoned and a new run starts."""
    settings.JOB_STALE_SECONDS = 120
    now = timezone.now()
    alive = indicator_services.run_start(trigger="test")
    AggregationRun.objects.filter(pk=alive.pk).update(
        started_at=now - datetime.timedelta(hours=1), heartbeat_at=now - datetime.timedelta(seconds=100)
    )
    with pytest.raises(indicator_services.AggregationBusy):
        indicator_services.aggregate_indicators()
    AggregationRun.objects.filter(pk=alive.pk).update(heartbeat_at=now - datetime.timedelta(seconds=130))
    run = indicator_services.aggregate_indicators()
    alive.refresh_from_db()
    assert alive.status == RunStatus.ABANDONED and alive.finished_at is not None
    assert run.status == RunStatus.SUCCEEDED and run.heartbeat_at is not None


def test_a_fanned_out_run_waiting_for_busy_workers_is_not_given_up_early(data, settings):
    settings.JOB_STALE_SECONDS = 120
    now = timezone.now()
    waiting = indicator_services.run_start(trigger="test")
    AggregationRun.objects.filter(pk=waiting.pk).update(
        partitions_total=34, heartbeat_at=now - datetime.timedelta(minutes=10)
    )
    assert indicator_services.runs_release_abandoned() == 0
    AggregationRun.objects.filter(pk=waiting.pk).update(heartbeat_at=now - datetime.timedelta(minutes=26))
    assert indicator_services.runs_release_abandoned() == 1


def test_the_dashboard_says_when_a_computation_lost_its_worker(login, national_admin, settings):
    settings.JOB_STALE_SECONDS = 120
    stuck = indicator_services.run_start(trigger="manual")
    AggregationRun.objects.filter(pk=stuck.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(minutes=5))
    fragment = login(national_admin).get("/dashboard/runs/latest/").content.decode()
    assert 'data-status="abandoned"' in fragment
    with translation.override("vi"):
        expected = gettext("Nothing of it was written; the figures shown are from the last successful one.")
    assert expected in fragment
    stuck.refresh_from_db()
    assert stuck.status == RunStatus.ABANDONED


def test_a_cooperative_imported_under_a_former_province_counts_in_its_successor(
    questionnaire, open_round, national_admin
):
    from cooperatives.importing.registry import registry_import_bytes
    from cooperatives.models import Cooperative
    from tests.sheets import row, xlsx_bytes

    registry_import_bytes(
        filename="a.xlsx",
        content=xlsx_bytes([row(code="9100000001", province="Kiên Giang")]),
        scope_province=None,
        by=None,
        dry_run=False,
    )
    cooperative = Cooperative.objects.get(code="9100000001")
    answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
    indicator_services.aggregate_indicators()
    assert values("p:91", open_round)["ecommerce_pct"] == 100
    counted_elsewhere = IndicatorSnapshot.objects.filter(
        scope_key__startswith="p:", metric="surveyed_total", value__gt=0
    ).exclude(province__code="91")
    assert not counted_elsewhere.exists()


def test_the_nightly_beat_entry_exists_once_at_one_in_the_morning_viet_nam_time():
    entries = PeriodicTask.objects.filter(task="indicators.aggregate")
    assert entries.count() == 1
    crontab = entries.get().crontab
    assert (crontab.minute, crontab.hour) == ("0", "1")
    assert str(crontab.timezone) == "Asia/Ho_Chi_Minh"


def test_the_queries_of_an_aggregation_do_not_grow_with_cooperatives(
    questionnaire, open_round, national_admin, province_a, django_assert_max_num_queries
):
    for index in range(12):
        cooperative = CooperativeFactory(province=province_a, code=f"82100000{index:02d}")
        answer(questionnaire, open_round, cooperative, national_admin, DX_NEED="yes")
    # 32: the evidence checks are read with the indicators (one query), whatever the data, the
    # webhook subscriptions told of the new figures (one query), the indicators' mappings
    # to later questionnaire versions (one query), and the rounds, provinces, sectors and wards
    # the figures name, each checked in one query (four).
    with django_assert_max_num_queries(32) as captured:
        indicator_services.aggregate_indicators()
    small = len(captured)
    for index in range(12, 40):
        cooperative = CooperativeFactory(province=province_a, code=f"82100000{index:02d}")
        answer(questionnaire, open_round, cooperative, national_admin, DX_NEED="yes")
    with django_assert_max_num_queries(small) as captured:
        indicator_services.aggregate_indicators()
    assert values("p:82", open_round)["surveyed_total"] == 40
    assert connection.vendor in ("sqlite", "postgresql")


def random_answers(questionnaire, rng):
    """A complete, valid set of answers picked at random (multiple choices: an exclusive option
    alone, or any non-empty set of the others)."""
    from surveys.models import Question

    result = {}
    for question in Question.objects.filter(questionnaire=questionnaire).prefetch_related("options"):
        options = list(question.options.all())
        if question.kind in ("single", "yes_no"):
            result[question.code] = rng.choice(options).code
        elif question.kind == "multiple":
            exclusive = [o.code for o in options if o.exclusive]
            others = [o.code for o in options if not o.exclusive]
            if exclusive and rng.random() < 0.2:
                result[question.code] = [rng.choice(exclusive)]
            else:
                result[question.code] = rng.sample(others, rng.randint(1, len(others)))
        elif question.kind == "number":
            result[question.code] = str(rng.randint(0, int(question.max_value or 50)))
        else:
            result[question.code] = "Thiếu vốn"
    return result


def counted_by_hand(round_ids, province_id=None):
    """The counted responses per (round, province, sector), counted in Python from the objects."""
    from collections import Counter, defaultdict

    from surveys.lifecycle import counted_statuses
    from surveys.models import EvidenceCheck, IndicatorDefinition

    definitions = list(IndicatorDefinition.objects.filter(is_active=True))
    checks = list(EvidenceCheck.objects.filter(is_active=True))
    empty = {"n": 0, "score_sum": Decimal(0), **{f"level_{level}": 0 for level in range(6)}}
    empty.update({f"ind_{definition.code}": 0 for definition in definitions})
    empty["evidence_mismatched"] = 0
    empty["n_expected"] = 0
    rows = defaultdict(lambda: Counter(empty))
    responses = Response.objects.filter(round_id__in=round_ids, status__in=counted_statuses()).select_related(
        "cooperative"
    )
    for response in responses.prefetch_related("answers__question", "answers__options"):
        cooperative = response.cooperative
        if cooperative.is_archived or (province_id is not None and cooperative.province_id != province_id):
            continue
        chosen = {
            (answer.question.code, option.code) for answer in response.answers.all() for option in answer.options.all()
        }
        row = rows[(response.round_id, cooperative.province_id, cooperative.sector_id, cooperative.ward_id)]
        row["n"] += 1
        row["n_expected"] += cooperative.status == "active"
        row["score_sum"] += response.score or 0
        if response.level is not None:
            row[f"level_{response.level}"] += 1
        for definition in definitions:
            row[f"ind_{definition.code}"] += any(
                (definition.question_code, str(code)) in chosen for code in definition.option_codes
            )
        row["evidence_mismatched"] += any(
            any((check.question_code, str(code)) in chosen for code in check.option_codes)
            and (check.direction == "denied") == registry_holds(cooperative, check.kind)
            for check in checks
        )
    return {key: {**empty, **row} for key, row in rows.items()}


def registry_holds(cooperative, kind) -> bool:
    """The registry's evidence of ``kind`` for the cooperative, read object by object."""
    platforms = [listing.platform for listing in cooperative.listings.all()]
    return {
        "marketplace_listing": any(platform != "provincial" for platform in platforms),
        "provincial_listing": "provincial" in platforms,
        "ocop_product": cooperative.ocop_products.exists(),
        "traceability_record": cooperative.traceability in ("qr_partial", "qr_all"),
    }[kind]


def counted_by_the_job(round_ids, province_id=None):
    from indicators.aggregation import compute_partition

    result = {}
    for row in compute_partition(round_ids=round_ids, province_id=province_id)["responses"]:
        key = (row.pop("round_id"), row.pop("province_id"), row.pop("sector_id"), row.pop("ward_id"))
        row["score_sum"] = Decimal(row["score_sum"])
        result[key] = row
    return result


@pytest.mark.parametrize("seed", [1, 2])
def test_counts_match_a_count_by_hand_on_random_answers_over_two_questionnaire_versions(
    seed, questionnaire, open_round, national_admin, province_a, province_b
):
    """Random answers, statuses, sectors and archived cooperatives, in two rounds whose
    questionnaires are two versions (same question codes, different option rows): the job's
    counts equal a count made object by object, for the nation and for each province."""
    import random

    from cooperatives.models import Sector, Ward
    from surveys.models import IndicatorDefinition, SurveyRound
    from surveys.questionnaires import questionnaire_new_version, questionnaire_publish

    rng = random.Random(seed)
    # Definitions the job must tell apart: one switched off, one whose options match nothing.
    IndicatorDefinition.objects.filter(code="website").update(is_active=False)
    IndicatorDefinition.objects.create(
        code="nothing", name_vi="Không khớp", question_code="ONLINE_CHANNELS", option_codes=["nope"]
    )
    second = questionnaire_publish(questionnaire=questionnaire_new_version(questionnaire=questionnaire))
    later_round = SurveyRound.objects.create(
        code="KS2027",
        name_vi="Khảo sát 2027",
        questionnaire=second,
        opens_on=open_round.opens_on,
        closes_on=open_round.closes_on,
    )
    sectors = list(Sector.objects.all()[:3])
    # Two wards of each province, or none (a registry row whose ward was never recorded).
    wards = {p.pk: [*Ward.objects.filter(province=p).order_by("code")[:2], None] for p in (province_a, province_b)}
    for index in range(24):
        province = rng.choice([province_a, province_b])
        cooperative = CooperativeFactory(
            province=province,
            ward=rng.choice(wards[province.pk]),
            sector=rng.choice(sectors),
            code=f"{8200000100 + index}",
        )
        for survey_round in (open_round, later_round):
            if rng.random() < 0.15:
                continue
            response = response_start(survey_round=survey_round, cooperative=cooperative, by=national_admin)
            while True:  # a contradictory draw is drawn again, as the cooperative would correct it
                response = response_save_answers(
                    response=response, answers=random_answers(survey_round.questionnaire, rng), by=national_admin
                )
                try:
                    response = response_submit(response=response, by=national_admin, confirm_warnings=True)
                except AnswersInconsistent:
                    continue
                break
            status = rng.choice(
                [ResponseStatus.ACCEPTED, ResponseStatus.ACCEPTED, ResponseStatus.SUBMITTED, ResponseStatus.RETURNED]
            )
            Response.objects.filter(pk=response.pk).update(status=status)
        if rng.random() < 0.1:
            type(cooperative).objects.filter(pk=cooperative.pk).update(is_archived=True)
        elif rng.random() < 0.1:  # answered, then suspended: in the shares, not in the coverage
            type(cooperative).objects.filter(pk=cooperative.pk).update(status="suspended")
        # The registry's evidence, at random: listings, OCOP products, traceability.
        for platform in rng.sample(["shopee", "provincial", "other"], rng.randint(0, 2)):
            cooperative.listings.create(platform=platform, url=f"https://{platform}.vn/{cooperative.code}")
        if rng.random() < 0.3:
            cooperative.ocop_products.create(name="Mật ong", stars=3, year_certified=2024)
        trace = rng.choice(["none", "paper", "qr_partial", "qr_all"])
        type(cooperative).objects.filter(pk=cooperative.pk).update(traceability=trace)
    # An accepted response without a single answer, score or level (a paper form left blank).
    blank = CooperativeFactory(province=province_a, sector=sectors[0], code="8200000199")
    Response.objects.create(round=open_round, cooperative=blank, status=ResponseStatus.ACCEPTED)
    round_ids = [open_round.pk, later_round.pk]
    by_hand = counted_by_hand(round_ids)
    assert sum(row["n"] for row in by_hand.values()) >= 12  # the draw counts enough responses to mean something
    assert any(row.get("ind_ecommerce") for row in by_hand.values())
    assert 0 < sum(row["evidence_mismatched"] for row in by_hand.values()) < sum(row["n"] for row in by_hand.values())
    assert all("ind_website" not in row and row["ind_nothing"] == 0 for row in by_hand.values())
    assert counted_by_the_job(round_ids) == by_hand
    for province in (province_a, province_b):
        assert counted_by_the_job(round_ids, province.pk) == counted_by_hand(round_ids, province.pk)
    assert any(key[3] is None for key in by_hand) and any(key[3] is not None for key in by_hand)
    assert_ward_figures_match(by_hand, round_ids, indicator_services.aggregate_indicators())


def assert_ward_figures_match(by_hand, round_ids, run):
    """The stored ward figures of the run: each ward's counts summed by hand, registry included."""
    from collections import defaultdict

    from cooperatives.models import Cooperative, Ward
    from surveys.models import IndicatorDefinition

    registry = defaultdict(int)
    for ward_id in Cooperative.objects.filter(is_archived=False, status="active", ward__isnull=False).values_list(
        "ward_id", flat=True
    ):
        registry[ward_id] += 1
    definitions = list(IndicatorDefinition.objects.filter(is_active=True))
    expected = {}
    for round_id in round_ids:
        for ward_id, total in registry.items():
            rows = [row for (r, _p, _s, w), row in by_hand.items() if (r, w) == (round_id, ward_id)]
            n = sum(row["n"] for row in rows)
            expected_n = sum(row["n_expected"] for row in rows)
            ward = Ward.objects.select_related("province").get(pk=ward_id)
            figures = {"cooperatives_total": (total, None), "survey_coverage_pct": (expected_n, total)}
            figures.update({f"{d.code}_pct": (sum(row[f"ind_{d.code}"] for row in rows), n) for d in definitions})
            figures["maturity_score_avg"] = sum(row["score_sum"] for row in rows) / n if n else None
            expected[(round_id, f"p:{ward.province.code}|w:{ward.code}")] = figures
    stored = defaultdict(dict)
    for figure in IndicatorSnapshot.objects.filter(run=run, scope="ward"):
        average = figure.metric == "maturity_score_avg"
        stored[(figure.round_id, figure.scope_key)][figure.metric] = (
            figure.value if average else (figure.numerator, figure.denominator)
        )
    assert set(stored) == set(expected)
    for key, figures in expected.items():
        for metric, want in figures.items():
            got = stored[key][metric]
            if metric == "maturity_score_avg" and want is not None:
                assert abs(got - want) < Decimal("1e-9"), (key, metric)
            else:
                assert got == want, (key, metric)


def test_an_option_code_written_as_a_number_still_counts(questionnaire, open_round, national_admin, province_a):
    """Option codes are JSON an administrator edits: ``[1]`` means the option coded "1"."""
    from surveys.models import IndicatorDefinition, Option

    option = Option.objects.filter(question__questionnaire=questionnaire, question__code="DX_NEED", code="yes").get()
    Option.objects.filter(pk=option.pk).update(code="1")
    IndicatorDefinition.objects.create(code="numeric", name_vi="Mã số", question_code="DX_NEED", option_codes=[1])
    answer(questionnaire, open_round, CooperativeFactory(province=province_a), national_admin, DX_NEED="1")
    (row,) = counted_by_the_job([open_round.pk]).values()
    assert (row["n"], row["ind_numeric"]) == (1, 1)


def test_figures_are_stored_as_given_and_a_refused_write_raises_djangos_error(data):
    """The snapshot's write (COPY on PostgreSQL, bulk_create elsewhere) stores every value as
    given: empty places and values, an exact zero, text with commas and quotes, the time with
    its zone. A write the database refuses raises Django's own error (what the tasks retry on)
    and leaves nothing."""
    from django.db import DataError, transaction
    from django.utils import timezone

    from cooperatives.models import Province, Sector

    run = indicator_services.aggregate_indicators()
    # A day the run did not write: the run dates its figures by the local (Hà Nội) day, which
    # between 17:00 and 24:00 UTC is already the next UTC day.
    day = timezone.localdate(run.started_at) + datetime.timedelta(days=1)
    place = {"run_id": run.pk, "snapshot_date": day, "as_of": run.started_at, "round_id": data.pk}
    rows = [
        {
            **place,
            "scope": "province",
            "province_id": Province.objects.get(code="82").pk,
            "sector_id": None,
            "scope_key": "p:82",
            "metric": "a_zero",
            "value": Decimal("0E-12"),
            "numerator": 0,
            "denominator": None,
        },
        {
            **place,
            "scope": "sector",
            "province_id": None,
            "sector_id": Sector.objects.get(code="VT").pk,
            "scope_key": "s:VT",
            "metric": 'b, "quoted"',
            "value": None,
            "numerator": None,
            "denominator": 0,
        },
        {
            **place,
            "scope": "nation",
            "province_id": None,
            "sector_id": None,
            "scope_key": "nation",
            "metric": "c_third",
            "value": Decimal("33.333333333333"),
            "numerator": 1,
            "denominator": 3,
        },
    ]
    with transaction.atomic():
        indicator_services.insert_figures(rows)
    stored = list(IndicatorSnapshot.objects.filter(snapshot_date=day).order_by("metric").values(*rows[0]))
    assert stored == rows
    if connection.vendor == "postgresql":  # SQLite keeps any text whatever its declared length
        too_long = [{**rows[2], "snapshot_date": day + datetime.timedelta(days=1), "scope": "x" * 40}]
        with pytest.raises(DataError), transaction.atomic():
            indicator_services.insert_figures(too_long)
        assert not IndicatorSnapshot.objects.filter(snapshot_date=day + datetime.timedelta(days=1)).exists()


@pytest.mark.parametrize("reference", ["round_id", "province_id", "sector_id", "ward_id"])
def test_a_snapshot_naming_a_row_that_is_gone_is_refused_and_nothing_is_written(data, reference):
    """The database checks no foreign key of the figures (160,000 checks a night): the write
    checks each round, province, sector and ward they name, once, and refuses the snapshot if
    one is missing, as the foreign key did."""
    from indicators.aggregation import build_figures, compute_partition

    indicator_services.aggregate_indicators()
    before = sorted(IndicatorSnapshot.objects.values_list("pk", "metric", "value"))
    run = indicator_services.run_start(trigger="test")
    figures = build_figures(compute_partition(round_ids=[data.pk]), [data])
    assert len(figures) > 1
    gone = 10**9
    figures[-1] = {**figures[-1], reference: gone}
    with pytest.raises(IntegrityError, match=str(gone)):
        indicator_services.write_snapshot(run_id=run.pk, figures=figures, rounds=[data])
    assert sorted(IndicatorSnapshot.objects.values_list("pk", "metric", "value")) == before


def test_deleting_a_round_deletes_its_figures_and_a_run_with_figures_cannot_be_deleted(data):
    from django.db.models import ProtectedError

    run = indicator_services.aggregate_indicators()
    assert IndicatorSnapshot.objects.filter(round=data).exists()
    with pytest.raises(ProtectedError):
        run.delete()
    Response.objects.filter(round=data).delete()
    data.delete()
    assert not IndicatorSnapshot.objects.exists()


def test_a_run_deleted_before_its_write_fails_it(data):
    from indicators.aggregation import build_figures, compute_partition

    indicator_services.aggregate_indicators()
    before = sorted(IndicatorSnapshot.objects.values_list("pk", "metric", "value"))
    run = indicator_services.run_start(trigger="test")
    figures = build_figures(compute_partition(round_ids=[data.pk]), [data])
    AggregationRun.objects.filter(pk=run.pk).delete()
    with pytest.raises(IntegrityError, match=f"AggregationRun {run.pk} no longer exists"):
        indicator_services.write_snapshot(run_id=run.pk, figures=figures, rounds=[data])
    assert sorted(IndicatorSnapshot.objects.values_list("pk", "metric", "value")) == before
