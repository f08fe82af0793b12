"""Hostile input ends in a clear message, no partial write, and escaped output everywhere."""

import io
import zipfile

import pytest

from cooperatives.importing.registry import registry_import_bytes
from cooperatives.models import Cooperative
from imports.files import ImportFileError
from indicators import services as indicator_services
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
    indicator_services.aggregate_indicators()
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

    from imports import files
    from imports.models import ImportJob

    big = b"PK\x03\x04" + b"0" * (files.MAX_FILE_BYTES + 1)
    response = login(officer_a).post("/cooperatives/import/", {"file": SimpleUploadedFile("htx.xlsx", big)})
    assert response.status_code == 200
    assert "MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_formula_cells_in_csv_are_refused():
    assert refused(csv_bytes([row(name="=cmd|' /C calc'!A0")]), "htx.csv")


def test_production_headers(client):
    response = client.get("/", secure=True)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    # No page uses the camera, the microphone, the location or payments: no script may ask.
    policy = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()", feature
    assert "<script>" not in response.content.decode().replace("<script src=", "")
    # HSTS and the HTTPS redirect come from the production profile itself (DJANGO_ENV=production,
    # behind a proxy that sets X-Forwarded-Proto), not from settings set by this test.
    production = _production_responses()
    assert production["https"] == [200, "max-age=31536000; includeSubDomains; preload"]
    assert production["http"] == [301, "https://coopdx.example.vn/jsi18n/", None]


def _production_responses() -> dict[str, list[object]]:
    """Two requests through the production profile, in a process of its own (settings are read once)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "DJANGO_ENV", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith("SECURE_")
    }
    env.update(
        {
            "DJANGO_ENV": "production",
            "SECRET_KEY": "k" * 20 + "Zx9!qW3#eR5$tY7&uI1*oP0(aS2)dF4_gH6",
            "ALLOWED_HOSTS": "coopdx.example.vn",
            "SITE_URL": "https://coopdx.example.vn",
            "DJANGO_SETTINGS_MODULE": "coopdx.settings",
        }
    )
    code = (
        "import django, json; django.setup(); from django.test import Client; c = Client(); "
        "s = c.get('/jsi18n/', HTTP_HOST='coopdx.example.vn', HTTP_X_FORWARDED_PROTO='https'); "
        "p = c.get('/jsi18n/', HTTP_HOST='coopdx.example.vn'); "
        "print(json.dumps({'https': [s.status_code, s.get('Strict-Transport-Security')], "
        "'http': [p.status_code, p.get('Location'), p.get('Strict-Transport-Security')]}))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("prefix", [" ", "  ", "\t", "\u00a0", "\u3000"])
@pytest.mark.parametrize("filename", ["htx.xlsx", "htx.csv"])
def test_a_formula_behind_leading_blanks_is_refused_like_any_formula(prefix, filename):
    """The cell is trimmed before it is stored, so " =HYPERLINK(...)" would be stored as a formula."""
    from django.utils.translation import gettext

    formula = prefix + '=HYPERLINK("http://x","Bấm vào đây")'
    if filename.endswith(".xlsx"):
        expected = gettext("Cell %(cell)s contains a formula. Paste values only (no formulas) and try again.")
        assert refused(xlsx_bytes([row(name=formula)]), filename) == expected % {"cell": "B2"}
    else:
        expected = gettext("Row %(row)s contains a formula. Paste values only (no formulas) and try again.")
        assert refused(csv_bytes([row(name=formula)]), filename) == expected % {"row": 2}


def test_a_control_character_in_a_csv_cell_is_refused_with_its_row_and_column():
    plan, result = registry_import_bytes(
        filename="htx.csv",
        content=csv_bytes([row(), row(code="8212345679", address="Ấp 3\x07\x1b[2J, xã Tân Dương")]),
        scope_province=None,
        by=None,
        dry_run=False,
    )
    assert result is None
    assert [(error.row, error.column) for error in plan.errors] == [(3, "Địa chỉ")]
    assert "U+0007" in plan.errors[0].message
    assert not Cooperative.objects.exists()


def _with_declared_dimension(content: bytes, dimension: str) -> bytes:
    """The workbook as a program that writes a stale <dimension> (some exporters do) would."""
    import re

    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>'.encode(), data)
                assert f'<dimension ref="{dimension}"/>'.encode() in data
            target.writestr(item, data)
    return buffer.getvalue()


@pytest.mark.parametrize("dimension", ["A1:B2", "A1", "A1:L2"])
def test_rows_and_columns_beyond_a_workbooks_declared_size_are_read(dimension):
    codes = [f"82123456{n:02d}" for n in range(5)]
    content = _with_declared_dimension(xlsx_bytes([row(code=code, website="htx.vn") for code in codes]), dimension)
    plan, result = registry_import_bytes(
        filename="htx.xlsx", content=content, scope_province=None, by=None, dry_run=False
    )
    assert plan.ok, plan.errors
    assert result == {"created": 5, "updated": 0, "unchanged": 0}
    assert sorted(Cooperative.objects.values_list("code", flat=True)) == codes
    assert set(Cooperative.objects.values_list("website", flat=True)) == {"https://htx.vn"}


HOSTILE_VALUES = ["\x00", "abc", "-1", "99999999999999999999", "1e309", "' OR 1=1 --", "2026-13-45", "🙂" * 50]
QUERY_NAMES = [
    "q", "page", "province", "sector", "status", "round", "ward", "level", "sort", "order", "year", "agency",
    "document", "task", "since", "updated_since", "kind", "format", "period", "legacy", "metric", "next",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", HOSTILE_VALUES, ids=["nul", "text", "negative", "huge", "inf", "sql", "date", "emoji"]
)
def test_hostile_query_values_on_every_page_are_never_a_server_error(value, login, national_admin, officer_a, coop_a):
    """NUL characters (which PostgreSQL refuses in text), words where numbers are expected,
    numbers beyond any column: each page answers with its own refusal or ignores the value."""
    from tests.trust.test_permission_matrix import MATRIX

    paths = [path for _, method, path, _ in MATRIX if method == "GET" and "{" not in path and "logout" not in path]
    query = dict.fromkeys(QUERY_NAMES, value)
    for user in (national_admin, officer_a):
        client = login(user)
        for path in paths:
            response = client.get(path, query)
            assert response.status_code < 500, (user.username, path, response.status_code)


@pytest.mark.django_db
def test_a_nul_in_the_query_is_a_400_with_a_message_on_pages_and_in_the_api(login, officer_a):
    from django.utils.translation import gettext, override

    client = login(officer_a)
    page = client.get("/cooperatives/", {"q": "Tân\x00"})
    assert page.status_code == 400
    assert "Content-Security-Policy" in page.headers and page.headers["X-Frame-Options"] == "DENY"
    with override("vi"):
        assert gettext("The address contains a control character (NUL) and cannot be read.") in page.content.decode()
    api = client.get("/api/v1/cooperatives/", {"province": "\x00"})
    assert api.status_code == 400
    assert api.json()["error"]["code"] == "invalid_query"
