"""Imports that did not go through stay in their uploader's work list until a later import of the
same kind goes through, for two weeks at most."""

import datetime

import pytest
from django.utils import timezone

from imports.models import ImportJob, ImportJobStatus
from imports.selectors import FAILED_LISTED_DAYS, import_job_list_failed

pytestmark = pytest.mark.django_db


def job(by, status, kind="registry", name="htx.xlsx", days_ago=0):
    created = ImportJob.objects.create(
        kind=kind, file=f"imports/{name}", original_name=name, created_by=by, status=status
    )
    ImportJob.objects.filter(pk=created.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
    return created


def listed(user):
    return [j.original_name for j in import_job_list_failed(user=user)]


def test_a_failed_import_and_a_file_with_errors_are_listed_for_their_uploader_only(officer_a, officer_b):
    job(officer_a, ImportJobStatus.FAILED, name="hong.xlsx", days_ago=1)
    job(officer_a, ImportJobStatus.INVALID, name="loi.xlsx")
    job(officer_a, ImportJobStatus.DONE, name="xong.xlsx", days_ago=2)
    job(officer_a, ImportJobStatus.READY, name="cho.xlsx")
    assert listed(officer_a) == ["loi.xlsx", "hong.xlsx"]
    assert listed(officer_b) == []


def test_a_later_import_of_the_same_kind_that_went_through_clears_it(officer_a):
    job(officer_a, ImportJobStatus.FAILED, name="hong.xlsx", days_ago=3)
    job(officer_a, ImportJobStatus.DONE, kind="responses", name="phieu.xlsx", days_ago=2)
    assert listed(officer_a) == ["hong.xlsx"]
    job(officer_a, ImportJobStatus.DONE, name="lai.xlsx", days_ago=1)
    assert listed(officer_a) == []


def test_an_import_that_went_through_before_the_failure_does_not_clear_it(officer_a, officer_b):
    job(officer_a, ImportJobStatus.DONE, name="cu.xlsx", days_ago=5)
    job(officer_b, ImportJobStatus.DONE, name="cua-nguoi-khac.xlsx", days_ago=0)
    job(officer_a, ImportJobStatus.FAILED, name="hong.xlsx", days_ago=1)
    assert listed(officer_a) == ["hong.xlsx"]


def test_a_failure_older_than_two_weeks_is_no_longer_listed(officer_a):
    job(officer_a, ImportJobStatus.FAILED, name="cu.xlsx", days_ago=FAILED_LISTED_DAYS + 1)
    job(officer_a, ImportJobStatus.FAILED, name="moi.xlsx", days_ago=FAILED_LISTED_DAYS - 1)
    assert listed(officer_a) == ["moi.xlsx"]
