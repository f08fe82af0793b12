"""Possible duplicates in the registry: same province, same folded name, phone or e-mail."""

import pytest

from cooperatives import selectors
from cooperatives.services import cooperative_archive, cooperative_update
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


def groups(user, **kwargs):
    return [
        (sorted(c["code"] for c in group.cooperatives), group.reasons)
        for group in selectors.possible_duplicates(user=user, **kwargs)
    ]


def test_the_same_name_with_other_diacritics_case_spacing_and_abbreviations_is_a_possible_duplicate(
    province_a, officer_a
):
    CooperativeFactory(province=province_a, code="8200000011", name="Hợp tác xã Dịch vụ Nông nghiệp Tân Dương")
    CooperativeFactory(province=province_a, code="8200000012", name="HTX DV NN  tan duong")
    CooperativeFactory(province=province_a, code="8200000013", name="Hợp tác xã Tân Dương Mới")
    assert groups(officer_a) == [(["8200000011", "8200000012"], ["name"])]


def test_the_same_name_in_another_province_is_not_a_duplicate(province_a, province_b, officer_a, national_admin):
    CooperativeFactory(province=province_a, code="8200000021", name="Hợp tác xã Bình An")
    CooperativeFactory(province=province_b, code="6600000021", name="Hợp tác xã Bình An")
    assert groups(officer_a) == []
    assert groups(national_admin) == []


def test_a_dissolved_or_archived_cooperative_is_not_a_duplicate(province_a, officer_a, national_admin):
    CooperativeFactory(province=province_a, code="8200000031", name="Hợp tác xã Phú Lợi")
    CooperativeFactory(province=province_a, code="8200000032", name="Hợp tác xã Phú Lợi", status="dissolved")
    archived = CooperativeFactory(province=province_a, code="8200000033", name="Hợp tác xã Phú Lợi")
    assert groups(officer_a) == [(["8200000031", "8200000033"], ["name"])]
    cooperative_archive(cooperative=archived, by=national_admin)
    assert groups(officer_a) == []


def test_a_shared_phone_written_differently_or_email_in_another_case_is_a_possible_duplicate(province_a, officer_a):
    CooperativeFactory(province=province_a, code="8200000041", name="HTX Một", phone="0277 385.12-34")
    CooperativeFactory(province=province_a, code="8200000042", name="HTX Hai", phone="+84 (277) 3851234")
    CooperativeFactory(province=province_a, code="8200000043", name="HTX Ba", email="Lien.He@Example.vn")
    CooperativeFactory(province=province_a, code="8200000044", name="HTX Bốn", email="lien.he@example.vn")
    CooperativeFactory(province=province_a, code="8200000045", name="HTX Năm", phone="0277 999 999")
    assert sorted(groups(officer_a)) == [
        (["8200000041", "8200000042"], ["phone"]),
        (["8200000043", "8200000044"], ["email"]),
    ]


def test_a_pair_sharing_name_and_phone_is_one_group_with_both_reasons(province_a, officer_a):
    CooperativeFactory(province=province_a, code="8200000051", name="HTX Hòa Bình", phone="0901000001")
    CooperativeFactory(province=province_a, code="8200000052", name="Hợp tác xã Hoà Bình", phone="0901 000 001")
    assert groups(officer_a) == [(["8200000051", "8200000052"], ["name", "phone"])]


def test_a_cooperative_and_its_own_branch_are_not_duplicates(province_a, officer_a):
    CooperativeFactory(province=province_a, code="8200000061", name="HTX Mỹ Xương", phone="0277 111 222")
    CooperativeFactory(province=province_a, code="8200000061-001", name="HTX Mỹ Xương", phone="0277 111 222")
    assert groups(officer_a) == []


def test_correcting_the_name_resolves_the_duplicate(province_a, officer_a):
    CooperativeFactory(province=province_a, code="8200000071", name="Hợp tác xã Tân Thành")
    copy = CooperativeFactory(province=province_a, code="8200000072", name="Hợp tác xã Tân Thành")
    assert len(groups(officer_a)) == 1
    cooperative_update(cooperative=copy, by=officer_a, name="Hợp tác xã Tân Thành B")
    assert groups(officer_a) == []


def test_officers_see_only_their_provinces_duplicates(province_a, province_b, officer_a, officer_b, national_admin):
    CooperativeFactory(province=province_b, code="6600000081", name="HTX Ea Kar")
    CooperativeFactory(province=province_b, code="6600000082", name="HTX Ea Kar")
    assert groups(officer_a) == []
    assert groups(officer_b) == [(["6600000081", "6600000082"], ["name"])]
    assert groups(national_admin, province_id=province_a.pk) == []


def test_the_rule_is_one_query(province_a, officer_a, django_assert_num_queries):
    for n in range(6):
        CooperativeFactory(province=province_a, code=f"82000009{n:02d}", name=f"HTX Trùng {n // 2}")
    with django_assert_num_queries(1):
        found = selectors.possible_duplicates(user=officer_a, province_id=province_a.pk)
    assert len(found) == 3
