"""Admin of directive tracking. Writes go through the same services as the pages; reports and
reminders are read-only here (reports are never changed, reminders are a log)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Agency, DirectiveTask, Document, EvidenceFile, ReminderLog, TaskReport


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ("code", "short_name", "kind", "province", "successor", "dissolved_on", "email")
    list_filter = ("kind", "province")
    search_fields = ("code", "name", "short_name")
    list_select_related = ("province", "successor")
    raw_id_fields = ("successor",)
    fields = services.AGENCY_FIELDS

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.AGENCY_FIELDS if name in form.cleaned_data}
        saved = services.agency_save(
            by=request.user, agency=Agency.objects.get(pk=obj.pk) if change else None, **fields
        )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        return False  # record a successor instead


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("number", "kind", "title", "issuing_agency", "issued_on", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "number", "title")
    list_select_related = ("issuing_agency", "parent")
    fields = (*services.DOCUMENT_FIELDS, "file", "file_name")
    readonly_fields = ("file", "file_name")

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.DOCUMENT_FIELDS if name in form.cleaned_data}
        if change:
            saved = services.document_update(document=Document.objects.get(pk=obj.pk), by=request.user, **fields)
        else:
            saved = services.document_create(by=request.user, **fields)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DirectiveTask)
class DirectiveTaskAdmin(SimpleHistoryAdmin):
    list_display = ("document", "clause", "short_content", "lead_agency", "province", "deadline", "reporting_period")
    list_filter = ("document", "reporting_period", "lead_agency__kind", "province")
    search_fields = ("code", "content", "clause")
    list_select_related = ("document", "lead_agency", "province")
    filter_horizontal = ("cooperating_agencies",)
    fields = ("document", *services.TASK_FIELDS, "cooperating_agencies")

    @admin.display(description=DirectiveTask._meta.get_field("content").verbose_name)
    def short_content(self, obj):
        return obj.content[:80]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.TASK_FIELDS if name in form.cleaned_data}
        cooperating = form.cleaned_data.get("cooperating_agencies", [])
        if change:
            saved = services.task_update(
                task=DirectiveTask.objects.get(pk=obj.pk), by=request.user, cooperating_agencies=cooperating, **fields
            )
        else:
            saved = services.task_create(
                by=request.user, document=form.cleaned_data["document"], cooperating_agencies=cooperating, **fields
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The service has set the co-operating agencies; only inline formsets remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceFileInline(admin.TabularInline):
    model = EvidenceFile
    extra = 0
    can_delete = False
    fields = ("original_name", "size", "content_type", "file")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TaskReport)
class TaskReportAdmin(admin.ModelAdmin):
    """Read-only: reports accumulate and are never changed."""

    list_display = (
        "task",
        "period_start",
        "status",
        "percent_done",
        "reporting_agency",
        "submitted_by",
        "submitted_at",
    )
    list_filter = ("status",)
    list_select_related = ("task__document", "reporting_agency", "submitted_by")
    readonly_fields = [f.name for f in TaskReport._meta.fields]
    inlines = (EvidenceFileInline,)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    list_display = ("original_name", "report", "size", "content_type")
    readonly_fields = [f.name for f in EvidenceFile._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderLog)
class ReminderLogAdmin(admin.ModelAdmin):
    list_display = ("task", "kind", "period_key", "due_on", "recipient", "sent_at")
    list_filter = ("kind",)
    readonly_fields = [f.name for f in ReminderLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
