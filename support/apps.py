from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Support to cooperatives")

    def ready(self) -> None:
        from imports import kinds

        from .importing import SUPPORT

        kinds.register(SUPPORT, label=_("Support received"), importer="support.importing.SupportImporter")
