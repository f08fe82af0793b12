"""Reads on a read replica, writes on the primary, and everyone reads their own writes.

The routing is proved against a real streaming standby of the test database's PostgreSQL server
(``COOPDX_TEST_REPLICA_URL``, which ``.ci/run`` creates with ``pg_basebackup`` and starts before
the PostgreSQL pass): with the standby's replay paused, a change on the primary is not on the
standby, so what a page shows says which server answered it.

The tests with a replica run on the test database without a test case around it (``unguarded``):
the replica alias appears during the test, and a test case refuses connections it did not know at
its start. What they write they remove.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

import pytest
from django.db import connection, connections

from coopdx.replicas import PIN_COOKIE, REPLICA, replica_health_forget, replica_usable
from cooperatives.models import Cooperative
from cooperatives.services import cooperative_update
from tests.conftest import ensure_reference_data, require_service, tcp_open
from tests.factories import CooperativeFactory, UserFactory

REPLICA_URL = os.environ.get("COOPDX_TEST_REPLICA_URL", "")


@contextmanager
def replica_at(**overrides: Any) -> Iterator[Any]:
    """The ``replica`` alias, as settings with ``DATABASE_REPLICA_URL`` would make it."""
    connections.settings[REPLICA] = {**connections["default"].settings_dict, **overrides}
    replica_health_forget()
    try:
        yield connections[REPLICA]
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        replica_health_forget()


@pytest.fixture
def quick_checks(settings):
    settings.REPLICA_CHECK_SECONDS = 0  # measure the lag on every request, to see it change
    settings.REPLICA_PIN_SECONDS = 2
    settings.REPLICA_MAX_LAG_SECONDS = 600
    return settings


@pytest.fixture
def unguarded(django_db_setup, django_db_blocker):
    """An officer of Đồng Tháp and a cooperative of theirs, committed, then removed."""
    from accounts.models import Role
    from cooperatives.models import Province

    with django_db_blocker.unblock():
        ensure_reference_data()
        dong_thap = Province.objects.get(code="82")
        officer = UserFactory(username="replica-officer", role=Role.PROVINCIAL_OFFICER, province=dong_thap)
        coop = CooperativeFactory(province=dong_thap, name="HTX Tên Cũ")
        try:
            yield officer, coop
        finally:
            Cooperative.history.filter(id=coop.pk).delete()
            Cooperative.objects.filter(pk=coop.pk).delete()
            officer.delete()


def signed_in(officer):
    from django.test import Client

    client = Client()
    client.force_login(officer)
    return client


def name_shown(client, coop: Cooperative) -> str:
    page = client.get(f"/cooperatives/{coop.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    return "new" if "HTX Tên Mới" in body else "old" if "HTX Tên Cũ" in body else "neither"


def test_a_replica_that_cannot_be_reached_leaves_the_site_on_the_primary(unguarded, quick_checks):
    officer, coop = unguarded
    client = signed_in(officer)
    with replica_at(ENGINE="django.db.backends.postgresql", HOST="127.0.0.1", PORT="9", NAME="x", OPTIONS={}):
        assert not replica_usable()
        assert name_shown(client, coop) == "old"
        # A write pins its client to the primary: a cookie says until when.
        answer = client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
        pinned_until = float(answer.cookies[PIN_COOKIE].value)
        assert time.time() < pinned_until <= time.time() + quick_checks.REPLICA_PIN_SECONDS + 1
    client.logout()


def test_without_a_replica_nothing_is_pinned(client, db, officer_a):
    client.force_login(officer_a)
    answer = client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert answer.status_code == 302 and PIN_COOKIE not in answer.cookies


def _replayed(standby) -> None:
    """Wait until the standby has replayed everything the primary has written so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (written,) = cursor.fetchone()
    deadline = time.monotonic() + 30
    with standby.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("the standby did not catch up within 30 s")


@pytest.fixture
def standby(unguarded):
    if connection.vendor != "postgresql":
        pytest.skip("a streaming replica is PostgreSQL's: the PostgreSQL pass of the suite runs this test")
    require_service(bool(REPLICA_URL) and tcp_open(REPLICA_URL, 5432), "a streaming replica (COOPDX_TEST_REPLICA_URL)")
    where = urlparse(REPLICA_URL)
    with replica_at(HOST=where.hostname, PORT=str(where.port or 5432)) as replica:
        with replica.cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            assert cursor.fetchone()[0], "COOPDX_TEST_REPLICA_URL is not a standby"
            cursor.execute("SELECT pg_wal_replay_resume()")  # in case a test stopped before resuming it
        try:
            yield replica
        finally:
            with replica.cursor() as cursor:
                cursor.execute("SELECT pg_wal_replay_resume()")


def test_reads_go_to_the_replica_and_a_writer_reads_its_own_writes(unguarded, standby, quick_checks):
    officer, coop = unguarded
    reader, writer = signed_in(officer), signed_in(officer)
    _replayed(standby)
    assert name_shown(reader, coop) == "old"

    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    cooperative_update(cooperative=coop, by=officer, name="HTX Tên Mới")
    assert Cooperative.objects.get(pk=coop.pk).name == "HTX Tên Mới"  # on the primary

    # The reader has not written: its pages, and the API's answers, come from the standby.
    assert name_shown(reader, coop) == "old"
    api = reader.get(f"/api/v1/cooperatives/{coop.pk}/")
    assert api.status_code == 200 and api.json()["name"] == "HTX Tên Cũ"

    # The writer has just written (any unsafe request): for REPLICA_PIN_SECONDS it reads the primary.
    assert writer.post("/i18n/setlang/", {"language": "vi", "next": "/"}).status_code == 302
    assert name_shown(writer, coop) == "new"
    time.sleep(quick_checks.REPLICA_PIN_SECONDS + 0.2)
    assert name_shown(writer, coop) == "old"  # the pin is over: the standby again

    # A standby further behind than REPLICA_MAX_LAG_SECONDS is not read at all.
    quick_checks.REPLICA_MAX_LAG_SECONDS = 0.5
    time.sleep(0.6)
    assert name_shown(reader, coop) == "new"

    # Replay resumes: the standby has the change, and is read again.
    quick_checks.REPLICA_MAX_LAG_SECONDS = 600
    with standby.cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    _replayed(standby)
    assert replica_usable()
    assert name_shown(reader, coop) == "new"
    reader.logout()
    writer.logout()
