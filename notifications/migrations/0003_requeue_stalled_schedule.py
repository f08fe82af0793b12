"""The Celery beat entry that queues again, every ten minutes, the notification deliveries nothing
would send otherwise (notifications.services.deliveries_requeue_stalled)."""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "notifications: queue stalled deliveries again"
TASK = "notifications.requeue_stalled"


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    fields = {"every": 10, "period": "minutes"}
    interval = IntervalSchedule.objects.filter(**fields).order_by("pk").first() or IntervalSchedule.objects.create(
        **fields
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "interval": interval,
            "crontab": None,
            "solar": None,
            "clocked": None,
            "enabled": True,
            "one_off": False,
            "description": "Queues again deliveries never queued (broker down), whose retry or worker was lost.",
        },
    )
    # Tell a running beat (DatabaseScheduler) that the schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_alter_notification_kind"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
