"""Forms of a cooperative's OCOP products and e-commerce listings; the model's field rules
refuse bad values with their messages, the services (``products``) check them again."""

from __future__ import annotations

from django import forms

from coopdx.forms import BlankChoiceLabels

from .models import EcommerceListing, OcopProduct
from .products import LISTING_FIELDS, PRODUCT_FIELDS


class OcopProductForm(forms.ModelForm):
    class Meta:
        model = OcopProduct
        fields = PRODUCT_FIELDS
        widgets = {
            "stars": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "year_certified": forms.NumberInput(attrs={"min": 2018, "max": 2100}),
        }


class ListingForm(BlankChoiceLabels, forms.ModelForm):
    class Meta:
        model = EcommerceListing
        fields = LISTING_FIELDS
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://"})}
