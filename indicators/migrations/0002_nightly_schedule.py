"""The one beat entry: aggregate the indicators every night at 01:00, Viet Nam time.

Created once (by name); editable in the admin afterwards, and never duplicated by re-running.
"""

from django.db import migrations

NAME = "indicators: nightly aggregation"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=NAME).exists():
        return
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="1", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Ho_Chi_Minh"
    )
    PeriodicTask.objects.create(
        name=NAME,
        task="indicators.aggregate",
        crontab=schedule,
        kwargs='{"trigger": "beat"}',
        description="Nightly indicator snapshot (CoopDX).",
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
