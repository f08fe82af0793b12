"""The project's Celery application, as its workers load it, with one task of the tests' own
that holds the worker busy for a while (so the broker can be lost in the middle of it)."""

import time
from pathlib import Path

from coopdx.celery import app

__all__ = ["app", "hold"]


@app.task(name="tests.hold", ignore_result=True)
def hold(seconds: float, marker: str) -> None:
    time.sleep(seconds)
    with Path(marker).open("a") as handle:
        handle.write("done\n")
