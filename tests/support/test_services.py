"""The writes of support: who may, the model's rules, and the history they leave."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from support import services
from support.models import SupportKind, SupportProgramme, SupportReceived

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 10, 2)


def test_an_officer_records_support_of_their_province_with_history(coop_a, programme, officer_a):
    record = services.support_record(
        cooperative=coop_a, programme=programme, received_on=DAY, note=" Lớp 1 ", by=officer_a
    )
    assert SupportReceived.objects.get().note == "Lớp 1"
    entry = record.history.get()
    assert (entry.history_type, entry.history_user) == ("+", officer_a)


@pytest.mark.parametrize("role", ["officer_b", "ministry_analyst", "member_a"])
def test_others_cannot_record_support_of_a_cooperative(request, coop_a, programme, role):
    with pytest.raises(PermissionDenied):
        services.support_record(
            cooperative=coop_a, programme=programme, received_on=DAY, by=request.getfixturevalue(role)
        )
    assert SupportReceived.objects.count() == 0


def test_a_date_outside_the_programmes_years_is_refused(coop_a, programme, officer_a):
    with pytest.raises(ValidationError) as refused:
        services.support_record(
            cooperative=coop_a, programme=programme, received_on=datetime.date(2026, 1, 5), by=officer_a
        )
    assert refused.value.message_dict == {"received_on": ["Ngày này nằm ngoài thời gian của chương trình (2024–2025)."]}
    assert SupportReceived.objects.count() == 0


def test_a_provincial_programme_supports_its_own_province_only(coop_b, provincial_programme, national_admin):
    with pytest.raises(ValidationError) as refused:
        services.support_record(cooperative=coop_b, programme=provincial_programme, received_on=DAY, by=national_admin)
    assert refused.value.message_dict == {"programme": ["Chương trình này dành cho hợp tác xã của tỉnh khác."]}


def test_the_same_support_on_the_same_day_is_recorded_once(coop_a, programme, officer_a):
    services.support_record(cooperative=coop_a, programme=programme, received_on=DAY, by=officer_a)
    with pytest.raises(ValidationError):
        services.support_record(cooperative=coop_a, programme=programme, received_on=DAY, by=officer_a)
    services.support_record(cooperative=coop_a, programme=programme, received_on=DAY.replace(day=3), by=officer_a)
    assert SupportReceived.objects.count() == 2


def test_removing_a_record_keeps_it_in_the_history_under_who_removed_it(coop_a, programme, officer_a, officer_b):
    record = services.support_record(cooperative=coop_a, programme=programme, received_on=DAY, by=officer_a)
    with pytest.raises(PermissionDenied):
        services.support_remove(record=record, by=officer_b)
    record_id = record.pk
    services.support_remove(record=record, by=officer_a)
    assert SupportReceived.objects.count() == 0
    removed = SupportReceived.history.filter(id=record_id).order_by("history_date").last()
    assert (removed.history_type, removed.history_user) == ("-", officer_a)


def test_only_national_administrators_keep_programmes(national_admin, officer_a):
    programme = SupportProgramme(
        code="OCOP-25", name_vi="Hỗ trợ OCOP", kind=SupportKind.OCOP, provider="Sở NN", start_year=2025
    )
    with pytest.raises(PermissionDenied):
        services.programme_save(programme=programme, by=officer_a)
    services.programme_save(programme=programme, by=national_admin)
    assert programme.history.get().history_user == national_admin


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"end_year": 2023}, "end_year"), ({"code": "ocop 25"}, "code"), ({"name_vi": "Hỗ trợ\u202e"}, "name_vi")],
)
def test_a_programme_breaking_a_field_rule_is_refused(national_admin, changes, field):
    values = {"code": "OCOP-25", "name_vi": "Hỗ trợ OCOP", "kind": SupportKind.OCOP, "provider": "Sở NN"}
    programme = SupportProgramme(start_year=2025, **{**values, **changes})
    with pytest.raises(ValidationError) as refused:
        services.programme_save(programme=programme, by=national_admin)
    assert list(refused.value.message_dict) == [field]
    assert SupportProgramme.objects.count() == 0
