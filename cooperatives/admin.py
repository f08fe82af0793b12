from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Cooperative)
class CooperativeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "province", "sector", "status", "is_archived")
    list_filter = ("status", "sector", "province", "is_archived")
    search_fields = ("code", "name")
    list_select_related = ("province", "sector")
    raw_id_fields = ("ward",)
    inlines = (OcopProductInline, EcommerceListingInline)
