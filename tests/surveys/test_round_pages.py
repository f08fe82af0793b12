"""Officers' round pages at a province's real size: paginated and filtered in the database, counts
from grouped queries, reminders with absolute links and a list of who could not be reached."""

import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from surveys.models import Response, ResponseStatus, SurveyRound
from tests.factories import CooperativeFactory, cooperatives_in_bulk

pytestmark = pytest.mark.django_db

MANY = 530


@pytest.fixture
def many_cooperatives(province_a):
    """More cooperatives than the old 500-row cut-off, named so that their order is known."""
    return cooperatives_in_bulk(
        province_a,
        MANY,
        lambda n: {
            "code": f"829{n:07d}",
            "name": f"Hợp tác xã Thử nghiệm {n:04d}",
            "members_count": 10,
            "phone": f"0909{n:06d}",
            "representative": f"Người đại diện {n:04d}",
        },
    )


def names_on(page: str) -> list[str]:
    table = page.split('data-testid="round-progress"')[1].split("</table>")[0]
    return re.findall(r">(Hợp tác xã Thử nghiệm \d{4})</a>", table)


def test_the_round_page_is_paginated_and_page_2_shows_the_rest(login, officer_a, open_round, many_cooperatives):
    client = login(officer_a)
    first = client.get(f"/surveys/rounds/{open_round.code}/").content.decode()
    assert names_on(first)[:2] == ["Hợp tác xã Thử nghiệm 0000", "Hợp tác xã Thử nghiệm 0001"]
    assert len(names_on(first)) == 100
    assert 'href="?page=2"' in first and "Trang 1/6" in first
    seen = names_on(first)
    for page in range(2, 7):
        body = client.get(f"/surveys/rounds/{open_round.code}/", {"page": page}).content.decode()
        seen += names_on(body)
    assert "Trang 6/6" in body
    assert names_on(body) == [f"Hợp tác xã Thử nghiệm {n:04d}" for n in range(500, MANY)]
    assert seen == [f"Hợp tác xã Thử nghiệm {n:04d}" for n in range(MANY)]


def test_the_round_page_filters_by_status_and_search_in_the_query(login, officer_a, open_round, many_cooperatives):
    drafts = [c for c in many_cooperatives if c.name.endswith(("0510", "0511", "0512"))]
    Response.objects.bulk_create(
        [Response(round=open_round, cooperative=c, status=ResponseStatus.DRAFT) for c in drafts]
    )
    client = login(officer_a)
    body = client.get(f"/surveys/rounds/{open_round.code}/", {"state": "draft"}).content.decode()
    assert names_on(body) == [c.name for c in drafts]
    not_started = client.get(f"/surveys/rounds/{open_round.code}/", {"state": "not_started", "page": 6}).content
    assert len(names_on(not_started.decode())) == MANY - 3 - 500
    found = client.get(f"/surveys/rounds/{open_round.code}/", {"q": "nghiem 0511"}).content.decode()
    assert names_on(found) == ["Hợp tác xã Thử nghiệm 0511"]
    by_code = client.get(f"/surveys/rounds/{open_round.code}/", {"q": "8290000511"}).content.decode()
    assert names_on(by_code) == ["Hợp tác xã Thử nghiệm 0511"]
    # A search keeps the status filter, and the pages keep both.
    both = client.get(f"/surveys/rounds/{open_round.code}/", {"q": "nghiem 05", "state": "draft"}).content.decode()
    assert names_on(both) == [c.name for c in drafts]
    many = client.get(f"/surveys/rounds/{open_round.code}/", {"q": "nghiem", "state": "not_started"}).content.decode()
    assert "q=nghiem&amp;state=not_started&amp;page=2" in many or "state=not_started&amp;q=nghiem&amp;page=2" in many


