from imports.command import ImportCommand
from surveys.importing import RESPONSES


class Command(ImportCommand):
    help = (
        "Import paper self-assessments of a survey round from an XLSX or CSV file in the round's template "
        "(Mã số HTX, then one column per question code). All rows or none; exits non-zero on any bad row."
    )
    kind = RESPONSES

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--round", required=True, help="code of the survey round")

    def import_options(self, options):
        return {"round": options["round"]}
