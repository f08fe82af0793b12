"""Consistency rules between answers, as data per questionnaire version: the expression language,
the rules' checks when saved, and the same outcome in the browser and the paper import (the API's
is in tests/api/test_consistency_api.py)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from surveys.consistency import answers_check, questionnaire_rules
from surveys.expressions import QuestionFacts, parse
from surveys.models import ConsistencyRule, Response, ResponseStatus, RuleSeverity
from surveys.questionnaires import questionnaire_new_version, questionnaire_publish
from surveys.scoring import AnswerValue
from surveys.services import response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory
from tests.surveys.test_one_lifecycle import outcome
from tests.surveys.test_response_import import cells, run, template_headers, workbook

pytestmark = pytest.mark.django_db

FACTS = {
    "CHANNELS": QuestionFacts("multiple", frozenset({"website", "marketplace", "none"})),
    "PLAN": QuestionFacts("single", frozenset({"none", "approved"})),
    "ORDERS": QuestionFacts("number"),
    "NOTE": QuestionFacts("text"),
}


def values(**answers):
    result = {}
    for code, value in answers.items():
        if isinstance(value, list):
            result[code] = AnswerValue(options=value)
        elif isinstance(value, (int, Decimal)):
            result[code] = AnswerValue(number=Decimal(value))
        elif code == "PLAN":
            result[code] = AnswerValue(options=[value])
        else:
            result[code] = AnswerValue(text=value)
    return result


@pytest.mark.parametrize(
    "text, answers, expected",
    [
        ("selected(${CHANNELS}, 'marketplace')", values(CHANNELS=["website", "marketplace"]), True),
        ("selected(${CHANNELS}, 'marketplace')", values(CHANNELS=["website"]), False),
        ("selected(${CHANNELS}, 'marketplace')", values(), False),
        ("not(selected(${CHANNELS}, 'none'))", values(CHANNELS=["none"]), False),
        ("count-selected(${CHANNELS}) >= 2", values(CHANNELS=["website", "marketplace"]), True),
        ("count-selected(${CHANNELS}) >= 2", values(CHANNELS=["website"]), False),
        ("${PLAN} = 'approved'", values(PLAN="approved"), True),
        ("${PLAN} != 'approved'", values(PLAN="none"), True),
        ("${ORDERS} > 0", values(ORDERS=3), True),
        ("${ORDERS} > 0", values(ORDERS=0), False),
        ("${ORDERS} >= 2.5", values(ORDERS=Decimal("2.5")), True),
        ("${ORDERS} + 1 = 4", values(ORDERS=3), True),
        ("-${ORDERS} < 0", values(ORDERS=3), True),
        # An empty answer is not a number: comparisons are false, "!=" is true (XPath's NaN).
        ("${ORDERS} > 0", values(), False),
        ("${ORDERS} < 1", values(), False),
        ("${ORDERS} != 0", values(), True),
        ("${ORDERS} = ''", values(), True),
        ("string-length(${NOTE}) > 3", values(NOTE="Thiếu vốn"), True),
        ("${ORDERS} > 0 and selected(${CHANNELS}, 'none')", values(ORDERS=5, CHANNELS=["none"]), True),
        ("${ORDERS} > 0 and (selected(${CHANNELS}, 'website') or ${PLAN} = 'approved')", values(ORDERS=5), False),
        ("false() or true()", values(), True),
        ('${PLAN} = "none"', values(PLAN="none"), True),
    ],
)
def test_an_expression_reads_answers_as_xlsform_does(text, answers, expected):
    assert parse(text, FACTS).evaluate(answers) is expected


@pytest.mark.parametrize(
    "text, words",
    [
        ("${MISSING} > 0", "No question MISSING"),
        ("selected(${CHANNELS}, 'shop')", "has no option “shop”"),
        ("selected(${ORDERS}, 'x')", "ORDERS is not a choice question"),
        ("selected(${CHANNELS})", "selected takes 2 arguments"),
        ("selected(${CHANNELS}, ${PLAN})", "option code in quotes"),
        ("regex(${NOTE}, 'a')", "Unknown function regex"),
        ("${ORDERS} >", "Expected a value, found the end"),
        ("(${ORDERS} > 0", "Expected “)”"),
        ("${ORDERS} > 0 0", "Unexpected “0”"),
        ("${ORDERS} ; 1", "cannot be read at character 11"),
        ("${PLAN} = 'drafted'", "PLAN has no option “drafted”"),
        ("__import__('os')", "cannot be read at character 1"),
        ("", "The expression is empty"),
        ("(" * 40 + "1" + ")" * 40, "nests more than 30 levels"),
        ("not(" * 199 + "1" + ")" * 199, "nests more than 30 levels"),
    ],
)
def test_an_expression_that_could_not_run_is_refused_naming_the_mistake(text, words):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        parse(text, FACTS)
    assert words in " ".join(refused.value.messages)


def test_arithmetic_beyond_the_range_of_numbers_is_not_a_number_not_an_error():
    huge = values(NOTE="9e999999999999999999")
    assert parse("${NOTE} + ${NOTE} > 0", FACTS).evaluate(huge) is False
    assert parse("${NOTE} + ${NOTE} != 0", FACTS).evaluate(huge) is True


def test_the_national_version_ships_its_rules_and_each_reads_real_questions(questionnaire):
    rules = {rule.code: rule for rule in questionnaire_rules(questionnaire)}
    assert sorted(rules) == [
        "einvoices-without-software",
        "orders-need-a-channel",
        "platform-payment-without-marketplace",
        "products-online-need-a-channel",
        "software-without-computer",
    ]
    assert rules["orders-need-a-channel"].severity == RuleSeverity.ERROR
    assert rules["orders-need-a-channel"].codes == {"ONLINE_ORDERS", "ONLINE_CHANNELS"}
    assert rules["einvoices-without-software"].severity == RuleSeverity.WARNING


def contradicting(answers):
    """Complete answers with online orders every month and no online channel at all."""
    return {**answers, "ONLINE_ORDERS": "12", "ONLINE_CHANNELS": ["none"], "PRODUCT_INFO_ONLINE": "none"}


def unusual(answers):
    """Complete answers with e-invoices but no accounting software (a warning only)."""
    return {**answers, "ACCOUNTING": ["paper", "einvoice"]}


def test_a_rule_is_checked_only_once_every_question_it_reads_is_answered(questionnaire, best_answers):
    rules = questionnaire_rules(questionnaire)
    broken = {"ONLINE_ORDERS": AnswerValue(number=Decimal(12)), "ONLINE_CHANNELS": AnswerValue(options=["none"])}
    assert [f.code for f in answers_check(rules, broken)] == ["orders-need-a-channel"]
    assert answers_check(rules, {"ONLINE_ORDERS": AnswerValue(number=Decimal(12))}) == []
    assert answers_check(rules, {"ONLINE_ORDERS": AnswerValue(number=Decimal(0)), **broken_channels()}) == []


def broken_channels():
    return {"ONLINE_CHANNELS": AnswerValue(options=["none"])}


def test_errors_come_before_warnings(questionnaire):
    both = {
        "ONLINE_ORDERS": AnswerValue(number=Decimal(5)),
        "ONLINE_CHANNELS": AnswerValue(options=["none"]),
        "ACCOUNTING": AnswerValue(options=["einvoice"]),
    }
    findings = answers_check(questionnaire_rules(questionnaire), both)
    assert [(f.code, f.is_error) for f in findings] == [
        ("orders-need-a-channel", True),
        ("einvoices-without-software", False),
    ]


def submit_in_browser(client, response, *, confirm=False):
    data = {"revision": Response.objects.get(pk=response.pk).revision}
    if confirm:
        data["confirm_warnings"] = "1"
    return client.post(f"/surveys/responses/{response.pk}/submit/", data)


def test_a_contradiction_blocks_sending_in_the_browser_and_the_page_says_which_answers(
    login, member_a, coop_a, open_round, best_answers
):
    client = login(member_a)
    response = response_start(survey_round=open_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers=contradicting(best_answers), by=member_a)

    page = client.get(f"/surveys/responses/{response.pk}/submit/")
    html = page.content.decode()
    assert 'data-testid="consistency-errors"' in html and 'data-rule="orders-need-a-channel"' in html
    assert "HTX có nhận đơn hàng qua kênh trực tuyến" in html
    assert 'data-testid="submit-survey"' not in html  # no way to send past an error

    sent = submit_in_browser(client, response, confirm=True)
    assert sent.status_code == 400
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.DRAFT


def test_a_warning_is_sent_only_once_confirmed_and_the_reviewer_sees_what_was_confirmed(
    login, member_a, officer_a, coop_a, open_round, best_answers
):
    client = login(member_a)
    response = response_start(survey_round=open_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers=unusual(best_answers), by=member_a)
    html = client.get(f"/surveys/responses/{response.pk}/submit/").content.decode()
    assert 'data-testid="consistency-warnings"' in html and 'name="confirm_warnings"' in html

    refused = submit_in_browser(client, response)
    assert refused.status_code == 400
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.DRAFT
    assert 'data-rule="einvoices-without-software"' in refused.content.decode()

    sent = submit_in_browser(client, response, confirm=True)
    assert sent.status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.confirmed_warnings == ["einvoices-without-software"]

    review = login(officer_a).get(f"/surveys/responses/{response.pk}/")
    review_html = review.content.decode()
    assert 'data-testid="confirmed-warnings"' in review_html
    assert 'data-rule="einvoices-without-software"' in review_html


def test_editing_the_answers_drops_the_confirmation(member_a, coop_a, open_round, best_answers):
    response = response_start(survey_round=open_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers=unusual(best_answers), by=member_a)
    response = response_submit(response=response, by=member_a, confirm_warnings=True)
    assert response.confirmed_warnings == ["einvoices-without-software"]
    response = response_save_answers(response=response, answers={"ACCOUNTING": ["software"]}, by=member_a)
    assert response.confirmed_warnings == [] and response.status == ResponseStatus.DRAFT
    response = response_submit(response=response, by=member_a)  # nothing unusual left: no confirmation asked
    assert response.status == ResponseStatus.SUBMITTED and response.confirmed_warnings == []


def test_the_paper_import_refuses_a_contradiction_naming_row_and_questions(
    login, officer_a, province_a, open_round, best_answers
):
    client = login(officer_a)
    good = CooperativeFactory(province=province_a, code="8200000801")
    bad = CooperativeFactory(province=province_a, code="8200000802")
    headers = template_headers(client, open_round)
    content = workbook(
        headers, [cells(headers, good.code, best_answers), cells(headers, bad.code, contradicting(best_answers))]
    )
    plan, result = run(content, open_round, scope=province_a, by=officer_a)
    assert not plan.ok and result is None
    assert [(e.row, e.column) for e in plan.errors] == [(3, "ONLINE_CHANNELS, ONLINE_ORDERS")]
    assert "HTX có nhận đơn hàng qua kênh trực tuyến" in plan.errors[0].message
    assert not Response.objects.filter(round=open_round).exists()  # all or nothing


def test_the_paper_import_lists_warnings_and_confirming_it_confirms_them(
    login, officer_a, province_a, open_round, best_answers
):
    client = login(officer_a)
    plain = CooperativeFactory(province=province_a, code="8200000803")
    odd = CooperativeFactory(province=province_a, code="8200000804")
    headers = template_headers(client, open_round)
    content = workbook(
        headers, [cells(headers, plain.code, best_answers), cells(headers, odd.code, unusual(best_answers))]
    )
    plan, _ = run(content, open_round, scope=province_a, by=officer_a, dry_run=True)
    assert plan.ok
    assert [(w.row, w.column) for w in plan.warnings] == [(3, "ACCOUNTING")]
    assert plan.summary()["warning_rows"] == 1

    plan, result = run(content, open_round, scope=province_a, by=officer_a)
    assert result == {"created": 2, "updated": 0, "unchanged": 0}
    stored = dict(Response.objects.filter(round=open_round).values_list("cooperative__code", "confirmed_warnings"))
    assert stored == {plain.code: [], odd.code: ["einvoices-without-software"]}


def test_browser_and_paper_end_identical_with_a_confirmed_warning(
    login, officer_a, province_a, open_round, best_answers
):
    answers = unusual(best_answers)
    in_browser = CooperativeFactory(province=province_a, code="8200000805")
    on_paper = CooperativeFactory(province=province_a, code="8200000806")
    response = response_start(survey_round=open_round, cooperative=in_browser, by=officer_a)
    response_save_answers(response=response, answers=answers, by=officer_a)
    browser = response_submit(response=response, by=officer_a, confirm_warnings=True)
    headers = template_headers(login(officer_a), open_round)
    run(workbook(headers, [cells(headers, on_paper.code, answers)]), open_round, scope=province_a, by=officer_a)
    paper = Response.objects.get(round=open_round, cooperative=on_paper)
    assert paper.confirmed_warnings == browser.confirmed_warnings == ["einvoices-without-software"]
    assert outcome(paper) == outcome(browser)


def test_the_national_team_writes_a_rule_on_a_draft_version_and_it_applies_once_published(
    login, national_admin, member_a, coop_a, questionnaire, best_answers
):
    draft = questionnaire_new_version(questionnaire=questionnaire)
    assert draft.rules.count() == 5  # the previous version's rules come along
    admin = login(national_admin)
    add_page = admin.get("/admin/surveys/consistencyrule/add/").content.decode()
    assert f'<option value="{draft.pk}"' in add_page and f'<option value="{questionnaire.pk}"' not in add_page
    form = {
        "questionnaire": draft.pk,
        "code": "staff-trained-needs-skills",
        "severity": "error",
        "condition": "${STAFF_TRAINED} > 5",
        "constraint": "${DIGITAL_SKILLS} != 'none'",
        "message_vi": "Đã có người được tập huấn nhưng trả lời không ai dùng máy tính.",
        "message_en": "Staff were trained but nobody uses computers.",
        "position": 9,
    }
    bad = admin.post("/admin/surveys/consistencyrule/add/", {**form, "constraint": "${DIGITAL_SKILLS} != 'never'"})
    assert bad.status_code == 200 and "Câu hỏi DIGITAL_SKILLS không có phương án “never”" in bad.content.decode()
    assert admin.post("/admin/surveys/consistencyrule/add/", form).status_code == 302
    questionnaire_publish(questionnaire=draft)

    rule = ConsistencyRule.objects.get(questionnaire=draft, code="staff-trained-needs-skills")
    with pytest.raises(ValidationError):
        rule.full_clean()  # frozen with its published version
    assert admin.get(f"/admin/surveys/consistencyrule/{rule.pk}/change/").status_code == 200
    assert admin.post(f"/admin/surveys/consistencyrule/{rule.pk}/change/", form).status_code == 403

    codes = [r.code for r in questionnaire_rules(draft)]
    assert "staff-trained-needs-skills" in codes
    answers = {**best_answers, "STAFF_TRAINED": "8", "DIGITAL_SKILLS": "none"}
    values = {code: AnswerValue(options=v if isinstance(v, list) else []) for code, v in answers.items()}
    values["STAFF_TRAINED"] = AnswerValue(number=Decimal(8))
    values["DIGITAL_SKILLS"] = AnswerValue(options=["none"])
    assert "staff-trained-needs-skills" in [f.code for f in answers_check(questionnaire_rules(draft), values)]
    assert "staff-trained-needs-skills" not in [
        f.code for f in answers_check(questionnaire_rules(questionnaire), values)
    ]


def upload_paper(client, survey_round, content, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from imports.models import ImportJob

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            reverse("cooperatives:import"),
            {"kind": "responses", "round": survey_round.code, "file": SimpleUploadedFile("phieu.xlsx", content)},
        )
    assert page.status_code == 302
    return ImportJob.objects.get()


def test_the_import_page_lists_each_unusual_answer_and_confirming_the_import_confirms_them(
    login, officer_a, province_a, open_round, best_answers, django_capture_on_commit_callbacks
):
    """What the officer reads before confirming: the row, the question and the rule's message."""
    from django.urls import reverse

    client = login(officer_a)
    plain = CooperativeFactory(province=province_a, code="8200000807")
    odd = CooperativeFactory(province=province_a, code="8200000808")
    headers = template_headers(client, open_round)
    content = workbook(
        headers, [cells(headers, plain.code, best_answers), cells(headers, odd.code, unusual(best_answers))]
    )
    job = upload_paper(client, open_round, content, django_capture_on_commit_callbacks)
    page = client.get(reverse("cooperatives:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    html = page.content.decode()
    section = html[html.index('data-testid="import-warnings"') :]
    section = section[: section.index("</section>")]
    assert "1 dòng có câu trả lời bất thường" in section
    rows = [
        [cell.strip() for cell in row.split("</td>")[:-1]]
        for row in section.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]
    ]
    assert [[cell.split(">")[-1] for cell in row] for row in rows] == [["3", "ACCOUNTING", rule_message_vi(open_round)]]
    assert "Đang hiển thị" not in section
    assert Response.objects.filter(round=open_round).count() == 0  # nothing written before confirming

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("cooperatives:import_confirm", args=[job.pk])).status_code == 302
    stored = dict(Response.objects.filter(round=open_round).values_list("cooperative__code", "confirmed_warnings"))
    assert stored == {plain.code: [], odd.code: ["einvoices-without-software"]}
    done = client.get(reverse("cooperatives:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Đã xác nhận khi nhập" in done


def rule_message_vi(survey_round):
    from django.utils.html import escape

    rule = ConsistencyRule.objects.get(questionnaire=survey_round.questionnaire, code="einvoices-without-software")
    return escape(rule.message_vi)


def test_when_more_warnings_are_found_than_are_kept_the_page_says_how_many_it_shows(
    login, officer_a, province_a, open_round, best_answers, django_capture_on_commit_callbacks, monkeypatch
):
    """Confirming the import confirms every unusual answer, so the page must not pass hidden ones
    off as all there is."""
    from django.urls import reverse

    import surveys.importing

    monkeypatch.setattr(surveys.importing, "MAX_STORED_ERRORS", 1)
    client = login(officer_a)
    first = CooperativeFactory(province=province_a, code="8200000809")
    second = CooperativeFactory(province=province_a, code="8200000810")
    headers = template_headers(client, open_round)
    odd = unusual(best_answers)
    content = workbook(headers, [cells(headers, first.code, odd), cells(headers, second.code, odd)])
    job = upload_paper(client, open_round, content, django_capture_on_commit_callbacks)
    html = client.get(reverse("cooperatives:import_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    section = html[html.index('data-testid="import-warnings"') :]
    section = section[: section.index("</section>")]
    assert "2 dòng có câu trả lời bất thường" in section
    assert section.count("<tr><td>") == 1
    assert "Đang hiển thị 1 trong 2 câu trả lời bất thường" in section
