from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "role", "province", "cooperative", "is_active")
    list_filter = ("role", "province", "is_active", "is_staff")
    search_fields = ("username", "email", "first_name", "last_name")
    autocomplete_fields = ("cooperative",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ("role", "province", "cooperative", "organisation", "phone")}),
    )
