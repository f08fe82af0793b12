"""The possible duplicates page: what an officer needs to decide, in their province only, in a
fixed number of queries; merging and dismissing from it."""

import pytest
from django.contrib.messages import get_messages

from cooperatives.models import Cooperative, DuplicateDismissal
from surveys.models import Response
from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db

URL = "/cooperatives/duplicates/"


def test_the_page_shows_each_cooperative_with_what_decides_the_merge(login, officer_a, pair):
    keep, copy = pair
    Cooperative.objects.filter(pk=copy.pk).update(email="tanduong@example.vn", representative="Lê Thị Hoa")
    body = login(officer_a).get(URL).content.decode()
    assert body.count('data-testid="duplicate-group"') == 1
    assert "trùng tên trong cùng xã, trùng số điện thoại" in body
    row = body[body.index("8200000202") - 400 :]
    for shown in ("8200000202", "0277100201", "tanduong@example.vn", "Lê Thị Hoa", "Đang hoạt động", "Khảo sát 2026"):
        assert shown in row, shown
    assert keep.ward.name in body
    # Each has one self-assessment; the kept one answered last round.
    assert body.count('data-label="Các lần tự đánh giá" class="text-end">1</td>') == 2
    assert "Khảo sát 2025" in body
    assert 'data-testid="no-duplicates"' not in body


def test_an_officer_sees_only_their_province_and_a_national_administrator_picks_one(
    login, client, officer_b, national_admin, pair, province_b
):
    CooperativeFactory(province=province_b, code="6600000301", name="HTX Ea Kar")
    CooperativeFactory(province=province_b, code="6600000302", name="HTX Ea Kar")
    body = login(officer_b).get(URL).content.decode()
    assert "6600000301" in body and "8200000201" not in body
    assert client.get(URL + "?province=82").status_code == 404
    admin = login(national_admin)
    every = admin.get(URL).content.decode()
    assert every.count('data-testid="duplicate-group"') == 2
    one = admin.get(URL + "?province=66").content.decode()
    assert "6600000301" in one and "8200000201" not in one
    assert admin.get(URL + "?province=xx").status_code == 404


def test_the_page_costs_the_same_queries_for_two_groups_or_twelve(login, officer_a, province_a, pair):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(officer_a)
    client.get(URL)  # the session's first request writes it
    DuplicateDismissal.objects.create(
        province=province_a, cooperative_ids=[10**9, 10**9 + 1], dismissed_by=officer_a, dismissed_at=pair[0].created_at
    )
    CooperativeFactory(province=province_a, code="8200000310", name="HTX Lặp Lại")
    CooperativeFactory(province=province_a, code="8200000311", name="HTX Lặp Lại")
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).content.decode().count('data-testid="duplicate-group"') == 2
    for n in range(10):
        for copy in range(2):
            CooperativeFactory(province=province_a, code=f"82000004{n}{copy}", representative=f"Trần Văn {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).content.decode().count('data-testid="duplicate-group"') == 12
    assert len(many) == len(few) <= 12


def test_merging_from_the_page_keeps_the_chosen_one_and_archives_the_other(login, officer_a, pair):
    keep, copy = pair
    client = login(officer_a)
    response = client.post(URL + "merge/", {"cooperatives": [keep.pk, copy.pk], "keep": keep.pk})
    assert response.status_code == 302 and response["Location"] == f"/cooperatives/{keep.pk}/"
    assert Cooperative.objects.get(pk=copy.pk).is_archived
    assert Response.objects.filter(cooperative=keep).count() == 2
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Đã hợp nhất vào 8200000201; các bản ghi còn lại được lưu trữ, giữ nguyên lịch sử."
    ]
    assert 'data-testid="duplicate-group"' not in client.get(URL).content.decode()
    # Both pages' histories say so, in the reader's language.
    assert "Đã hợp nhất vào hợp tác xã 8200000201" in client.get(f"/cooperatives/{copy.pk}/").content.decode()
    assert "Đã hợp nhất bản trùng 8200000202 vào đây" in client.get(f"/cooperatives/{keep.pk}/").content.decode()


def test_a_refused_merge_says_why_on_the_page_and_changes_nothing(
    login, officer_a, pair, questionnaire, open_round, national_admin
):
    from tests.surveys.test_flags import submit

    keep, copy = pair
    submit(questionnaire, open_round, keep, national_admin, "worst")
    client = login(officer_a)
    response = client.post(URL + "merge/", {"cooperatives": [keep.pk, copy.pk], "keep": keep.pk}, follow=True)
    body = response.content.decode()
    assert "Chưa hợp nhất gì. 8200000201, 8200000202 đều có phiếu tự đánh giá với cùng đợt khảo sát" in body
    assert not Cooperative.objects.get(pk=copy.pk).is_archived
    response = client.post(URL + "merge/", {"cooperatives": [keep.pk, copy.pk]}, follow=True)
    assert "Hãy chọn hợp tác xã giữ lại." in response.content.decode()
    assert client.post(URL + "merge/", {"cooperatives": ["x"], "keep": "x"}).status_code == 404


def test_dismissing_from_the_page_records_who_and_why_and_undo_lists_the_group_again(login, officer_a, pair):
    keep, copy = pair
    client = login(officer_a)
    client.post(URL + "dismiss/", {"cooperatives": [keep.pk, copy.pk], "note": "Đã gọi: hai HTX khác nhau"})
    dismissal = DuplicateDismissal.objects.get()
    assert (dismissal.dismissed_by, dismissal.note) == (officer_a, "Đã gọi: hai HTX khác nhau")
    body = client.get(URL).content.decode()
    assert 'data-testid="duplicate-group"' not in body
    assert "Đã gọi: hai HTX khác nhau" in body[body.index('data-testid="dismissals"') :]
    client.post(f"{URL}dismissed/{dismissal.pk}/undo/")
    assert client.get(URL).content.decode().count('data-testid="duplicate-group"') == 1
    # Once undone, it is no longer there to undo.
    assert client.post(f"{URL}dismissed/{dismissal.pk}/undo/").status_code == 404
