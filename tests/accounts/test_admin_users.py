"""Accounts in the admin: role and scope on the forms, every write through the account services."""

from __future__ import annotations

import re

import pytest

from accounts.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Mat-khau-quan-tri-2026"


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)


def add_form(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": "tai.khoan.moi",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "first_name": "Nguyễn",
        "last_name": "Văn An",
        "email": "an@example.vn",
        "organisation": "",
        "phone": "",
        "role": "",
        "province": "",
        "cooperative": "",
    }
    data.update(fields)
    return data


def change_form(user: User, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "role": user.role,
        "province": user.province_id or "",
        "cooperative": user.cooperative_id or "",
        "organisation": user.organisation,
        "phone": user.phone,
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value != ""}


def error_text(response) -> str:
    """The visible text of the form's error lists."""
    body = response.content.decode()
    return " ".join(
        re.sub(r"<[^>]+>", " ", chunk) for chunk in re.findall(r'<ul class="errorlist[^"]*"[^>]*>.*?</ul>', body, re.S)
    )


def test_the_add_page_asks_for_the_role_and_its_scope(login, superuser):
    body = login(superuser).get("/admin/accounts/user/add/").content.decode()
    role_select = re.search(r'<select name="role".*?</select>', body, re.S)
    assert role_select is not None
    for label in ("Quản trị viên quốc gia", "Chuyên viên bộ, ngành", "Cán bộ cấp tỉnh", "Thành viên hợp tác xã"):
        assert label in role_select.group(0)
    assert re.search(r'<select name="province"[^>]*>.*Đồng Tháp', body, re.S)
    assert 'name="cooperative"' in body
    # No role is chosen in advance, and the page is Vietnamese throughout.
    assert re.search(r'<option value="" selected>Chọn vai trò</option>', role_select.group(0))
    assert "Đăng nhập bằng mật khẩu" in body and "Sau khi tạo người dùng" in body
    for english in ("After you", "Password-based authentication", "Whether the user", "Disabled"):
        assert english not in body


def test_the_change_page_shows_role_and_scope_in_vietnamese(login, superuser, officer_a):
    body = login(superuser).get(f"/admin/accounts/user/{officer_a.pk}/change/").content.decode()
    assert "Vai trò và phạm vi" in body
    assert re.search(r'<option value="provincial_officer" selected>Cán bộ cấp tỉnh</option>', body)
    assert "Mật khẩu không được lưu ở dạng gốc" in body and "Raw passwords" not in body


@pytest.mark.parametrize(
    "role", [Role.NATIONAL_ADMIN, Role.MINISTRY_ANALYST, Role.PROVINCIAL_OFFICER, Role.COOPERATIVE_MEMBER]
)
def test_the_admin_creates_each_role_through_the_account_service(role, login, superuser, province_a, coop_a):
    scope = {
        Role.PROVINCIAL_OFFICER: {"province": province_a.pk},
        Role.COOPERATIVE_MEMBER: {"cooperative": coop_a.pk},
    }.get(role, {})
    response = login(superuser).post("/admin/accounts/user/add/", add_form(role=role, **scope))
    assert response.status_code == 302, error_text(response)
    user = User.objects.get(username="tai.khoan.moi")
    assert user.role == role
    assert user.province == (province_a if role == Role.PROVINCIAL_OFFICER else None)
    assert user.cooperative == (coop_a if role == Role.COOPERATIVE_MEMBER else None)
    assert user.check_password(PASSWORD)
    # The service, not the form, gives national administrators (and only them) the admin site.
    assert user.is_staff is (role == Role.NATIONAL_ADMIN)
    created = user.history.get()
    assert (created.history_type, created.history_user, created.role) == ("+", superuser, role)


@pytest.mark.parametrize(
    ("role", "scope", "field", "message"),
    [
        (Role.PROVINCIAL_OFFICER, {}, "province", "Cán bộ cấp tỉnh phải thuộc một tỉnh, thành phố."),
        (Role.COOPERATIVE_MEMBER, {}, "cooperative", "Thành viên hợp tác xã phải thuộc một hợp tác xã."),
        (
            Role.PROVINCIAL_OFFICER,
            {"province": "p", "cooperative": "c"},
            "cooperative",
            "Cán bộ cấp tỉnh không gắn với hợp tác xã.",
        ),
        (
            Role.MINISTRY_ANALYST,
            {"province": "p"},
            "province",
            "Tài khoản cấp trung ương không gắn với tỉnh hay hợp tác xã.",
        ),
        ("", {}, "role", "Trường này là bắt buộc."),
    ],
)
def test_a_role_without_its_scope_is_a_form_error_not_a_server_error(
    role, scope, field, message, login, superuser, province_a, coop_a
):
    values = {"p": province_a.pk, "c": coop_a.pk}
    client = login(superuser)
    client.raise_request_exception = False
    response = client.post("/admin/accounts/user/add/", add_form(role=role, **{k: values[v] for k, v in scope.items()}))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert message in error_text(response)
    assert not User.objects.filter(username="tai.khoan.moi").exists()


