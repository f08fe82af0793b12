from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from cooperatives import merging
        from imports import kinds

        from .importing import RESPONSES

        kinds.register(
            RESPONSES,
            label=_("Paper self-assessments"),
            importer="surveys.importing.ResponseImporter",
            options=("round",),
        )
        # A merge moves responses to the cooperative kept: its level is the surveys' to count.
        merging.register_after_merge("surveys.services.cooperatives_refresh_maturity")
