from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ("username", "email", "role", "province", "cooperative", "is_active")
    list_filter = ("role", "province", "is_active", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name")
    autocomplete_fields = ("cooperative",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ("role", "province", "cooperative", "organisation", "phone")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only view of the tokens: issuing (which shows the secret once) happens on the token
    page, through the service; revoking from here goes through the service too."""

    list_display = ("organisation", "prefix", "role", "province", "expires_at", "revoked_at", "last_used_at")
    list_filter = ("role", "province")
    search_fields = ("organisation", "prefix")
    readonly_fields = [field.name for field in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: object, queryset: object) -> None:
        from .api.services import api_token_revoke

        for token in queryset:  # type: ignore[attr-defined]
            api_token_revoke(token=token, by=request.user)  # type: ignore[attr-defined]
