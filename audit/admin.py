from django.contrib import admin

from .models import DeniedAccess, ExportRecord


@admin.register(DeniedAccess)
class DeniedAccessAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "status", "method", "path", "ip_address")
    list_filter = ("status", "method")
    search_fields = ("path", "user__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    """The export trail, read only: nobody adds, changes or deletes a record."""

    list_display = ("at", "username", "action", "kind", "fmt", "scope", "rows", "filters")
    list_filter = ("action", "kind", "fmt", "scope")
    search_fields = ("username", "kind")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
