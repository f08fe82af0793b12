from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cooperatives.demo import DEMO_PASSWORD, demo_data_seed
from surveys.demo import demo_surveys_seed


class Command(BaseCommand):
    # In the surveys app, which may use the registry's seed; the registry knows nothing of surveys.
    help = "Load the demo data set (cooperatives of five provinces and one account per role). Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo data set is never loaded in production.")
        accounts = demo_data_seed()
        demo_surveys_seed()
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<16} {account.label}")
