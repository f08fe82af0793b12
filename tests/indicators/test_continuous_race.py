"""A change whose transaction is open while the minute's work looks for changes, and commits
before it ends, is counted by a later minute: the time from which changes are looked for next is
read before this minute looks (the oldest transaction then open), not after. Two connections:
PostgreSQL's (SQLite has one writer at a time, so the race cannot happen there)."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from cooperatives.models import Cooperative
from cooperatives.services import cooperative_update
from indicators import continuous
from indicators.models import IndicatorSnapshot
from indicators.services import aggregate_indicators
from tests.conftest import ensure_reference_data
from tests.factories import CooperativeFactory
from tests.surveys.test_evidence import answer

pytestmark = pytest.mark.django_db(transaction=True)


def snapshot():
    return set(
        IndicatorSnapshot.objects.filter(snapshot_date=timezone.localdate()).values_list(
            "round_id", "scope_key", "metric", "value", "numerator", "denominator"
        )
    )


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once are PostgreSQL's: the PostgreSQL pass of the suite runs this test")
    ensure_reference_data()  # a transactional test before this one ended by emptying the database


def test_a_change_committed_while_the_minute_looks_is_counted_by_a_later_minute(
    postgresql, settings, monkeypatch, open_round, national_admin, province_a, province_b
):
    settings.INDICATORS_CONTINUOUS_OVERLAP_SECONDS = 0  # stands for a transaction longer than the overlap
    a = CooperativeFactory(province=province_a)
    b = CooperativeFactory(province=province_b)
    answer(open_round, a, national_admin, TRACEABILITY="paper", ONLINE_CHANNELS=["marketplace"])
    aggregate_indicators(trigger="command")
    assert continuous.figures_follow_changes() is not None
    saved, commit = threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():  # its history row bears a time before it commits
                cooperative_update(cooperative=Cooperative.objects.get(pk=a.pk), by=national_admin, status="suspended")
                saved.set()
                commit.wait(20)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert saved.wait(20)
    cooperative_update(cooperative=b, by=national_admin, members_count=(b.members_count or 0) + 1)
    looked = continuous.stale_provinces

    def look_then_let_it_commit(fingerprint):
        found = looked(fingerprint)
        commit.set()  # commits after the look, before the minute ends
        thread.join()
        return found

    monkeypatch.setattr(continuous, "stale_provinces", look_then_let_it_commit)
    continuous.figures_follow_changes()
    monkeypatch.setattr(continuous, "stale_provinces", looked)
    later = continuous.figures_follow_changes()
    assert later is not None  # province a's suspension (and b's change, looked at again)
    followed = snapshot()
    aggregate_indicators(trigger="command")
    assert followed == snapshot()
