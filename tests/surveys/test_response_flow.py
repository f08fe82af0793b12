"""The cooperative's experience and the province's review, through the real pages."""

import re

import pytest
from django.core import mail

from surveys.models import Response, ResponseStatus
from tests.factories import CooperativeFactory, complete_answers

pytestmark = pytest.mark.django_db


def start(client, survey_round, cooperative):
    response = client.post(f"/surveys/rounds/{survey_round.code}/start/{cooperative.pk}/")
    assert response.status_code == 302, response
    return Response.objects.get(round=survey_round, cooperative=cooperative)


def page_data(response, answers, codes, go="next"):
    data = {"revision": response.revision, "go": go}
    for code in codes:
        value = answers[code]
        data[code] = value
    return data


def pillar_codes(response, page):
    pillar = list(response.round.questionnaire.pillars.all())[page - 1]
    return [q.code for q in pillar.questions.all()]


def submit(client, response):
    """Send the response from its check page, at the revision it has now."""
    return client.post(f"/surveys/responses/{response.pk}/submit/", {"revision": response.revision})


def fill_all(client, response, answers):
    pages = response.round.questionnaire.pillars.count()
    for page in range(1, pages + 1):
        response.refresh_from_db()
        client.post(
            f"/surveys/responses/{response.pk}/page/{page}/", page_data(response, answers, pillar_codes(response, page))
        )
    response.refresh_from_db()


def test_member_saves_a_page_leaves_and_finds_the_answers_again(login, member_a, coop_a, open_round, best_answers):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    codes = pillar_codes(response, 1)
    result = client.post(f"/surveys/responses/{response.pk}/page/1/", page_data(response, best_answers, codes, "leave"))
    assert result.status_code == 302
    page = client.get(f"/surveys/responses/{response.pk}/page/1/").content.decode()
    assert re.search(r'name="DX_NEED"[^>]*value="yes"[^>]*checked', page)
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    assert response.answers.count() == len([c for c in codes if best_answers[c]])
    # The navigation counts what is still unanswered in the other parts.
    assert re.search(r"2\. [^<]*\(\d+", page)


def test_two_tabs_cannot_silently_overwrite_each_other(
    login, member_a, coop_a, open_round, best_answers, worst_answers
):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    codes = pillar_codes(response, 1)
    stale = page_data(response, worst_answers, codes)
    client.post(f"/surveys/responses/{response.pk}/page/1/", page_data(response, best_answers, codes))
    conflict = client.post(f"/surveys/responses/{response.pk}/page/1/", stale, follow=True)
    assert "cửa sổ khác" in conflict.content.decode()
    dx_need = response.answers.get(question__code="DX_NEED")
    assert [o.code for o in dx_need.options.all()] == ["yes"]


def test_incomplete_response_cannot_be_submitted(login, member_a, coop_a, open_round):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    page = client.get(f"/surveys/responses/{response.pk}/submit/").content.decode()
    assert 'data-testid="unanswered"' in page
    submit(client, response)
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    assert response.score is None


def test_complete_response_is_scored_on_submit_and_shows_level_and_advice(
    login, member_a, coop_a, open_round, best_answers
):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    fill_all(client, response, best_answers)
    submit(client, response)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert (response.score, response.level) == (100, 5)
    page = client.get(f"/surveys/responses/{response.pk}/").content.decode()
    assert 'data-testid="level">5<' in page
    assert "Dẫn dắt" in page
    assert 'id="pillar-chart-data"' in page
    assert response.pillar_scores.count() == 6


def test_worst_answers_give_level_zero(login, member_a, coop_a, open_round, worst_answers):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    fill_all(client, response, worst_answers)
    submit(client, response)
    response.refresh_from_db()
    assert (response.score, response.level) == (0, 0)


