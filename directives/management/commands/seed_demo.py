from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cooperatives.demo import DEMO_PASSWORD, demo_data_seed
from directives.demo import demo_agency_accounts_seed
from surveys.demo import demo_surveys_seed


class Command(BaseCommand):
    # In the top app, which may use every app's seed (the registry's, the surveys', its own
    # agency accounts); the apps below know nothing of those above.
    help = "Load the demo data set (cooperatives of five provinces and one account per role). Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("The demo data set is never loaded in production.")
        accounts = demo_data_seed()
        accounts += demo_agency_accounts_seed()
        demo_surveys_seed()
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<16} {account.label}")
