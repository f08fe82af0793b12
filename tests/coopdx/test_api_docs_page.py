"""The API documentation page (linked from the token pages) keeps to the Content-Security-Policy."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_documentation_page_has_no_inline_style_or_script(login, ministry_analyst):
    response = login(ministry_analyst).get("/api/v1/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<style" not in body and " style=" not in body
    assert not re.search(r"<script>(?!</script>)", body)
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert '<link rel="stylesheet" href="/static/css/swagger.css">' in body