def test_officer_returns_with_a_comment_then_accepts_and_the_registry_level_follows(
    client, login, member_a, officer_a, coop_a, open_round, best_answers
):
    member = login(member_a)
    response = start(member, open_round, coop_a)
    fill_all(member, response, best_answers)
    submit(member, response)
    client.logout()
    officer = login(officer_a)
    officer.post(f"/surveys/responses/{response.pk}/review/", {"decision": "return", "comment": ""})
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED  # a return needs a comment
    officer.post(
        f"/surveys/responses/{response.pk}/review/", {"decision": "return", "comment": "Kiểm tra lại số máy tính"}
    )
    response.refresh_from_db()
    assert (response.status, response.review_comment) == (ResponseStatus.RETURNED, "Kiểm tra lại số máy tính")
    client.logout()
    member = login(member_a)
    assert "Kiểm tra lại số máy tính" in member.get("/surveys/").content.decode()
    submit(member, response)
    client.logout()
    officer = login(officer_a)
    officer.post(f"/surveys/responses/{response.pk}/review/", {"decision": "accept", "comment": ""})
    response.refresh_from_db()
    coop_a.refresh_from_db()
    assert response.status == ResponseStatus.ACCEPTED
    assert response.reviewed_by == officer_a
    assert coop_a.maturity_level == 5
    # Accepted: no more edits.
    client.logout()
    member = login(member_a)
    assert member.get(f"/surveys/responses/{response.pk}/page/1/").status_code == 302


def test_officer_enters_a_response_on_behalf_of_a_cooperative(login, officer_a, coop_a, open_round, best_answers):
    client = login(officer_a)
    response = start(client, open_round, coop_a)
    fill_all(client, response, best_answers)
    assert (response.entered_by, response.is_proxy) == (officer_a, True)
    assert response.history.filter(history_user=officer_a).exists()


def test_officer_of_another_province_cannot_start_or_open(login, officer_b, coop_a, open_round):
    client = login(officer_b)
    assert client.post(f"/surveys/rounds/{open_round.code}/start/{coop_a.pk}/").status_code == 404
    assert not Response.objects.exists()


def test_member_never_sees_or_changes_another_cooperatives_response(
    client, login, member_a, officer_a, coop_a, open_round, province_a, best_answers
):
    other = CooperativeFactory(province=province_a, code="8200000999")
    officer = login(officer_a)
    foreign = start(officer, open_round, other)
    client.logout()
    member = login(member_a)
    for url in (
        f"/surveys/responses/{foreign.pk}/",
        f"/surveys/responses/{foreign.pk}/page/1/",
        f"/surveys/responses/{foreign.pk}/submit/",
    ):
        assert member.get(url).status_code == 404
    codes = pillar_codes(foreign, 1)
    assert (
        member.post(f"/surveys/responses/{foreign.pk}/page/1/", page_data(foreign, best_answers, codes)).status_code
        == 404
    )
    assert member.post(f"/surveys/rounds/{open_round.code}/start/{other.pk}/").status_code == 404
    assert not foreign.answers.exists()


def test_officer_sees_who_answered_and_sends_reminders_to_the_rest(
    login, officer_a, member_a, coop_a, open_round, province_a
):
    quiet = CooperativeFactory(province=province_a, code="8200000777", email="quiet@example.vn")
    client = login(officer_a)
    start(client, open_round, coop_a)
    page = client.get(f"/surveys/rounds/{open_round.code}/").content.decode()
    assert 'data-state="draft"' in page and 'data-state="not_started"' in page
    client.post(f"/surveys/rounds/{open_round.code}/remind/", {})
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert "quiet@example.vn" in recipients
    assert member_a.email in recipients
    assert quiet.name in mail.outbox[0].body or quiet.name in mail.outbox[1].body


