"""Lists sorted by name follow Vietnamese alphabetical order on SQLite and PostgreSQL alike."""

import re

import pytest

from coopdx.collation import sort_key, vietnamese
from cooperatives.models import Cooperative, Province
from directives.models import Agency, AgencyKind
from tests.factories import CooperativeFactory

NAMES = ["Zeta", "Đồng Tháp", "Cao Bằng", "Ánh Dương", "Điện Biên", "Cà Mau", "Đắk Lắk", "An Giang"]
VIETNAMESE_ORDER = ["An Giang", "Ánh Dương", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Điện Biên", "Đồng Tháp", "Zeta"]


def test_the_sort_key_orders_letters_then_tones_then_case():
    assert sorted(NAMES, key=sort_key) == VIETNAMESE_ORDER
    letters = ["b", "â", "ă", "a", "đ", "d", "ư", "u", "ơ", "ô", "o", "ê", "e"]
    assert sorted(letters, key=sort_key) == ["a", "ă", "â", "b", "d", "đ", "e", "ê", "o", "ô", "ơ", "u", "ư"]
    tones = ["ạ", "á", "ã", "ả", "à", "a"]
    assert sorted(tones, key=sort_key) == ["a", "à", "ả", "ã", "á", "ạ"]
    assert sorted(["Anh", "anh", "Ánh", "An"], key=sort_key) == ["An", "anh", "Anh", "Ánh"]
    # Decomposed spellings (from macOS spreadsheets) sort with their composed twins.
    assert sort_key("Đo\u0302\u0300ng") == sort_key("Đồng")


@pytest.mark.django_db
def test_the_database_sorts_names_in_vietnamese_order(province_a):
    for index, name in enumerate(NAMES):
        CooperativeFactory(province=province_a, name=name, code=f"82000000{index:02d}")
    ordered = Cooperative.objects.order_by(vietnamese("name")).values_list("name", flat=True)
    assert list(ordered) == VIETNAMESE_ORDER
    descending = Cooperative.objects.order_by(vietnamese("name").desc()).values_list("name", flat=True)
    assert list(descending) == VIETNAMESE_ORDER[::-1]
    # The registry's default order is the same rule.
    assert list(Cooperative.objects.values_list("name", flat=True)) == VIETNAMESE_ORDER


@pytest.mark.django_db
def test_provinces_and_agencies_are_listed_in_vietnamese_order():
    names = list(Province.objects.values_list("short_name", flat=True))
    assert len(names) == 34
    assert names == sorted(names, key=sort_key)
    wanted = ["An Giang", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Điện Biên", "Đồng Tháp"]
    assert [name for name in names if name in wanted] == wanted
    assert names[-1] != "Đồng Tháp" and names.index("Đồng Tháp") < names.index("Gia Lai")
    committees = list(Agency.objects.filter(kind=AgencyKind.PROVINCIAL_COMMITTEE).values_list("short_name", flat=True))
    assert committees == sorted(committees, key=sort_key)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_registry_page_sorts_by_name_in_vietnamese_order_both_ways(login, national_admin, province_a, language):
    for index, name in enumerate(NAMES):
        CooperativeFactory(province=province_a, name=f"HTX {name}", code=f"82000000{index:02d}")
    client = login(national_admin)
    client.cookies["django_language"] = language

    def listed(query):
        page = client.get(f"/cooperatives/{query}").content.decode()
        return [name for name in re.findall(r">HTX ([^<]+)<", page) if name in NAMES]

    assert listed("") == VIETNAMESE_ORDER
    assert listed("?ordering=name") == VIETNAMESE_ORDER
    assert listed("?ordering=-name") == VIETNAMESE_ORDER[::-1]
    page = client.get("/cooperatives/").content.decode()
    province_options = re.search(r'<select name="province".*?</select>', page, re.S).group(0)
    shown = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', province_options)
    assert shown == sorted(shown, key=sort_key) and len(shown) == 34


@pytest.mark.django_db
def test_a_round_page_lists_its_cooperatives_in_vietnamese_order(login, officer_a, open_round, province_a):
    for index, name in enumerate(NAMES):
        CooperativeFactory(province=province_a, name=f"HTX {name}", code=f"82000000{index:02d}")
    page = login(officer_a).get(f"/surveys/rounds/{open_round.code}/").content.decode()
    table = page.split('data-testid="round-progress"')[1].split("</table>")[0]
    assert re.findall(r">HTX ([^<]+)</a>", table) == VIETNAMESE_ORDER
