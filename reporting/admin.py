from django.contrib import admin

from reporting.models import AuditPackJob, RAGOverride


@admin.register(RAGOverride)
class RAGOverrideAdmin(admin.ModelAdmin):
    """Read-only: overrides are made on the dashboard with a reason, and kept for the auditor."""

    list_display = ["enrolment", "rag", "by", "at"]
    list_filter = ["rag"]
    readonly_fields = ["enrolment", "rag", "reason", "by", "at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditPackJob)
class AuditPackJobAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "requested_by", "requested_at", "status", "progress"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in AuditPackJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
