"""A cooperative's OCOP products and e-commerce listings, kept in the application: the services'
rules and history, the pages on the cooperative's page, and who may (cooperatives.maintain_products)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from coopdx.models import DataVersion
from cooperatives import products
from cooperatives.models import EcommerceListing, OcopProduct
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def registry_version() -> int:
    row = DataVersion.objects.filter(name="registry").first()
    return row.counter if row else 0


def test_an_officer_adds_changes_and_removes_a_product_with_history_naming_them(
    coop_a, officer_a, django_capture_on_commit_callbacks
):
    before = registry_version()
    with django_capture_on_commit_callbacks(execute=True):
        product = products.ocop_product_create(
            cooperative=coop_a, by=officer_a, name="Xoài cát Hòa Lộc", stars=4, year_certified=2023
        )
    assert registry_version() > before
    pk = product.pk
    products.ocop_product_update(product=product, by=officer_a, stars=5)
    products.ocop_product_delete(product=product, by=officer_a)
    history = OcopProduct.history.filter(id=pk).order_by("history_date")
    assert [(h.history_type, h.stars, h.history_user_id) for h in history] == [
        ("+", 4, officer_a.pk),
        ("~", 5, officer_a.pk),
        ("-", 5, officer_a.pk),
    ]
    assert not OcopProduct.objects.filter(pk=pk).exists()


def test_a_member_keeps_the_listings_of_their_own_cooperative(coop_a, member_a):
    listing = products.listing_create(cooperative=coop_a, by=member_a, platform="shopee", url="https://shopee.vn/a")
    products.listing_update(listing=listing, by=member_a, platform="lazada")
    assert EcommerceListing.history.filter(id=listing.pk).values_list("history_user_id", "platform").order_by(
        "history_date"
    ).last() == (member_a.pk, "lazada")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "Mật ong", "stars": 6, "year_certified": 2023}, "stars", "5"),
        ({"name": "Mật ong", "stars": 0, "year_certified": 2023}, "stars", "1"),
        ({"name": "Mật ong", "stars": 3, "year_certified": 2017}, "year_certified", "2018"),
        ({"name": "Mật\u200bong", "stars": 3, "year_certified": 2023}, "name", ""),
    ],
)
def test_the_product_rules_refuse_bad_values(coop_a, officer_a, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        products.ocop_product_create(cooperative=coop_a, by=officer_a, **fields)
    assert field in refused.value.message_dict and message in " ".join(refused.value.message_dict[field])
    assert OcopProduct.objects.count() == 0


@pytest.mark.parametrize("url", ["ftp://shopee.vn/a", "shopee", "javascript:alert(1)"])
def test_a_listing_needs_a_web_address(coop_a, officer_a, url):
    with pytest.raises(ValidationError) as refused:
        products.listing_create(cooperative=coop_a, by=officer_a, platform="shopee", url=url)
    assert "http" in " ".join(refused.value.message_dict["url"])


def test_the_same_address_twice_and_an_unknown_field_are_refused(coop_a, officer_a):
    products.listing_create(cooperative=coop_a, by=officer_a, platform="shopee", url="https://shopee.vn/a")
    with pytest.raises(ValidationError):
        products.listing_create(cooperative=coop_a, by=officer_a, platform="tiki", url="https://shopee.vn/a")
    with pytest.raises(ValidationError):
        products.listing_create(
            cooperative=coop_a, by=officer_a, platform="tiki", url="https://tiki.vn/a", cooperative_id=1
        )
    assert EcommerceListing.objects.count() == 1


def test_the_rule_refuses_another_province_another_cooperative_and_an_analyst(
    coop_a, coop_b, officer_b, member_a, ministry_analyst
):
    for cooperative, by in ((coop_a, officer_b), (coop_b, member_a), (coop_a, ministry_analyst)):
        with pytest.raises(PermissionDenied):
            products.ocop_product_create(cooperative=cooperative, by=by, name="Mật ong", stars=3, year_certified=2023)
    assert OcopProduct.objects.count() == 0


# --- The pages --------------------------------------------------------------------------------


def test_the_page_adds_a_listing_and_the_cooperatives_page_shows_it_with_edit_and_remove(coop_a, login, member_a):
    client = login(member_a)
    response = client.post(
        reverse("cooperatives:listing_create", args=[coop_a.pk]),
        {"platform": "provincial", "url": "https://sandt.vn/a"},
    )
    assert response.status_code == 302
    listing = EcommerceListing.objects.get(cooperative=coop_a)
    assert (listing.platform, listing.history.get().history_user_id) == ("provincial", member_a.pk)
    page = client.get(reverse("cooperatives:detail", args=[coop_a.pk])).content.decode()
    assert "https://sandt.vn/a" in page
    assert reverse("cooperatives:listing_update", args=[coop_a.pk, listing.pk]) in page
    assert reverse("cooperatives:listing_delete", args=[coop_a.pk, listing.pk]) in page


def test_the_page_refuses_six_stars_and_a_bad_address_with_a_message_in_vietnamese(coop_a, login, officer_a):
    client = login(officer_a)
    response = client.post(
        reverse("cooperatives:ocop_create", args=[coop_a.pk]),
        {"name": "Mật ong", "stars": "6", "year_certified": "2023"},
    )
    assert response.status_code == 200
    assert "nhỏ hơn hoặc bằng với 5" in response.content.decode()
    response = client.post(
        reverse("cooperatives:listing_create", args=[coop_a.pk]), {"platform": "shopee", "url": "ftp://x.vn"}
    )
    assert response.status_code == 200
    assert (
        "http://" in response.content.decode()
        and "Nhập địa chỉ trang web bắt đầu bằng http://" in response.content.decode()
    )
    assert OcopProduct.objects.count() == EcommerceListing.objects.count() == 0


def test_the_page_changes_and_removes_a_product(coop_a, login, officer_a):
    product = products.ocop_product_create(
        cooperative=coop_a, by=officer_a, name="Mật ong", stars=3, year_certified=2023
    )
    client = login(officer_a)
    url = reverse("cooperatives:ocop_update", args=[coop_a.pk, product.pk])
    assert 'value="Mật ong"' in client.get(url).content.decode()
    assert client.post(url, {"name": "Mật ong rừng", "stars": "4", "year_certified": "2024"}).status_code == 302
    product.refresh_from_db()
    assert (product.name, product.stars, product.year_certified) == ("Mật ong rừng", 4, 2024)
    assert client.post(reverse("cooperatives:ocop_delete", args=[coop_a.pk, product.pk])).status_code == 302
    assert not OcopProduct.objects.filter(pk=product.pk).exists()


def test_out_of_scope_is_not_found_and_an_analyst_is_forbidden(coop_a, login, officer_b, member_a, ministry_analyst):
    from tests.factories import CooperativeFactory

    product = coop_a.ocop_products.create(name="Mật ong", stars=3, year_certified=2023)
    neighbour = CooperativeFactory(province=coop_a.province, code="8200000999")
    other = neighbour.ocop_products.create(name="Khô cá", stars=3, year_certified=2023)
    edit = reverse("cooperatives:ocop_update", args=[coop_a.pk, product.pk])
    assert login(officer_b).get(edit).status_code == 404
    assert login(member_a).get(reverse("cooperatives:ocop_update", args=[neighbour.pk, other.pk])).status_code == 404
    # A product of another cooperative through this cooperative's address is not found either.
    assert login(member_a).get(reverse("cooperatives:ocop_update", args=[coop_a.pk, other.pk])).status_code == 404
    assert login(ministry_analyst).get(edit).status_code == 403
    assert login(officer_b).post(reverse("cooperatives:ocop_delete", args=[coop_a.pk, product.pk])).status_code == 404
    assert OcopProduct.objects.filter(pk=product.pk).exists()


def test_the_cooperatives_page_offers_no_maintenance_to_an_analyst(coop_a, login, ministry_analyst):
    coop_a.ocop_products.create(name="Mật ong", stars=3, year_certified=2023)
    page = login(ministry_analyst).get(reverse("cooperatives:detail", args=[coop_a.pk])).content.decode()
    assert "Mật ong" in page and "2023" in page
    assert reverse("cooperatives:ocop_create", args=[coop_a.pk]) not in page


def test_the_admin_adds_and_removes_products_through_the_same_services(
    coop_a, login, django_capture_on_commit_callbacks
):
    from tests.api.test_versions import _cooperative_form

    # Products are edited inline by a superuser (national administrators use the pages).
    admin = UserFactory(username="root", is_staff=True, is_superuser=True, role=Role.NATIONAL_ADMIN)
    client = login(admin)
    path = f"/admin/cooperatives/cooperative/{coop_a.pk}/change/"
    form = _cooperative_form(coop_a)
    added = {
        **form,
        "ocop_products-TOTAL_FORMS": 1,
        "ocop_products-0-name": "Xoài cát Hòa Lộc",
        "ocop_products-0-stars": 4,
        "ocop_products-0-year_certified": 2023,
    }
    refused = client.post(path, {**added, "ocop_products-0-stars": 6})
    assert refused.status_code == 200 and not OcopProduct.objects.exists()

    before = registry_version()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path, added).status_code == 302
    product = OcopProduct.objects.get(cooperative=coop_a)
    assert registry_version() > before
    assert [(h.history_type, h.history_user_id) for h in product.history.all()] == [("+", admin.pk)]

    removed = {
        **form,
        "ocop_products-TOTAL_FORMS": 1,
        "ocop_products-INITIAL_FORMS": 1,
        "ocop_products-0-id": product.pk,
        "ocop_products-0-cooperative": coop_a.pk,
        "ocop_products-0-name": product.name,
        "ocop_products-0-stars": 4,
        "ocop_products-0-year_certified": 2023,
        "ocop_products-0-DELETE": "on",
    }
    assert client.post(path, removed).status_code == 302
    assert not OcopProduct.objects.exists()
    history = OcopProduct.history.filter(id=product.pk).order_by("history_date")
    assert [(h.history_type, h.history_user_id) for h in history] == [
        ("+", admin.pk),
        ("-", admin.pk),
    ]