def test_previous_round_and_province_average_shown_on_the_result(
    login, national_admin, member_a, coop_a, coop_b, open_round, previous_round, best_answers
):
    from decimal import Decimal

    from surveys.services import response_save_answers, response_start, response_submit

    # Last year's result of this cooperative; this year another cooperative of the province scored
    # 60 and one of another province 10 (not in the province average).
    Response.objects.create(round=previous_round, cooperative=coop_a, status="accepted", score=Decimal("42.5"), level=3)
    neighbour = CooperativeFactory(province=coop_a.province, code="8200000888")
    Response.objects.create(round=open_round, cooperative=neighbour, status="accepted", score=60, level=4)
    Response.objects.create(round=open_round, cooperative=coop_b, status="accepted", score=10, level=1)
    response = response_start(survey_round=open_round, cooperative=coop_a, by=national_admin)
    response_save_answers(response=response, answers=best_answers, by=national_admin)
    response_submit(response=response, by=national_admin)
    page = login(member_a).get(f"/surveys/responses/{response.pk}/").content.decode()

    def card(label):
        match = re.search(rf'{label}</div><div class="card-figure">([^<]*)</div><div class="small[^"]*">([^<]*)<', page)
        assert match, label
        return match.groups()

    assert card("Đợt trước") == ("42,50", "Khảo sát 2025")
    # Two self-assessments in the province: an average would tell the neighbour's score.
    assert card("Trung bình của tỉnh") == ("—", "Đồng Tháp")

    for number, score in enumerate((70, 80, 90), start=1):
        other = CooperativeFactory(province=coop_a.province, code=f"820000088{number}")
        Response.objects.create(round=open_round, cooperative=other, status="submitted", score=score, level=4)
    page = login(member_a).get(f"/surveys/responses/{response.pk}/").content.decode()
    assert card("Trung bình của tỉnh") == ("80,00", "Đồng Tháp")  # (100 + 60 + 70 + 80 + 90) / 5


@pytest.mark.parametrize("revision", ["abc", "", "1e3", "99999999999999999999999"])
def test_a_damaged_revision_on_a_page_is_a_clear_form_error_not_a_server_error(
    login, member_a, coop_a, open_round, revision
):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    result = client.post(f"/surveys/responses/{response.pk}/page/1/", {"revision": revision, "DX_NEED": "yes"})
    assert result.status_code == 400
    assert "Trang này đã cũ hoặc bị hỏng" in result.content.decode()
    response.refresh_from_db()
    assert response.revision == 0 and not response.answers.exists()


@pytest.mark.parametrize("revision", ["abc", "", "-1"])
def test_a_damaged_revision_on_submit_is_a_400_with_a_message(
    login, member_a, coop_a, open_round, best_answers, revision
):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    fill_all(client, response, best_answers)
    result = client.post(f"/surveys/responses/{response.pk}/submit/", {"revision": revision})
    assert result.status_code == 400
    assert "Trang này đã cũ hoặc bị hỏng" in result.content.decode()
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT


def test_the_result_page_offers_to_continue_only_to_those_who_may_answer(
    login, open_round, coop_a, officer_a, member_a, ministry_analyst
):
    draft = Response.objects.create(round=open_round, cooperative=coop_a, entered_by=officer_a)
    fill = f"/surveys/responses/{draft.pk}/page/1/"
    for user, offered in ((member_a, True), (officer_a, True), (ministry_analyst, False)):
        client = login(user)
        assert (fill in client.get(f"/surveys/responses/{draft.pk}/").content.decode()) is offered, user.username
        # Whatever is offered, the link leads somewhere for the user: the form, not a refusal.
        if offered:
            assert client.get(fill).status_code == 200
        else:
            assert client.get(fill).status_code == 403


