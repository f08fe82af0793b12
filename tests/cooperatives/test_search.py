"""Registry search as officers type it: any word order, abbreviations, no diacritics, every field
they know a cooperative by, closest match first."""

import re

import pytest

from cooperatives.models import Cooperative, Ward
from cooperatives.services import cooperative_update
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(province_a):
    wards = list(Ward.objects.filter(province=province_a).order_by("code")[:3])
    return {
        "fisheries": CooperativeFactory(
            code="8200000101",
            name="Hợp tác xã Thủy sản Tân Hòa",
            province=province_a,
            ward=wards[0],
            representative="Nguyễn Văn Tư",
        ),
        "services": CooperativeFactory(
            code="8200000102",
            name="HTX DV NN Đồng Tiến",
            province=province_a,
            ward=wards[1],
            representative="Trần Thị Hoa",
        ),
        "rice": CooperativeFactory(
            code="8200000103",
            name="Hợp tác xã Lúa gạo Thành phố Cao Lãnh",
            province=province_a,
            ward=wards[2],
            representative="Lê Văn Thủy",
        ),
        "shrimp": CooperativeFactory(
            code="8200000104",
            name="Hợp tác xã Dịch vụ Tôm giống và Thủy sản",
            province=province_a,
            ward=wards[0],
            representative="Phạm Văn Sản",
        ),
    }


def listed(client, query, **params):
    """The cooperative names shown on the registry page, in their order."""
    body = client.get("/cooperatives/", {"q": query, **params}).content.decode()
    return re.findall(r'<a href="/cooperatives/\d+/">([^<]+)</a>', body)


def names(registry, *keys):
    return [registry[key].name for key in keys]


def test_abbreviations_and_full_words_are_the_same_term():
    from cooperatives.text import search_terms

    assert search_terms("HTX Thủy sản") == ["hop tac xa", "thuy", "san"]
    assert search_terms("TP. Cao Lãnh") == ["thanh pho", "cao", "lanh"]
    assert search_terms("dv-nn SX/TM") == ["dich vu", "nong nghiep", "san xuat", "thuong mai"]
    assert search_terms("  ") == []


def test_htx_finds_names_written_hop_tac_xa_and_the_reverse(login, national_admin, registry):
    client = login(national_admin)
    assert set(listed(client, "HTX Thủy sản")) == set(names(registry, "fisheries", "shrimp"))
    # Written "HTX DV NN" in the registry, typed out in full by the officer.
    assert listed(client, "hợp tác xã dịch vụ nông nghiệp") == names(registry, "services")
    assert listed(client, "TP Cao Lãnh") == names(registry, "rice")


def test_words_in_any_order_without_diacritics_or_case(login, national_admin, registry):
    client = login(national_admin)
    assert listed(client, "tan hoa THUY SAN") == names(registry, "fisheries")
    assert listed(client, "dong tien htx") == names(registry, "services")
    # Every word must match somewhere: one unknown word and nothing is found.
    assert listed(client, "thuy san tan hoa kiwi") == []


def test_search_looks_at_representative_ward_and_code(login, national_admin, registry):
    client = login(national_admin)
    assert listed(client, "tran thi hoa") == names(registry, "services")
    ward = registry["services"].ward
    assert listed(client, ward.name) == names(registry, "services")
    assert listed(client, "8200000103") == names(registry, "rice")
    # The ward together with a word of the name.
    assert listed(client, f"{registry['fisheries'].ward.name} tom") == names(registry, "shrimp")


def test_closest_match_first_code_then_name_prefix_then_name_then_other_fields(login, national_admin, registry):
    client = login(national_admin)
    # "Thủy sản" begins a name, is inside another name, and is only the representative's name elsewhere.
    order = listed(client, "HTX thuy san")
    assert order == names(registry, "fisheries", "shrimp")
    order = listed(client, "thuy")
    assert order[:2] == names(registry, "fisheries", "shrimp")
    assert order[2:] == names(registry, "rice")  # matches "Lê Văn Thủy" only
    # An exact code first, even when other rows mention the same digits.
    other = CooperativeFactory(code="8200000105", name="Hợp tác xã 8200000103 Cũ", province=registry["rice"].province)
    assert listed(client, "8200000103") == [registry["rice"].name, other.name]
    # An ordering the user picks wins over the ranking.
    assert listed(client, "thuy", ordering="-name") == sorted(order, reverse=True)


def test_search_text_follows_edits_of_the_representative(national_admin, registry):
    cooperative = registry["fisheries"]
    cooperative_update(cooperative=cooperative, by=national_admin, representative="Võ Thị Đào")
    found = Cooperative.objects.filter(search_text__contains=" vo thi dao")
    assert list(found) == [cooperative]


def test_officer_search_stays_in_their_province(login, officer_b, registry):
    assert listed(login(officer_b), "HTX thuy san") == []


def test_renaming_a_ward_in_the_admin_is_found_by_search(login, registry):
    from accounts.models import Role
    from tests.factories import UserFactory

    ward = registry["services"].ward
    # The administrator who keeps the reference data in the admin.
    client = login(UserFactory(username="quantri", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True))
    response = client.post(
        f"/admin/cooperatives/ward/{ward.pk}/change/",
        {"code": ward.code, "name": "Phường Hưng Thịnh Mới", "kind": ward.kind, "province": ward.province_id},
    )
    assert response.status_code == 302
    assert listed(client, "hung thinh moi") == names(registry, "services")


def test_reloading_the_reference_data_refreshes_the_ward_names_searched(login, national_admin, registry):
    from cooperatives.reference import reference_data_load

    cooperative = registry["services"]
    shipped = cooperative.ward.name
    # The cooperative was last saved while its ward had another name ...
    Ward.objects.filter(pk=cooperative.ward_id).update(name="Phường Tạm")
    cooperative.refresh_from_db()
    cooperative_update(cooperative=cooperative, by=national_admin, members_count=26)
    assert listed(login(national_admin), "phuong tam") == names(registry, "services")
    reference_data_load()  # ... which the shipped data file renames
    assert listed(login(national_admin), "phuong tam") == []
    assert listed(login(national_admin), shipped) == names(registry, "services")


def test_matches_of_the_same_rank_follow_vietnamese_alphabetical_order(login, national_admin, province_a):
    for code, name in (("8200000201", "HTX Cà Mau Xanh"), ("8200000202", "HTX Ánh Dương"), ("8200000203", "HTX Đồng")):
        CooperativeFactory(code=code, name=name, province=province_a)
    # Byte order would put "Ánh" after "Cà" and "Đồng" last of all.
    assert listed(login(national_admin), "htx") == ["HTX Ánh Dương", "HTX Cà Mau Xanh", "HTX Đồng"]


def test_the_search_can_be_served_by_an_index_on_postgresql(registry):
    """Every word filters with ``LIKE '% word%'``, which a b-tree index cannot serve: on
    PostgreSQL a trigram index can, and the query the filter builds (with Django's ``::text``
    cast) must be one the planner can match to it. On SQLite the search scans the table."""
    from django.db import connection, transaction

    from cooperatives.filters import CooperativeFilter

    search = CooperativeFilter(data={"q": "thuy san tan"}, queryset=Cooperative.objects.all()).qs
    assert list(search.values_list("code", flat=True)) == [registry["fisheries"].code]
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: make the planner show its options
            plan = search.explain()
        assert "cooperatives_search_text_trgm" in plan, plan
