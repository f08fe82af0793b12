"""The shared body of the import management commands (registry and paper self-assessments)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from .files import ImportFileError
from .jobs import import_bytes
from .kinds import RowError
from .models import ImportJob

# Changes and errors listed on the terminal; the rest are counted.
MAX_LISTED = 200


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
        scope = self._scope_province(options["province"])
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
            self._write_summary(plan.summary())
            self._write_errors(plan.errors)
            if not plan.ok:
                raise CommandError("The file has errors; nothing was written.")
            if result is None:
                self.stdout.write("dry run: nothing written")
            else:
                self.stdout.write(f"written: {result['created']} created, {result['updated']} updated")

    def _scope_province(self, code: str | None) -> Any:
        """The province given by ``--province`` (its official code, leading zero optional): the
        model a job's scope points to, as a job bound to an officer's province would have it."""
        if not code:
            return None
        province_model = ImportJob._meta.get_field("scope_province").related_model
        scope = province_model._default_manager.filter(code=code.zfill(2)).first()
        if scope is None:
            raise CommandError(f"Unknown province code: {code}")
        return scope

    def _write_summary(self, summary: dict[str, Any]) -> None:
        """The counts, each change old → new, the ignored columns, the pre-2025 provinces mapped."""
        self.stdout.write(
            f"rows: {summary['total_rows']}  new: {summary['new']}  changed: {summary['changed']}  "
            f"unchanged: {summary['unchanged']}  error rows: {summary['error_rows']}"
        )
        for change in summary.get("changes", [])[:MAX_LISTED]:
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

    def _write_errors(self, errors: list[RowError]) -> None:
        for error in errors[:MAX_LISTED]:
            self.stderr.write(f"row {error.row}, {error.column}: {error.message}")
        if len(errors) > MAX_LISTED:
            self.stderr.write(f"... and {len(errors) - MAX_LISTED} more errors")
