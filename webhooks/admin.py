from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Delivery, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    """Read-only: subscriptions are made and changed by their owners' pages (``services``)."""

    list_display = ["url", "owner", "province", "active", "consecutive_failures", "created_at"]
    list_filter = ["active"]
    readonly_fields = [field.name for field in Subscription._meta.fields if field.name != "secret"]
    exclude = ["secret"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "subscription", "state", "attempts", "status_code", "response_ms", "created_at"]
    list_filter = ["state", "event"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
