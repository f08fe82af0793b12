from __future__ import annotations

from django.apps import AppConfig


class CoopdxConfig(AppConfig):
    """The project package as an app: it owns the data set versions behind the API's caches and
    the Vietnamese collation every app sorts names with."""

    name = "coopdx"
    verbose_name = "CoopDX"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from . import versions
        from .collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="coopdx.vietnamese_collation")
        connection_created.connect(versions.install, dispatch_uid="coopdx.versions.install")
        for connection in connections.all(initialized_only=True):
            versions.install(connection)
        pre_migrate.connect(versions.migration_started, sender=self, dispatch_uid="coopdx.versions.pre_migrate")
        post_migrate.connect(versions.migration_finished, sender=self, dispatch_uid="coopdx.versions.post_migrate")
