"""Possible duplicates in the registry: the same folded name in the same commune, or the same
phone, e-mail or representative in the same province; groups an officer dismissed stay hidden
until a cooperative outside them joins."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperatives import selectors
from cooperatives.models import DuplicateDismissal, Ward
from cooperatives.services import (
    cooperative_archive,
    cooperative_update,
    duplicates_dismiss,
    duplicates_dismissal_undo,
)
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


def test_the_rule_is_one_query_and_hiding_dismissed_groups_one_more(province_a, officer_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.possible_duplicates(user=officer_a, province_id=province_a.pk) == []
    for n in range(6):
        CooperativeFactory(province=province_a, code=f"82000009{n:02d}", name=f"HTX Trùng {n // 2}")
    with django_assert_num_queries(2):
        found = selectors.possible_duplicates(user=officer_a, province_id=province_a.pk)
    assert len(found) == 3


def test_the_same_representative_folded_like_names_is_a_possible_duplicate(province_a, officer_a):
    CooperativeFactory(province=province_a, code="8200000111", name="HTX Một", representative="Nguyễn Văn  Ấn")
    CooperativeFactory(province=province_a, code="8200000112", name="HTX Hai", representative="nguyen van an")
    CooperativeFactory(province=province_a, code="8200000113", name="HTX Ba", representative="Nguyễn Văn Anh")
    assert groups(officer_a) == [(["8200000111", "8200000112"], ["representative"])]


@pytest.fixture
def two_wards(province_a):
    return list(Ward.objects.filter(province=province_a).order_by("code")[:2])


def test_the_same_name_in_two_communes_is_two_cooperatives(province_a, officer_a, two_wards):
    first, second = two_wards
    CooperativeFactory(province=province_a, code="8200000121", name="HTX Nông nghiệp Tân Phú", ward=first)
    CooperativeFactory(province=province_a, code="8200000122", name="HTX Nông nghiệp Tân Phú", ward=second)
    assert groups(officer_a) == []


def test_a_record_without_a_commune_is_compared_with_every_commune_of_its_province(province_a, officer_a, two_wards):
    first, second = two_wards
    CooperativeFactory(province=province_a, code="8200000131", name="HTX Tân Phú", ward=first)
    CooperativeFactory(province=province_a, code="8200000132", name="HTX Tân Phú", ward=second)
    CooperativeFactory(province=province_a, code="8200000133", name="HTX Tân Phú", ward=None)
    CooperativeFactory(province=province_a, code="8200000134", name="HTX Phú Lộc", ward=None)
    CooperativeFactory(province=province_a, code="8200000135", name="HTX Phú Lộc", ward=None)
    assert sorted(groups(officer_a)) == [
        (["8200000131", "8200000133"], ["name"]),
        (["8200000132", "8200000133"], ["name"]),
        (["8200000134", "8200000135"], ["name"]),
    ]


def test_a_dismissed_group_stays_hidden_until_a_new_cooperative_joins_it(province_a, officer_a):
    one = CooperativeFactory(province=province_a, code="8200000141", name="HTX Hòa An", phone="0277 141 141")
    two = CooperativeFactory(province=province_a, code="8200000142", name="HTX Hòa An")
    dismissal = duplicates_dismiss(cooperatives=[one, two], by=officer_a, note="  Hai HTX khác nhau, đã gọi điện  ")
    assert (dismissal.cooperative_ids, dismissal.note, dismissal.dismissed_by) == (
        sorted([one.pk, two.pk]),
        "Hai HTX khác nhau, đã gọi điện",
        officer_a,
    )
    assert groups(officer_a) == []
    # The same two sharing one more thing were judged already.
    cooperative_update(cooperative=two, by=officer_a, phone="0277141141")
    assert groups(officer_a) == []
    # A third, not judged, brings the group back, whole.
    CooperativeFactory(province=province_a, code="8200000143", name="Hợp tác xã Hoà An")
    assert groups(officer_a) == [(["8200000141", "8200000142", "8200000143"], ["name"])]


def test_an_undone_dismissal_lists_the_group_again_and_stays_on_record(province_a, officer_a):
    one = CooperativeFactory(province=province_a, code="8200000151", name="HTX Bình Minh")
    two = CooperativeFactory(province=province_a, code="8200000152", name="HTX Bình Minh")
    dismissal = duplicates_dismiss(cooperatives=[one, two], by=officer_a)
    assert [row["dismissal"] for row in selectors.duplicate_dismissal_list(user=officer_a)] == [dismissal]
    duplicates_dismissal_undo(dismissal=dismissal, by=officer_a)
    assert groups(officer_a) == [(["8200000151", "8200000152"], ["name"])]
    assert selectors.duplicate_dismissal_list(user=officer_a) == []
    assert DuplicateDismissal.objects.get(pk=dismissal.pk).undone_by == officer_a
    with pytest.raises(ValidationError):
        duplicates_dismissal_undo(dismissal=dismissal, by=officer_a)


def test_only_a_current_group_of_the_officers_province_can_be_dismissed(province_a, officer_a, officer_b):
    one = CooperativeFactory(province=province_a, code="8200000161", name="HTX Long Hưng")
    two = CooperativeFactory(province=province_a, code="8200000162", name="HTX Long Hưng")
    other = CooperativeFactory(province=province_a, code="8200000163", name="HTX Long Thạnh")
    with pytest.raises(PermissionDenied):
        duplicates_dismiss(cooperatives=[one, two], by=officer_b)
    with pytest.raises(ValidationError) as refused:
        duplicates_dismiss(cooperatives=[one, other], by=officer_a)
    assert refused.value.messages == ["Các hợp tác xã này không còn là một nhóm có thể trùng lặp."]
    assert DuplicateDismissal.objects.count() == 0


def test_an_imported_representative_is_compared_like_a_typed_one(province_a, officer_a):
    from cooperatives.importing.registry import registry_import_bytes
    from tests.sheets import HEADERS, row, xlsx_bytes

    CooperativeFactory(province=province_a, code="8200000171", name="HTX Một", representative="Phạm Văn Đức")
    headers = [*HEADERS, "Người đại diện"]
    created = [*row(code="8200000172", name="HTX Hai"), "PHAM VAN DUC"]
    updated = [*row(code="8200000171", name="HTX Một"), "Lê Văn Tám"]
    plan, _ = registry_import_bytes(
        filename="a.xlsx", content=xlsx_bytes([created], headers=headers), scope_province=None, by=None, dry_run=False
    )
    assert plan.ok, plan.errors
    assert groups(officer_a) == [(["8200000171", "8200000172"], ["representative"])]
    plan, _ = registry_import_bytes(
        filename="a.xlsx", content=xlsx_bytes([updated], headers=headers), scope_province=None, by=None, dry_run=False
    )
    assert plan.ok, plan.errors
    assert groups(officer_a) == []
