from cooperatives.importing.registry import REGISTRY
from imports.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import cooperatives from an XLSX or CSV file in the registry template. Every row is checked "
        "first; if any row is bad nothing is written and the command exits non-zero."
    )
    kind = REGISTRY
