from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import SupportProgramme, SupportReceived


@admin.register(SupportProgramme)
class SupportProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_vi", "kind", "provider", "province", "start_year", "end_year")
    list_filter = ("kind", "province")
    search_fields = ("code", "name_vi", "name_en", "provider")
    list_select_related = ("province",)

    def save_model(self, request, obj, form, change):
        # The admin writes through the service every path uses (the model's rules, history).
        services.programme_save(programme=obj, by=request.user)


@admin.register(SupportReceived)
class SupportReceivedAdmin(SimpleHistoryAdmin):
    """Support is recorded on the cooperative's and the programme's pages (and by import); the
    admin lists it and removes a mistaken record through the service."""

    list_display = ("cooperative", "programme", "received_on", "note")
    list_filter = ("programme",)
    search_fields = ("cooperative__code", "cooperative__name", "programme__code")
    list_select_related = ("cooperative", "programme")
    readonly_fields = ("cooperative", "programme", "received_on", "note")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.support_remove(record=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for record in queryset.select_related("cooperative"):
            services.support_remove(record=record, by=request.user)
