"""Export jobs over the API: start, follow, download; a token needs the scope of what it exports."""

import gzip

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiScope
from audit.models import ExportRecord
from exports.models import ExportJob
from tests.api.conftest import issue

pytestmark = pytest.mark.django_db


def test_a_ministry_token_starts_an_export_follows_it_and_downloads_it(
    as_caller, coop_a, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client = as_caller("ministry_token")
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/api/v1/exports/", {"kind": "registry", "fmt": "csv"}, format="json")
    assert started.status_code == 202, started.content
    job = client.get(f"/api/v1/exports/{started.json()['id']}/").json()
    assert job["status"] == "done" and job["progress_done"] == job["progress_total"] >= 1
    response = client.get(job["download_url"])
    assert response.status_code == 200
    text = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert coop_a.code in text
    assert ExportRecord.objects.filter(action="download", kind="job_registry").count() == 1


def test_sdmx_for_the_registry_is_a_400(as_caller):
    response = as_caller("ministry_analyst").post(
        "/api/v1/exports/", {"kind": "registry", "fmt": "sdmx-csv"}, format="json"
    )
    assert response.status_code == 400
    assert not ExportJob.objects.exists()


def test_a_token_without_the_scope_of_the_kind_is_refused(as_caller, national_admin):
    issued = issue(national_admin, scopes=[ApiScope.INDICATORS_READ])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.secret}")
    assert client.post("/api/v1/exports/", {"kind": "responses"}, format="json").status_code == 403
    assert not ExportJob.objects.exists()
