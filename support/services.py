"""Every write of support programmes and of the support cooperatives received."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction

from coopdx.history import record_by

from .models import SupportProgramme, SupportReceived

if TYPE_CHECKING:
    from accounts.models import User
    from cooperatives.models import Cooperative


@transaction.atomic
def programme_save(*, programme: SupportProgramme, by: User) -> SupportProgramme:
    """Create or change a programme (the admin's path): the model's rules, history under ``by``."""
    action = "change" if programme.pk else "add"
    if not by.has_perm(f"support.{action}_supportprogramme"):
        raise PermissionDenied
    programme.full_clean()
    record_by(programme, by)
    programme.save()
    return programme


@transaction.atomic
def support_record(
    *,
    cooperative: Cooperative,
    programme: SupportProgramme,
    received_on: datetime.date,
    note: str = "",
    by: User,
) -> SupportReceived:
    """Record that ``cooperative`` received ``programme``'s support on ``received_on``.

    Only the officer of the cooperative's province or a national administrator may; the date
    must lie in the programme's years, a provincial programme supports its own province, and
    the same support is recorded once a day (``ValidationError`` otherwise)."""
    if not by.has_perm("support.record_support", cooperative):
        raise PermissionDenied
    record = SupportReceived(cooperative=cooperative, programme=programme, received_on=received_on, note=note.strip())
    record.full_clean()
    record_by(record, by)
    record.save()
    return record


@transaction.atomic
def support_remove(*, record: SupportReceived, by: User) -> None:
    """Remove a support recorded by mistake; its history keeps it, with who removed it."""
    if not by.has_perm("support.record_support", record.cooperative):
        raise PermissionDenied
    record_by(record, by)
    record.delete()
