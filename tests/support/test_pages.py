"""The support pages: programmes, a programme with its effect, recording from either page, scope."""

import datetime
import re

import pytest

from support.models import SupportReceived

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_officers_see_national_programmes_and_their_provinces_own(login, officer_b, programme, provincial_programme):
    page = text(login(officer_b).get("/support/"))
    assert programme.name_vi in page
    assert provincial_programme.name_vi not in page
    assert login(officer_b).get(f"/support/programmes/{provincial_programme.code}/").status_code == 404


def test_the_list_counts_the_supported_cooperatives_in_the_users_scope(login, prepared, officer_a, national_admin):
    def count(user):
        page = text(login(user).get("/support/"))
        return re.search(r'CDS-98/">[^<]+</a></td>.*?<td class="text-end">(\d+)</td>', page).group(1)

    # 5 + 6 + 2 + 1 unmeasured + 1 after R2 + 1 before R1 in Đồng Tháp, and 5 in Đắk Lắk.
    assert count(officer_a) == "16"
    assert count(national_admin) == "21"


def test_the_programme_page_shows_the_effect_of_the_last_two_closed_rounds(login, prepared, national_admin):
    page = text(login(national_admin).get(f"/support/programmes/{prepared.programme.code}/"))
    round_a, round_b = page[page.index('id="id_a"') : page.index('id="id_b"')], page[page.index('id="id_b"') :]
    assert '<option value="KS2024" selected>' in round_a
    assert '<option value="KS2025" selected>' in round_b
    assert 'data-testid="overall-supported">0,73<' in page
    assert 'data-testid="overall-compared">0,15<' in page
    assert 'data-testid="overall-difference">0,58<' in page
    assert "11 hợp tác xã" in page
    assert "2 nhóm có dưới 5 hợp tác xã ở một bên: quá ít hợp tác xã để kết luận ở đó" in page
    assert "19 hợp tác xã nhận hỗ trợ này giữa hai đợt; 1 hợp tác xã trong số đó thiếu phiếu" in page


def test_a_province_too_small_to_conclude_says_so_plainly(login, prepared, officer_b):
    page = text(login(officer_b).get(f"/support/programmes/{prepared.programme.code}/"))
    assert 'data-testid="effect-too-few">Quá ít hợp tác xã để kết luận: 0 hợp tác xã được hỗ trợ' in page
    assert 'data-testid="overall-supported"' not in page


def test_the_effect_in_english(client, login, prepared, national_admin):
    client = login(national_admin)
    client.cookies["django_language"] = "en"
    page = text(client.get(f"/support/programmes/{prepared.programme.code}/?a=KS2024&b=KS2025"))
    assert 'data-testid="overall-supported">0.73<' in page
    assert "Too few cooperatives to conclude" in page
    assert '<td>Agriculture</td><td class="text-end">1</td>' in page
    assert "Effect on maturity" in page and "Nông nghiệp" not in page


def test_rounds_in_the_wrong_order_get_a_message(login, prepared, national_admin):
    response = login(national_admin).get(f"/support/programmes/{prepared.programme.code}/?a=KS2025&b=KS2024")
    assert response.status_code == 400
    assert "Đợt B phải mở sau khi đợt A đã đóng." in text(response)
    assert 'data-testid="effect-strata"' not in text(response)


def test_an_unknown_round_gets_a_message_not_an_error(login, prepared, national_admin):
    response = login(national_admin).get(f"/support/programmes/{prepared.programme.code}/?a=NOPE&b=KS2025")
    assert response.status_code == 400


def test_without_two_closed_rounds_the_page_says_what_is_needed(login, programme, officer_a, open_round):
    page = text(login(officer_a).get(f"/support/programmes/{programme.code}/"))
    assert "Cần có hai đợt khảo sát đã đóng để đánh giá tác động." in page


def test_the_programme_page_stays_within_its_query_budget(
    login, prepared, national_admin, django_assert_max_num_queries
):
    client = login(national_admin)
    with django_assert_max_num_queries(12):
        response = client.get(f"/support/programmes/{prepared.programme.code}/")
    assert response.status_code == 200


