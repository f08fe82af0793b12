"""Continuous figures (``indicators.continuous``): after random sequences of changes made through
the services (answers accepted, returned or submitted, cooperatives moved between provinces or
sectors, archived, suspended, added), the snapshot the minute's work leaves is the snapshot a
full run writes, figure for figure; and the work counts again only the provinces that changed."""

import random

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.models import Role
from cooperatives.models import Province, Sector, Ward
from cooperatives.products import listing_create
from cooperatives.services import cooperative_archive, cooperative_update
from indicators import continuous
from indicators.continuous import figures_follow_changes
from indicators.models import AggregationRun, IndicatorSnapshot, ProvinceCounts, RunStatus
from indicators.selectors import dashboard
from indicators.services import RunGivenUp, aggregate_indicators, run_start, write_snapshot
from indicators.tasks import follow_changes
from surveys.models import IndicatorDefinition, Response, ResponseStatus
from surveys.services import response_review, response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory, UserFactory, complete_answers

pytestmark = pytest.mark.django_db(transaction=False)

PROVINCES = ("82", "66", "01")


def snapshot():
    """Today's figures, as sets of what a reader sees (not when or by which run they were written)."""
    return set(
        IndicatorSnapshot.objects.filter(snapshot_date=timezone.localdate()).values_list(
            "round_id",
            "scope",
            "scope_key",
            "province_id",
            "sector_id",
            "ward_id",
            "metric",
            "value",
            "numerator",
            "denominator",
        )
    )


class World:
    """Cooperatives in three provinces and changes made to them through the services."""

    def __init__(self, rng, questionnaire, survey_round, admin):
        self.rng, self.questionnaire, self.round, self.admin = rng, questionnaire, survey_round, admin
        self.reviewer = UserFactory(username="reviewer", role=Role.NATIONAL_ADMIN, is_staff=True)
        self.provinces = list(Province.objects.filter(code__in=PROVINCES))
        self.sectors = list(Sector.objects.filter(code__in=("NN", "VT")))
        self.cooperatives = [self.add() for _ in range(10)]
        for cooperative in self.cooperatives[:7]:
            self.answer(cooperative)

    def add(self):
        province = self.rng.choice(self.provinces)
        return CooperativeFactory(province=province, sector=self.rng.choice(self.sectors))

    def answer(self, cooperative, accept=True):
        values = complete_answers(self.questionnaire, self.rng.choice(["best", "worst"]))
        response = response_start(survey_round=self.round, cooperative=cooperative, by=self.admin)
        response_save_answers(response=response, answers=values, by=self.admin)
        response = response_submit(response=response, by=self.admin, confirm_warnings=True)
        if accept:
            response_review(response=response, by=self.reviewer, accept=True)

    def change(self):
        """One random change; returns the provinces it touches."""
        rng = self.rng
        cooperative = rng.choice(self.cooperatives)
        cooperative.refresh_from_db()
        before = cooperative.province_id
        response = Response.objects.filter(cooperative=cooperative, round=self.round).first()
        kind = rng.choice(["answer", "review", "move", "sector", "archive", "suspend", "add", "listing"])
        if kind == "answer" and response is None:
            self.answer(cooperative, accept=rng.random() < 0.5)
        elif kind == "review" and response is not None and response.status == ResponseStatus.SUBMITTED:
            accept = rng.random() < 0.5
            response_review(response=response, by=self.reviewer, accept=accept, comment="" if accept else "Thiếu")
        elif kind == "move":
            province = rng.choice([p for p in self.provinces if p.pk != before])
            ward = Ward.objects.filter(province=province).order_by("code")[rng.randrange(3)]
            cooperative_update(cooperative=cooperative, by=self.admin, province=province, ward=ward)
        elif kind == "sector":
            sector = rng.choice([s for s in self.sectors if s.pk != cooperative.sector_id])
            cooperative_update(cooperative=cooperative, by=self.admin, sector=sector)
        elif kind == "archive":
            cooperative_archive(cooperative=cooperative, by=self.admin, archived=not cooperative.is_archived)
        elif kind == "suspend":
            status = "active" if cooperative.status == "suspended" else "suspended"
            cooperative_update(cooperative=cooperative, by=self.admin, status=status)
        elif kind == "listing":  # the registry's evidence the answers are checked against
            url = f"https://shopee.vn/htx-{cooperative.code}-{rng.randrange(10**6)}"
            listing_create(cooperative=cooperative, by=self.admin, platform="shopee", url=url)
        elif kind == "add":
            cooperative = self.add()
            self.cooperatives.append(cooperative)
            return {cooperative.province_id}
        else:
            return set()  # nothing to do for this one: no change
        cooperative.refresh_from_db()
        return {before, cooperative.province_id}


