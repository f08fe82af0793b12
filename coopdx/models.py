"""The project's own table: the version of each data set behind the API (``coopdx.versions``)."""

from __future__ import annotations

from django.db import models


class DataVersion(models.Model):
    """One row per data set; ``counter`` moves on every committed change of a table it feeds."""

    name = models.CharField(max_length=32, unique=True)
    counter = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "data set version"

    def __str__(self) -> str:
        return f"{self.name} #{self.counter}"
