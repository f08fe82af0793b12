"""Object scoping of the registry pages: another province's cooperative is 404, never shown."""

import pytest

pytestmark = pytest.mark.django_db


def test_officer_sees_only_their_province_in_the_list(login, officer_a, coop_a, coop_b):
    body = login(officer_a).get("/cooperatives/").content.decode()
    assert coop_a.name in body
    assert coop_b.name not in body


def test_officer_gets_404_for_a_cooperative_of_another_province(login, officer_a, coop_b):
    assert login(officer_a).get(f"/cooperatives/{coop_b.pk}/").status_code == 404


def test_filtering_by_another_province_reveals_nothing(login, officer_a, coop_b, province_b):
    response = login(officer_a).get("/cooperatives/", {"province": province_b.code})
    assert coop_b.name not in response.content.decode()


def test_member_sees_only_their_own_cooperative(login, member_a, coop_a, coop_b):
    client = login(member_a)
    assert client.get(f"/cooperatives/{coop_a.pk}/").status_code == 200
    assert client.get(f"/cooperatives/{coop_b.pk}/").status_code == 404
    assert client.get("/cooperatives/").status_code == 403


@pytest.mark.parametrize("role_fixture", ["national_admin", "ministry_analyst"])
def test_national_roles_see_every_province(request, login, role_fixture, coop_a, coop_b):
    body = login(request.getfixturevalue(role_fixture)).get("/cooperatives/").content.decode()
    assert coop_a.name in body and coop_b.name in body


def test_anonymous_is_sent_to_login(client, coop_a):
    response = client.get(f"/cooperatives/{coop_a.pk}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_search_ignores_diacritics_and_case(login, national_admin, coop_a, coop_b):
    body = login(national_admin).get("/cooperatives/", {"q": "HOP TAC XA nong nghiep tan duong"}).content.decode()
    assert coop_a.name in body
    assert coop_b.name not in body