def test_a_page_number_out_of_range_or_not_a_number_shows_a_valid_page(login, officer_a, open_round, many_cooperatives):
    client = login(officer_a)
    assert names_on(client.get(f"/surveys/rounds/{open_round.code}/", {"page": "x"}).content.decode())[0].endswith(
        "0000"
    )
    last = client.get(f"/surveys/rounds/{open_round.code}/", {"page": 99}).content.decode()
    assert names_on(last)[-1].endswith(f"{MANY - 1:04d}")


def test_the_round_page_query_count_does_not_grow_with_the_cooperatives(
    login, officer_a, open_round, many_cooperatives, django_assert_max_num_queries
):
    Response.objects.bulk_create(
        [Response(round=open_round, cooperative=c, status=ResponseStatus.DRAFT) for c in many_cooperatives[:200]]
    )
    client = login(officer_a)
    client.get(f"/surveys/rounds/{open_round.code}/")
    with django_assert_max_num_queries(12):
        body = client.get(f"/surveys/rounds/{open_round.code}/", {"page": 2}).content.decode()
    assert len(names_on(body)) == 100


def test_the_round_list_counts_come_from_grouped_queries(
    login, officer_a, questionnaire, province_a, province_b, many_cooperatives, django_assert_max_num_queries
):
    today = timezone.localdate()
    rounds = [
        SurveyRound.objects.create(
            code=f"R{n}",
            name_vi=f"Đợt {n}",
            questionnaire=questionnaire,
            province=province_a if n % 2 else None,
            opens_on=today - datetime.timedelta(days=n),
            closes_on=today + datetime.timedelta(days=30),
        )
        for n in range(6)
    ]
    CooperativeFactory(province=province_b)  # another province's: not counted for officer A
    Response.objects.bulk_create(
        [Response(round=rounds[0], cooperative=c, status=ResponseStatus.SUBMITTED) for c in many_cooperatives[:7]]
        + [
            Response(round=rounds[1], cooperative=c, status=ResponseStatus.ACCEPTED, is_proxy=True)
            for c in many_cooperatives[:4]
        ]
        + [Response(round=rounds[1], cooperative=c, status=ResponseStatus.RETURNED) for c in many_cooperatives[4:6]]
    )
    client = login(officer_a)
    client.get("/surveys/")
    with django_assert_max_num_queries(8):
        body = client.get("/surveys/").content.decode()
    rows = {
        m.group(1): re.findall(r'<td class="text-end">([^<]*)</td>', m.group(2))
        for m in re.finditer(r'href="/surveys/rounds/(R\d)/".*?</td>(.*?)</tr>', body, re.S)
    }
    # Cooperatives, not started, draft or returned, submitted, accepted, entered by officers.
    assert rows["R0"] == ["530", "523", "0", "7", "0", "0"]
    assert rows["R1"] == ["530", "524", "2", "0", "4", "4"]
    assert rows["R5"] == ["530", "530", "0", "0", "0", "0"]


def test_reminders_carry_an_absolute_link_from_the_setting(settings, login, officer_a, coop_a, open_round):
    settings.SITE_URL = "https://coopdx.example.gov.vn"
    coop_a.email = "htx@example.vn"
    coop_a.save()
    login(officer_a).post(f"/surveys/rounds/{open_round.code}/remind/", {})
    assert len(mail.outbox) == 1
    assert "https://coopdx.example.gov.vn/surveys/" in mail.outbox[0].body
    assert not re.search(r"(?<![\w/:.])/surveys/", mail.outbox[0].body)


