from django.contrib import admin

from .models import DeniedAccess


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
