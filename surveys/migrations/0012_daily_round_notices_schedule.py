"""The daily 07:00 (Viet Nam time) Celery beat entry that notifies members of open rounds and of
rounds closing soon (surveys.notices)."""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "surveys: daily round notices"
TASK = "surveys.send_round_notices"
TIME_ZONE = "Asia/Ho_Chi_Minh"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    fields = {
        "minute": "0",
        "hour": "7",
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        "timezone": TIME_ZONE,
    }
    crontab = CrontabSchedule.objects.filter(**fields).order_by("pk").first() or CrontabSchedule.objects.create(
        **fields
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": crontab,
            "interval": None,
            "solar": None,
            "clocked": None,
            "enabled": True,
            "one_off": False,
            "description": "Notifies members that a round is open, and those not submitted that it closes soon.",
        },
    )
    # Tell a running beat (DatabaseScheduler) that the schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0011_questionnaire_scheme_required"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
