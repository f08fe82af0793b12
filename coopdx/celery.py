"""The Celery application, in the standard Django form.

Without ``CELERY_BROKER_URL`` the settings make every task run eagerly in-process, so a
laptop needs no Redis; with it, tasks go to the broker and real workers run them.
"""

import os
from typing import Any

from celery import Celery
from celery.signals import celeryd_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopdx.settings")

app = Celery("coopdx")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
def worker_broker_options(conf: Any = None, **kwargs: Any) -> None:
    """A worker, unlike a web process, waits on the broker by design: it reads with a longer
    timeout (above the 1 s its queue polls block for), checks an idle connection every 25 s, so
    a connection that died silently is noticed, and retries a command that timed out. Its
    reconnection after a lost broker is the consumer's own, retried for ever
    (``CELERY_BROKER_CONNECTION_MAX_RETRIES``)."""
    from django.conf import settings

    conf.broker_transport_options = {
        **conf.broker_transport_options,
        "socket_timeout": settings.WORKER_BROKER_SOCKET_TIMEOUT,
        "health_check_interval": 25,
        "retry_on_timeout": True,
    }


@app.task(name="coopdx.ping")
def ping(value: int) -> dict[str, object]:
    """Round trip through the queue: proves a worker runs tasks and reaches the database."""
    from coopdx.health import database_status

    return {"echo": value, "database": database_status()}
