"""Numbers that a browser or a script reads never follow the page's language.

With USE_THOUSAND_SEPARATOR and Vietnamese formats, ``{{ 116.1 }}`` renders "116,1" and
``{{ 1234 }}`` renders "1.234": right for people, wrong in an SVG coordinate, a data-* value, a
progress width, a form value or a page number in a link. Every such variable in templates/ is
written with ``|unlocalize`` (or inside ``{% localize off %}``); this test reads every template so
that a new page is held to the same rule without editing the test.
"""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Attributes read by the browser's geometry, by scripts or by assistive technology as numbers.
MACHINE_ATTRIBUTES = re.compile(
    r"^(cx|cy|r|x|y|x1|x2|y1|y2|rx|ry|width|height|viewbox|points|transform|stroke-width|style"
    r"|aria-value(now|min|max)|data-(?!testid$|confirm$)[a-z-]+)$",
    re.IGNORECASE,
)
# Whatever the attribute, these name numbers (ids, page numbers, revisions).
NUMBER_NAMES = re.compile(r"(\.pk|\.id|_id|page_number|revision|percent\w*|_count|_total)$")
# Enumerations and codes are text even in a data-* attribute.
TEXT_NAMES = re.compile(r"(status|state|code|fill|view_box|path|name|metric)$")
TAG = re.compile(r"<[a-zA-Z][^<>]*?>", re.S)
ATTRIBUTE = re.compile(r'([a-zA-Z:-]+)="([^"]*)"')
VARIABLE = re.compile(r"\{\{\s*(.*?)\s*\}\}")


def unlocalized_regions(text):
    return [(m.start(), m.end()) for m in re.finditer(r"\{% localize off %\}.*?\{% endlocalize %\}", text, re.S)]


def offenders(text):
    regions = unlocalized_regions(text)
    for tag in TAG.finditer(text):
        if any(start <= tag.start() < end for start, end in regions):
            continue
        for attribute in ATTRIBUTE.finditer(tag.group(0)):
            name, value = attribute.groups()
            for expression in VARIABLE.findall(value):
                filters = expression.split("|")
                variable = filters[0].strip()
                if any(f.strip().startswith("unlocalize") for f in filters[1:]):
                    continue
                machine_read = MACHINE_ATTRIBUTES.match(name) and not TEXT_NAMES.search(variable)
                if machine_read or NUMBER_NAMES.search(variable):
                    line = text[: tag.start()].count("\n") + 1
                    yield f'{line}: {name}="{value}"'


def test_the_rule_catches_a_localised_coordinate_and_a_page_number():
    assert list(offenders('<circle cx="{{ c.x }}" r="2">'))
    assert list(offenders('<a href="?page={{ page.next_page_number }}">'))
    assert list(offenders('<div data-width="{{ rate.completion_percent|floatformat:1 }}">'))
    assert not list(offenders('<circle cx="{{ c.x|unlocalize }}" data-status="{{ job.status }}">'))
    assert not list(offenders('{% localize off %}<circle cx="{{ c.x }}">{% endlocalize %}'))


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_numbers_in_attributes_are_unlocalized(path):
    text = path.read_text(encoding="utf-8")
    found = list(offenders(text))
    assert not found, f"{path.relative_to(TEMPLATES)}: add |unlocalize to\n" + "\n".join(found)
    if "unlocalize" in text or "localize off" in text:
        assert re.search(r"\{% load [^%]*\bl10n\b", text), f"{path.relative_to(TEMPLATES)} must load l10n"


@pytest.mark.django_db
def test_a_cooperative_id_above_999_is_sent_back_whole_in_vietnamese(login, officer_a, province_a, open_round):
    from tests.factories import CooperativeFactory

    CooperativeFactory(pk=12345, province=province_a, code="8200012345")
    page = login(officer_a).get(f"/surveys/rounds/{open_round.code}/").content.decode()
    assert 'value="12345"' in page
    assert 'value="12.345"' not in page
