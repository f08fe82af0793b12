"""Export jobs: started from the page by national readers and officers, written by the task in
the creator's scope, compressed, with a dictionary; progress to the total; failed when the worker
died and restartable; expired files deleted; every start and download in the audit trail."""

import csv
import datetime
import gzip
import io
import json

import pytest
from django.utils import timezone

from audit.models import ExportRecord
from cooperatives.models import Cooperative
from exports import services
from exports.models import ExportJob, ExportStatus
from exports.tasks import housekeeping
from surveys.models import Response

pytestmark = pytest.mark.django_db


def start(client, **data):
    response = client.post("/exports/", {"fmt": "csv", **data})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ExportJob.objects.latest("pk")


def read_csv(job):
    with job.file.open("rb") as handle:
        text = gzip.decompress(handle.read()).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_a_national_export_of_responses_holds_every_response_once(
    login, ministry_analyst, answered, open_round, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(login(ministry_analyst), kind="responses", rounds=[open_round.code])
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE, job.message
    rows = read_csv(job)
    assert len(rows) - 1 == Response.objects.filter(round=open_round).count() == 2
    assert (job.progress_done, job.progress_total) == (2, 2)
    # The dictionary names every column of the file, in order.
    with job.dictionary.open("rb") as handle:
        dictionary = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert [line[0] for line in dictionary[1:]] == rows[0]
    assert job.expires_at > timezone.now() + datetime.timedelta(days=6)
    start_record = ExportRecord.objects.get(action="start")
    assert (start_record.kind, start_record.scope, start_record.filters["rounds"]) == (
        "job_responses",
        "national",
        [open_round.code],
    )


def test_an_officers_export_holds_only_their_province_whatever_the_filters(
    login, officer_a, answered, coop_b, django_capture_on_commit_callbacks
):
    client = login(officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        job = start(client, kind="responses")
    job.refresh_from_db()
    codes = [row[1] for row in read_csv(job)[1:]]
    assert codes == [answered["a"].cooperative.code]
    # Another province in the filters is not a choice of the form: refused, nothing started.
    response = client.post("/exports/", {"kind": "registry", "fmt": "csv", "provinces": [coop_b.province.code]})
    assert response.status_code == 400
    # Even a job that names it (through the service) reads through the officer's scope.
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_start(kind="registry", fmt="ndjson", provinces=[coop_b.province.code], by=officer_a)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.progress_total == 0
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_start(kind="registry", fmt="ndjson", by=officer_a)
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        lines = [json.loads(line) for line in gzip.decompress(handle.read()).decode().splitlines()]
    assert {line["province_code"] for line in lines} == {officer_a.province.code}
    assert len(lines) == Cooperative.objects.filter(province=officer_a.province, is_archived=False).count()


def test_a_member_cannot_start_an_export(login, member_a):
    client = login(member_a)
    assert client.get("/exports/").status_code == 403
    assert client.post("/exports/", {"kind": "registry", "fmt": "csv"}).status_code == 403
    assert not ExportJob.objects.exists()


def test_sdmx_csv_is_for_indicator_figures_only(login, national_admin):
    response = login(national_admin).post("/exports/", {"kind": "registry", "fmt": "sdmx-csv"})
    assert response.status_code == 400
    assert not ExportJob.objects.exists()


def test_a_download_is_audited_and_someone_elses_job_is_404(
    login, national_admin, ministry_analyst, answered, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_start(kind="registry", fmt="csv", by=national_admin)
    job.refresh_from_db()
    response = login(national_admin).get(f"/exports/{job.pk}/download/")
    assert response.status_code == 200
    body = gzip.decompress(b"".join(response.streaming_content)).decode()
    assert body.splitlines()[0].startswith("code,name,province_code")
    record = ExportRecord.objects.get(action="download")
    assert (record.user, record.kind, record.rows, record.filters["job"]) == (
        national_admin,
        "job_registry",
        job.progress_done,
        job.pk,
    )
    client.force_login(ministry_analyst)
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_a_job_whose_worker_died_is_failed_and_can_be_started_again(
    login, national_admin, answered, settings, django_capture_on_commit_callbacks
):
    job = ExportJob.objects.create(
        kind="registry",
        fmt="csv",
        created_by=national_admin,
        status=ExportStatus.RUNNING,
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 5),
        progress_done=3,
    )
    assert housekeeping()["released"] == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.file and not job.is_available
    client = login(national_admin)
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404  # a partial file is never offered
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/exports/{job.pk}/restart/").status_code == 302
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.progress_done == Cooperative.objects.filter(is_archived=False).count()


def test_expired_files_are_deleted_and_the_page_says_expired(
    login, national_admin, answered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_start(kind="indicators", fmt="csv", by=national_admin)
    job.refresh_from_db()
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert housekeeping()["expired"] == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and not job.file
    import os

    assert not os.path.exists(path)
    page = login(national_admin).get(f"/exports/{job.pk}/")
    assert 'data-testid="export-expired"' in page.content.decode()
    assert login(national_admin).get(f"/exports/{job.pk}/download/").status_code == 404


def test_the_housekeeping_runs_on_a_beat_schedule():
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="exports.housekeeping")
    assert entry.enabled and entry.crontab.minute == "*/15"
