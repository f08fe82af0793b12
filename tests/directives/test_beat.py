"""The daily beat entry, created by a data migration, at 07:00 Viet Nam time."""

import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import CrontabSchedule, PeriodicTask

pytestmark = pytest.mark.django_db


def test_the_daily_reminder_beat_entry_exists_in_viet_nam_time():
    entry = PeriodicTask.objects.get(name="directives: daily reminders")
    assert entry.task == "directives.send_task_reminders"
    assert entry.enabled
    assert (entry.crontab.minute, entry.crontab.hour) == ("0", "7")
    assert (entry.crontab.day_of_week, entry.crontab.day_of_month, entry.crontab.month_of_year) == ("*", "*", "*")
    assert str(entry.crontab.timezone) == "Asia/Ho_Chi_Minh"


def test_the_registered_task_name_matches_the_beat_entry():
    from coopdx.celery import app

    assert "directives.send_task_reminders" in app.tasks


def test_creating_the_schedule_again_changes_nothing():
    migration = importlib.import_module("directives.migrations.0003_daily_reminder_schedule")
    migration.create_schedule(apps, schema_editor=None)
    assert PeriodicTask.objects.filter(name="directives: daily reminders").count() == 1
    assert CrontabSchedule.objects.filter(hour="7", minute="0", timezone="Asia/Ho_Chi_Minh").count() == 1
