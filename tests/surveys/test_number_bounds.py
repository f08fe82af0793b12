"""Number answers keep to the bounds the questionnaire version gives each question (a share is
0–100, a count of computers is a whole number): the browser, the API and the paper import
refuse anything else with the same message."""

import re

import pytest

from surveys.models import Answer, Question, Response
from tests.surveys.test_response_flow import start
from tests.surveys.test_response_import import cells, run, workbook

pytestmark = pytest.mark.django_db

SHARE_MESSAGE = "Nhập một số từ 0 đến 100."
COUNT_MESSAGE = "Nhập một số nguyên từ 0 đến 1.000."


def test_the_national_questionnaire_gives_every_number_question_its_bounds(questionnaire):
    bounds = {
        q.code: (q.min_value, q.max_value, q.integer_only)
        for q in Question.objects.filter(questionnaire=questionnaire, kind="number")
    }
    assert bounds == {
        "ONLINE_ORDERS": (0, 100000, True),
        "MEMBER_ONLINE_REACH": (0, 100, False),
        "COMPUTERS": (0, 1000, True),
        "STAFF_TRAINED": (0, 1000, True),
    }


def test_the_browser_form_refuses_a_share_over_100_and_fractional_computers(login, member_a, coop_a, open_round):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    reach = Question.objects.get(questionnaire=open_round.questionnaire, code="MEMBER_ONLINE_REACH")
    computers = Question.objects.get(questionnaire=open_round.questionnaire, code="COMPUTERS")
    for question, value, message in ((reach, "150", SHARE_MESSAGE), (computers, "2.5", COUNT_MESSAGE)):
        page = question.pillar.position + 1
        result = client.post(
            f"/surveys/responses/{response.pk}/page/{page}/",
            {"revision": response.revision, "go": "next", question.code: value},
        )
        assert result.status_code == 200  # the page again, with the error next to the question
        assert message in result.content.decode()
    assert not Answer.objects.filter(response=response).exists()
    response.refresh_from_db()
    assert response.revision == 0


def test_the_browser_form_accepts_a_value_on_the_bound_and_a_comma_decimal(login, member_a, coop_a, open_round):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    reach = Question.objects.get(questionnaire=open_round.questionnaire, code="MEMBER_ONLINE_REACH")
    page = reach.pillar.position + 1
    result = client.post(
        f"/surveys/responses/{response.pk}/page/{page}/",
        {"revision": response.revision, "go": "leave", "MEMBER_ONLINE_REACH": "62,5"},
    )
    assert result.status_code == 302
    assert Answer.objects.get(response=response, question=reach).number == pytest.approx(62.5)
    # Shown again in plain digits, which a number input reads in any language.
    page_again = client.get(f"/surveys/responses/{response.pk}/page/{page}/").content.decode()
    assert re.search(r'<input[^>]*name="MEMBER_ONLINE_REACH"[^>]*value="62.5"', page_again)


def test_number_inputs_carry_the_bounds_and_step_in_plain_digits(login, member_a, coop_a, open_round):
    client = login(member_a)
    response = start(client, open_round, coop_a)
    computers = Question.objects.get(questionnaire=open_round.questionnaire, code="COMPUTERS")
    orders = Question.objects.get(questionnaire=open_round.questionnaire, code="ONLINE_ORDERS")
    reach = Question.objects.get(questionnaire=open_round.questionnaire, code="MEMBER_ONLINE_REACH")
    pages = {}
    for question in (computers, orders, reach):
        page = question.pillar.position + 1
        pages.setdefault(page, client.get(f"/surveys/responses/{response.pk}/page/{page}/").content.decode())
        tag = re.search(rf'<input[^>]*name="{question.code}"[^>]*>', pages[page]).group(0)
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        expected = {
            "COMPUTERS": ("0", "1000", "1", "numeric"),
            "ONLINE_ORDERS": ("0", "100000", "1", "numeric"),
            "MEMBER_ONLINE_REACH": ("0", "100", "0.01", "decimal"),
        }[question.code]
        assert (attrs["min"], attrs["max"], attrs["step"], attrs["inputmode"]) == expected, tag
        assert attrs["type"] == "number"


def test_the_paper_import_refuses_out_of_range_numbers_with_the_same_message(coop_a, open_round, best_answers):
    headers = ["Mã số HTX", *best_answers]
    answers = {**best_answers, "MEMBER_ONLINE_REACH": 150, "COMPUTERS": 2.5}
    plan, result = run(workbook(headers, [cells(headers, coop_a.code, answers)]), open_round)
    assert result is None
    assert {(e.column, e.message) for e in plan.errors} == {
        ("MEMBER_ONLINE_REACH", SHARE_MESSAGE),
        ("COMPUTERS", COUNT_MESSAGE),
    }
    assert not Response.objects.exists()


def test_the_paper_import_template_says_the_bounds(login, officer_a, open_round):
    import io

    import openpyxl

    content = b"".join(login(officer_a).get(f"/surveys/rounds/{open_round.code}/template.xlsx").streaming_content)
    guide = openpyxl.load_workbook(io.BytesIO(content))["Câu hỏi"]
    how = {row[0]: row[3] for row in guide.iter_rows(min_row=2, values_only=True) if row[0]}
    assert how["COMPUTERS"] == "một số nguyên từ 0 đến 1.000 (máy)"
    assert how["MEMBER_ONLINE_REACH"] == "một số từ 0 đến 100 (%)"
