"""Data checks on a submission (issue #18): a level moved by three or more, a pillar from 0 to
100 against the cooperative's previous counted response, every answer identical to another
cooperative's in the round. Raised by the browser's submission and the paper import alike;
confirmed by the province's reviewer, cleared by a return or a new submission."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from surveys import selectors
from surveys.flags import flags_raise, response_flag_confirm
from surveys.models import FlagKind, FlagStatus, PillarScore, Response, ResponseFlag, SurveyRound
from surveys.services import (
    response_review,
    response_save_answers,
    response_start,
    response_submit,
)
from tests.factories import CooperativeFactory, complete_answers
from tests.surveys.test_response_import import cells, run, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier_round(questionnaire):
    """A round before ``open_round`` (still open, so the browser's services answer in it)."""
    today = timezone.localdate()
    return SurveyRound.objects.create(
        code="KS2025",
        name_vi="Khảo sát 2025",
        questionnaire=questionnaire,
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today + datetime.timedelta(days=30),
    )


def submit(questionnaire, survey_round, cooperative, by, pick="worst", accept=False, **chosen):
    values = complete_answers(questionnaire, pick)
    values.update(chosen)
    response = response_start(survey_round=survey_round, cooperative=cooperative, by=by)
    response_save_answers(response=response, answers=values, by=by)
    response = response_submit(response=response, by=by)
    if accept:
        Response.objects.filter(pk=response.pk).update(status="accepted")
    return response


def open_flags(response):
    return {f.kind: f.detail for f in ResponseFlag.objects.filter(response=response, status=FlagStatus.OPEN)}


@pytest.fixture
def flagged(questionnaire, earlier_round, open_round, national_admin, province_a):
    """A cooperative at level 0 last round, with every answer at its best now (level 5)."""
    cooperative = CooperativeFactory(province=province_a, code="8200000101", name="Hợp tác xã Nhảy Vọt")
    submit(questionnaire, earlier_round, cooperative, national_admin, "worst", accept=True)
    return submit(questionnaire, open_round, cooperative, national_admin, "best")


# Each check, and its plausible neighbour


def test_a_move_of_five_levels_and_pillars_from_0_to_100_are_flagged(flagged):
    flags = open_flags(flagged)
    assert set(flags) == {FlagKind.LEVEL_JUMP, FlagKind.PILLAR_JUMP}
    assert flags[FlagKind.LEVEL_JUMP] == {"previous_level": 0, "level": 5, "previous_round": "Khảo sát 2025"}
    assert [p["code"] for p in flags[FlagKind.PILLAR_JUMP]["pillars"]] == sorted(
        PillarScore.objects.filter(response=flagged).values_list("pillar_code", flat=True)
    )
    flag = ResponseFlag.objects.get(response=flagged, kind=FlagKind.LEVEL_JUMP)
    assert (
        flag.description == "Mức độ trưởng thành đã chuyển từ 0 (Chưa chuyển đổi số, Khảo sát 2025) sang 5 (Dẫn dắt)."
    )


def set_result(response, level, pillars=None):
    Response.objects.filter(pk=response.pk).update(level=level)
    for code, score in (pillars or {}).items():
        PillarScore.objects.filter(response=response, pillar_code=code).update(score=score)


@pytest.mark.parametrize(
    ("before", "after", "flagged_kinds"), [(1, 4, {"level_jump"}), (4, 1, {"level_jump"}), (1, 3, set()), (3, 4, set())]
)
def test_a_move_of_three_levels_or_more_is_flagged_and_two_is_not(
    questionnaire, earlier_round, open_round, national_admin, coop_a, before, after, flagged_kinds
):
    previous = submit(questionnaire, earlier_round, coop_a, national_admin, accept=True)
    now = submit(questionnaire, open_round, coop_a, national_admin, DX_DIFFICULTY="Khác")
    set_result(previous, before)
    set_result(now, after)
    flags_raise(response_ids=[now.pk], by=None, now=timezone.now())
    assert set(open_flags(now)) == flagged_kinds


def test_a_pillar_from_10_to_90_is_not_flagged_but_0_to_100_is(
    questionnaire, earlier_round, open_round, national_admin, coop_a
):
    previous = submit(questionnaire, earlier_round, coop_a, national_admin, accept=True)
    now = submit(questionnaire, open_round, coop_a, national_admin, DX_DIFFICULTY="Khác")
    set_result(previous, 0, {"STRATEGY": 10})
    set_result(now, 0, {"STRATEGY": 90})
    flags_raise(response_ids=[now.pk], by=None, now=timezone.now())
    assert open_flags(now) == {}
    set_result(previous, 0, {"STRATEGY": 0})
    set_result(now, 0, {"STRATEGY": 100})
    flags_raise(response_ids=[now.pk], by=None, now=timezone.now())
    assert [p["code"] for p in open_flags(now)[FlagKind.PILLAR_JUMP]["pillars"]] == ["STRATEGY"]


def test_a_previous_response_that_does_not_count_is_no_history(
    questionnaire, earlier_round, open_round, national_admin, coop_a
):
    submit(questionnaire, earlier_round, coop_a, national_admin, "worst")  # submitted, never accepted
    assert open_flags(submit(questionnaire, open_round, coop_a, national_admin, "best")) == {}


def test_every_answer_identical_to_another_cooperatives_in_the_round_is_flagged(
    questionnaire, open_round, national_admin, province_a
):
    first = CooperativeFactory(province=province_a, code="8200000201")
    second = CooperativeFactory(province=province_a, code="8200000202")
    third = CooperativeFactory(province=province_a, code="8200000203")
    original = submit(questionnaire, open_round, first, national_admin, "best")
    copy = submit(questionnaire, open_round, second, national_admin, "best")
    different = submit(questionnaire, open_round, third, national_admin, "best", DX_DIFFICULTY="Thiếu người")
    assert open_flags(original) == {} and open_flags(different) == {}
    assert open_flags(copy) == {FlagKind.IDENTICAL_ANSWERS: {"other_code": "8200000201", "others": 1}}
    flag = ResponseFlag.objects.get(response=copy)
    assert "8200000201" in flag.description and "sao chép" in flag.description


def test_identical_answers_that_show_no_digital_practice_are_not_flagged(
    questionnaire, open_round, national_admin, province_a
):
    """Level 0 answers are alike in every cooperative with no digital practice: common, not copied."""
    first = CooperativeFactory(province=province_a, code="8200000211")
    second = CooperativeFactory(province=province_a, code="8200000212")
    submit(questionnaire, open_round, first, national_admin, "worst")
    alike = submit(questionnaire, open_round, second, national_admin, "worst")
    assert alike.level == 0 and alike.answers_signature
    assert FlagKind.IDENTICAL_ANSWERS not in open_flags(alike)


def test_the_same_answers_as_the_cooperatives_own_earlier_round_are_not_flagged(
    questionnaire, earlier_round, open_round, national_admin, coop_a
):
    submit(questionnaire, earlier_round, coop_a, national_admin, accept=True)
    assert open_flags(submit(questionnaire, open_round, coop_a, national_admin)) == {}


# The two paths


def test_the_paper_import_raises_the_same_flags_as_the_browser(
    questionnaire, earlier_round, open_round, national_admin, officer_a, province_a, best_answers
):
    by_paper = CooperativeFactory(province=province_a, code="8200000301")
    by_browser = CooperativeFactory(province=province_a, code="8200000302")
    for cooperative in (by_paper, by_browser):
        submit(questionnaire, earlier_round, cooperative, national_admin, "worst", accept=True)
    browser = submit(questionnaire, open_round, by_browser, national_admin, "best", DX_DIFFICULTY="Thiếu người")
    headers = ["Mã số HTX", *best_answers]
    plan, _result = run(workbook(headers, [cells(headers, by_paper.code, best_answers)]), open_round, by=officer_a)
    assert plan.ok, plan.errors
    paper = Response.objects.get(cooperative=by_paper, round=open_round)
    assert open_flags(paper) == open_flags(browser)
    assert set(open_flags(paper)) == {FlagKind.LEVEL_JUMP, FlagKind.PILLAR_JUMP}


def test_two_copied_rows_of_one_paper_import_flag_each_other_and_a_browser_copy(
    questionnaire, open_round, national_admin, officer_a, province_a, best_answers
):
    by_browser = submit(
        questionnaire, open_round, CooperativeFactory(province=province_a, code="8200000400"), national_admin, "best"
    )
    codes = [CooperativeFactory(province=province_a, code=f"820000041{i}").code for i in range(2)]
    headers = ["Mã số HTX", *best_answers]
    run(workbook(headers, [cells(headers, code, best_answers) for code in codes]), open_round, by=officer_a)
    for code in codes:
        paper = Response.objects.get(cooperative__code=code)
        assert open_flags(paper)[FlagKind.IDENTICAL_ANSWERS]["others"] == 2
    # The browser's response, submitted before them, was not a copy when it was checked.
    assert open_flags(by_browser) == {}


def test_the_paper_import_checks_any_number_of_rows_in_the_same_queries(
    questionnaire, earlier_round, open_round, national_admin, officer_a, province_a, best_answers
):
    def import_rows(n, start):
        coops = [CooperativeFactory(province=province_a, code=f"82000{start + i:05d}") for i in range(n)]
        for cooperative in coops:
            submit(questionnaire, earlier_round, cooperative, national_admin, "worst", accept=True)
        headers = ["Mã số HTX", *best_answers]
        content = workbook(headers, [cells(headers, c.code, best_answers) for c in coops])
        with CaptureQueriesContext(connection) as queries:
            run(content, open_round, by=officer_a)
        flags = ResponseFlag.objects.filter(response__cooperative__in=coops, response__round=open_round, status="open")
        assert flags.count() == 3 * n  # level, pillars, identical
        # The answers' insert is cut in batches by the database's limit on parameters (SQLite's
        # is low); every other query, the checks' included, is the same for 2 rows or 12.
        return len([q for q in queries.captured_queries if not q["sql"].startswith('INSERT INTO "surveys_answer"')])

    assert import_rows(2, 1000) == import_rows(12, 2000)


def test_checking_responses_costs_the_same_few_queries_for_one_or_many(
    flagged, questionnaire, earlier_round, open_round, national_admin, province_a, django_assert_num_queries
):
    others = []
    for i in range(6):
        cooperative = CooperativeFactory(province=province_a, code=f"820000060{i}")
        submit(questionnaire, earlier_round, cooperative, national_admin, "worst", accept=True)
        others.append(submit(questionnaire, open_round, cooperative, national_admin, "best").pk)
    # Replacing the open flags (read, update, history), three checks, and the new flags (and history).
    with django_assert_num_queries(9):
        flags_raise(response_ids=[flagged.pk], by=None, now=timezone.now())
    with django_assert_num_queries(9):
        flags_raise(response_ids=[flagged.pk, *others], by=None, now=timezone.now())


# Resolution


def test_the_officer_confirms_a_flag_with_a_note_and_it_leaves_the_work_list(flagged, officer_a):
    assert {f.response_id for f in selectors.flag_list_to_review(user=officer_a)} == {flagged.pk}
    flag = ResponseFlag.objects.get(response=flagged, kind=FlagKind.LEVEL_JUMP)
    response_flag_confirm(flag=flag, by=officer_a, note="  HTX đã đầu tư phần mềm kế toán và sàn TMĐT  ")
    flag.refresh_from_db()
    assert (flag.status, flag.resolved_by, flag.note) == (
        FlagStatus.CONFIRMED,
        officer_a,
        "HTX đã đầu tư phần mềm kế toán và sàn TMĐT",
    )
    assert flag.history.first().history_user == officer_a
    assert [f.kind for f in selectors.flag_list_to_review(user=officer_a)] == [FlagKind.PILLAR_JUMP]


def test_returning_the_response_clears_its_flags_and_resubmitting_checks_again(
    flagged, officer_a, national_admin, questionnaire
):
    response_review(response=flagged, by=officer_a, accept=False, comment="Kiểm tra lại điểm trụ cột")
    statuses = set(ResponseFlag.objects.filter(response=flagged).values_list("status", "resolved_by"))
    assert statuses == {(FlagStatus.RETURNED, officer_a.pk)}
    assert list(selectors.flag_list_to_review(user=officer_a)) == []
    # Corrected to middling answers: the pillars no longer go from 0 to 100, the level moves less.
    response_save_answers(response=flagged, answers=complete_answers(questionnaire, "worst"), by=national_admin)
    response_submit(response=flagged, by=national_admin)
    assert open_flags(flagged) == {}


def test_submitting_again_replaces_the_open_flags_by_the_new_checks(flagged, national_admin, questionnaire):
    response_save_answers(response=flagged, answers={"DX_DIFFICULTY": "Thiếu vốn đầu tư"}, by=national_admin)
    response_submit(response=flagged, by=national_admin)
    assert set(open_flags(flagged)) == {FlagKind.LEVEL_JUMP, FlagKind.PILLAR_JUMP}
    assert ResponseFlag.objects.filter(response=flagged, status=FlagStatus.REPLACED).count() == 2


def test_accepting_confirms_the_open_flags_in_the_reviewers_name(flagged, officer_a):
    response_review(response=flagged, by=officer_a, accept=True, comment="Đã gọi điện kiểm tra")
    flags = ResponseFlag.objects.filter(response=flagged)
    assert set(flags.values_list("status", "resolved_by", "note")) == {
        (FlagStatus.CONFIRMED, officer_a.pk, "Đã gọi điện kiểm tra")
    }


# The review page


def test_the_review_page_says_what_is_flagged_and_why_in_vietnamese(login, flagged, officer_a):
    page = login(officer_a).get(f"/surveys/responses/{flagged.pk}/").content.decode()
    assert 'data-testid="flags"' in page and "Cảnh báo từ kiểm tra dữ liệu" in page
    assert "Mức độ trưởng thành đã chuyển từ 0" in page and "Xác nhận: số liệu đúng" in page
    assert page.count('data-testid="confirm-flag"') == 2


def test_the_cooperative_does_not_see_the_flags(login, flagged, province_a):
    from accounts.models import Role
    from tests.factories import UserFactory

    member = UserFactory(role=Role.COOPERATIVE_MEMBER, cooperative=flagged.cooperative)
    page = login(member).get(f"/surveys/responses/{flagged.pk}/").content.decode()
    assert 'data-testid="flags"' not in page


def confirm_url(flagged, kind=FlagKind.LEVEL_JUMP):
    return f"/surveys/flags/{ResponseFlag.objects.get(response=flagged, kind=kind).pk}/confirm/"


def test_confirming_on_the_page_records_it_and_shows_it(login, flagged, officer_a):
    client = login(officer_a)
    response = client.post(confirm_url(flagged), {"note": "Đúng, HTX mới đầu tư"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "Đã xác nhận cảnh báo" in page
    assert 'data-status="confirmed"' in page and "Đúng, HTX mới đầu tư" in page


def test_an_officer_of_another_province_can_neither_see_nor_confirm(login, flagged, officer_b):
    client = login(officer_b)
    assert client.post(confirm_url(flagged)).status_code == 404
    assert list(selectors.flag_list_to_review(user=officer_b)) == []
    assert ResponseFlag.objects.filter(response=flagged, status=FlagStatus.OPEN).count() == 2


def test_a_read_only_national_role_cannot_confirm(login, flagged, ministry_analyst):
    assert login(ministry_analyst).post(confirm_url(flagged)).status_code == 403


def test_who_entered_the_response_cannot_confirm_its_flags(login, flagged, national_admin):
    response = login(national_admin).post(confirm_url(flagged))
    assert response.status_code == 400
    assert "cần một cán bộ khác xác nhận" in response.content.decode()


def test_confirming_a_resolved_flag_or_with_a_too_long_note_is_refused_clearly(login, flagged, officer_a):
    client = login(officer_a)
    too_long = client.post(confirm_url(flagged), {"note": "x" * 501})
    assert too_long.status_code == 400 and "500" in too_long.content.decode()
    assert client.post(confirm_url(flagged), {"note": "Đúng"}).status_code == 302
    again = client.post(confirm_url(flagged), {"note": "Đúng"})
    assert again.status_code == 400 and "Cảnh báo này đã được xử lý" in again.content.decode()
