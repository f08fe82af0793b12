"""The national team's pages for questionnaire versions: the list, a new draft from an XLSForm
workbook (refusals with their sheet, row and column; hostile files refused with a 4xx), the
workbook of a version, the preview as a cooperative sees the form, the comparison and publishing."""

from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys.models import Question, Questionnaire
from surveys.questionnaires import questionnaire_new_version
from surveys.services import response_start
from surveys.xlsform import questionnaire_export_xlsform

pytestmark = pytest.mark.django_db

LIST = "/surveys/questionnaires/"
UPLOAD = "/surveys/questionnaires/new/"


def pages(pk):
    base = f"/surveys/questionnaires/{pk}"
    return [LIST, UPLOAD, f"{base}/xlsform.xlsx", f"{base}/preview/", f"{base}/compare/", f"{base}/publish/"]


def edited_workbook(questionnaire, edit):
    """The version's XLSForm with ``edit(survey_sheet, column_index_of)`` applied, as .xlsx bytes."""
    book = openpyxl.load_workbook(io.BytesIO(questionnaire_export_xlsform(questionnaire)))
    survey = book["survey"]
    headers = [cell.value for cell in survey[1]]
    edit(survey, headers.index)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row_of(survey, column, code):
    return next(r for r in survey.iter_rows(min_row=2) if r[column("name")].value == code)[0].row


