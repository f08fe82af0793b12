from django.core.management.base import BaseCommand

from cooperatives.reference import reference_data_load


class Command(BaseCommand):
    help = "Load (or refresh) provinces, wards, pre-2025 provinces and sectors from the shipped data files."

    def handle(self, *args: object, **options: object) -> None:
        counts = reference_data_load()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
