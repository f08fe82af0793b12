"""Directive tracking in the API: documents, tasks with their status today, progress reports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from directives.models import Agency, DirectiveTask, Document, EvidenceFile, ReportStatus, TaskReport
from directives.periods import MAX_DUE_DAYS, ReportingRule
from directives.status import TaskStatus


class AgencySerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True, allow_null=True, default=None)
    successor = serializers.CharField(
        source="successor.code", read_only=True, allow_null=True, default=None, help_text="After a reorganisation."
    )

    class Meta:
        model = Agency
        fields = ["code", "name", "short_name", "kind", "province", "successor", "dissolved_on"]


class DocumentSerializer(serializers.ModelSerializer):
    issuing_agency = serializers.CharField(source="issuing_agency.code", read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "code",
            "number",
            "kind",
            "title",
            "issuing_agency",
            "issued_on",
            "parent",
            "summary",
            "file_name",
            "reporting_rule",
            "report_due_days",
        ]
        # Declared here, not as a class attribute: a field named "parent" would hide Field.parent.
        # No label, as on the other fields (the schema gives them no title).
        extra_kwargs = {
            "parent": {"read_only": True, "label": None, "help_text": "The document this one implements."},
            "reporting_rule": {
                "label": None,
                "help_text": "How its recurring tasks' periods are cut: `calendar`, or `decree_09` (15th to 14th).",
            },
            "report_due_days": {
                "label": None,
                "help_text": "Days after a period's end by which its report is due; null: the rule's default "
                "(15 for calendar, 6 for decree_09).",
            },
        }


class DocumentReportingSerializer(serializers.Serializer):
    """A document's rule of reporting periods; the rules (who, no change once reported) are the service's."""

    reporting_rule = serializers.ChoiceField(choices=ReportingRule.choices, required=False)
    report_due_days = serializers.IntegerField(
        min_value=0,
        max_value=MAX_DUE_DAYS,
        allow_null=True,
        required=False,
        help_text="Days after a period's end by which its report is due; null: the rule's default.",
    )


def _agency_code(context: Mapping[str, Any], agency_id: int | None) -> str | None:
    return context["agency_codes"].get(agency_id) if agency_id else None


class TaskSerializer(serializers.ModelSerializer):
    """A task with its status today (the Government Office's four categories)."""

    document_number = serializers.CharField(source="document.number", read_only=True)
    lead_agency = serializers.CharField(source="lead_agency.code", read_only=True)
    current_agency = serializers.SerializerMethodField(
        help_text="The agency answering for the task today (the lead agency's successor after a reorganisation)."
    )
    province = serializers.CharField(source="province.code", read_only=True, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=TaskStatus.choices, read_only=True)
    judged_period_start = serializers.DateField(
        read_only=True, allow_null=True, help_text="Recurring tasks: the first day of the period judged today."
    )
    judged_period_end = serializers.DateField(
        read_only=True, allow_null=True, help_text="Recurring tasks: the last (cut-off) day of the period judged today."
    )
    due_on = serializers.DateField(read_only=True, allow_null=True, help_text="The date the task is judged against.")
    completed_on = serializers.DateField(read_only=True, allow_null=True)
    latest_percent = serializers.IntegerField(read_only=True, allow_null=True)
    reports_count = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = DirectiveTask
        fields = [
            "id",
            "code",
            "document",
            "document_number",
            "clause",
            "content",
            "lead_agency",
            "current_agency",
            "province",
            "starts_on",
            "deadline",
            "reporting_period",
            "indicator_codes",
            "status",
            "judged_period_start",
            "judged_period_end",
            "due_on",
            "completed_on",
            "latest_percent",
            "reports_count",
        ]

    @extend_schema_field(serializers.CharField())
    def get_current_agency(self, task: DirectiveTask) -> str | None:
        current = self.context["current_map"].get(task.lead_agency_id, task.lead_agency_id)
        return _agency_code(self.context, current)


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceFile
        fields = ["id", "original_name", "size", "content_type"]


class ReportSerializer(serializers.ModelSerializer):
    reporting_agency = serializers.CharField(source="reporting_agency.code", read_only=True)
    submitted_by = serializers.SerializerMethodField()
    evidence_files = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = TaskReport
        fields = [
            "id",
            "task",
            "period_start",
            "status",
            "percent_done",
            "narrative",
            "reporting_agency",
            "submitted_by",
            "submitted_at",
            "evidence_files",
        ]

    def get_submitted_by(self, report: TaskReport) -> str:
        user = report.submitted_by
        return user.get_full_name() or user.username


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    due = serializers.DateField()


class TaskDetailSerializer(TaskSerializer):
    # What ``SlugRelatedField(many=True)`` builds, spelt out so that its type is the one it has.
    cooperating_agencies = serializers.ManyRelatedField(
        child_relation=serializers.SlugRelatedField(slug_field="code", read_only=True), read_only=True
    )
    note = serializers.CharField(read_only=True)
    reports = serializers.SerializerMethodField(help_text="Progress reports, oldest first (never changed).")
    report_periods = serializers.SerializerMethodField(
        help_text="For a recurring task, the periods a report may be given for (period_start), newest first."
    )

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "cooperating_agencies", "note", "reports", "report_periods"]

    @extend_schema_field(ReportSerializer(many=True))
    def get_reports(self, task: DirectiveTask) -> Any:
        return ReportSerializer(self.context["reports"], many=True).data

    @extend_schema_field(PeriodSerializer(many=True))
    def get_report_periods(self, task: DirectiveTask) -> Any:
        return PeriodSerializer(self.context["periods"], many=True).data


class ReportCreateSerializer(serializers.Serializer):
    """A progress report; the rules (who, which period, done = 100 %, evidence) are the service's."""

    status = serializers.ChoiceField(choices=ReportStatus.choices)
    percent_done = serializers.IntegerField(min_value=0, max_value=100)
    narrative = serializers.CharField(max_length=20_000)
    period_start = serializers.DateField(
        required=False, allow_null=True, help_text="Recurring tasks: the first day of the period reported on."
    )
    evidence = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Multipart only: PDF, DOCX, XLSX, JPG or PNG files, at most 10 MB each, 10 files and 30 MB together.",
    )
