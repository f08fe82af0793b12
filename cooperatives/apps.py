from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "cooperatives"
    verbose_name = _("Cooperatives")

    def ready(self) -> None:
        from imports import kinds

        from . import versioning  # noqa: F401  (declares the registry's data set)
        from .importing.registry import REGISTRY

        kinds.register(
            REGISTRY, label=_("Cooperative registry"), importer="cooperatives.importing.registry.RegistryImporter"
        )
