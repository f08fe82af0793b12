"""Conditional requests: an unchanged list answers 304 to its ETag; any change gives 200 and a new ETag."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils.http import http_date

from cooperatives.services import cooperative_update
from tests.api.conftest import make_snapshot
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def settled() -> None:
    """Date the registry's changes an hour back: a Last-Modified is only sent once its second
    is over (a change later in that second would carry the same HTTP date)."""
    from django.db.models import F

    from coopdx.models import DataVersion
    from cooperatives.models import Cooperative

    hour = datetime.timedelta(hours=1)
    Cooperative.objects.update(updated_at=F("updated_at") - hour)
    DataVersion.objects.update(changed_at=F("changed_at") - hour)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cooperatives/",
        "/api/v1/cooperatives/?province=82&ordering=-members",
        "/api/v1/bulk/cooperatives.csv",
        "/api/v1/bulk/cooperatives.ndjson",
    ],
)
def test_registry_lists_answer_304_until_the_registry_changes(path, as_caller, coop_a, coop_b, national_admin):
    settled()
    client = as_caller("ministry_token")
    first = client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('W/"') and first["Last-Modified"]
    assert "Authorization" in first["Vary"] and "private" in first["Cache-Control"]
    unchanged = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged["ETag"] == etag
    cooperative_update(cooperative=coop_a, by=national_admin, members_count=99)
    changed = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_new_cooperative_or_one_leaving_the_scope_changes_the_etag(as_caller, coop_a, national_admin, province_b):
    client = as_caller("officer_a")
    etag = client.get("/api/v1/cooperatives/")["ETag"]
    CooperativeFactory()
    after_add = client.get("/api/v1/cooperatives/", HTTP_IF_NONE_MATCH=etag)
    assert after_add.status_code == 200
    cooperative_update(cooperative=coop_a, by=national_admin, province=province_b, ward=None)
    after_move = client.get("/api/v1/cooperatives/", HTTP_IF_NONE_MATCH=after_add["ETag"])
    assert after_move.status_code == 200
    assert coop_a.code not in [row["code"] for row in after_move.json()["results"]]


def test_the_etag_depends_on_the_caller_and_the_query(as_caller, coop_a, coop_b):
    officer = as_caller("officer_a").get("/api/v1/cooperatives/")
    ministry = as_caller("ministry_analyst").get("/api/v1/cooperatives/")
    assert officer["ETag"] != ministry["ETag"]
    client = as_caller("ministry_analyst")
    assert client.get("/api/v1/cooperatives/", {"page_size": 1}, HTTP_IF_NONE_MATCH=ministry["ETag"]).status_code == 200


def test_if_modified_since_answers_304_when_nothing_changed(as_caller, coop_a):
    settled()
    client = as_caller("ministry_analyst")
    first = client.get("/api/v1/cooperatives/")
    assert client.get("/api/v1/cooperatives/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    long_ago = http_date((coop_a.updated_at - datetime.timedelta(days=1)).timestamp())
    assert client.get("/api/v1/cooperatives/", HTTP_IF_MODIFIED_SINCE=long_ago).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/indicators/",
        "/api/v1/indicators/national/",
        "/api/v1/indicators/provinces/82/",
        "/api/v1/indicators/sectors/NN/",
        "/api/v1/indicators/series/?metric=ecommerce_pct&scope_key=p:82",
        "/api/v1/bulk/indicators.csv",
        "/api/v1/bulk/indicators.ndjson",
    ],
)
def test_indicators_answer_304_until_a_new_snapshot(path, as_caller, figures, open_round):
    client = as_caller("province_token")
    first = client.get(path)
    assert first.status_code == 200
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    make_snapshot(open_round, datetime.date(2026, 5, 1), Decimal("60"))
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_recomputed_day_changes_the_etag(as_caller, open_round):
    make_snapshot(open_round, datetime.date(2026, 5, 1), Decimal("60"))
    client = as_caller("ministry_analyst")
    first = client.get("/api/v1/indicators/national/")
    from indicators.models import IndicatorSnapshot

    IndicatorSnapshot.objects.all().delete()
    make_snapshot(open_round, datetime.date(2026, 5, 1), Decimal("61"))
    assert client.get("/api/v1/indicators/national/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
