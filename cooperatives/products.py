"""Writes of a cooperative's OCOP products and e-commerce listings: the evidence its
self-assessments are checked against (``surveys.evidence``). The pages and the admin's path
alike: the rule ``cooperatives.maintain_products``, ``full_clean()``, the history naming who
changed what, the registry's data version."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coopdx import versions
from coopdx.history import record_by

from .models import Cooperative, EcommerceListing, OcopProduct
from .versioning import REGISTRY

if TYPE_CHECKING:
    from accounts.models import User

PRODUCT_FIELDS = ("name", "stars", "year_certified")
LISTING_FIELDS = ("platform", "url")


def _check_can_maintain(*, cooperative: Cooperative, by: User) -> None:
    if not by.has_perm("cooperatives.maintain_products", cooperative):
        raise PermissionDenied(_("You may not change the products and listings of this cooperative."))


def _save(item: OcopProduct | EcommerceListing, fields: dict[str, Any], allowed: tuple[str, ...], by: User) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    record_by(item, by)
    item.save()
    versions.mark_changed(REGISTRY)


@transaction.atomic
def ocop_product_create(*, cooperative: Cooperative, by: User, **fields: Any) -> OcopProduct:
    """Record an OCOP product of the cooperative."""
    _check_can_maintain(cooperative=cooperative, by=by)
    product = OcopProduct(cooperative=cooperative)
    _save(product, fields, PRODUCT_FIELDS, by)
    return product


@transaction.atomic
def ocop_product_update(*, product: OcopProduct, by: User, **fields: Any) -> OcopProduct:
    _check_can_maintain(cooperative=product.cooperative, by=by)
    _save(product, fields, PRODUCT_FIELDS, by)
    return product


@transaction.atomic
def ocop_product_delete(*, product: OcopProduct, by: User) -> None:
    """Remove the product; its history keeps the removal and who made it."""
    _check_can_maintain(cooperative=product.cooperative, by=by)
    record_by(product, by)
    product.delete()
    versions.mark_changed(REGISTRY)


@transaction.atomic
def listing_create(*, cooperative: Cooperative, by: User, **fields: Any) -> EcommerceListing:
    """Record where the cooperative sells online."""
    _check_can_maintain(cooperative=cooperative, by=by)
    listing = EcommerceListing(cooperative=cooperative)
    _save(listing, fields, LISTING_FIELDS, by)
    return listing


@transaction.atomic
def listing_update(*, listing: EcommerceListing, by: User, **fields: Any) -> EcommerceListing:
    _check_can_maintain(cooperative=listing.cooperative, by=by)
    _save(listing, fields, LISTING_FIELDS, by)
    return listing


@transaction.atomic
def listing_delete(*, listing: EcommerceListing, by: User) -> None:
    _check_can_maintain(cooperative=listing.cooperative, by=by)
    record_by(listing, by)
    listing.delete()
    versions.mark_changed(REGISTRY)