def upload(client, content, name="national-v2.xlsx"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def draft(questionnaire):
    return questionnaire_new_version(questionnaire=questionnaire)


def test_the_national_administrator_opens_every_page(login, national_admin, questionnaire, open_round, draft):
    client = login(national_admin)
    for path in pages(draft.pk):
        assert client.get(path).status_code == 200, path
    listed = client.get(LIST).content.decode()
    assert 'data-testid="version-NATIONAL-1"' in listed and 'data-testid="version-NATIONAL-2"' in listed
    assert open_round.name in listed  # the round using version 1
    assert f'href="/surveys/questionnaires/{draft.pk}/publish/"' in listed
    assert f'href="/surveys/questionnaires/{questionnaire.pk}/publish/"' not in listed  # published already
    workbook = client.get(f"/surveys/questionnaires/{questionnaire.pk}/xlsform.xlsx")
    assert workbook["Content-Disposition"] == 'attachment; filename="NATIONAL-v1.xlsx"'
    assert "survey" in openpyxl.load_workbook(io.BytesIO(workbook.content)).sheetnames


def test_the_list_is_one_query_per_kind_of_row(login, national_admin, questionnaire, open_round, draft):
    client = login(national_admin)
    with CaptureQueriesContext(connection) as queries:
        client.get(LIST)
    # The versions with their counts, then their rounds: however many versions there are.
    assert len([q for q in queries if "surveys_" in q["sql"]]) == 2


@pytest.mark.parametrize("role", ["officer_a", "ministry_analyst", "member_a", "agency_officer"])
def test_other_roles_are_refused_every_page(request, login, role, draft):
    client = login(request.getfixturevalue(role))
    for path in pages(draft.pk):
        assert client.get(path).status_code == 403, path
    assert client.post(f"/surveys/questionnaires/{draft.pk}/publish/").status_code == 403
    assert not Questionnaire.objects.get(pk=draft.pk).is_published


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page(client, draft):
    for path in pages(draft.pk):
        answer = client.get(path)
        assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/"), path


def test_the_navigation_links_the_versions_for_the_national_administrator_only(login, national_admin, officer_a):
    assert f'href="{LIST}"' in login(national_admin).get("/").content.decode()
    assert f'href="{LIST}"' not in login(officer_a).get("/").content.decode()


def test_a_tweaked_workbook_becomes_a_draft_that_the_comparison_shows(login, national_admin, questionnaire):
    def tweak(survey, column):
        reworded = row_of(survey, column, "DX_RESPONSIBLE")
        survey.cell(reworded, column("label::Vietnamese (vi)") + 1, "Ai phụ trách chuyển đổi số của HTX?")
        # A new question after the last one of the first part, copied from a text question.
        survey.insert_rows(reworded + 1)
        survey.cell(reworded + 1, column("type") + 1, "text")
        survey.cell(reworded + 1, column("name") + 1, "DX_PARTNER")
        survey.cell(reworded + 1, column("label::Vietnamese (vi)") + 1, "Đối tác hỗ trợ chuyển đổi số là ai?")

    client = login(national_admin)
    answer = upload(client, edited_workbook(questionnaire, tweak))
    draft = Questionnaire.objects.get(code="NATIONAL", version=2)
    assert answer.status_code == 302 and answer["Location"] == f"/surveys/questionnaires/{draft.pk}/preview/"
    assert not draft.is_published
    compare = client.get(f"/surveys/questionnaires/{draft.pk}/compare/").content.decode()
    assert re.search(r'data-kind="added">.*?DX_PARTNER', compare, re.S)
    assert re.search(r'data-kind="reworded">.*?DX_RESPONSIBLE', compare, re.S)
    assert "Ai phụ trách chuyển đổi số của HTX?" in compare


def test_the_success_message_names_the_draft(login, national_admin, questionnaire):
    client = login(national_admin)
    answer = client.post(
        UPLOAD, {"file": SimpleUploadedFile("v2.xlsx", questionnaire_export_xlsform(questionnaire))}, follow=True
    )
    assert "NATIONAL v2" in answer.content.decode()
    assert 'data-testid="preview-banner"' in answer.content.decode()


def test_a_refused_workbook_shows_sheet_row_and_column_with_a_400(login, national_admin, questionnaire):
    rows = {}

    def break_it(survey, column):
        rows["geopoint"] = row_of(survey, column, "DX_BUDGET")
        survey.cell(rows["geopoint"], column("type") + 1, "geopoint")

    answer = upload(login(national_admin), edited_workbook(questionnaire, break_it))
    assert answer.status_code == 400
    body = answer.content.decode()
    table = body[body.index('data-testid="problems"') :]
    cells = re.findall(r"<tr><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td>", table)
    assert ("survey", str(rows["geopoint"]), "type") in cells
    assert not Questionnaire.objects.filter(code="NATIONAL", version=2).exists()


def zip_of(name, data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("form.xlsx", b"not a workbook at all", "nội dung không phải là tệp Excel"),
        ("form.xlsx", zip_of("hello.txt", b"x"), "nội dung không phải là tệp Excel"),
        ("form.xlsx", zip_of("xl/workbook.xml", b"\0" * 5_000_000), "lớn bất thường"),  # a zip bomb
        ("form.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "Chỉ tệp .xlsx"),
        ("form.csv", b"type,name\ntext,A\n", "Chỉ tệp .xlsx"),
        ("form.xlsx", b"", "Tệp không có nội dung"),
    ],
    ids=["not-a-zip", "zip-not-workbook", "zip-bomb", "legacy-xls", "csv", "empty"],
)
def test_a_hostile_or_broken_file_is_refused_in_vietnamese_with_a_4xx(login, national_admin, name, content, says):
    answer = upload(login(national_admin), content, name=name)
    assert 400 <= answer.status_code < 500
    body = answer.content.decode()
    assert says in body
    assert re.search(r'class="[^"]*(alert-danger|invalid-feedback)', body)
    assert not Questionnaire.objects.exclude(version=1).exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(login, national_admin, monkeypatch):
    monkeypatch.setattr("surveys.forms.XLSFORM_MAX_BYTES", 1024)
    answer = upload(login(national_admin), b"PK" + b"\0" * 4096)
    assert answer.status_code == 400
    assert "lớn hơn" in answer.content.decode()


def test_the_preview_is_the_cooperatives_form_and_cannot_be_posted(
    login, national_admin, member_a, coop_a, logic_round
):
    version = logic_round.questionnaire
    client = login(national_admin)
    preview = client.get(f"/surveys/questionnaires/{version.pk}/preview/?part=2")
    body = preview.content.decode()
    assert "Xem trước — câu trả lời không được lưu" in body
    assert 'id="skip-logic"' in body and "data-skip-logic-form" in body and "offline-form.js" not in body
    assert 'method="post"' not in body.split('data-testid="preview-banner"')[1].split("</main>")[0]
    assert client.post(f"/surveys/questionnaires/{version.pk}/preview/").status_code == 405
    assert client.get(f"/surveys/questionnaires/{version.pk}/preview/?part=99").status_code == 404
    # The same questions, in the same markup, as on the member's page of that part.
    response = response_start(survey_round=logic_round, cooperative=coop_a, by=member_a)
    fill = login(member_a).get(f"/surveys/responses/{response.pk}/page/2/").content.decode()
    ids = re.compile(r'id="(div_id_\w+)"')
    assert ids.findall(body) == ids.findall(fill) and ids.findall(body)


def test_comparing_with_no_earlier_version_says_so_and_the_same_version_shows_no_difference(
    login, national_admin, questionnaire, draft
):
    client = login(national_admin)
    first = client.get(f"/surveys/questionnaires/{questionnaire.pk}/compare/").content.decode()
    assert 'data-testid="no-other"' in first
    same = client.get(f"/surveys/questionnaires/{draft.pk}/compare/").content.decode()
    assert 'data-testid="no-changes"' in same
    chosen = client.get(f"/surveys/questionnaires/{questionnaire.pk}/compare/?other={draft.pk}")
    assert 'data-testid="no-changes"' in chosen.content.decode()
    assert client.get(f"/surveys/questionnaires/{draft.pk}/compare/?other=999999").status_code == 404


def test_publishing_with_indicator_breaks_is_refused_with_a_400_and_the_draft_stays_a_draft(
    login, national_admin, draft
):
    Question.objects.filter(questionnaire=draft, code="DIGITAL_SIGNATURE").delete()
    answer = login(national_admin).post(f"/surveys/questionnaires/{draft.pk}/publish/")
    assert answer.status_code == 400
    body = answer.content.decode()
    assert 'data-testid="indicator-breaks"' in body and "DIGITAL_SIGNATURE" in body
    assert not Questionnaire.objects.get(pk=draft.pk).is_published


def test_the_refusal_links_to_the_draft_s_indicator_mappings(login, national_admin, draft):
    Question.objects.filter(questionnaire=draft, code="DIGITAL_SIGNATURE").delete()
    client = login(national_admin)
    body = client.post(f"/surveys/questionnaires/{draft.pk}/publish/").content.decode()
    link = f'href="/surveys/questionnaires/{draft.pk}/indicators/" data-testid="indicators-link"'
    assert link in body
    mappings = client.get(f"/surveys/questionnaires/{draft.pk}/indicators/").content.decode()
    assert 'data-testid="map-digital_signature"' in mappings
    assert f'href="/surveys/questionnaires/{draft.pk}/publish/"' in mappings  # and back to publishing


def test_publishing_a_draft_publishes_it_and_a_published_version_cannot_be_published_again(
    login, national_admin, draft
):
    client = login(national_admin)
    answer = client.post(f"/surveys/questionnaires/{draft.pk}/publish/", follow=True)
    assert answer.redirect_chain == [(LIST, 302)]
    assert "NATIONAL v2" in answer.content.decode()
    published = Questionnaire.objects.get(pk=draft.pk)
    assert published.is_published
    again = client.post(f"/surveys/questionnaires/{draft.pk}/publish/")
    assert again.status_code == 409 and 'data-testid="already-published"' in again.content.decode()
    assert Questionnaire.objects.get(pk=draft.pk).published_at == published.published_at
