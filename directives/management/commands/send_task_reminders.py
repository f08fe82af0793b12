import datetime

from django.core.management.base import BaseCommand, CommandError

from directives.reminders import reminders_send


class Command(BaseCommand):
    help = "E-mail reminders for directive tasks due within 14 days or overdue (each reminder only once)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args: object, **options: object) -> None:
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(str(options["today"]))
            except ValueError as error:
                raise CommandError("--today must be a date as YYYY-MM-DD") from error
        run = reminders_send(today=today)
        self.stdout.write(
            f"sent: {run.sent}, already sent: {run.already_sent}, agency without e-mail: {run.without_email}"
        )
