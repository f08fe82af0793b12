"""The OpenAPI schema documents every operation with its errors; Swagger UI loads under the CSP."""

from __future__ import annotations

import re

import pytest
import yaml
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema() -> dict:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_the_schema_is_openapi_3_with_bearer_and_session_authentication(schema):
    assert schema["openapi"].startswith("3.")
    assert set(schema["components"]["securitySchemes"]) == {"bearerAuth", "cookieAuth"}
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_every_operation_documents_its_errors_in_the_one_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["$ref"].endswith("/ErrorDetail")
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert {"401", "403", "429"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if method in ("post", "patch") or any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in responses, (method, path)
        for code, response in responses.items():
            if code.startswith(("4", "5")):
                assert response["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
        assert operation.get("summary"), (method, path)


def test_writes_with_a_revision_document_409(schema):
    for path, method in [("/api/v1/responses/{id}/", "patch"), ("/api/v1/responses/{id}/submit/", "post")]:
        assert "409" in schema["paths"][path][method]["responses"]


def test_filters_and_pagination_are_documented(schema):
    parameters = {p["name"] for p in schema["paths"]["/api/v1/cooperatives/"]["get"]["parameters"]}
    assert {"q", "province", "ward", "sector", "status", "maturity_level", "updated_since", "ordering"} <= parameters
    assert {"cursor", "page_size", "If-None-Match"} <= parameters
    series = {p["name"] for p in schema["paths"]["/api/v1/indicators/series/"]["get"]["parameters"]}
    assert {"metric", "scope_key"} <= series


def test_swagger_ui_loads_with_no_inline_script(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the page loads Swagger UI"
    for attributes, body in scripts:
        assert "src=" in attributes and body.strip() == ""
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "unsafe-inline" not in page["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    # The start-up script is its own URL, from the same origin.
    source = re.search(r'<script src="([^"]*script[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(source)
    assert script.status_code == 200 and "javascript" in script["Content-Type"]
    assert "/api/v1/schema/" in script.content.decode()
    # Swagger UI's own files come from the sidecar package through our static files.
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html


def test_no_operation_borrows_a_base_class_docstring_as_its_description(schema):
    """drf-spectacular describes an operation with the first docstring among its view's classes:
    a base class's note for programmers must never reach the public reference."""
    from coopdx.api import views as bases

    notes = [cls.__doc__.strip() for cls in vars(bases).values() if isinstance(cls, type) and cls.__doc__]
    leaked = [
        (path, method)
        for path, method, operation in operations(schema)
        if isinstance(operation, dict)
        and any(note.split("\n")[0] in operation.get("description", "") for note in notes if note)
        or "request.user" in str(operation)
    ]
    assert not leaked
