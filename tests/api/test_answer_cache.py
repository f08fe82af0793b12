"""The cache of rendered list answers: a repeated page costs no page query, and no write is ever
hidden behind it (every registry writer renews the registry's change stamp on commit)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopdx import versions
from cooperatives.models import Cooperative
from cooperatives.services import cooperative_archive, cooperative_create, cooperative_update
from cooperatives.versioning import REGISTRY
from surveys.services import response_review, response_submit
from tests.api.conftest import make_snapshot
from tests.factories import province

pytestmark = pytest.mark.django_db

LIST = "/api/v1/cooperatives/?page_size=50"


def page_reads(queries) -> list[str]:
    """The queries that read cooperatives' rows (the page), not the version's MAX()."""
    return [q["sql"] for q in queries if '"cooperatives_cooperative"."code"' in q["sql"]]


def test_a_repeated_page_is_answered_from_the_cache_without_reading_rows(as_caller, coop_a, coop_b):
    client = as_caller("ministry_token")
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(LIST)
    with CaptureQueriesContext(connection) as second_queries:
        second = client.get(LIST)
    assert first.status_code == second.status_code == 200
    assert page_reads(first_queries.captured_queries)
    assert page_reads(second_queries.captured_queries) == []
    assert second.content == first.content and second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "application/json"
    assert {row["code"] for row in second.json()["results"]} == {coop_a.code, coop_b.code}


def test_the_cache_can_be_turned_off(as_caller, coop_a, settings):
    settings.API_ANSWER_CACHE_SECONDS = 0
    client = as_caller("ministry_token")
    client.get(LIST)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    assert page_reads(queries.captured_queries)


def test_an_edit_is_served_at_once_not_the_cached_page(as_caller, coop_a, national_admin):
    client = as_caller("ministry_token")
    before = client.get(LIST).json()["results"]
    assert before[0]["members_count"] != 321
    cooperative_update(cooperative=coop_a, by=national_admin, members_count=321)
    after = {row["code"]: row for row in client.get(LIST).json()["results"]}
    assert after[coop_a.code]["members_count"] == 321


def test_a_change_committed_late_with_an_older_time_still_renews_the_page(
    as_caller, coop_a, django_capture_on_commit_callbacks
):
    """A long import stamps its rows when it starts and commits after later edits: the latest
    ``updated_at`` does not move, the change stamp does."""
    client = as_caller("ministry_token")
    first = client.get(LIST)
    earlier = timezone.now() - datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        Cooperative.objects.filter(pk=coop_a.pk).update(members_count=777, updated_at=earlier)
        versions.mark_changed(REGISTRY)
    second = client.get(LIST)
    assert second["ETag"] != first["ETag"]
    assert {row["code"]: row for row in second.json()["results"]}[coop_a.code]["members_count"] == 777
    assert client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_callers_never_share_a_cached_page(as_caller, coop_a, coop_b):
    officer_a = as_caller("officer_a").get(LIST).json()["results"]
    officer_b = as_caller("officer_b").get(LIST).json()["results"]
    assert [row["code"] for row in officer_a] == [coop_a.code]
    assert [row["code"] for row in officer_b] == [coop_b.code]


def test_an_officer_moved_to_another_province_gets_that_provinces_page(as_caller, officer_a, coop_a, coop_b):
    client = as_caller("officer_a")
    first = client.get(LIST)
    assert [row["code"] for row in first.json()["results"]] == [coop_a.code]
    type(officer_a).objects.filter(pk=officer_a.pk).update(province=province("66"))
    moved = client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 200
    assert [row["code"] for row in moved.json()["results"]] == [coop_b.code]


def _import(tmp_path, coop):
    path = tmp_path / "registry.csv"
    path.write_text(
        "Mã số HTX,Tên HTX,Tỉnh/Thành phố,Lĩnh vực\n"
        f"{coop.code},{coop.name},{coop.province.short_name},Nông nghiệp\n"
        "8200009999,Hợp tác xã Nhập Mới,Đồng Tháp,Nông nghiệp\n",
        encoding="utf-8",
    )
    call_command("import_cooperatives", str(path), stdout=io.StringIO())


WRITERS = {
    "create": lambda ctx: cooperative_create(
        by=ctx["admin"],
        code="8200008888",
        name="Hợp tác xã Mới",
        province=ctx["coop"].province,
        sector=ctx["coop"].sector,
    ),
    "update": lambda ctx: cooperative_update(cooperative=ctx["coop"], by=ctx["admin"], members_count=12),
    "archive": lambda ctx: cooperative_archive(cooperative=ctx["coop"], by=ctx["admin"]),
    "import": lambda ctx: _import(ctx["tmp_path"], ctx["coop"]),
    # Accepted by an officer: whoever entered or submitted a response (here the administrator)
    # never accepts it.
    "accepted self-assessment": lambda ctx: response_review(
        response=response_submit(response=ctx["response"], by=ctx["admin"]), by=ctx["officer"], accept=True
    ),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_every_registry_writer_renews_the_registry_stamp_on_commit(
    writer, national_admin, officer_a, coop_a, response_a, tmp_path, django_capture_on_commit_callbacks
):
    before = versions.stamp(REGISTRY)
    context = {
        "admin": national_admin,
        "officer": officer_a,
        "coop": coop_a,
        "response": response_a,
        "tmp_path": tmp_path,
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        WRITERS[writer](context)
    assert versions.stamp(REGISTRY) == before, "renewed before the commit"
    for callback in callbacks:
        callback()
    assert versions.stamp(REGISTRY) not in ("", before)


def test_a_repeated_indicator_page_reads_no_figure_and_a_new_run_renews_it(as_caller, figures, open_round):
    client = as_caller("officer_a")
    path = "/api/v1/indicators/provinces/82/?metric=ecommerce_pct"
    first = client.get(path)
    assert [row["value"] for row in first.json()["results"]] == [55, 55]
    with CaptureQueriesContext(connection) as queries:
        second = client.get(path)
    assert second.content == first.content
    assert not [q for q in queries.captured_queries if "indicators_indicatorsnapshot" in q["sql"]]
    make_snapshot(open_round, datetime.date(2026, 5, 1), Decimal("61"))
    third = client.get(path).json()
    assert third["snapshot_date"] == "2026-05-01"
    assert [row["value"] for row in third["results"]] == [61, 61]
