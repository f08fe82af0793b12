from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.models import Questionnaire
from surveys.xlsform import XLSFormRefused, questionnaire_export_xlsform, questionnaire_import_xlsform


class Command(BaseCommand):
    help = (
        "Questionnaire versions as XLSForm workbooks: `xlsform import FILE.xlsx` makes a draft version "
        "(the next version of the workbook's form_id), `xlsform export CODE VERSION FILE.xlsx` writes one."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("arguments", nargs="+", help="import: FILE; export: CODE VERSION FILE")

    def handle(self, *args, **options):
        arguments = options["arguments"]
        if options["action"] == "import":
            path = Path(arguments[0])
            try:
                draft = questionnaire_import_xlsform(filename=path.name, content=path.read_bytes())
            except OSError as error:
                raise CommandError(str(error)) from error
            except XLSFormRefused as refused:
                raise CommandError("\n".join(str(problem) for problem in refused.problems)) from refused
            self.stdout.write(f"{draft.code} v{draft.version}: draft created, {draft.questions.count()} questions.")
            return
        if len(arguments) != 3:
            raise CommandError("export needs CODE VERSION FILE")
        code, version, target = arguments
        questionnaire = Questionnaire.objects.filter(code=code, version=version).first()
        if questionnaire is None:
            raise CommandError(f"No questionnaire {code} version {version}.")
        Path(target).write_bytes(questionnaire_export_xlsform(questionnaire))
        self.stdout.write(f"{code} v{version} written to {target}.")
