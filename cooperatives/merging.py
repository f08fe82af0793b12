"""Merging cooperatives registered twice: one service, one transaction, nothing lost.

``cooperatives_merge(keep=..., merged=[...], by=...)`` moves every row that points at a merged
cooperative to the one kept. The rows are found through the model's reverse relations (hidden ones too),
so a table added later by any app (responses with their answers, pillar scores and flags, OCOP
products, e-commerce listings, members' accounts...) moves too without this module knowing it.
Each moved row of a model with history gets a history record naming the officer and the merge;
the history records it already had stay as they are (they tell where it was then).

**What cannot move.** A row that a unique constraint allows only once per cooperative (one
response per round, one listing per address) cannot move when the cooperative kept, or another
merged one, has its counterpart. Which of the two is right is the officer's judgement, not a
rule's, so the merge is refused, naming each such pair, and nothing changes: the officer settles
them first (corrects or removes the wrong one) and merges again.

**The merged cooperatives are not deleted**: they are archived, with a history record saying
which cooperative they were merged into, so their own history and their page remain. The kept
cooperative's history records the merge too. Afterwards the maturity levels are refreshed by the
apps that count them (``register_after_merge``: surveys registers
``cooperatives_refresh_maturity``, the one rule of the level), and the registry's data version
moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history, update_change_reason

from coopdx import versions
from coopdx.history import record_by

from .models import Cooperative
from .versioning import REGISTRY
from .webhook_events import CHANGED, cooperatives_emit

if TYPE_CHECKING:
    from accounts.models import User

# Dotted paths of functions called as ``f(cooperative_ids=[...], by=user)`` inside the merge's
# transaction once the rows have moved; apps above the registry register them in ``ready()``.
_AFTER_MERGE: list[str] = []

# The history records' change reasons, as data: the cooperative's page words them in the reader's language.
MERGED_INTO = "merged into "
MERGED_FROM = "merged from "


def register_after_merge(path: str) -> None:
    if path not in _AFTER_MERGE:
        _AFTER_MERGE.append(path)


@dataclass
class MergeResult:
    kept: Cooperative
    merged: list[Cooperative]
    # Model label → how many of its rows moved to the cooperative kept.
    moved: dict[str, int] = field(default_factory=dict)


def _is_history(model: type[models.Model]) -> bool:
    """A django-simple-history record model: its rows tell where a row was then, and stay."""
    return any(f.name == "history_id" for f in model._meta.fields)


def _relations() -> list[models.ForeignObjectRel]:
    """Every foreign key (or one-to-one) of any app that points at a cooperative, those without
    a reverse accessor (``related_name="+"``) included; history records excepted."""
    return [
        relation
        for relation in Cooperative._meta.get_fields(include_hidden=True)
        if isinstance(relation, models.ForeignObjectRel)
        and not relation.many_to_many
        and relation.related_model is not Cooperative
        and not _is_history(relation.related_model)
    ]


def _auto_now(model: type[models.Model]) -> list[str]:
    """The fields a save stamps with the time (``auto_now``): a bulk update must stamp them itself,
    so that readers syncing by ``updated_since`` see the moved rows."""
    return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def _unique_sets(model: type[models.Model], fk: str) -> list[tuple[list[str], models.Q | None]]:
    """The other fields that, with ``fk``, a unique constraint of ``model`` allows only once."""
    found: list[tuple[list[str], models.Q | None]] = []
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and fk in constraint.fields:
            found.append(([f for f in constraint.fields if f != fk], constraint.condition))
    for together in model._meta.unique_together:
        if fk in together:
            found.append(([f for f in together if f != fk], None))
    if cast("models.Field[Any, Any]", model._meta.get_field(fk)).unique:
        found.append(([], None))
    return found


def _label(model: type[models.Model], name: str) -> str:
    return str(cast("models.Field[Any, Any]", model._meta.get_field(name)).verbose_name)


def _shown(model: type[models.Model], name: str, value: Any) -> str:
    target = model._meta.get_field(name)
    if isinstance(target, models.ForeignKey) and value is not None:
        related = target.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    return str(value)


def merge_conflicts(*, keep: Cooperative, merged: Sequence[Cooperative]) -> list[str]:
    """Each row that could not move, worded for the officer (empty when the merge can run)."""
    codes = {c.pk: c.code for c in (keep, *merged)}
    messages = []
    for relation in _relations():
        model, fk = relation.related_model, relation.field
        for others, condition in _unique_sets(model, fk.name):
            rows = model._default_manager.filter(**{f"{fk.name}__in": list(codes)})
            if condition is not None:
                rows = rows.filter(condition)
            seen: dict[tuple[Any, ...], set[int]] = {}
            for row in rows.order_by().values_list(fk.attname, *others):
                seen.setdefault(tuple(row[1:]), set()).add(row[0])
            for values, owners in seen.items():
                if len(owners) < 2:
                    continue
                what = ", ".join(
                    f"{_label(model, name)} “{_shown(model, name, value)}”"
                    for name, value in zip(others, values, strict=True)
                )
                messages.append(
                    _("%(codes)s each have a %(thing)s with the same %(what)s; a cooperative may have only one.")
                    % {
                        "codes": ", ".join(sorted(codes[pk] for pk in owners)),
                        "thing": model._meta.verbose_name,
                        "what": what or _("cooperative"),
                    }
                )
    return messages


def _check(*, keep: Cooperative, merged: Sequence[Cooperative], by: User) -> None:
    everyone = [keep, *merged]
    if not merged or len({c.pk for c in everyone}) != len(everyone):
        raise ValidationError(_("Choose the cooperative to keep and at least one other to merge into it."))
    if not by.has_perm("cooperatives.merge_cooperatives", cast(Any, everyone)):
        raise PermissionDenied(_("You may only merge cooperatives of your own province."))
    if len({c.province_id for c in everyone}) > 1:
        raise ValidationError(_("Cooperatives of different provinces cannot be merged."))
    if any(c.is_archived for c in everyone):
        raise ValidationError(_("An archived cooperative cannot be merged; restore it first."))


@transaction.atomic
def cooperatives_merge(*, keep: Cooperative, merged: Sequence[Cooperative], by: User) -> MergeResult:
    """Merge ``merged`` into ``keep``: every row moves, the merged ones are archived.

    Refused (``ValidationError``, nothing changed) across provinces, for an archived
    cooperative, or when a row cannot move (``merge_conflicts``); ``PermissionDenied`` without
    the rule ``cooperatives.merge_cooperatives`` over every cooperative involved.
    """
    _check(keep=keep, merged=merged, by=by)
    ids = [keep.pk, *(c.pk for c in merged)]
    # Hold the rows, so that no answer or import lands on a merged cooperative meanwhile, and check
    # again what the lock holds: a merge of the same pair the other way round, sent at the same
    # moment, has archived one of them while this one waited.
    held = Cooperative.objects.select_for_update().in_bulk(ids)
    if len(held) != len(ids):
        raise ValidationError(_("Choose the cooperative to keep and at least one other to merge into it."))
    keep, merged = held[keep.pk], [held[c.pk] for c in merged]
    _check(keep=keep, merged=merged, by=by)
    conflicts = merge_conflicts(keep=keep, merged=merged)
    if conflicts:
        raise ValidationError([_("Nothing was merged.") + " " + message for message in conflicts])
    result = MergeResult(kept=keep, merged=list(merged))
    reason = MERGED_INTO + keep.code
    for relation in _relations():
        model, fk = relation.related_model, relation.field
        rows = list(model._default_manager.filter(**{f"{fk.name}__in": merged}))
        if not rows:
            continue
        stamped = _auto_now(model)
        now = timezone.now()
        for row in rows:
            setattr(row, fk.name, keep)
            for name in stamped:
                setattr(row, name, now)
        fields = [fk.name, *stamped]
        if getattr(model._meta, "simple_history_manager_attribute", None):  # it keeps a history
            bulk_update_with_history(rows, model, fields, default_user=by, default_change_reason=reason)
        else:
            model._default_manager.bulk_update(rows, fields)
        result.moved[model._meta.label] = len(rows)
    for cooperative in merged:
        cooperative.is_archived = True
        record_by(cooperative, by)
        cooperative.save(update_fields=["is_archived", "updated_at"])
        update_change_reason(cooperative, reason)
    record_by(keep, by)
    keep.save(update_fields=["updated_at"])
    update_change_reason(keep, MERGED_FROM + ", ".join(c.code for c in merged))
    for path in _AFTER_MERGE:
        import_string(path)(cooperative_ids=ids, by=by)
    versions.mark_changed(REGISTRY)
    cooperatives_emit(
        event=CHANGED,
        codes=[keep.code, *(c.code for c in merged)],
        source="merge",
        extra={"kept": keep.code, "merged": [c.code for c in merged]},
    )
    return result
