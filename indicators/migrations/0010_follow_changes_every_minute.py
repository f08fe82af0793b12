"""The beat entry of the continuous figures: every minute, today's figures follow the changes
(``indicators.continuous``). It expires after 50 seconds: a minute missed while no worker runs
is not queued up behind the next one.

Created once (by name); editable in the admin afterwards, and never duplicated by re-running.
"""

from django.db import migrations

NAME = "indicators: figures follow the changes"


def create(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    schedule, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    PeriodicTask.objects.create(
        name=NAME,
        task="indicators.follow_changes",
        interval=schedule,
        expire_seconds=50,
        description="Today's indicator figures follow the responses and the registry (CoopDX).",
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0009_province_counts"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
