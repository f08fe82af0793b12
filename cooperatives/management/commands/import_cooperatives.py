from cooperatives.importing.command import ImportCommand
from cooperatives.models import ImportKind


class Command(ImportCommand):
    help = (
        "Import cooperatives from an XLSX or CSV file in the registry template. Every row is checked "
        "first; if any row is bad nothing is written and the command exits non-zero."
    )
    kind = ImportKind.REGISTRY
