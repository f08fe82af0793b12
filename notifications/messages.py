"""What each kind of notification says, written in the recipient's language.

The callers (surveys, imports, directives) pass the event's values; a value that has a name in
each language (a round's name) is passed as ``{"vi": ..., "en": ...}`` and read in the
recipient's language. The texts are the catalogue's, so they are translated like the pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import NotificationKind as Kind

TEXTS: dict[str, tuple[Any, Any]] = {
    Kind.ROUND_OPENED: (
        _("Self-assessment round %(round)s is open"),
        _(
            'The self-assessment round "%(round)s" is open until %(closes)s. '
            "Please complete and submit your cooperative's self-assessment."
        ),
    ),
    Kind.ROUND_REMINDER: (
        _("Reminder: round %(round)s closes on %(closes)s"),
        _(
            'The self-assessment round "%(round)s" closes on %(closes)s and your cooperative has not '
            "submitted its self-assessment yet. Please complete and submit it before then."
        ),
    ),
    Kind.RESPONSE_RETURNED: (
        _("Your self-assessment was returned for correction"),
        _(
            'The self-assessment of %(cooperative)s in round "%(round)s" was returned for correction. '
            "The officer's comment: %(comment)s"
        ),
    ),
    Kind.RESPONSE_ACCEPTED: (
        _("Your self-assessment was accepted"),
        _('The self-assessment of %(cooperative)s in round "%(round)s" was accepted. Its level: %(level)s.'),
    ),
    Kind.IMPORT_READY: (
        _("File %(file)s checked: confirm to import"),
        _("The file %(file)s was checked and has no errors. Open it to confirm the import."),
    ),
    Kind.IMPORT_DONE: (
        _("Import of %(file)s finished"),
        _("The file %(file)s was imported."),
    ),
    Kind.IMPORT_FAILED: (
        _("Import of %(file)s failed"),
        _("The file %(file)s was not imported: %(reason)s"),
    ),
    Kind.TASK_DUE: (
        _("Directive report due on %(due)s"),
        _('The report on the task "%(task)s" (%(document)s) is due on %(due)s.'),
    ),
    Kind.TASK_OVERDUE: (
        _("Directive report overdue since %(due)s"),
        _('The report on the task "%(task)s" (%(document)s) was due on %(due)s and has not come in.'),
    ),
    Kind.WEBHOOK_DISABLED: (
        _("Webhook switched off: %(url)s"),
        _(
            "Your webhook %(url)s was switched off because its deliveries kept failing (%(reason)s). "
            "Fix the receiver, then switch it on again and retry the failed deliveries from its log."
        ),
    ),
}


class _Values(dict[str, str]):
    """A value the caller did not give reads as empty rather than failing the event."""

    def __missing__(self, key: str) -> str:
        return ""


def localized_params(params: Mapping[str, Any], language: str) -> dict[str, str]:
    """The event's values as text in ``language``."""
    values = {}
    for name, value in params.items():
        if isinstance(value, Mapping):
            value = value.get(language) or value.get("vi") or ""
        values[name] = str(value)
    return values


def stored_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """The event's values as kept on the notification (JSON): text as given, a translatable value
    (a level's name, a lazy message) written out in each language, so the notification can be
    shown later in whatever language its reader uses."""
    stored: dict[str, Any] = {}
    for name, value in params.items():
        if isinstance(value, Promise):
            value = {code: _in(code, value) for code, _label in settings.LANGUAGES}
        elif isinstance(value, Mapping):
            value = {str(code): str(text) for code, text in value.items()}
        else:
            value = str(value)
        stored[name] = value
    return stored


def _in(language: str, value: object) -> str:
    with translation.override(language):
        return str(value)


def render(kind: str, params: Mapping[str, Any], language: str) -> tuple[str, str, dict[str, str]]:
    """The subject, the body and the values of a notification of ``kind`` in ``language``."""
    subject, body = TEXTS[kind]
    with translation.override(language):
        values = localized_params(params, language)
        filled = _Values(values)
        return (str(subject) % filled)[:255], str(body) % filled, values
