import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_an_officer_cannot_exist_without_a_province():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="lost", role=Role.PROVINCIAL_OFFICER)


def test_a_member_cannot_also_be_bound_to_a_province(coop_a, province_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="both", role=Role.COOPERATIVE_MEMBER, cooperative=coop_a, province=province_a)


def test_login_with_the_form_rotates_the_session_and_lands_on_home(client, officer_a):
    client.get("/")
    before = client.session.session_key
    response = client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session.session_key != before
    home = client.get("/")
    assert "officer_a" in home.content.decode() or officer_a.get_full_name() in home.content.decode()


def test_wrong_password_gets_a_vietnamese_message(client, officer_a):
    response = client.post("/accounts/login/", {"username": "officer_a", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_five_failures_lock_the_account_even_for_the_right_password(client, officer_a):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "officer_a", "password": "sai-mat-khau"})
    response = client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(login, client, officer_a):
    login(officer_a)
    response = client.post("/accounts/logout/")
    assert response.status_code in (200, 302)
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link_by_email(client, officer_a):
    response = client.post("/accounts/password/reset/", {"email": officer_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/" in mail.outbox[0].body
    assert mail.outbox[0].to == [officer_a.email]


def test_password_change_requires_a_strong_password(login, client, officer_a):
    login(officer_a)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)