def test_a_weak_password_is_refused_on_the_add_form(login, superuser, province_a):
    response = login(superuser).post(
        "/admin/accounts/user/add/",
        add_form(role=Role.PROVINCIAL_OFFICER, province=province_a.pk, password1="12345678", password2="12345678"),
    )
    assert response.status_code == 200
    assert "Mật khẩu này quá ngắn" in error_text(response)
    assert not User.objects.filter(username="tai.khoan.moi").exists()


def test_changing_a_role_in_the_admin_goes_through_the_service(login, superuser, officer_a, province_b, coop_a):
    client = login(superuser)
    url = f"/admin/accounts/user/{officer_a.pk}/change/"
    province_a = officer_a.province
    versions = officer_a.history.count()
    # A member keeps no province: refused on the form, nothing written.
    response = client.post(url, change_form(officer_a, role=Role.COOPERATIVE_MEMBER))
    assert response.status_code == 200
    assert "Thành viên hợp tác xã phải thuộc một hợp tác xã." in error_text(response)
    officer_a.refresh_from_db()
    assert (officer_a.role, officer_a.province) == (Role.PROVINCIAL_OFFICER, province_a)
    assert officer_a.history.count() == versions
    # Moving the officer to another province is written, with its history.
    response = client.post(url, change_form(officer_a, province=province_b.pk))
    assert response.status_code == 302, error_text(response)
    officer_a.refresh_from_db()
    assert officer_a.province == province_b
    latest = officer_a.history.latest()
    assert (latest.history_type, latest.history_user, latest.province_id) == ("~", superuser, province_b.pk)


def test_a_national_administrator_who_becomes_an_officer_loses_the_admin_site(login, superuser, province_a):
    colleague = UserFactory(username="dong.nghiep", role=Role.NATIONAL_ADMIN, is_staff=True)
    response = login(superuser).post(
        f"/admin/accounts/user/{colleague.pk}/change/",
        change_form(colleague, role=Role.PROVINCIAL_OFFICER, province=province_a.pk, is_staff="on"),
    )
    assert response.status_code == 302, error_text(response)
    colleague.refresh_from_db()
    assert (colleague.role, colleague.province, colleague.is_staff) == (Role.PROVINCIAL_OFFICER, province_a, False)


def test_a_national_administrator_manages_accounts_but_cannot_grant_superuser(login, national_admin, province_a):
    client = login(national_admin)
    page = client.get("/admin/accounts/user/add/")
    assert page.status_code == 200
    response = client.post("/admin/accounts/user/add/", add_form(role=Role.PROVINCIAL_OFFICER, province=province_a.pk))
    assert response.status_code == 302, error_text(response)
    created = User.objects.get(username="tai.khoan.moi")
    assert created.history.get().history_user == national_admin
    # The superuser box is not on a national administrator's form, and posting it changes nothing.
    assert 'name="is_superuser"' not in client.get(f"/admin/accounts/user/{created.pk}/change/").content.decode()
    client.post(f"/admin/accounts/user/{created.pk}/change/", change_form(created, is_superuser="on"))
    created.refresh_from_db()
    assert created.is_superuser is False
    # A superuser's account is changed by superusers only.
    root = UserFactory(username="root", role=Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True)
    client.raise_request_exception = False
    refused = client.post(f"/admin/accounts/user/{root.pk}/change/", change_form(root, first_name="Đổi"))
    assert refused.status_code == 403
    root.refresh_from_db()
    assert root.first_name != "Đổi"


def test_the_account_service_rule_decides_in_the_admin_too(login, province_a):
    """user_create admits national administrators only. A staff account that Django's model
    permissions let into the add form (a ministry analyst) is refused by the service and no
    account is created; an admin that saved the form itself would create it."""
    from django.contrib.auth.models import Permission

    analyst = UserFactory(username="bo.staff", role=Role.MINISTRY_ANALYST, is_staff=True)
    analyst.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "add_user", "change_user"]))
    client = login(analyst)
    client.raise_request_exception = False
    assert client.get("/admin/accounts/user/add/").status_code == 200
    refused = client.post("/admin/accounts/user/add/", add_form(role=Role.PROVINCIAL_OFFICER, province=province_a.pk))
    assert refused.status_code == 403
    assert not User.objects.filter(username="tai.khoan.moi").exists()


def test_the_admins_password_page_writes_through_the_service(login, superuser, officer_a):
    url = f"/admin/accounts/user/{officer_a.pk}/password/"
    client = login(superuser)
    weak = client.post(url, {"usable_password": "true", "password1": "12345678", "password2": "12345678"})
    assert weak.status_code == 200
    assert "Mật khẩu này quá ngắn" in error_text(weak)
    versions = officer_a.history.count()
    response = client.post(url, {"usable_password": "true", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)
    latest = officer_a.history.latest()
    assert officer_a.history.count() == versions + 1 and latest.history_user == superuser
    # The service's rule decides: a staff account with Django's "change user" permission only
    # (a ministry analyst) is refused, and the password stays.
    from django.contrib.auth.models import Permission

    analyst = UserFactory(username="bo.staff", role=Role.MINISTRY_ANALYST, is_staff=True)
    analyst.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client = login(analyst)
    client.raise_request_exception = False
    other = "Mat-khau-khac-hoan-toan-2026"
    refused = client.post(url, {"usable_password": "true", "password1": other, "password2": other})
    assert refused.status_code == 403
    officer_a.refresh_from_db()
    assert officer_a.check_password(PASSWORD)
