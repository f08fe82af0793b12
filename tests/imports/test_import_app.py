"""The import infrastructure as an app of its own: domains register their kinds with it, a job
stored before it moved out of the registry app is still there after, and the upload page picks
the kind a link names (or the one its options imply)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from django.utils.translation import gettext

from imports import kinds
from imports.models import ImportJob
from tests.sheets import row, xlsx_bytes


def test_each_domain_registers_its_kind_with_its_importer_and_rule():
    registered = {kind.key: kind for kind in kinds.registered()}
    assert set(registered) == {"registry", "responses", "support"}
    assert kinds.importer_for("registry").permission == "cooperatives.import_cooperatives"
    assert kinds.importer_for("responses").permission == "surveys.import_responses"
    assert kinds.importer_for("support").permission == "support.import_support"
    assert kinds.kind_taking({"round"}) == "responses"
    # Two kinds take no option: a link naming none is not read as either (the registry's upload
    # form falls back to the registry; the support page names its kind).
    assert kinds.kind_taking(set()) is None
    assert kinds.kind_taking({"round", "other"}) is None
    with pytest.raises(KeyError):
        kinds.importer_for("nothing")


@pytest.mark.django_db
@pytest.mark.usefixtures("run_on_commit_after_post")
@pytest.mark.parametrize("query", ["?kind=responses&round=KS2026", "?round=KS2026"])
def test_a_rounds_upload_link_imports_its_paper_self_assessments(login, officer_a, open_round, query):
    client = login(officer_a)
    page = client.get(f"/cooperatives/import/{query}").content.decode()
    assert "KS2026" in page
    data = {"kind": "responses" if "kind=" in query else "", "round": "KS2026"}
    data["file"] = SimpleUploadedFile("phieu.xlsx", xlsx_bytes([["Mã số HTX"], ["8212345678"]]))
    response = client.post("/cooperatives/import/", data)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.kind, job.options) == ("responses", {"round": "KS2026"})
    with translation.override("en"):
        assert job.kind_label == "Paper self-assessments"


@pytest.mark.django_db
@pytest.mark.usefixtures("run_on_commit_after_post")
def test_a_posted_kind_nobody_registered_is_a_form_error_and_nothing_is_stored(login, officer_a):
    data = {"kind": "payroll", "file": SimpleUploadedFile("htx.xlsx", xlsx_bytes([row()]))}
    response = login(officer_a).post("/cooperatives/import/", data)
    assert response.status_code == 200
    with translation.override("vi"):
        assert gettext("This kind of import does not exist. Open the import page again from the menu.") in (
            response.content.decode()
        )
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_job_stored_before_the_move_is_the_same_job_after_it():
    """Migrate back to where the job lived in the registry app, store one there, migrate forward:
    the row, its kind and its content type (admin history, permissions) follow."""
    from accounts.models import Role
    from tests.conftest import ensure_reference_data
    from tests.factories import UserFactory

    ensure_reference_data()  # an earlier transactional test may have emptied the database
    officer_a = UserFactory(role=Role.NATIONAL_ADMIN)
    executor = MigrationExecutor(connection)
    executor.migrate([("cooperatives", "0007_field_rules"), ("imports", None)])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cooperatives_importjob (kind, options, file, original_name, created_by_id, language, status,"
            " progress_done, progress_total, summary, errors, message, created_at)"
            " VALUES ('registry', '{}', 'imports/old.xlsx', 'old.xlsx', %s, 'vi', 'done', 3, 3, '{}', '[]', '',"
            " CURRENT_TIMESTAMP)",
            [officer_a.pk],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    job = ImportJob.objects.get()
    assert (job.original_name, job.kind, job.status, job.created_by_id) == (
        "old.xlsx",
        "registry",
        "done",
        officer_a.pk,
    )
    assert ImportJob._meta.db_table == "imports_importjob"
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    assert ContentType.objects.filter(app_label="cooperatives", model="importjob").count() == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("run_on_commit_after_post")
def test_a_job_whose_worker_stopped_beating_goes_back_to_where_the_user_can_act(login, officer_a, settings):
    """A write whose worker is gone is ready to be confirmed again (nothing of it was kept); a check
    whose worker is gone is failed with a message. A job still beating is left alone."""
    import datetime

    from django.utils import timezone

    from cooperatives.models import Cooperative

    settings.JOB_STALE_SECONDS = 120
    client = login(officer_a)
    client.post("/cooperatives/import/", {"file": SimpleUploadedFile("htx.xlsx", xlsx_bytes([row()]))})
    job = ImportJob.objects.get()
    assert job.status == "ready"
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(status="importing", heartbeat_at=now - datetime.timedelta(seconds=60))
    client.get(f"/cooperatives/import/{job.pk}/")
    job.refresh_from_db()
    assert job.status == "importing"  # beat a minute ago: still working
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=now - datetime.timedelta(seconds=150))
    page = client.get(f"/cooperatives/import/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == "ready" and job.heartbeat_at is None
    with translation.override("vi"):
        assert (
            gettext(
                "The import stopped before it finished: the server working on it was lost. Nothing was "
                "written (all rows or none). Confirm again to import the file."
            )
            in page
        )
    assert 'data-testid="confirm-import"' in page
    client.post(f"/cooperatives/import/{job.pk}/confirm/")
    job.refresh_from_db()
    assert (job.status, job.message) == ("done", "")
    assert Cooperative.objects.count() == 1

    ImportJob.objects.filter(pk=job.pk).update(status="validating", heartbeat_at=now - datetime.timedelta(seconds=150))
    client.get(f"/cooperatives/import/{job.pk}/")
    job.refresh_from_db()
    with translation.override("vi"):
        expected = gettext(
            "The check stopped: the server working on it was lost. Nothing was written; upload the file again."
        )
    assert (job.status, job.message) == ("failed", expected)


@pytest.mark.django_db
@pytest.mark.usefixtures("run_on_commit_after_post")
def test_a_job_delivered_again_while_a_live_worker_runs_it_is_not_run_twice(login, officer_a):
    """After the broker reconnects, a late-acknowledged message is delivered again while the first
    worker still runs it. The second delivery finds the row beating and leaves it alone; once the
    first worker is gone (no heartbeat), a delivery may take the job over."""
    import datetime

    from django.utils import timezone

    from cooperatives.models import Cooperative
    from imports.jobs import import_job_apply, import_job_validate

    client = login(officer_a)
    client.post("/cooperatives/import/", {"file": SimpleUploadedFile("htx.xlsx", xlsx_bytes([row()]))})
    job = ImportJob.objects.get()
    beating = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(status="importing", heartbeat_at=beating)
    assert import_job_apply(job_id=job.pk).status == "importing"
    assert Cooperative.objects.count() == 0
    ImportJob.objects.filter(pk=job.pk).update(status="validating", heartbeat_at=beating)
    import_job_validate(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.heartbeat_at) == ("validating", beating)

    silent = beating - datetime.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(status="importing", heartbeat_at=silent)
    assert import_job_apply(job_id=job.pk).status == "done"
    assert Cooperative.objects.count() == 1
