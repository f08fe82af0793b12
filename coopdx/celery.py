"""The Celery application, in the standard Django form.

Without ``CELERY_BROKER_URL`` the settings make every task run eagerly in-process, so a
laptop needs no Redis; with it, tasks go to the broker and real workers run them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopdx.settings")

app = Celery("coopdx")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="coopdx.ping")
def ping(value: int) -> dict[str, object]:
    """Round trip through the queue: proves a worker runs tasks and reaches the database."""
    from coopdx.health import database_status

    return {"echo": value, "database": database_status()}
