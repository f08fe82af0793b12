"""The questionnaire's consistency rules over the API: the same rules and outcome as the browser
(tests/surveys/test_consistency.py), in the API's error shape with each rule named."""

from __future__ import annotations

import pytest

from surveys.models import Response, ResponseStatus
from tests.surveys.test_consistency import contradicting, unusual

pytestmark = pytest.mark.django_db


def draft(client, coop, survey_round, answers):
    started = client.post(f"/api/v1/cooperatives/{coop.pk}/responses/", {"round": survey_round.code}, format="json")
    body = started.json()
    saved = client.patch(f"/api/v1/responses/{body['id']}/", {"revision": 0, "answers": answers}, format="json")
    assert saved.status_code == 200
    return body["id"], saved.json()["revision"]


def test_a_contradiction_is_400_inconsistent_answers_naming_the_rule_even_when_confirmed(
    as_caller, coop_a, open_round, best_answers
):
    client = as_caller("member_a")
    pk, revision = draft(client, coop_a, open_round, contradicting(best_answers))
    for confirm in (False, True):
        refused = client.post(
            f"/api/v1/responses/{pk}/submit/", {"revision": revision, "confirm_warnings": confirm}, format="json"
        )
        assert refused.status_code == 400
        error = refused.json()["error"]
        assert error["code"] == "inconsistent_answers"
        assert list(error["fields"]) == ["rules.orders-need-a-channel"]
        assert error["fields"]["rules.orders-need-a-channel"][0].startswith("HTX có nhận đơn hàng")
    assert Response.objects.get(pk=pk).status == ResponseStatus.DRAFT


def test_a_warning_is_400_until_confirmed_then_the_response_keeps_the_confirmation(
    as_caller, coop_a, open_round, best_answers
):
    client = as_caller("member_a")
    pk, revision = draft(client, coop_a, open_round, unusual(best_answers))
    refused = client.post(
        f"/api/v1/responses/{pk}/submit/", {"revision": revision}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "warnings_to_confirm"
    assert list(error["fields"]) == ["rules.einvoices-without-software"]
    assert Response.objects.get(pk=pk).status == ResponseStatus.DRAFT

    sent = client.post(
        f"/api/v1/responses/{pk}/submit/", {"revision": revision, "confirm_warnings": True}, format="json"
    )
    assert sent.status_code == 200
    body = sent.json()
    assert body["status"] == "submitted" and body["confirmed_warnings"] == ["einvoices-without-software"]


def test_a_rule_the_national_team_adds_is_enforced_in_the_browser_the_api_and_the_paper_import(
    login, as_caller, national_admin, member_a, officer_a, coop_a, province_a, questionnaire, best_answers
):
    """Written in the admin on a draft version, published, then met by each write path."""
    import datetime

    from django.utils import timezone

    from surveys.models import SurveyRound
    from surveys.questionnaires import questionnaire_new_version, questionnaire_publish
    from surveys.services import response_save_answers, response_start
    from tests.factories import CooperativeFactory
    from tests.surveys.test_consistency import submit_in_browser
    from tests.surveys.test_response_import import cells, run, template_headers, workbook

    draft_version = questionnaire_new_version(questionnaire=questionnaire)
    rule = {
        "questionnaire": draft_version.pk,
        "code": "staff-trained-needs-skills",
        "severity": "error",
        "condition": "${STAFF_TRAINED} > 5",
        "constraint": "${DIGITAL_SKILLS} != 'none'",
        "message_vi": "Đã có người được tập huấn nhưng trả lời không ai dùng máy tính.",
        "message_en": "Staff were trained but nobody uses computers.",
        "position": 9,
    }
    assert login(national_admin).post("/admin/surveys/consistencyrule/add/", rule).status_code == 302
    questionnaire_publish(questionnaire=draft_version)
    today = timezone.localdate()
    survey_round = SurveyRound.objects.create(
        code="KS2027",
        name_vi="Khảo sát 2027",
        questionnaire=draft_version,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=30),
    )
    broken = {**best_answers, "STAFF_TRAINED": "8", "DIGITAL_SKILLS": "none"}
    fine = {**best_answers, "STAFF_TRAINED": "3", "DIGITAL_SKILLS": "none"}  # the rule's condition does not hold

    # The browser.
    browser = login(member_a)
    response = response_start(survey_round=survey_round, cooperative=coop_a, by=member_a)
    response_save_answers(response=response, answers=broken, by=member_a)
    refused = submit_in_browser(browser, response, confirm=True)
    assert refused.status_code == 400 and 'data-rule="staff-trained-needs-skills"' in refused.content.decode()
    assert Response.objects.get(pk=response.pk).status == ResponseStatus.DRAFT

    # The API.
    api = as_caller("officer_a")
    other = CooperativeFactory(province=province_a, code="8200000811")
    pk, revision = draft(api, other, survey_round, broken)
    sent = api.post(f"/api/v1/responses/{pk}/submit/", {"revision": revision, "confirm_warnings": True}, format="json")
    assert sent.status_code == 400 and list(sent.json()["error"]["fields"]) == ["rules.staff-trained-needs-skills"]

    # The paper import: the broken row refused with its row and the rule's message, the other written.
    on_paper, unbroken = (CooperativeFactory(province=province_a, code=c) for c in ("8200000812", "8200000813"))
    headers = template_headers(login(officer_a), survey_round)
    content = workbook(headers, [cells(headers, on_paper.code, broken), cells(headers, unbroken.code, fine)])
    plan, _ = run(content, survey_round, scope=province_a, by=officer_a, dry_run=True)
    assert [(e.row, e.message) for e in plan.errors] == [(2, rule["message_vi"])]
    assert not Response.objects.filter(cooperative__in=[on_paper, unbroken]).exists()
