from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("original_name", "kind_name", "created_by", "scope_province", "status", "created_at", "finished_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("kind"), ordering="kind")
    def kind_name(self, job: ImportJob) -> str:
        return job.kind_label
