from django.core.management.base import BaseCommand, CommandError

from indicators.services import AggregationBusy, aggregate_indicators
from surveys.models import SurveyRound


class Command(BaseCommand):
    help = "Compute the indicator snapshot now, synchronously (the same code as the nightly job)."

    def add_arguments(self, parser):
        parser.add_argument("--round", default="", help="only this survey round (code)")

    def handle(self, *args, **options):
        try:
            run = aggregate_indicators(trigger="command", round_code=options["round"])
        except AggregationBusy as error:
            raise CommandError("Another aggregation is running; try again when it has finished.") from error
        except SurveyRound.DoesNotExist as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"snapshot written: {run.rows_written} figures, run {run.pk}")
