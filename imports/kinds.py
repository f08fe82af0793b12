"""What each domain registers: a kind of file, its label and its importer.

The import infrastructure (the job row, file reading, cell parsing, the queue) knows no
domain. Each app that reads files registers its importer here from its ``AppConfig.ready``::

    kinds.register("registry", label=_("Cooperative registry"),
                   importer="cooperatives.importing.registry.RegistryImporter")

An importer checks every row of a sheet and writes nothing (``plan``), then writes a clean plan
all or nothing (``apply``); errors name their row and column (``RowError``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.functional import Promise
from django.utils.module_loading import import_string

from .files import Sheet

if TYPE_CHECKING:
    from accounts.models import User
    from cooperatives.models import Province

# At most this many row errors are kept on a job (the error workbook marks them all).
MAX_STORED_ERRORS = 500


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class Plan(Protocol):
    total_rows: int

    @property
    def ok(self) -> bool: ...

    @property
    def errors(self) -> list[RowError]: ...

    def summary(self) -> dict[str, Any]: ...

    def stored_errors(self) -> list[dict[str, Any]]: ...


class Importer(Protocol):
    # The named rule (accounts.rules) a user needs to upload a file of this kind.
    permission: str
    # The sheet of a workbook to read (a template may open on instructions); None: the first.
    sheet_name: str | None

    def check_options(self, *, options: dict[str, Any], by: User | None) -> None: ...

    def plan(
        self,
        *,
        sheet: Sheet,
        options: dict[str, Any],
        scope_province: Province | None,
        progress: Callable[[int, int], None] | None,
    ) -> Plan: ...

    def apply(self, *, plan: Any, by: User | None) -> dict[str, int]: ...


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    importer: str  # dotted path of the importer class
    options: tuple[str, ...] = ()  # what the importer needs besides the file, e.g. ("round",)


_KINDS: dict[str, Kind] = {}


def register(key: str, *, label: str | Promise, importer: str, options: tuple[str, ...] = ()) -> None:
    """Register a kind of file (idempotent: ``ready`` may run more than once in tests)."""
    _KINDS[key] = Kind(key=key, label=label, importer=importer, options=options)


def registered() -> list[Kind]:
    return list(_KINDS.values())


def kind_taking(options: set[str]) -> str | None:
    """The one kind whose options are exactly these (a link that gives a survey round but not the
    kind means that round's paper self-assessments), or None."""
    matching = [kind.key for kind in _KINDS.values() if set(kind.options) == options]
    return matching[0] if len(matching) == 1 else None


def kind_label(key: str) -> str:
    kind = _KINDS.get(key)
    return str(kind.label) if kind else key


def importer_for(key: str) -> Importer:
    """The importer of a registered kind. KeyError for a kind nobody registered."""
    return import_string(_KINDS[key].importer)()
