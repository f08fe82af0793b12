from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from . import receivers, versioning  # noqa: F401  (versioning declares the indicators' data sets)

        receivers.connect()
