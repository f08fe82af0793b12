"""A round, province, sector or ward deleted while the nightly snapshot is being written takes
its figures with it.

The snapshot's references are checked by the write, not by database foreign keys
(``indicators.services.write_snapshot``, which holds each row it names until it commits). A
delete that started while the write was under way would delete the figures it could see, then
the row, leaving the figures the write committed meanwhile naming a row that is gone; the
delete now waits for the write first (``indicators/receivers.py``). Two real connections on
PostgreSQL (SQLite lets one writer at a time: the delete cannot start).
"""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.utils import timezone

from indicators import services as indicator_services
from indicators.models import IndicatorSnapshot
from surveys.models import SurveyRound
from tests.conftest import ensure_reference_data
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def wait_until_blocked(seconds: float = 20) -> None:
    """Until another session of this database waits for a lock (the delete, behind the write)."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("the delete never waited for the snapshot's write")


def delete_during_the_write(monkeypatch, delete) -> list[BaseException]:
    """Run ``delete`` in another connection once the write has inserted its figures, and let
    the write commit while the delete waits for it."""
    errors: list[BaseException] = []

    def deleting() -> None:
        try:
            delete()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    real_insert = indicator_services.insert_figures
    thread = threading.Thread(target=deleting)

    def insert_then_let_the_delete_start(rows, **constants):
        real_insert(rows, **constants)
        thread.start()
        wait_until_blocked()

    monkeypatch.setattr(indicator_services, "insert_figures", insert_then_let_the_delete_start)
    indicator_services.aggregate_indicators()
    thread.join(30)
    assert not thread.is_alive()
    return errors


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once are PostgreSQL's: the PostgreSQL pass of the suite runs this test")
    ensure_reference_data()


def test_a_round_deleted_during_the_write_leaves_no_figure(postgresql, monkeypatch):
    from surveys.models import Questionnaire

    questionnaire = Questionnaire.objects.get(code="NATIONAL", version=1)
    today = timezone.localdate()
    kept, doomed = (
        SurveyRound.objects.create(
            code=code,
            name_vi=code,
            questionnaire=questionnaire,
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=30),
        )
        for code in ("KS-KEPT", "KS-GONE")
    )
    CooperativeFactory()
    indicator_services.aggregate_indicators()
    assert IndicatorSnapshot.objects.filter(round=doomed).exists()

    errors = delete_during_the_write(monkeypatch, lambda: SurveyRound.objects.get(pk=doomed.pk).delete())

    assert errors == []
    assert not SurveyRound.objects.filter(pk=doomed.pk).exists()
    assert not IndicatorSnapshot.objects.filter(round_id=doomed.pk).exists()
    assert IndicatorSnapshot.objects.filter(round=kept).exists()


def test_a_ward_deleted_during_the_write_leaves_no_figure(postgresql, monkeypatch):
    from cooperatives.models import Cooperative, Ward
    from surveys.models import Questionnaire

    questionnaire = Questionnaire.objects.get(code="NATIONAL", version=1)
    today = timezone.localdate()
    SurveyRound.objects.create(
        code="KS-W",
        name_vi="KS-W",
        questionnaire=questionnaire,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
    )
    cooperative = CooperativeFactory()
    ward = Ward.objects.filter(province=cooperative.province).first()
    Cooperative.objects.filter(pk=cooperative.pk).update(ward=ward)
    indicator_services.aggregate_indicators()
    assert IndicatorSnapshot.objects.filter(ward=ward).exists()

    def move_away_and_delete_the_ward() -> None:
        # The figures being written were computed with the cooperative in the ward; it leaves
        # (the ward is no longer protected by it), and the ward is deleted.
        Cooperative.objects.filter(pk=cooperative.pk).update(ward=None)
        Ward.objects.get(pk=ward.pk).delete()

    errors = delete_during_the_write(monkeypatch, move_away_and_delete_the_ward)

    assert errors == []
    assert not Ward.objects.filter(pk=ward.pk).exists()
    assert not IndicatorSnapshot.objects.filter(ward_id=ward.pk).exists()
