"""The survey parts of the officer's work list: responses waiting for review, and the call list of
cooperatives that have not started and that no reminder reaches (its reads and its page)."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from cooperatives.models import Ward
from surveys import selectors
from surveys.models import Response, ResponseStatus, SurveyRound
from surveys.services import response_review, response_start
from tests.factories import CooperativeFactory, UserFactory
from tests.indicators.test_aggregation import answer

pytestmark = pytest.mark.django_db


def waiting_names(user):
    return [r.cooperative.name for r in selectors.response_list_to_review(user=user)]


def reach_names(user, **kwargs):
    return [c.name for c in selectors.cooperatives_to_reach(user=user, **kwargs)]


# Responses waiting for review


@pytest.fixture
def submitted(questionnaire, open_round, national_admin, province_a, province_b):
    here = CooperativeFactory(province=province_a, name="Hợp tác xã Chờ Duyệt")
    there = CooperativeFactory(province=province_b, name="Hợp tác xã Tỉnh Khác")
    return {
        "here": answer(questionnaire, open_round, here, national_admin, accept=False),
        "there": answer(questionnaire, open_round, there, national_admin, accept=False),
    }


def test_a_submitted_response_of_the_province_waits_for_its_officer_not_another(submitted, officer_a, officer_b):
    assert waiting_names(officer_a) == ["Hợp tác xã Chờ Duyệt"]
    assert waiting_names(officer_b) == ["Hợp tác xã Tỉnh Khác"]


@pytest.mark.parametrize("accept", [True, False])
def test_an_accepted_or_returned_response_no_longer_waits(submitted, officer_a, accept):
    response_review(response=submitted["here"], by=officer_a, accept=accept, comment="" if accept else "Sửa câu 3")
    assert waiting_names(officer_a) == []


def test_drafts_and_accepted_responses_do_not_wait(questionnaire, open_round, national_admin, province_a, officer_a):
    draft = CooperativeFactory(province=province_a)
    response_start(survey_round=open_round, cooperative=draft, by=national_admin)
    answer(questionnaire, open_round, CooperativeFactory(province=province_a), national_admin, accept=True)
    assert waiting_names(officer_a) == []


def test_a_response_the_officer_entered_waits_for_another_reviewer_not_them(
    questionnaire, open_round, province_a, officer_a
):
    colleague = UserFactory(username="colleague", role=Role.PROVINCIAL_OFFICER, province=province_a)
    answer(questionnaire, open_round, CooperativeFactory(province=province_a, name="HTX Nhập Hộ"), officer_a, False)
    assert waiting_names(officer_a) == []
    assert waiting_names(colleague) == ["HTX Nhập Hộ"]


def test_an_officer_who_began_an_entry_a_member_finished_is_not_its_reviewer_in_the_list_nor_at_acceptance(
    questionnaire, open_round, province_a, officer_a
):
    """The work list and the acceptance ask the same rule (``surveys.accept_response``): an
    officer who started the entry, finished and submitted by the cooperative's member, may not
    accept it, so it does not wait in their list; a colleague's it is."""
    colleague = UserFactory(username="colleague", role=Role.PROVINCIAL_OFFICER, province=province_a)
    cooperative = CooperativeFactory(province=province_a, name="HTX Bắt Đầu Hộ")
    member = UserFactory(role=Role.COOPERATIVE_MEMBER, cooperative=cooperative)
    response_start(survey_round=open_round, cooperative=cooperative, by=officer_a)
    response = answer(questionnaire, open_round, cooperative, member, accept=False)
    assert (response.entered_by, response.submitted_by) == (member, member)
    assert waiting_names(officer_a) == []
    assert not officer_a.has_perm("surveys.accept_response", response)
    assert officer_a.has_perm("surveys.review_response", response)  # returning it stays open to them
    assert waiting_names(colleague) == ["HTX Bắt Đầu Hộ"]
    assert colleague.has_perm("surveys.accept_response", response)


def test_rounds_with_responses_to_review_count_each_rounds_waiting(
    submitted, questionnaire, previous_round, national_admin, province_a, officer_a, open_round
):
    old = CooperativeFactory(province=province_a)
    Response.objects.create(round=previous_round, cooperative=old, status=ResponseStatus.SUBMITTED, score=10, level=1)
    rounds = {r.code: r.waiting for r in selectors.rounds_with_responses_to_review(user=officer_a)}
    assert rounds == {open_round.code: 1, previous_round.code: 1}


# Who cannot be reached: not started, no phone, no e-mail


@pytest.fixture
def silent(open_round, province_a):
    return CooperativeFactory(province=province_a, name="Hợp tác xã Im Lặng", phone="", email="")


def test_a_cooperative_not_started_with_no_phone_nor_email_is_on_the_call_list(silent, officer_a, officer_b):
    assert reach_names(officer_a) == ["Hợp tác xã Im Lặng"]
    assert reach_names(officer_b) == []