def test_before_sending_the_member_sees_every_answer_part_by_part_with_a_way_to_change_it(
    login, member_a, coop_a, open_round, best_answers, django_assert_max_num_queries
):
    """The check step lists every question of every part with the answer as it was given (the
    chosen options' labels, the number with its unit, the text), "not answered" where nothing
    was saved, and links each part to its page; in the member's language."""
    from django.utils import translation
    from django.utils.formats import number_format

    from surveys.models import Question

    client = login(member_a)
    response = start(client, open_round, coop_a)
    codes = pillar_codes(response, 1)
    client.post(f"/surveys/responses/{response.pk}/page/1/", page_data(response, best_answers, codes, "leave"))
    pillars = list(open_round.questionnaire.pillars.all())
    questions = list(Question.objects.filter(questionnaire=open_round.questionnaire).prefetch_related("options"))
    with django_assert_max_num_queries(25):
        page = client.get(f"/surveys/responses/{response.pk}/submit/").content.decode()
    answers = re.findall(r'data-testid="review-answer">(.*?)</dd>', page, re.S)
    assert len(answers) == len(questions)
    assert re.search(r'data-testid="change-part">Sửa<', page)
    links = re.findall(r'href="([^"]+)"[^>]*data-testid="change-part"', page)
    assert links == [f"/surveys/responses/{response.pk}/page/{n}/" for n in range(1, len(pillars) + 1)]
    shown = dict(zip([q.code for q in questions], answers, strict=True))
    first_part = {q.code for q in pillars[0].questions.all()}
    for question in questions:
        given = best_answers.get(question.code) if question.code in first_part else None
        if not given:
            # A missing required answer stands out; an optional one left blank does not.
            tone = "text-warning-emphasis" if question.required else "text-muted"
            assert f'class="{tone}">Chưa trả lời' in shown[question.code], question.code
        elif question.kind in ("single", "yes_no", "multiple"):
            chosen = [given] if isinstance(given, str) else given
            labels = [o.label_vi for o in question.options.all() if o.code in chosen]
            assert shown[question.code] == "; ".join(labels), question.code
        elif question.kind == "number":
            with translation.override("vi"):
                assert shown[question.code].startswith(number_format(given, use_l10n=True)), question.code
    client.cookies["django_language"] = "en"
    english = client.get(f"/surveys/responses/{response.pk}/submit/").content.decode()
    assert "Your answers" in english and "Not answered" in english
    dx_need = next(q for q in questions if q.code == "DX_NEED")
    assert dx_need.options.get(code="yes").label_en in english


def test_the_officer_reviews_with_the_answers_in_front_of_them(login, member_a, officer_a, coop_a, open_round):
    """The review page shows every answer, open above the review form; whoever may still change
    the response (here the member, while the round is open) gets a link to each part."""
    from surveys.models import Question

    member = login(member_a)
    response = start(member, open_round, coop_a)
    answers = complete_answers(open_round.questionnaire, "best")
    fill_all(member, response, answers)
    member_page = member.get(f"/surveys/responses/{response.pk}/").content.decode()
    pillars = open_round.questionnaire.pillars.count()
    assert member_page.count('data-testid="change-part"') == pillars
    submit(member, response)
    page = login(officer_a).get(f"/surveys/responses/{response.pk}/").content.decode()
    assert re.search(r'data-testid="answers" open', page)
    shown = re.findall(r'data-testid="review-answer">(.*?)</dd>', page, re.S)
    assert len(shown) == Question.objects.filter(questionnaire=open_round.questionnaire).count()
    assert "Chưa trả lời" not in page
    dx_need = Question.objects.get(questionnaire=open_round.questionnaire, code="DX_NEED")
    assert dx_need.options.get(code=answers["DX_NEED"]).label_vi in shown
    assert page.index('data-testid="answers"') < page.index(f"/surveys/responses/{response.pk}/review/")


def test_once_accepted_the_check_page_offers_no_way_back_into_the_parts(
    login, member_a, coop_a, open_round, best_answers
):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    fill_all(client, response, best_answers)
    submit(client, response)
    Response.objects.filter(pk=response.pk).update(status=ResponseStatus.ACCEPTED)
    page = client.get(f"/surveys/responses/{response.pk}/submit/").content.decode()
    assert page.count('data-testid="review-part"') == open_round.questionnaire.pillars.count()
    assert 'data-testid="change-part"' not in page
