"""An export with a filter value that does not exist (a mistyped province, a status no task has,
a date that is not one) is refused with the reason, never answered with the whole scope as if
no filter had been given: a file of the wrong rows is worse than no file."""

import pytest
from django.utils.html import escape

from tests.factories import CooperativeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/cooperatives/export.csv", {"province": "99"}),
        ("/cooperatives/export.xlsx", {"status": "closed-forever"}),
        ("/cooperatives/export.csv", {"maturity_level": "9"}),
        ("/cooperatives/export.csv", {"sector": "XX", "q": "sen"}),
        ("/directives/tasks/export.xlsx", {"status": "someday"}),
        ("/directives/tasks/export.xlsx", {"due_from": "31/02/2026"}),
        ("/surveys/rounds/KS2026/export.csv", {"state": "lost"}),
    ],
)
def test_an_export_with_a_filter_value_that_does_not_exist_is_refused_with_the_reason(
    login, national_admin, province_a, open_round, url, query
):
    CooperativeFactory(province=province_a)
    response = login(national_admin).get(url, query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'data-testid="error-page"' in page
    assert 'data-testid="invalid-filter"' in page
    assert escape(next(iter(query.values()))) in page or next(iter(query)) in page
    list_url = url.rsplit("/", 1)[0] + "/"  # the way back: the list the download belongs to
    assert f'href="{list_url}"' in page


def test_the_page_itself_shows_the_same_filter_as_invalid_and_lists_nothing_wrong(login, national_admin, province_a):
    CooperativeFactory(province=province_a)
    response = login(national_admin).get("/cooperatives/", {"province": "99"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