def test_a_phone_an_email_or_a_members_email_takes_it_off_the_list(silent, province_a, officer_a):
    CooperativeFactory(province=province_a, name="Có điện thoại", phone="0277 3851 234")
    CooperativeFactory(province=province_a, name="Có thư", email="htx@example.vn")
    with_member = CooperativeFactory(province=province_a, name="Có thành viên")
    UserFactory(role=Role.COOPERATIVE_MEMBER, cooperative=with_member, email="xa-vien@example.vn")
    assert reach_names(officer_a) == ["Hợp tác xã Im Lặng"]


def test_starting_the_open_round_takes_it_off_the_list(silent, open_round, officer_a):
    response_start(survey_round=open_round, cooperative=silent, by=officer_a)
    assert reach_names(officer_a) == []


def test_only_a_response_in_an_open_round_counts_as_started(silent, previous_round, officer_a):
    Response.objects.create(round=previous_round, cooperative=silent, status=ResponseStatus.ACCEPTED)
    assert reach_names(officer_a) == ["Hợp tác xã Im Lặng"]


def test_with_no_open_round_nobody_is_to_reach(province_a, officer_a, previous_round):
    CooperativeFactory(province=province_a, phone="", email="")
    assert reach_names(officer_a) == []


def test_a_round_of_another_province_does_not_concern_the_cooperative(province_a, province_b, questionnaire, officer_a):
    today = timezone.localdate()
    SurveyRound.objects.create(
        code="DL2026",
        name_vi="Khảo sát Đắk Lắk",
        questionnaire=questionnaire,
        province=province_b,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=9),
    )
    CooperativeFactory(province=province_a, phone="", email="")
    assert reach_names(officer_a) == []


def test_dissolved_and_archived_cooperatives_are_not_called(silent, province_a, officer_a):
    CooperativeFactory(province=province_a, status="dissolved")
    CooperativeFactory(province=province_a, is_archived=True)
    assert reach_names(officer_a) == ["Hợp tác xã Im Lặng"]


# The call-list page


@pytest.fixture
def to_call(open_round, province_a, province_b):
    ward = Ward.objects.filter(province=province_a).order_by("code")[1]
    CooperativeFactory(
        province=province_a,
        ward=ward,
        name="Hợp tác xã Sen Hồng",
        representative="Nguyễn Thị Lan",
        address="Ấp 3, đường Cây Me",
    )
    CooperativeFactory(province=province_a, name="Hợp tác xã Có Số", phone="0909 123 456")
    CooperativeFactory(province=province_b, name="Hợp tác xã Cà Phê Xa")
    return ward


def test_the_call_list_shows_what_is_known_to_find_each_cooperative(login, officer_a, to_call):
    response = login(officer_a).get("/surveys/call-list/")
    assert response.status_code == 200
    assert [c.name for c in response.context["page"]] == ["Hợp tác xã Sen Hồng"]
    html = response.content.decode()
    for shown in ("Nguyễn Thị Lan", "Ấp 3, đường Cây Me", to_call.name, "data-print"):
        assert shown in html
    assert "Hợp tác xã Có Số" not in html and "Cà Phê Xa" not in html


def test_an_officer_asking_for_another_provinces_call_list_gets_404(login, officer_a, to_call):
    client = login(officer_a)
    assert client.get("/surveys/call-list/?province=66").status_code == 404
    assert client.get("/surveys/call-list/?province=zz").status_code == 404


def test_a_national_administrator_picks_the_province(login, national_admin, to_call):
    client = login(national_admin)
    first = client.get("/surveys/call-list/")
    assert first.status_code == 200 and first.context["province"] is None
    assert list(first.context["page"]) == []
    picked = client.get("/surveys/call-list/?province=66")
    assert [c.name for c in picked.context["page"]] == ["Hợp tác xã Cà Phê Xa"]
    assert client.get("/surveys/call-list/?province=99").status_code == 404


def test_members_cannot_open_the_call_list(login, member_a, to_call):
    assert login(member_a).get("/surveys/call-list/").status_code == 403


def test_a_superuser_who_entered_a_response_may_not_accept_it_either(questionnaire, open_round, province_a, officer_a):
    """Django lets a superuser pass every ``has_perm``; four eyes hold for them too: the acceptance,
    the flags' confirmation and the work list ask the rule itself."""
    from django.core.exceptions import ValidationError

    from surveys.lifecycle import may_accept

    root = UserFactory(username="root", role=Role.NATIONAL_ADMIN, is_superuser=True, is_staff=True)
    response = answer(questionnaire, open_round, CooperativeFactory(province=province_a, name="HTX Gốc"), root, False)
    assert not may_accept(root, response)
    assert waiting_names(root) == []
    with pytest.raises(ValidationError):
        response_review(response=response, by=root, accept=True)
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.SUBMITTED
    assert may_accept(officer_a, response) and waiting_names(officer_a) == ["HTX Gốc"]
