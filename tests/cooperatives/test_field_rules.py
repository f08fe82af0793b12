"""One rule set for the registry: the same bad value is refused with the same message by the
service (which the API, the seed and the commands use), the browser form, the admin and the
spreadsheet import. The registry API is read-only, so it has no write path to feed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import escape

from cooperatives.importing.registry import registry_import_bytes
from cooperatives.models import Cooperative, Sector
from cooperatives.services import cooperative_create
from tests.sheets import row, xlsx_bytes

pytestmark = pytest.mark.django_db

TOO_LONG_NAME = "Hợp tác xã" + " Lúa" * 70

# (model field, the text a person types or a cell holds, the value a program passes to the
# service, the import row's keyword in tests.sheets.row)
BAD_VALUES = [
    ("phone", "abc", "abc", "phone"),
    ("phone", "0277 385 1234 ext. 5", "0277 385 1234 ext. 5", "phone"),
    ("founded_on", "01/01/2090", datetime.date(2090, 1, 1), "founded"),
    ("founded_on", "02/09/1900", datetime.date(1900, 9, 2), "founded"),
    ("website", "ftp://htx.example.vn", "ftp://htx.example.vn", "website"),
    ("website", "http://", "http://", "website"),
    ("email", "not-an-email", "not-an-email", "email"),
    ("members_count", "250000", 250_000, "members"),
    ("code", "12345", "12345", "code"),
    ("name", TOO_LONG_NAME, TOO_LONG_NAME, "name"),
    # A right-to-left override shows "Hợp tác xã Sen Hồng" as "Hợp tác xã gnồH neS" and hides
    # what a name says; a zero-width space makes two equal names differ.
    ("name", "Hợp tác xã \u202eSen Hồng", "Hợp tác xã \u202eSen Hồng", "name"),
    ("name", "Hợp tác xã Sen\u200b Hồng", "Hợp tác xã Sen\u200b Hồng", "name"),
    ("address", "Ấp 3\u2066, xã Tân Dương", "Ấp 3\u2066, xã Tân Dương", "address"),
]
IDS = [f"{field}={typed[:12]}" for field, typed, _value, _key in BAD_VALUES]
COLUMNS = {
    "phone": "Điện thoại",
    "founded_on": "Ngày thành lập",
    "website": "Website",
    "email": "Email",
    "members_count": "Số thành viên",
    "code": "Mã số HTX",
    "name": "Tên HTX",
    "address": "Địa chỉ",
}


def service_refusal(national_admin, province, field, value):
    fields = {
        "code": "8212345678",
        "name": "Hợp tác xã Sen Hồng",
        "province": province,
        "sector": Sector.objects.get(code="NN"),
    }
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        cooperative_create(by=national_admin, **{**fields, field: value})
    return refused.value.message_dict[field]


def form_post_data(province, field, typed):
    data = {
        "code": "8212345678",
        "name": "Hợp tác xã Sen Hồng",
        "province": province.pk,
        "ward": "",
        "sector": Sector.objects.get(code="NN").pk,
        "status": "active",
        "members_count": "",
        "founded_on": "",
        "address": "",
        "phone": "",
        "email": "",
        "representative": "",
        "website": "",
        "traceability": "none",
    }
    return {**data, field: typed}


@pytest.mark.parametrize(("field", "typed", "value", "cell"), BAD_VALUES, ids=IDS)
def test_every_write_path_refuses_a_bad_value_with_the_models_message(
    login, national_admin, province_a, field, typed, value, cell
):
    expected = service_refusal(national_admin, province_a, field, value)
    assert expected and all(message.strip() for message in expected)

    client = login(national_admin)
    page = client.post("/cooperatives/new/", form_post_data(province_a, field, typed))
    assert page.status_code == 200
    for message in expected:
        assert escape(message) in page.content.decode(), ("browser form", message)

    admin_data = form_post_data(province_a, field, typed)
    admin_data.update(
        {
            "ocop_products-TOTAL_FORMS": "0",
            "ocop_products-INITIAL_FORMS": "0",
            "listings-TOTAL_FORMS": "0",
            "listings-INITIAL_FORMS": "0",
        }
    )
    admin_page = client.post("/admin/cooperatives/cooperative/add/", admin_data)
    assert admin_page.status_code == 200
    for message in expected:
        assert escape(message) in admin_page.content.decode(), ("admin", message)

    with translation.override("vi"):
        plan, result = registry_import_bytes(
            filename="htx.xlsx",
            content=xlsx_bytes([row(**{cell: typed})]),
            scope_province=None,
            by=national_admin,
            dry_run=False,
        )
    assert result is None
    assert [(error.column, error.message) for error in plan.errors] == [
        (COLUMNS[field], message) for message in expected
    ]
    assert not Cooperative.objects.exists()


def test_a_good_row_passes_every_path_alike(login, national_admin, province_a):
    """The rules refuse what is wrong, not what is unusual: a branch code, a +84 phone number
    with spaces, a founding date of today, a plain web address."""
    good = {
        "code": "8212345678-001",
        "phone": "+84 277 385 1234",
        "founded_on": timezone_today().strftime("%d/%m/%Y"),
        "website": "https://htx-senhong.vn",
        "members_count": "100000",
    }
    response = login(national_admin).post("/cooperatives/new/", {**form_post_data(province_a, "code", ""), **good})
    assert response.status_code == 302
    saved = Cooperative.objects.get()
    assert (saved.code, saved.phone, saved.founded_on, saved.members_count) == (
        "8212345678-001",
        "+84 277 385 1234",
        timezone_today(),
        100_000,
    )
    plan, result = registry_import_bytes(
        filename="htx.xlsx",
        content=xlsx_bytes(
            [
                row(
                    code="8212345678-002",
                    phone=good["phone"],
                    founded=good["founded_on"],
                    website="htx-senhong.vn",
                    members=100000,
                )
            ]
        ),
        scope_province=None,
        by=national_admin,
        dry_run=False,
    )
    assert plan.ok, plan.errors
    assert Cooperative.objects.get(code="8212345678-002").website == "https://htx-senhong.vn"


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()
