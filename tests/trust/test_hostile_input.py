"""Hostile input ends in a clear message, no partial write, and escaped output everywhere."""

import io
import zipfile

import pytest

from cooperatives.importing.files import ImportFileError
from cooperatives.importing.jobs import registry_import_bytes
from cooperatives.models import Cooperative
from indicators import aggregation
from tests.factories import CooperativeFactory
from tests.sheets import HEADERS, csv_bytes, row, xlsx_bytes

pytestmark = pytest.mark.django_db
SCRIPT = '<script>alert("x")</script>'


def refused(content, filename):
    with pytest.raises(ImportFileError) as error:
        registry_import_bytes(filename=filename, content=content, scope_province=None, by=None, dry_run=False)
    assert not Cooperative.objects.exists()
    return str(error.value)


def test_a_million_row_csv_is_refused_without_writing():
    header = ",".join(HEADERS).encode()
    content = header + b"\n" + b"1,2\n" * 1_000_000  # 4 MB: under the size limit, over the row limit
    message = refused(content, "htx.csv")
    assert "100.000" in message or "100,000" in message  # the limit is named


def test_xml_entity_expansion_in_a_workbook_is_refused():
    good = xlsx_bytes([row()])
    source = zipfile.ZipFile(io.BytesIO(good))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                declaration_end = data.index(b"?>") + 2 if data.startswith(b"<?xml") else 0
                entities = b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
                data = data[:declaration_end] + entities + data[declaration_end:]
                data = data.replace(b"<sheetData>", b"<sheetData>&lol2;", 1)
            target.writestr(item, data)
    refused(buffer.getvalue(), "htx.xlsx")


def test_script_in_free_text_is_escaped_in_pages_charts_and_exports(login, national_admin, province_a, open_round):
    cooperative = CooperativeFactory(province=province_a, name=SCRIPT, address=SCRIPT, representative=SCRIPT)
    client = login(national_admin)
    for url in ("/cooperatives/", f"/cooperatives/{cooperative.pk}/", "/cooperatives/?q=script"):
        body = client.get(url).content.decode()
        assert SCRIPT not in body
        assert "&lt;script&gt;" in body
    exported = b"".join(client.get("/cooperatives/export.csv").streaming_content).decode()
    assert "<script>alert" in exported  # exports carry the data as text; spreadsheets do not run HTML
    aggregation.aggregate_indicators()
    body = client.get("/").content.decode()
    assert "<script>alert" not in body


def test_script_in_a_survey_answer_is_escaped_on_the_result(login, member_a, coop_a, open_round, national_admin):
    from surveys.services import response_save_answers, response_start

    response = response_start(survey_round=open_round, cooperative=coop_a, by=national_admin)
    response_save_answers(response=response, answers={"DX_DIFFICULTY": SCRIPT}, by=national_admin)
    page = login(member_a).get(f"/surveys/responses/{response.pk}/page/1/").content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page


def test_composed_and_decomposed_names_match_as_the_same_name(login, national_admin, province_a):
    import unicodedata

    CooperativeFactory(province=province_a, name="Hợp tác xã Thanh Long Chợ Gạo")
    decomposed = unicodedata.normalize("NFD", "thanh long chợ gạo")
    body = login(national_admin).get("/cooperatives/", {"q": decomposed}).content.decode()
    assert "Thanh Long Chợ Gạo" in body


def test_an_oversized_upload_is_refused_before_it_is_stored(login, officer_a, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cooperatives.importing import files
    from cooperatives.models import ImportJob

    big = b"PK\x03\x04" + b"0" * (files.MAX_FILE_BYTES + 1)
    response = login(officer_a).post("/cooperatives/import/", {"file": SimpleUploadedFile("htx.xlsx", big)})
    assert response.status_code == 200
    assert "MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_formula_cells_in_csv_are_refused():
    assert refused(csv_bytes([row(name="=cmd|' /C calc'!A0")]), "htx.csv")


def test_production_headers(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_SSL_REDIRECT = False
    response = client.get("/", secure=True)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "<script>" not in response.content.decode().replace("<script src=", "")
