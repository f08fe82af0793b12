"""The registry over the API: the browser's filters, keyset pagination, scoping of every list,
filter, count and bulk export."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from cooperatives.models import Cooperative, Sector
from tests.factories import CooperativeFactory, province

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def streamed(response) -> str:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_filters_are_the_registry_pages_filters(as_caller, coop_a, coop_b):
    other_sector = CooperativeFactory(
        name="Hợp tác xã Vận tải Sa Đéc", sector=Sector.objects.exclude(code="NN").first(), status="suspended"
    )
    client = as_caller("ministry_analyst")
    # Accent-insensitive search on name and code.
    assert codes(client.get("/api/v1/cooperatives/", {"q": "tan duong"})) == [coop_a.code]
    assert codes(client.get("/api/v1/cooperatives/", {"q": "6600000001"})) == [coop_b.code]
    assert codes(client.get("/api/v1/cooperatives/", {"province": "66"})) == [coop_b.code]
    assert codes(client.get("/api/v1/cooperatives/", {"sector": other_sector.sector.code})) == [other_sector.code]
    assert codes(client.get("/api/v1/cooperatives/", {"status": "suspended"})) == [other_sector.code]
    Cooperative.objects.filter(pk=coop_a.pk).update(maturity_level=3)
    assert codes(client.get("/api/v1/cooperatives/", {"maturity_level": 3})) == [coop_a.code]
    assert codes(client.get("/api/v1/cooperatives/", {"ward": coop_a.ward.code, "province": "82"})) == [
        coop_a.code,
        other_sector.code,
    ]


def test_updated_since_and_archived_cooperatives_support_an_incremental_pull(as_caller, coop_a, coop_b):
    client = as_caller("ministry_token")
    cut = timezone.now()
    Cooperative.objects.filter(pk=coop_a.pk).update(updated_at=cut - datetime.timedelta(days=2))
    Cooperative.objects.filter(pk=coop_b.pk).update(updated_at=cut + datetime.timedelta(seconds=1), is_archived=True)
    assert codes(client.get("/api/v1/cooperatives/", {"updated_since": cut.isoformat()})) == []
    assert codes(
        client.get("/api/v1/cooperatives/", {"updated_since": cut.isoformat(), "include_archived": "true"})
    ) == [coop_b.code]
    assert codes(client.get("/api/v1/cooperatives/")) == [coop_a.code]


@pytest.mark.parametrize("ordering", ["", "name", "-members", "founded", "-updated", "code,-members"])
def test_keyset_pages_follow_any_ordering_without_gaps_or_repeats(as_caller, ordering):
    for n in range(23):
        CooperativeFactory(
            name=f"Hợp tác xã {n % 5}",  # repeated names: ties broken by id
            members_count=None if n % 4 == 0 else n % 7,  # NULLs sort last
            founded_on=None if n % 3 == 0 else datetime.date(2000 + n % 6, 1, 1),
        )
    client = as_caller("officer_a")
    expected = codes(client.get("/api/v1/cooperatives/", {"ordering": ordering, "page_size": 500}))
    assert len(expected) == 23
    seen: list[str] = []
    url, params = "/api/v1/cooperatives/", {"ordering": ordering, "page_size": 4}
    while url:
        page = client.get(url, params).json()
        assert len(page["results"]) <= 4
        seen += [row["code"] for row in page["results"]]
        url, params = page["next"], None
    assert seen == expected


def test_the_default_order_is_by_id_and_ordering_by_name_matches_the_database(as_caller):
    for name in ("Hợp tác xã B", "Hợp tác xã A", "Hợp tác xã C"):
        CooperativeFactory(name=name)
    client = as_caller("national_admin")
    rows = client.get("/api/v1/cooperatives/").json()["results"]
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    by_name = [row["name"] for row in client.get("/api/v1/cooperatives/", {"ordering": "name"}).json()["results"]]
    assert by_name == ["Hợp tác xã A", "Hợp tác xã B", "Hợp tác xã C"]


def test_page_size_defaults_to_100_and_is_capped_at_500(as_caller):
    Cooperative.objects.bulk_create(
        Cooperative(
            code=f"{8210000000 + n}",
            name=f"HTX {n}",
            search_text=f"htx {n}",
            province=province("82"),
            sector=Sector.objects.get(code="NN"),
        )
        for n in range(502)
    )
    client = as_caller("officer_a")
    assert len(client.get("/api/v1/cooperatives/").json()["results"]) == 100
    assert len(client.get("/api/v1/cooperatives/", {"page_size": 10_000}).json()["results"]) == 500


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "many"}, "page_size"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"status": "flying"}, "status"),
        ({"maturity_level": "9"}, "maturity_level"),
        ({"ordering": "secret_field"}, "ordering"),
        ({"updated_since": "yesterday"}, "updated_since"),
        # Offsets Python accepts but PostgreSQL refuses (beyond ±15:59), and a time that cannot be
        # expressed in UTC: a clear 400 on every database, not a server error on one of them.
        ({"updated_since": "0284-02-28T22:41:02.648775+21:45"}, "updated_since"),
        ({"updated_since": "2026-01-31T00:00:00-16:00"}, "updated_since"),
        ({"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
        ({"sector": "ZZ"}, "sector"),
    ],
)
def test_invalid_filters_and_pages_are_400_with_the_field(params, field, as_caller, coop_a):
    response = as_caller("officer_a").get("/api/v1/cooperatives/", params)
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid" and field in body["fields"]


@pytest.mark.parametrize("path", ["/api/v1/bulk/cooperatives.csv", "/api/v1/bulk/cooperatives.ndjson"])
@pytest.mark.parametrize("since", ["2026-02-28T22:41:02+21:45", "0001-01-01T00:00:00+05:00", "yesterday"])
def test_the_bulk_files_refuse_an_invalid_updated_since_before_streaming(path, since, as_caller, coop_a):
    # A streamed file cannot turn into an error once its first line is sent: refuse up front.
    response = as_caller("ministry_analyst").get(path, {"updated_since": since})
    assert response.status_code == 400
    assert "updated_since" in response.json()["error"]["fields"]


def test_updated_since_with_an_offset_selects_by_the_instant(as_caller, coop_a):
    client = as_caller("national_admin")
    changed = coop_a.updated_at
    just_before = changed.astimezone(datetime.timezone(datetime.timedelta(hours=15, minutes=59)))
    assert codes(client.get("/api/v1/cooperatives/", {"updated_since": just_before.isoformat()})) == [coop_a.code]
    after = (changed + datetime.timedelta(seconds=1)).astimezone(datetime.timezone(-datetime.timedelta(hours=15)))
    assert codes(client.get("/api/v1/cooperatives/", {"updated_since": after.isoformat()})) == []


def test_a_cursor_of_another_ordering_is_refused(as_caller, coop_a, coop_b):
    client = as_caller("national_admin")
    next_url = client.get("/api/v1/cooperatives/", {"page_size": 1}).json()["next"]
    cursor = next_url.split("cursor=")[1].split("&")[0]
    response = client.get("/api/v1/cooperatives/", {"cursor": cursor, "ordering": "name"})
    assert response.status_code == 400 and "cursor" in response.json()["error"]["fields"]


# --- Scoping: nothing of another province leaks, by list, filter, search, count or export -----


def test_an_officer_never_sees_another_provinces_cooperatives(as_caller, coop_a, coop_b):
    client = as_caller("officer_a")
    assert codes(client.get("/api/v1/cooperatives/")) == [coop_a.code]
    assert codes(client.get("/api/v1/cooperatives/", {"q": "ea tu"})) == []
    assert codes(client.get("/api/v1/cooperatives/", {"q": coop_b.code})) == []
    # Choosing the other province is an invalid choice, the same as a province that does not exist.
    other = client.get("/api/v1/cooperatives/", {"province": "66"}).json()["error"]
    missing = client.get("/api/v1/cooperatives/", {"province": "99"}).json()["error"]
    assert other["fields"]["province"] == missing["fields"]["province"]
    assert coop_b.name not in json.dumps(other, ensure_ascii=False)
    detail = client.get(f"/api/v1/cooperatives/{coop_b.pk}/")
    assert detail.status_code == 404 and detail.json() == client.get("/api/v1/cooperatives/999999/").json()
    assert coop_b.code not in streamed(client.get("/api/v1/bulk/cooperatives.csv"))
    assert coop_b.code not in streamed(client.get("/api/v1/bulk/cooperatives.ndjson"))


def test_a_member_reads_only_their_own_cooperative(as_caller, coop_a, coop_b):
    client = as_caller("member_a")
    assert client.get(f"/api/v1/cooperatives/{coop_a.pk}/").json()["code"] == coop_a.code
    assert client.get(f"/api/v1/cooperatives/{coop_b.pk}/").status_code == 404


def test_bulk_exports_stream_the_scoped_registry_with_the_lists_fields(as_caller, coop_a, coop_b):
    CooperativeFactory(name='=HYPERLINK("http://evil")')
    client = as_caller("national_admin")
    text = streamed(client.get("/api/v1/bulk/cooperatives.csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["code"] for row in rows} >= {coop_a.code, coop_b.code}
    # Formula injection is neutralised, as in the registry export.
    assert any(row["name"].startswith("'=HYPERLINK") for row in rows)
    lines = streamed(client.get("/api/v1/bulk/cooperatives.ndjson", {"province": "66"})).splitlines()
    records = [json.loads(line) for line in lines]
    assert [record["code"] for record in records] == [coop_b.code]
    assert records[0]["province"] == "66" and "updated_at" in records[0]
    response = client.get("/api/v1/bulk/cooperatives.ndjson")
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert "attachment" in response["Content-Disposition"]


def test_bulk_file_names_carry_the_date_in_viet_nam(as_caller, coop_a, monkeypatch):
    """At 23:30 UTC it is already 06:30 the next morning in Viet Nam: a ministry's pull is named
    for that day, whatever time zone the server's clock runs in."""
    late_evening_utc = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: late_evening_utc)
    client = as_caller("national_admin")
    for path, name in (
        ("/api/v1/bulk/cooperatives.csv", "coopdx-registry-20260401.csv"),
        ("/api/v1/bulk/cooperatives.ndjson", "coopdx-registry-20260401.ndjson"),
        # No snapshot yet: the indicators' file is named for the day of the pull too.
        ("/api/v1/bulk/indicators.csv", "coopdx-indicators-20260401.csv"),
    ):
        response = client.get(path)
        assert name in response["Content-Disposition"], response["Content-Disposition"]


def test_bulk_export_is_compressed_for_clients_that_accept_gzip(as_caller, coop_a):
    response = as_caller("national_admin").get("/api/v1/bulk/cooperatives.csv", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_province_reference_data_carries_legacy_names_and_successors(as_caller):
    client = as_caller("member_a")
    dong_thap = client.get("/api/v1/provinces/82/").json()
    assert {p["short_name"] for p in dong_thap["predecessors"]} == {"Tiền Giang", "Đồng Tháp"}
    assert dong_thap["wards"]
    legacy = {row["short_name"]: row["successor"] for row in client.get("/api/v1/legacy-provinces/").json()}
    assert legacy["Tiền Giang"] == "82"
    assert len(client.get("/api/v1/provinces/").json()) == 34
    assert client.get("/api/v1/provinces/00/").status_code == 404
