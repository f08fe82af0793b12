"""Nothing lost: a fault in the middle of a large import writes nothing; backups restore whole."""

import hashlib
import os
import shutil
import sqlite3
import subprocess

import pytest
from django.db import connection

from cooperatives.importing import registry
from cooperatives.importing.registry import registry_import_bytes
from cooperatives.models import Cooperative
from tests.conftest import ensure_reference_data, require_service
from tests.sheets import row, xlsx_bytes

pytestmark = pytest.mark.django_db


def test_a_fault_in_the_middle_of_a_large_import_leaves_the_registry_untouched(monkeypatch):
    existing = xlsx_bytes([row(code=f"82{index:08d}", members=10) for index in range(1500)])
    registry_import_bytes(filename="a.xlsx", content=existing, scope_province=None, by=None, dry_run=False)
    before = list(Cooperative.objects.order_by("code").values_list("code", "members_count"))
    # 1,500 changed rows and 3,000 new ones: several write batches; the third batch fails.
    content = xlsx_bytes([row(code=f"82{index:08d}", members=20) for index in range(4500)])
    calls = {"n": 0}
    real = registry.bulk_create_with_history

    def failing(objs, model, batch_size, default_user=None):
        calls["n"] += 1
        half = len(objs) // 2
        real(objs[:half], model, batch_size=batch_size, default_user=default_user)  # some rows really written
        raise OSError("disk full")

    monkeypatch.setattr(registry, "bulk_create_with_history", failing)
    with pytest.raises(OSError):
        registry_import_bytes(filename="b.xlsx", content=content, scope_province=None, by=None, dry_run=False)
    assert calls["n"] == 1
    assert list(Cooperative.objects.order_by("code").values_list("code", "members_count")) == before
    assert Cooperative.history.count() == 1500


def _registry_digest(cursor):
    cursor.execute(
        "SELECT code, name, province_id, sector_id, status, COALESCE(members_count, -1) "
        "FROM cooperatives_cooperative ORDER BY code"
    )
    return hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()


@pytest.fixture
def committed_data(transactional_db):
    """pg_dump sees only committed rows, so this test commits; a transactional test ends with a
    flush, and any later transactional test loads the reference data again."""
    ensure_reference_data()


def test_the_registry_restores_from_a_backup_into_an_empty_database(committed_data, tmp_path):
    registry_import_bytes(
        filename="a.xlsx",
        content=xlsx_bytes([row(code=f"82{i:08d}") for i in range(50)]),
        scope_province=None,
        by=None,
        dry_run=False,
    )
    with connection.cursor() as cursor:
        expected = _registry_digest(cursor)
    if connection.vendor == "postgresql":
        require_service(bool(shutil.which("pg_dump") and shutil.which("pg_restore")), "pg_dump and pg_restore")
        settings = connection.settings_dict
        env = {
            **os.environ,
            "PGHOST": settings["HOST"] or "127.0.0.1",
            "PGPORT": str(settings["PORT"] or 5432),
            "PGUSER": settings["USER"] or "postgres",
        }
        if settings.get("PASSWORD"):
            env["PGPASSWORD"] = settings["PASSWORD"]
        dump = tmp_path / "coopdx.dump"
        restored = f"{settings['NAME']}_restore"
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), settings["NAME"]], env=env, check=True)
        subprocess.run(["dropdb", "--if-exists", restored], env=env, check=True)
        subprocess.run(["createdb", restored], env=env, check=True)
        try:
            subprocess.run(["pg_restore", "--no-owner", "-d", restored, str(dump)], env=env, check=True)
            import psycopg2

            other = psycopg2.connect(
                dbname=restored,
                host=env["PGHOST"],
                port=env["PGPORT"],
                user=env["PGUSER"],
                password=settings.get("PASSWORD") or None,
            )
            try:
                with other.cursor() as cursor:
                    assert _registry_digest(cursor) == expected
                    cursor.execute("SELECT count(*) FROM cooperatives_historicalcooperative")
                    assert cursor.fetchone()[0] == 50
            finally:
                other.close()
        finally:
            subprocess.run(["dropdb", "--if-exists", restored], env=env, check=True)
    else:
        # SQLite: the online backup API, the same as `sqlite3 coopdx.sqlite3 ".backup backup.sqlite3"`.
        target = tmp_path / "backup.sqlite3"
        with sqlite3.connect(target) as backup:
            connection.connection.backup(backup)
        with sqlite3.connect(target) as restored:
            assert _registry_digest(restored.cursor()) == expected
