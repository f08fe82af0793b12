"""A provincial round's add-on questions: written on the round's page by the province's officers or
a national administrator while nobody has submitted, answered after the national questions,
never scored nor counted in the national figures."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators import services as indicator_services
from indicators.models import IndicatorSnapshot
from surveys import addons
from surveys.models import AddOnAnswer, AddOnQuestion, PillarScore, Response, ResponseStatus
from surveys.services import response_compute, response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory, add_addons, complete_answers, provincial_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_a(province_a):
    return provincial_round(province_a)


@pytest.fixture
def with_addons(round_a, officer_a):
    add_addons(round_a, officer_a)
    return round_a


def _form(**fields):
    data = {"code": "OCOP_PLAN", "kind": "single", "text_vi": "Kế hoạch OCOP?", "text_en": "", "options": ""}
    data.update(fields)
    return data


# --- The page ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer_a", "national_admin"])
def test_the_province_officer_or_the_national_admin_adds_a_question_on_the_round_page(login, round_a, who, request):
    client = login(request.getfixturevalue(who))
    url = reverse("surveys:addons", args=[round_a.code])
    assert client.get(url).status_code == 200
    reply = client.post(
        url, _form(options="Chưa có | None yet\nĐang xây dựng | Being written\nĐã có", required="on"), follow=True
    )
    assert reply.status_code == 200
    question = AddOnQuestion.objects.get(round=round_a)
    assert (question.code, question.kind, question.required) == ("OCOP_PLAN", "single", True)
    assert [(o.code, o.label_vi, o.label_en) for o in question.options.all()] == [
        ("1", "Chưa có", "None yet"),
        ("2", "Đang xây dựng", "Being written"),
        ("3", "Đã có", ""),
    ]
    assert "Kế hoạch OCOP?" in reply.content.decode()


@pytest.mark.parametrize(("who", "status"), [("member_a", 403), ("officer_b", 404), ("ministry_analyst", 403)])
def test_others_may_not_keep_the_add_ons(login, round_a, who, status, request):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("surveys:addons", args=[round_a.code])).status_code == status
    assert client.post(reverse("surveys:addons", args=[round_a.code]), _form(kind="text")).status_code == status
    assert not AddOnQuestion.objects.exists()


def test_the_round_page_links_to_the_add_ons_for_those_who_keep_them(login, round_a, officer_a):
    page = login(officer_a).get(reverse("surveys:round", args=[round_a.code])).content.decode()
    assert reverse("surveys:addons", args=[round_a.code]) in page


def test_a_code_of_the_national_questionnaire_or_a_choice_without_options_is_refused(login, with_addons, officer_a):
    client = login(officer_a)
    url = reverse("surveys:addons", args=[with_addons.code])
    national = client.post(url, _form(code="DX_NEED", kind="text"))
    assert national.status_code == 400
    assert "Bảng hỏi toàn quốc đã có câu hỏi mang mã này." in national.content.decode()
    assert client.post(url, _form(code="tourism", kind="text")).status_code == 400  # the round's own, any case
    assert client.post(url, _form(options="Chỉ một")).status_code == 400
    assert AddOnQuestion.objects.filter(round=with_addons).count() == 3


def test_a_national_round_has_no_add_ons(login, open_round, national_admin):
    page = login(national_admin).get(reverse("surveys:addons", args=[open_round.code]))
    assert page.status_code == 200
    assert "Đợt khảo sát toàn quốc không có câu hỏi bổ sung của tỉnh" in page.content.decode()
    assert 'data-testid="addon-form"' not in page.content.decode()
    with pytest.raises(ValidationError):
        addons.addon_question_save(survey_round=open_round, by=national_admin, code="X", kind="text", text_vi="X?")


def test_questions_are_edited_moved_and_removed(login, with_addons, officer_a):
    client = login(officer_a)
    tourism, rooms, note = AddOnQuestion.objects.filter(round=with_addons)
    edit = reverse("surveys:addon_edit", args=[with_addons.code, tourism.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, _form(code="TOURISM", text_vi="Du lịch cộng đồng?", options="Không | No\nCó | Yes"))
    tourism.refresh_from_db()
    assert tourism.text_vi == "Du lịch cộng đồng?"
    assert [o.label_vi for o in tourism.options.all()] == ["Không", "Có"]
    client.post(reverse("surveys:addon_move", args=[with_addons.code, note.pk]), {"direction": "up"})
    assert list(AddOnQuestion.objects.filter(round=with_addons).values_list("code", flat=True)) == [
        "TOURISM",
        "TOURISM_NOTE",
        "HOMESTAY_ROOMS",
    ]
    client.post(reverse("surveys:addon_delete", args=[with_addons.code, rooms.pk]))
    assert not AddOnQuestion.objects.filter(pk=rooms.pk).exists()


def test_the_add_ons_are_frozen_once_a_response_is_submitted(login, with_addons, officer_a, coop_a):
    Response.objects.create(round=with_addons, cooperative=coop_a, status=ResponseStatus.SUBMITTED)
    client = login(officer_a)
    page = client.get(reverse("surveys:addons", args=[with_addons.code])).content.decode()
    assert 'data-testid="addons-frozen"' in page
    assert 'data-testid="addon-form"' not in page
    tourism = AddOnQuestion.objects.get(code="TOURISM")
    client.post(reverse("surveys:addon_delete", args=[with_addons.code, tourism.pk]))
    assert AddOnQuestion.objects.filter(pk=tourism.pk).exists()
    with pytest.raises(ValidationError):
        addons.addon_question_save(survey_round=with_addons, by=officer_a, code="NEW", kind="text", text_vi="Mới?")


def test_the_service_asks_the_rule_of_the_round(with_addons, officer_b):
    with pytest.raises(PermissionDenied):
        addons.addon_question_save(survey_round=with_addons, by=officer_b, code="NEW", kind="text", text_vi="Mới?")


# --- Answering -----------------------------------------------------------------------------


def test_a_member_answers_the_add_ons_as_the_last_part_of_the_form(login, with_addons, member_a, questionnaire):
    client = login(member_a)
    response = response_start(survey_round=with_addons, cooperative=member_a.cooperative, by=member_a)
    response_save_answers(response=response, answers=complete_answers(questionnaire), by=member_a)
    last = questionnaire.pillars.count() + 1
    page = client.get(reverse("surveys:fill", args=[response.pk, last]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Câu hỏi bổ sung của tỉnh Đồng Tháp" in html
    assert "Hợp tác xã có làm du lịch cộng đồng không?" in html
    # The last national part leads on to the add-ons, not to the submission.
    before = client.get(reverse("surveys:fill", args=[response.pk, last - 1])).content.decode()
    assert 'data-testid="next-page"' in before
    response.refresh_from_db()
    # A required add-on left empty: the submission is refused and the submit page names it.
    client.post(reverse("surveys:submit", args=[response.pk]), {"revision": response.revision})
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.DRAFT
    listed = client.get(reverse("surveys:submit", args=[response.pk])).content.decode()
    assert 'data-testid="unanswered"' in listed and "Hợp tác xã có làm du lịch cộng đồng không?" in listed
    saved = client.post(
        reverse("surveys:fill", args=[response.pk, last]),
        {"revision": response.revision, "TOURISM": "3", "HOMESTAY_ROOMS": "4,5", "go": "submit"},
    )
    assert saved.status_code == 200  # a whole number is asked: the page says so
    assert "số nguyên" in saved.content.decode()
    client.post(
        reverse("surveys:fill", args=[response.pk, last]),
        {"revision": response.revision, "TOURISM": "3", "HOMESTAY_ROOMS": "4", "go": "submit"},
    )
    assert addons.addon_answer_values(response)["TOURISM"].options == ["3"]
    assert addons.addon_answer_values(response)["HOMESTAY_ROOMS"].number == 4
    response.refresh_from_db()
    client.post(reverse("surveys:submit", args=[response.pk]), {"revision": response.revision})
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.SUBMITTED
    result = client.get(reverse("surveys:result", args=[response.pk])).content.decode()
    assert "Câu hỏi bổ sung của tỉnh Đồng Tháp" in result and "Đã làm" in result


def _scored(response):
    response.refresh_from_db()
    pillars = dict(PillarScore.objects.filter(response=response).values_list("pillar_code", "score"))
    levels = dict(PillarScore.objects.filter(response=response).values_list("pillar_code", "level"))
    return response.score, response.level, pillars, levels


def test_add_on_answers_never_change_the_score_the_pillars_or_the_level(with_addons, officer_a, questionnaire):
    answers = complete_answers(questionnaire, "worst")
    with_add_ons = CooperativeFactory(province=with_addons.province, code="8200000701")
    without = CooperativeFactory(province=with_addons.province, code="8200000702")
    first = response_start(survey_round=with_addons, cooperative=with_add_ons, by=officer_a)
    response_save_answers(
        response=first,
        answers={**answers, "TOURISM": "3", "HOMESTAY_ROOMS": "12", "TOURISM_NOTE": "Homestay ven sông"},
        by=officer_a,
    )
    first = response_submit(response=first, by=officer_a, confirm_warnings=True)
    second = response_start(survey_round=with_addons, cooperative=without, by=officer_a)
    response_save_answers(response=second, answers={**answers, "TOURISM": "1"}, by=officer_a)
    second = response_submit(response=second, by=officer_a, confirm_warnings=True)
    assert AddOnAnswer.objects.filter(response=first).count() == 3
    assert _scored(first) == _scored(second)
    # The same response without its add-on answers scores the same.
    computed = response_compute(first)
    AddOnAnswer.objects.filter(response=first).delete()
    assert response_compute(first) == computed
    assert computed.score == first.score


def test_the_nightly_figures_are_the_same_with_add_on_answers(with_addons, officer_a, questionnaire, settings):
    settings.SURVEYS_COUNT_SUBMITTED = True
    for n, choice in enumerate(["1", "3", "3"], start=1):
        cooperative = CooperativeFactory(province=with_addons.province, code=f"820000080{n}")
        response = response_start(survey_round=with_addons, cooperative=cooperative, by=officer_a)
        response_save_answers(
            response=response,
            answers={**complete_answers(questionnaire, "best" if n % 2 else "worst"), "TOURISM": choice},
            by=officer_a,
        )
        response = response_submit(response=response, by=officer_a, confirm_warnings=True)
        Response.objects.filter(pk=response.pk).update(status=ResponseStatus.ACCEPTED)

    def figures():
        indicator_services.aggregate_indicators()
        return sorted(
            IndicatorSnapshot.objects.filter(round=with_addons).values_list(
                "scope_key", "metric", "value", "numerator", "denominator"
            )
        )

    with_answers = figures()
    assert with_answers
    AddOnAnswer.objects.all().delete()
    assert figures() == with_answers


def test_the_offline_form_keeps_the_add_ons_page_too(login, with_addons, member_a, questionnaire):
    response = response_start(survey_round=with_addons, cooperative=member_a.cooperative, by=member_a)
    page = login(member_a).get(reverse("surveys:fill", args=[response.pk, 1])).content.decode()
    last = questionnaire.pillars.count() + 1
    assert reverse("surveys:fill", args=[response.pk, last]) in page  # among the pages the worker keeps


def test_a_question_whose_kind_changes_loses_the_drafts_answers_of_the_old_kind(with_addons, officer_a, coop_a):
    response = response_start(survey_round=with_addons, cooperative=coop_a, by=officer_a)
    response_save_answers(response=response, answers={"HOMESTAY_ROOMS": "4", "TOURISM": "2"}, by=officer_a)
    rooms = AddOnQuestion.objects.get(code="HOMESTAY_ROOMS")
    addons.addon_question_save(
        survey_round=with_addons, by=officer_a, question=rooms, code="HOMESTAY_ROOMS", kind="text", text_vi="Homestay?"
    )
    assert set(addons.addon_answer_values(response)) == {"TOURISM"}
