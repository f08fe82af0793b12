"""Vietnamese first, English one click away, both catalogues complete."""

import datetime
from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_home_page_is_in_vietnamese_by_default(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="vi">' in body
    assert "Chuyển đổi số" in body or "chuyển đổi số" in body
    assert "Đăng nhập" in body


@pytest.mark.django_db
def test_the_language_switch_turns_the_page_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body
    body = client.post("/i18n/setlang/", {"language": "vi", "next": "/"}, follow=True).content.decode()
    assert "Đăng nhập" in body


@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalogue_is_complete_and_compiled(language):
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {e.msgid: e.msgstr or e.msgstr_plural for e in mo if e.msgid}
    source = {e.msgid: e.msgstr or {int(k): v for k, v in e.msgstr_plural.items()} for e in po.translated_entries()}
    assert compiled == source, "run `make messages`: the compiled catalogue is out of date"
    assert len(po) > 100


def test_vietnamese_dates_are_day_first_and_numbers_grouped_with_dots():
    template = Template('{% load humanize %}{{ d|date:"SHORT_DATE_FORMAT" }} {{ n }} {{ n|intcomma }} {{ x }}')
    context = Context({"d": datetime.date(2025, 7, 1), "n": 28237, "x": 83.5})
    with translation.override("vi"):
        assert template.render(context) == "01/07/2025 28.237 28.237 83,5"
    with translation.override("en"):
        assert template.render(context) == "01/07/2025 28,237 28,237 83.5"


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    body = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()
