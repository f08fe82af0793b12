"""The shared body of the import management commands (registry and paper self-assessments)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ..models import Province
from .files import ImportFileError
from .jobs import import_bytes


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--province", help="official code of the only province the rows may belong to")
        parser.add_argument("--language", default="vi", choices=["vi", "en"])

    def import_options(self, options: dict[str, Any]) -> dict[str, Any]:
        return {}

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        scope = None
        if options["province"]:
            scope = Province.objects.filter(code=options["province"].zfill(2)).first()
            if scope is None:
                raise CommandError(f"Unknown province code: {options['province']}")
        with translation.override(options["language"]):
            try:
                plan, result = import_bytes(
                    kind=self.kind,
                    filename=path.name,
                    content=path.read_bytes(),
                    scope_province=scope,
                    by=None,
                    dry_run=options["dry_run"],
                    options=self.import_options(options),
                )
            except ImportFileError as error:
                raise CommandError(str(error)) from error
            summary = plan.summary()
            self.stdout.write(
                f"rows: {summary['total_rows']}  new: {summary['new']}  changed: {summary['changed']}  "
                f"unchanged: {summary['unchanged']}  error rows: {summary['error_rows']}"
            )
            for change in summary.get("changes", [])[:200]:
                for item in change["fields"]:
                    self.stdout.write(
                        f"row {change['row']} {change['code']}: {item['column']}: "
                        f"{item['old'] or '—'} → {item['new'] or '—'}"
                    )
            if summary["unknown_columns"]:
                self.stdout.write("unknown columns (ignored): " + ", ".join(summary["unknown_columns"]))
            if summary["legacy_province_rows"]:
                self.stdout.write(
                    f"rows with a pre-2025 province mapped to its successor: {summary['legacy_province_rows']}"
                )
            for error in plan.errors[:200]:
                self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
            if len(plan.errors) > 200:
                self.stderr.write(f"... and {len(plan.errors) - 200} more errors")
            if not plan.ok:
                raise CommandError("The file has errors; nothing was written.")
            if result is None:
                self.stdout.write("dry run: nothing written")
            else:
                self.stdout.write(f"written: {result['created']} created, {result['updated']} updated")
