from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import products, services
from .models import Cooperative, EcommerceListing, LegacyProvince, OcopProduct, Province, Sector, Ward


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")
    search_fields = ("code", "name", "short_name")


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "province")
    list_filter = ("province",)
    search_fields = ("code", "name")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            # Registry search reads the ward's name from each cooperative's search text.
            services.cooperative_search_text_refresh(ward_ids=[obj.pk])


@admin.register(LegacyProvince)
class LegacyProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "successor")
    search_fields = ("name", "short_name")


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "position")


class OcopProductInline(admin.TabularInline):
    model = OcopProduct
    extra = 0


class EcommerceListingInline(admin.TabularInline):
    model = EcommerceListing
    extra = 0


# Per inline model: create, update and delete through cooperatives.products, and the fields they take.
PRODUCT_SERVICES = {
    OcopProduct: (
        products.ocop_product_create,
        lambda item, **kw: products.ocop_product_update(product=item, **kw),
        lambda item, **kw: products.ocop_product_delete(product=item, **kw),
        products.PRODUCT_FIELDS,
    ),
    EcommerceListing: (
        products.listing_create,
        lambda item, **kw: products.listing_update(listing=item, **kw),
        lambda item, **kw: products.listing_delete(listing=item, **kw),
        products.LISTING_FIELDS,
    ),
}


@admin.register(Cooperative)
class CooperativeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "province", "sector", "status", "is_archived")
    list_filter = ("status", "sector", "province", "is_archived")
    search_fields = ("code", "name")
    list_select_related = ("province", "sector")
    raw_id_fields = ("ward",)
    fields = (*services.EDITABLE_FIELDS, "is_archived", "maturity_level")
    readonly_fields = ("maturity_level",)
    inlines = (OcopProductInline, EcommerceListingInline)
    actions = ("archive_selected",)

    def save_model(self, request, obj, form, change):
        # The admin writes through the same services as every other path (history, scope).
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            services.cooperative_update(cooperative=Cooperative.objects.get(pk=obj.pk), by=request.user, **fields)
            if "is_archived" in form.changed_data:
                services.cooperative_archive(
                    cooperative=obj, by=request.user, archived=form.cleaned_data["is_archived"]
                )
            obj.refresh_from_db()
        else:
            created = services.cooperative_create(by=request.user, **fields)
            obj.pk = created.pk
            obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        """OCOP products and listings edited inline go through their services too (the rule, the
        history naming the administrator, the registry's data version)."""
        if formset.model not in PRODUCT_SERVICES:
            return super().save_formset(request, form, formset, change)
        create, update, delete, fields = PRODUCT_SERVICES[formset.model]
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            delete(item, by=request.user)
        for item in items:
            values = {name: getattr(item, name) for name in fields}
            if item.pk is None:
                create(cooperative=form.instance, by=request.user, **values)
            else:
                update(formset.model.objects.get(pk=item.pk), by=request.user, **values)
        return None

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead of delete

    @admin.action(description=_("Archive the selected cooperatives"))
    def archive_selected(self, request, queryset):
        for cooperative in queryset:
            services.cooperative_archive(cooperative=cooperative, by=request.user)