def test_after_sending_the_page_lists_the_cooperatives_that_could_not_be_reached(
    login, officer_a, member_a, coop_a, open_round, province_a
):
    silent = CooperativeFactory(
        province=province_a,
        code="8200000701",
        name="Hợp tác xã Im Lặng",
        phone="0277 123 456",
        representative="Lê Văn Ba",
    )
    CooperativeFactory(province=province_a, code="8200000702", name="Hợp tác xã Có Thư", email="cothu@example.vn")
    other = CooperativeFactory(province=province_a, code="8200000703", name="Hợp tác xã Không Chọn")
    client = login(officer_a)
    result = client.post(f"/surveys/rounds/{open_round.code}/remind/", {}, follow=True)
    body = result.content.decode()
    assert len(mail.outbox) == 2  # coop A through its member, and the one with an e-mail
    assert "Đã gửi 2 email nhắc nhở." in body
    assert "2 hợp tác xã không nhận được nhắc nhở vì không có địa chỉ email" in body
    table = body.split('data-testid="unreachable"')[1].split("</table>")[0]
    assert "Hợp tác xã Im Lặng" in table and "8200000701" in table and "0277 123 456" in table
    assert "Lê Văn Ba" in table and other.name in table
    assert "Hợp tác xã Có Thư" not in table and coop_a.name not in table
    assert silent.name in body


def test_reminding_only_the_selected_lists_only_the_selected_unreachable(login, officer_a, open_round, province_a):
    chosen = CooperativeFactory(province=province_a, code="8200000801", name="Hợp tác xã Được Chọn")
    CooperativeFactory(province=province_a, code="8200000802", name="Hợp tác xã Bỏ Qua")
    body = (
        login(officer_a)
        .post(f"/surveys/rounds/{open_round.code}/remind/", {"cooperative": [chosen.pk]}, follow=True)
        .content.decode()
    )
    assert "Đã gửi 0 email nhắc nhở." in body
    table = body.split('data-testid="unreachable"')[1].split("</table>")[0]
    assert chosen.name in table and "Hợp tác xã Bỏ Qua" not in table


def test_a_long_unreachable_list_comes_in_printable_pages(login, officer_a, open_round, many_cooperatives):
    client = login(officer_a)
    first = client.post(f"/surveys/rounds/{open_round.code}/remind/", {}, follow=True).content.decode()
    assert "530 hợp tác xã không nhận được nhắc nhở" in first
    table = first.split('data-testid="unreachable"')[1].split("</table>")[0]
    assert table.count("<tr>") == 1 + 500 and "Trang 1/2" in first
    second = client.get(f"/surveys/rounds/{open_round.code}/reminders/", {"page": 2}).content.decode()
    rest = second.split('data-testid="unreachable"')[1].split("</table>")[0]
    assert rest.count("<tr>") == 1 + 30 and "Hợp tác xã Thử nghiệm 0529" in rest
    assert not mail.outbox


class RefusingMailServer(BaseEmailBackend):
    """A mail server that accepts the first message and then refuses the connection."""

    def send_messages(self, email_messages):
        sent = 0
        for _message in email_messages:
            if RefusingMailServer.accepted >= 1:
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            RefusingMailServer.accepted += 1
            sent += 1
        return sent


def test_a_failing_mail_server_is_reported_on_the_page_not_a_server_error(
    settings, login, officer_a, province_a, open_round
):
    RefusingMailServer.accepted = 0
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    for number in range(3):
        CooperativeFactory(province=province_a, code=f"820000097{number}", email=f"htx{number}@example.vn")
    response = login(officer_a).post(f"/surveys/rounds/{open_round.code}/remind/", {}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã gửi 1 email nhắc nhở." in page
    assert "2 email nhắc nhở chưa gửi được" in page


@pytest.mark.parametrize(
    ("role", "paper_surveys", "reminders"),
    [
        ("officer_a", True, True),
        ("ministry_analyst", False, False),
        ("national_admin", True, True),
    ],
)
def test_the_round_page_offers_paper_surveys_and_reminders_by_the_rules(
    request, login, coop_a, open_round, role, paper_surveys, reminders
):
    page = login(request.getfixturevalue(role)).get(f"/surveys/rounds/{open_round.code}/").content.decode()
    assert (f"/surveys/rounds/{open_round.code}/template.xlsx" in page) is paper_surveys
    assert ('<button class="btn btn-outline-success" type="submit" data-confirm=' in page) is reminders
