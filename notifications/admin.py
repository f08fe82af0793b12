from django.contrib import admin

from .models import Delivery, Notification, NotificationPreference


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "subject", "key")
    readonly_fields = [f.name for f in Notification._meta.fields]
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "zalo", "language")
    search_fields = ("user__username",)