@pytest.mark.parametrize("seed", range(1, 9))
def test_after_random_changes_the_minutes_work_leaves_the_snapshot_a_full_run_writes(
    seed, settings, monkeypatch, questionnaire, open_round, national_admin
):
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    counting = []
    count = continuous.compute_partition
    monkeypatch.setattr(continuous, "compute_partition", lambda **kw: counting.append(kw["province_id"]) or count(**kw))
    world = World(random.Random(seed), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    assert figures_follow_changes() is not None  # the first counts every province once
    assert ProvinceCounts.objects.count() == Province.objects.count()
    for _step in range(5):
        touched = set()
        for _ in range(world.rng.randint(1, 3)):
            touched |= world.change()
        counting.clear()
        run = figures_follow_changes()
        followed = snapshot()
        # Only the provinces a change touched were counted again (a change that leaves the counts
        # as they were, such as an answer not yet accepted, writes nothing).
        assert set(counting) == touched, (counting, touched)
        assert run is None or run.status == RunStatus.SUCCEEDED
        aggregate_indicators(trigger="command")
        assert followed == snapshot()
    assert figures_follow_changes() is None  # nothing changed since


def test_a_change_shows_in_the_province_and_the_nation_and_nothing_else_is_written(
    settings, questionnaire, open_round, national_admin
):
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    world = World(random.Random(7), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    first = figures_follow_changes()  # counts every province once, and rewrites every figure
    province = Province.objects.get(code="66")
    before = {row[2]: row for row in snapshot() if row[6] == "surveyed_total" and row[2] in ("nation", "p:66", "p:82")}
    written_before = set(IndicatorSnapshot.objects.values_list("pk", flat=True))
    world.answer(CooperativeFactory(province=province, sector=world.sectors[0]))
    run = figures_follow_changes()
    after = {row[2]: row for row in snapshot() if row[6] == "surveyed_total" and row[2] in before}
    assert after["nation"][8] == before["nation"][8] + 1
    assert after["p:66"][8] == before["p:66"][8] + 1
    assert after["p:82"] == before["p:82"]
    # The other provinces' figures are the ones written before; the new ones are this run's.
    new = IndicatorSnapshot.objects.exclude(pk__in=written_before)
    assert set(new.values_list("run_id", flat=True)) == {run.pk}
    assert set(new.exclude(province=None).values_list("province_id", flat=True)) == {province.pk}
    assert not IndicatorSnapshot.objects.filter(province__code="82").exclude(pk__in=written_before).exists()
    # Each dashboard says when its own figures were computed.
    assert dashboard(user=national_admin, province=province)["as_of"] == run.finished_at
    assert dashboard(user=national_admin, province=None)["as_of"] == run.finished_at
    assert dashboard(user=national_admin, province=Province.objects.get(code="82"))["as_of"] == first.finished_at
    assert first.finished_at < run.finished_at


def test_nothing_is_followed_before_todays_full_run_nor_while_another_computation_runs(
    questionnaire, open_round, national_admin
):
    World(random.Random(3), questionnaire, open_round, national_admin)
    assert figures_follow_changes() is None  # no snapshot today: the night's run comes first
    assert not ProvinceCounts.objects.exists()
    aggregate_indicators(trigger="command")
    busy = run_start(trigger="manual")
    assert figures_follow_changes() is None
    assert AggregationRun.objects.filter(status=RunStatus.RUNNING).get() == busy
    assert not ProvinceCounts.objects.exists()


def test_the_beat_runs_the_work_every_minute_and_a_missed_minute_is_not_queued_up(
    settings, questionnaire, open_round, national_admin
):
    entry = PeriodicTask.objects.get(task="indicators.follow_changes")
    assert (entry.interval.every, entry.interval.period) == (60, "seconds")
    assert entry.enabled and entry.expire_seconds < 60
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    world = World(random.Random(5), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    assert follow_changes.delay().get() is not None  # eager here; a worker in the deployment
    world.answer(CooperativeFactory(province=Province.objects.get(code="01")))
    run = AggregationRun.objects.get(pk=follow_changes.delay().get())
    assert (run.trigger, run.partitions_done) == ("continuous", 1)


def test_a_change_looked_at_again_within_the_overlap_writes_nothing_more(questionnaire, open_round, national_admin):
    """With the default overlap a changed province is counted again for ten minutes, in case its
    transaction committed late; counts found as kept rewrite nothing and leave no run behind."""
    world = World(random.Random(11), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    figures_follow_changes()
    world.answer(CooperativeFactory(province=Province.objects.get(code="66")))
    assert figures_follow_changes() is not None
    runs, figures = AggregationRun.objects.count(), set(IndicatorSnapshot.objects.values_list("pk", "as_of"))
    assert figures_follow_changes() is None
    assert AggregationRun.objects.count() == runs
    assert set(IndicatorSnapshot.objects.values_list("pk", "as_of")) == figures


def test_a_renamed_sector_is_counted_again_everywhere(settings, questionnaire, open_round, national_admin):
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    World(random.Random(12), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    figures_follow_changes()
    Sector.objects.filter(code="VT").update(code="VT2")  # the admin's edit of a reference code
    run = figures_follow_changes()
    assert run.partitions_done == Province.objects.count()
    followed = snapshot()
    assert not any(row[2].endswith("s:VT") for row in followed)
    aggregate_indicators(trigger="command")
    assert followed == snapshot()


def test_a_first_count_spread_over_minutes_writes_once_every_province_is_counted(
    settings, questionnaire, open_round, national_admin
):
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    settings.INDICATORS_CONTINUOUS_BUDGET_SECONDS = 0  # one province a minute
    world = World(random.Random(13), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    night = snapshot()
    provinces = Province.objects.count()
    changed = world.cooperatives[0].province
    for minute in range(provinces + 5):
        if minute == provinces // 2:  # a change half way: its province is counted (again) before the write
            world.answer(CooperativeFactory(province=changed))
        run = figures_follow_changes()
        assert run is not None and run.partitions_done == 1
        if run.rows_written:
            break
        assert snapshot() == night  # nothing written before every province is counted
    assert run.rows_written and minute >= provinces - 1
    assert not ProvinceCounts.objects.filter(written=False).exists()
    followed = snapshot()
    aggregate_indicators(trigger="command")
    assert followed == snapshot() != night


def test_changes_beyond_the_budget_are_all_counted_in_turn_and_written(
    settings, questionnaire, open_round, national_admin
):
    """The longest uncounted province goes first: a province left over by the budget is counted
    the next minute, never starved by one counted again and again."""
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    world = World(random.Random(14), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    figures_follow_changes()
    settings.INDICATORS_CONTINUOUS_BUDGET_SECONDS = 0  # one province a minute
    a, b = (Province.objects.get(code=code) for code in ("66", "01"))
    for province in (a, b):
        world.answer(CooperativeFactory(province=province, sector=world.sectors[0]))
    counted = []
    while (run := figures_follow_changes()) is not None:
        counted.append(run.partitions_done)
        assert len(counted) <= 3
    assert counted == [1, 1]
    followed = snapshot()
    aggregate_indicators(trigger="command")
    assert followed == snapshot()


def test_a_renamed_indicator_is_counted_and_written_again(settings, questionnaire, open_round, national_admin):
    """Its counts are the same, its figures' names are not: counts made with another fingerprint
    are never taken as the kept ones."""
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    World(random.Random(15), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    figures_follow_changes()
    definition = IndicatorDefinition.objects.filter(is_active=True).order_by("code").first()
    IndicatorDefinition.objects.filter(pk=definition.pk).update(code=f"{definition.code}_v2")
    assert figures_follow_changes() is not None
    followed = snapshot()
    assert any(row[6] == f"{definition.code}_v2_pct" for row in followed)
    aggregate_indicators(trigger="command")
    assert followed == snapshot()


def test_a_new_ward_counts_every_province_once_and_then_nothing(
    settings, monkeypatch, questionnaire, open_round, national_admin
):
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    World(random.Random(16), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    figures_follow_changes()
    province = Province.objects.get(code="82")
    Ward.objects.create(province=province, code="99999", name="Phường Mới")  # the reference data grows
    counting = []
    count = continuous.compute_partition
    monkeypatch.setattr(continuous, "compute_partition", lambda **kw: counting.append(kw["province_id"]) or count(**kw))
    figures_follow_changes()
    assert len(counting) == Province.objects.count()
    counting.clear()
    assert figures_follow_changes() is None
    assert counting == []


def test_a_province_counted_again_within_the_overlap_keeps_its_figures(questionnaire, open_round, national_admin):
    """With the default overlap a province changed a moment ago is counted again with the next
    change elsewhere; its counts are the kept ones, so its figures are not rewritten."""
    world = World(random.Random(17), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    figures_follow_changes()
    a, b = (Province.objects.get(code=code) for code in ("66", "82"))
    world.answer(CooperativeFactory(province=a, sector=world.sectors[0]))
    figures_follow_changes()
    figures_of_a = set(IndicatorSnapshot.objects.filter(province=a).values_list("pk", "as_of"))
    world.answer(CooperativeFactory(province=b, sector=world.sectors[0]))
    run = figures_follow_changes()
    assert run is not None and run.partitions_done >= 2  # a (and the others changed a moment ago) again, and b
    assert set(IndicatorSnapshot.objects.filter(province=a).values_list("pk", "as_of")) == figures_of_a
    assert IndicatorSnapshot.objects.filter(province=b, run=run).exists()


def test_a_change_undone_after_a_full_run_is_written_again(settings, questionnaire, open_round, national_admin):
    """A full run writes every figure from its own counts: counts found as kept after it do not
    mean its figures are the kept ones (a change made before the night's run, undone after)."""
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    world = World(random.Random(18), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    figures_follow_changes()
    cooperative = next(c for c in world.cooperatives if c.status == "active" and not c.is_archived)
    cooperative_update(cooperative=cooperative, by=national_admin, status="suspended")
    aggregate_indicators(trigger="beat")  # the night's run counts the suspension
    cooperative_update(cooperative=cooperative, by=national_admin, status="active")  # undone
    assert figures_follow_changes() is not None
    followed = snapshot()
    aggregate_indicators(trigger="command")
    assert followed == snapshot()


def test_a_cooperative_moved_twice_leaves_no_count_behind(settings, questionnaire, open_round, national_admin):
    """The province a cooperative leaves is the one it was in just before each move, even while
    another province waits to be counted (budget) from before the first move."""
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0
    world = World(random.Random(19), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    figures_follow_changes()
    settings.INDICATORS_CONTINUOUS_BUDGET_SECONDS = 0  # one province a minute
    first, second, third = Province.objects.filter(code__in=PROVINCES).order_by("pk")
    moved = CooperativeFactory(province=second, sector=world.sectors[0])
    world.answer(moved)
    world.answer(CooperativeFactory(province=third, sector=world.sectors[0]))
    while figures_follow_changes() is not None:
        pass
    ward = Ward.objects.filter(province=first).order_by("code").first()
    cooperative_update(cooperative=moved, by=national_admin, province=first, ward=ward)  # second → first
    world.answer(CooperativeFactory(province=third, sector=world.sectors[0]))  # third waits behind
    assert figures_follow_changes().partitions_done == 1  # the first, lowest key: third is left over
    ward = Ward.objects.filter(province=third).order_by("code").first()
    cooperative_update(cooperative=moved, by=national_admin, province=third, ward=ward)  # first → third
    while figures_follow_changes() is not None:
        pass
    followed = snapshot()
    aggregate_indicators(trigger="command")
    assert followed == snapshot()


def test_a_run_given_up_as_lost_does_not_write_its_figures(questionnaire, open_round, national_admin):
    World(random.Random(20), questionnaire, open_round, national_admin)
    aggregate_indicators(trigger="command")
    written = snapshot()
    run = run_start(trigger="beat")
    AggregationRun.objects.filter(pk=run.pk).update(status=RunStatus.ABANDONED)  # no heartbeat: released
    with pytest.raises(RunGivenUp):
        write_snapshot(run_id=run.pk, figures=[], rounds=[open_round])
    assert snapshot() == written
