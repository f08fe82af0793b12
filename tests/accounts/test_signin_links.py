"""Sign-in for people without passwords: a one-time link by e-mail that works once, expires, is
refused after use, is rate-limited and logged, and is off for officers and administrators
unless they also pass their second factor."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInLink

pytestmark = pytest.mark.django_db


def ask(client, identifier):
    answer = client.post("/accounts/login/link/", {"identifier": identifier})
    assert answer.status_code == 200 and 'data-testid="link-sent"' in answer.content.decode()
    return answer


def link_in_last_mail():
    match = re.search(r"https?://\S+/accounts/login/link/(\S+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return f"/accounts/login/link/{match.group(1)}/"


def signed_in_as(client):
    return client.get("/").wsgi_request.user


def test_a_member_signs_in_once_with_the_link_sent_to_their_e_mail(client, member_a):
    ask(client, member_a.username.upper())  # the user name, in any case
    assert [m.to for m in mail.outbox] == [[member_a.email]]
    url = link_in_last_mail()
    token = url.rstrip("/").rsplit("/", 1)[1]
    stored = SignInLink.objects.get(user=member_a)
    assert token not in stored.token_digest and stored.sent_to == member_a.email  # only a digest is kept

    # Opening the link (as a mail scanner would) does not use it; pressing the button does.
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert signed_in_as(client) == member_a
    stored.refresh_from_db()
    assert stored.used_at is not None and stored.used_from == "127.0.0.1"

    client.logout()
    refused = client.post(url)
    assert refused.status_code == 410 and 'data-testid="link-invalid"' in refused.content.decode()
    assert client.get(url).status_code == 410
    assert not signed_in_as(client).is_authenticated


def test_a_member_without_an_e_mail_gets_it_at_the_cooperatives_registered_address(client, member_a, coop_a):
    member_a.email = ""
    member_a.save()
    coop_a.email = "htx@example.vn"
    coop_a.save()
    ask(client, member_a.username)
    assert mail.outbox[-1].to == ["htx@example.vn"]


def test_an_expired_link_is_refused(client, member_a):
    ask(client, member_a.email)
    url = link_in_last_mail()
    SignInLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.post(url).status_code == 410
    assert not signed_in_as(client).is_authenticated


def test_a_made_up_link_is_refused(client, member_a):
    assert client.post("/accounts/login/link/not-a-token/").status_code == 410
    assert client.get("/accounts/login/link/not-a-token/").status_code == 410


def test_asking_too_often_sends_nothing_more_and_says_the_same(client, member_a, settings):
    settings.SIGNIN_LINKS_PER_HOUR = 3
    for _ in range(5):
        ask(client, member_a.username)
    assert len(mail.outbox) == 3
    assert SignInLink.objects.filter(user=member_a).count() == 3
    # An hour later the person may ask again.
    SignInLink.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))
    ask(client, member_a.username)
    assert len(mail.outbox) == 4


def test_one_address_asking_for_many_people_is_limited_too(client, settings, coop_a):
    from accounts.models import Role
    from tests.factories import UserFactory

    settings.SIGNIN_LINKS_PER_HOUR = 1
    members = [UserFactory(role=Role.COOPERATIVE_MEMBER, cooperative=coop_a) for _ in range(5)]
    for member in members:
        ask(client, member.username)
    assert len(mail.outbox) == 3  # three times the per-person limit from one address


def test_an_unknown_account_gets_the_same_answer_and_no_mail(client):
    ask(client, "nobody@example.vn")
    assert mail.outbox == []


def test_officers_and_administrators_need_their_second_factor(client, officer_a, national_admin):
    ask(client, officer_a.username)
    ask(client, national_admin.username)
    assert mail.outbox == []  # without two-step verification: no link

    TOTPDevice.objects.create(user=officer_a, name="CoopDX", confirmed=True)
    ask(client, officer_a.username)
    assert mail.outbox[-1].to == [officer_a.email]
    assert client.post(link_in_last_mail()).status_code == 302
    # Signed in, but the second factor is still asked for before any page.
    answer = client.get("/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/2fa/verify/")


def test_a_link_for_a_deactivated_account_is_refused(client, member_a):
    ask(client, member_a.username)
    url = link_in_last_mail()
    member_a.is_active = False
    member_a.save()
    assert client.post(url).status_code == 410


def test_the_request_form_refuses_an_empty_name_with_a_message(client):
    answer = client.post("/accounts/login/link/", {"identifier": ""})
    assert answer.status_code == 400 and "invalid-feedback" in answer.content.decode()
