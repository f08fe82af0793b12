"""The page where the national team keeps indicator series going across a new questionnaire
version: it lists what the draft drops or changes, records the mapping through the service, and
refuses what cannot be recorded with a message and a 400."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.continuity import indicator_breaks
from surveys.models import IndicatorMapping, Option, Question
from surveys.questionnaires import questionnaire_new_version, questionnaire_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(questionnaire):
    """A new version that drops the digital-signature question and renames a traceability option."""
    version = questionnaire_new_version(questionnaire=questionnaire)
    Question.objects.filter(questionnaire=version, code="DIGITAL_SIGNATURE").delete()
    Option.objects.filter(question__questionnaire=version, question__code="TRACEABILITY", code="qr_all").update(
        code="qr_every_product"
    )
    return version


def page(version):
    return reverse("surveys:questionnaire_indicators", args=[version.pk])


def test_the_page_lists_each_break_with_a_way_to_decide_in_vietnamese(client, national_admin, draft):
    client.force_login(national_admin)
    response = client.get(page(draft), HTTP_ACCEPT_LANGUAGE="vi")
    body = response.content.decode()
    assert response.status_code == 200
    assert "2 chỉ tiêu cần quyết định" in body
    assert 'data-testid="map-digital_signature"' in body
    assert 'data-testid="map-traceability"' in body
    assert "phiên bản này không còn các phương án qr_all." in body


def test_choosing_a_question_shows_its_options_and_posting_records_the_mapping(client, national_admin, draft):
    client.force_login(national_admin)
    step_one = client.get(page(draft), {"indicator": "digital_signature", "question": "E_FILING"})
    assert step_one.status_code == 200
    assert 'data-testid="mapping-form"' in step_one.content.decode()
    assert 'value="yes"' in step_one.content.decode()

    response = client.post(
        page(draft),
        {"indicator": "digital_signature", "question": "E_FILING", "options": ["yes"], "note": "Hỏi chung"},
    )
    assert response.status_code == 302
    mapping = IndicatorMapping.objects.get(questionnaire=draft, indicator__code="digital_signature")
    assert (mapping.question_code, mapping.option_codes, mapping.note) == ("E_FILING", ["yes"], "Hỏi chung")
    assert mapping.created_by == national_admin
    assert [b.indicator.code for b in indicator_breaks(draft)] == ["traceability"]

    client.post(
        page(draft),
        {"indicator": "traceability", "question": "TRACEABILITY", "options": ["qr_partial", "qr_every_product"]},
    )
    assert indicator_breaks(draft) == []
    assert questionnaire_publish(questionnaire=draft).is_published


def test_a_recorded_mapping_opens_with_its_own_choices_and_can_be_changed(client, national_admin, draft):
    client.force_login(national_admin)
    client.post(page(draft), {"indicator": "digital_signature", "question": "E_FILING", "options": ["yes"]})
    listed = client.get(page(draft)).content.decode()
    assert 'data-testid="change-digital_signature"' in listed
    opened = client.get(page(draft), {"indicator": "digital_signature"}).content.decode()
    assert '<option value="E_FILING" selected>' in opened
    assert 'value="yes"  id="id_options_0" checked>' in opened
    assert 'value="no"  id="id_options_1">' in opened
    client.post(page(draft), {"indicator": "digital_signature", "question": "E_FILING", "options": ["no"]})
    assert IndicatorMapping.objects.get(questionnaire=draft, indicator__code="digital_signature").option_codes == ["no"]
    assert IndicatorMapping.objects.filter(questionnaire=draft).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"indicator": "digital_signature", "question": "E_FILING"},
            "Hãy chọn một hoặc nhiều phương án của câu E_FILING.",
        ),
        ({"indicator": "digital_signature", "question": "E_FILING", "options": ["maybe"]}, "maybe"),
        ({"indicator": "digital_signature", "question": "NO_SUCH", "options": ["yes"]}, "NO_SUCH"),
        ({"indicator": "dx_necessary", "question": "DX_NEED", "options": ["yes"]}, "Không có quyết định nào"),
        ({"indicator": "'; DROP TABLE x; --", "question": "E_FILING"}, "Không có quyết định nào"),
    ],
    ids=["no-option", "unknown-option", "unknown-question", "indicator-kept", "hostile-indicator"],
)
def test_what_cannot_be_recorded_is_refused_with_a_message_and_400(client, national_admin, draft, data, message):
    client.force_login(national_admin)
    response = client.post(page(draft), data, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IndicatorMapping.objects.filter(questionnaire=draft).exists()


def test_a_published_version_is_read_only_here(client, national_admin, questionnaire):
    client.force_login(national_admin)
    shown = client.get(page(questionnaire), {"indicator": "digital_signature"})
    assert shown.status_code == 200
    assert 'data-testid="mapping-form"' not in shown.content.decode()
    refused = client.post(
        page(questionnaire), {"indicator": "digital_signature", "question": "E_FILING", "options": ["yes"]}
    )
    assert refused.status_code == 400
    assert not IndicatorMapping.objects.exists()


@pytest.mark.parametrize("role", ["officer_a", "ministry_analyst", "member_a"])
def test_only_the_national_team_may_open_it(client, request, draft, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(page(draft)).status_code == 403
    data = {"indicator": "digital_signature", "question": "E_FILING", "options": ["yes"]}
    assert client.post(page(draft), data).status_code == 403
    assert not IndicatorMapping.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, draft):
    assert client.get(page(draft)).status_code == 302