def test_the_cooperative_page_lists_its_support_and_offers_to_record_it(login, coop_a, programme, officer_a, member_a):
    SupportReceived.objects.create(cooperative=coop_a, programme=programme, received_on=datetime.date(2024, 9, 15))
    page = text(login(officer_a).get(f"/cooperatives/{coop_a.pk}/"))
    assert 'data-testid="support-received"' in page and programme.name_vi in page and "15/09/2024" in page
    assert f"/support/cooperatives/{coop_a.pk}/record/" in page
    member_page = text(login(member_a).get(f"/cooperatives/{coop_a.pk}/"))
    assert programme.name_vi in member_page
    assert "/record/" not in member_page and "/remove/" not in member_page


def test_an_officer_records_support_from_the_cooperatives_page(login, coop_a, programme, officer_a):
    client = login(officer_a)
    url = f"/support/cooperatives/{coop_a.pk}/record/"
    bad = client.post(url, {"programme": programme.pk, "received_on": "15/09/2030"})
    assert bad.status_code == 400
    assert "Ngày này nằm ngoài thời gian của chương trình (2024–2025)." in text(bad)
    assert SupportReceived.objects.count() == 0
    good = client.post(url, {"programme": programme.pk, "received_on": "15/09/2024", "note": "Lớp 1"})
    assert good.status_code == 302 and good.url == f"/cooperatives/{coop_a.pk}/"
    record = SupportReceived.objects.get()
    assert (record.programme, record.received_on, record.note) == (programme, datetime.date(2024, 9, 15), "Lớp 1")
    assert record.history.get().history_user == officer_a


def test_an_officer_records_support_from_the_programmes_page_by_code(login, coop_a, coop_b, programme, officer_a):
    client = login(officer_a)
    url = f"/support/programmes/{programme.code}/record/"
    other = client.post(url, {"cooperative_code": coop_b.code, "received_on": "15/09/2024"})
    assert other.status_code == 400
    assert "Không có hợp tác xã nào mang mã này trong danh bạ của bạn." in text(other)
    assert client.post(url, {"cooperative_code": coop_a.code, "received_on": "15/09/2024"}).status_code == 302
    assert SupportReceived.objects.get().cooperative == coop_a


def test_another_provinces_officer_gets_404_on_a_cooperative_and_its_records(
    login, coop_a, programme, officer_b, officer_a
):
    record = SupportReceived.objects.create(
        cooperative=coop_a, programme=programme, received_on=datetime.date(2024, 9, 15)
    )
    client = login(officer_b)
    assert client.get(f"/support/cooperatives/{coop_a.pk}/record/").status_code == 404
    assert client.post(f"/support/records/{record.pk}/remove/").status_code == 404
    assert SupportReceived.objects.count() == 1
    assert login(officer_a).post(f"/support/records/{record.pk}/remove/").status_code == 302
    assert SupportReceived.objects.count() == 0


def test_the_pages_of_supported_cooperatives_keep_the_chosen_rounds(login, prepared, national_admin, monkeypatch):
    monkeypatch.setattr("support.views.PAGE_SIZE", 10)
    page = text(login(national_admin).get(f"/support/programmes/{prepared.programme.code}/?a=KS2024&b=KS2025"))
    assert 'href="?a=KS2024&amp;b=KS2025&amp;page=2"' in page


def test_the_admin_saves_a_programme_through_the_service_with_its_history(client, national_admin):
    client.force_login(national_admin)
    response = client.post(
        "/admin/support/supportprogramme/add/",
        {
            "code": "OCOP-DT",
            "name_vi": "Hỗ trợ sản phẩm OCOP",
            "name_en": "",
            "kind": "ocop",
            "provider": "Sở Nông nghiệp và Môi trường",
            "province": "",
            "start_year": "2025",
            "end_year": "2024",
        },
    )
    assert response.status_code == 200  # refused: the last year before the first
    assert "Năm kết thúc không thể trước năm bắt đầu." in text(response)
    data = {
        "code": "OCOP-DT",
        "name_vi": "Hỗ trợ sản phẩm OCOP",
        "kind": "ocop",
        "provider": "Sở NN",
        "start_year": "2025",
    }
    assert client.post("/admin/support/supportprogramme/add/", data).status_code == 302
    from support.models import SupportProgramme

    assert SupportProgramme.objects.get(code="OCOP-DT").history.get().history_user == national_admin
