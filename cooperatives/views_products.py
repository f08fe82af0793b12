"""Pages that add, change and remove a cooperative's OCOP products and e-commerce listings, from
its page. Thin: the cooperative's selector scopes (404 outside the user's scope), the rule
``cooperatives.maintain_products`` decides (403), the services in ``products`` write."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopdx.http import AuthenticatedHttpRequest

from . import products, selectors
from .models import Cooperative, EcommerceListing, OcopProduct
from .product_forms import ListingForm, OcopProductForm


def _maintainable(request: AuthenticatedHttpRequest, pk: int) -> Cooperative:
    cooperative = selectors.cooperative_get(user=request.user, pk=pk)
    if not request.user.has_perm("cooperatives.maintain_products", cooperative):
        raise PermissionDenied
    return cooperative


def _edit(
    request: AuthenticatedHttpRequest,
    cooperative: Cooperative,
    form: ModelForm,
    *,
    save: Callable[..., Model],
    title: str,
    done: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect("cooperatives:detail", pk=cooperative.pk)
    return render(request, "cooperatives/product_form.html", {"form": form, "cooperative": cooperative, "title": title})


@login_required
def ocop_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cooperative = _maintainable(request, pk)
    form = OcopProductForm(request.POST or None)

    def save(**fields: object) -> Model:
        return products.ocop_product_create(cooperative=cooperative, by=request.user, **fields)

    return _edit(
        request, cooperative, form, save=save, title=_("Add an OCOP product"), done=_("The product has been added.")
    )


@login_required
def ocop_update(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    cooperative = _maintainable(request, pk)
    product = get_object_or_404(OcopProduct, cooperative=cooperative, pk=item)
    form = OcopProductForm(request.POST or None, instance=product)

    def save(**fields: object) -> Model:
        return products.ocop_product_update(product=product, by=request.user, **fields)

    return _edit(
        request, cooperative, form, save=save, title=_("Edit an OCOP product"), done=_("The changes have been saved.")
    )


@login_required
@require_POST
def ocop_delete(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    cooperative = _maintainable(request, pk)
    products.ocop_product_delete(
        product=get_object_or_404(OcopProduct, cooperative=cooperative, pk=item), by=request.user
    )
    messages.success(request, _("The product has been removed."))
    return redirect("cooperatives:detail", pk=cooperative.pk)


@login_required
def listing_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cooperative = _maintainable(request, pk)
    form = ListingForm(request.POST or None, initial={"platform": request.GET.get("platform")})

    def save(**fields: object) -> Model:
        return products.listing_create(cooperative=cooperative, by=request.user, **fields)

    return _edit(
        request,
        cooperative,
        form,
        save=save,
        title=_("Add an e-commerce listing"),
        done=_("The listing has been added."),
    )


@login_required
def listing_update(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    cooperative = _maintainable(request, pk)
    listing = get_object_or_404(EcommerceListing, cooperative=cooperative, pk=item)
    form = ListingForm(request.POST or None, instance=listing)

    def save(**fields: object) -> Model:
        return products.listing_update(listing=listing, by=request.user, **fields)

    return _edit(
        request,
        cooperative,
        form,
        save=save,
        title=_("Edit an e-commerce listing"),
        done=_("The changes have been saved."),
    )


@login_required
@require_POST
def listing_delete(request: AuthenticatedHttpRequest, pk: int, item: int) -> HttpResponse:
    cooperative = _maintainable(request, pk)
    products.listing_delete(
        listing=get_object_or_404(EcommerceListing, cooperative=cooperative, pk=item), by=request.user
    )
    messages.success(request, _("The listing has been removed."))
    return redirect("cooperatives:detail", pk=cooperative.pk)
