from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from surveys.models import ScoringScheme, SurveyRound
from surveys.rescoring import round_rescore


class Command(BaseCommand):
    help = (
        "Score a survey round's scored responses again under another scoring scheme (logged, with "
        "history on each response). The snapshots already written keep their figures."
    )

    def add_arguments(self, parser):
        parser.add_argument("round", help="code of the survey round")
        parser.add_argument("scheme", help="code of the scoring scheme")
        parser.add_argument("--reason", required=True, help="why the round is scored again (kept in the log)")

    def handle(self, *args, **options):
        try:
            survey_round = SurveyRound.objects.get(code=options["round"])
            scheme = ScoringScheme.objects.get(code=options["scheme"])
        except (SurveyRound.DoesNotExist, ScoringScheme.DoesNotExist) as error:
            raise CommandError(f"{error}") from error
        try:
            log = round_rescore(survey_round=survey_round, scheme=scheme, reason=options["reason"], by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            f"{survey_round.code}: {log.responses} responses scored again under {scheme.code} "
            f"(was {log.from_scheme.code}); {log.levels_changed} changed level."
        )
