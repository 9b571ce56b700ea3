from django.contrib import admin

from core.admin import NoAddOrDelete
from reporting.models import AuditPackJob, ProgressSnapshot, RAGOverride
from reporting.services import progress_mark_stale


@admin.register(RAGOverride)
class RAGOverrideAdmin(NoAddOrDelete, admin.ModelAdmin):
    """Read-only: overrides are made on the dashboard with a reason, and kept for the auditor."""

    list_display = ["enrolment", "rag", "by", "at"]
    list_filter = ["rag"]
    readonly_fields = ["enrolment", "rag", "reason", "by", "at"]


@admin.register(AuditPackJob)
class AuditPackJobAdmin(admin.ModelAdmin):
    list_display = ["enrolment", "requested_by", "requested_at", "status", "progress"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in AuditPackJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ProgressSnapshot)
class ProgressSnapshotAdmin(NoAddOrDelete, admin.ModelAdmin):
    """Read-only: the dashboard's rows as last worked out. *Work out again* marks them stale."""

    list_display = ["enrolment", "rag", "computed_rag", "otj_status", "review_state", "computed_at"]
    list_filter = ["rag", "computed_on"]
    list_select_related = ["enrolment__apprentice", "enrolment__programme", "enrolment__cohort"]
    readonly_fields = [f.name for f in ProgressSnapshot._meta.fields]
    actions = ["work_out_again"]

    @admin.action(description="Work out these rows again on their next view")
    def work_out_again(self, request, queryset) -> None:
        count = progress_mark_stale(enrolment_ids=queryset.values("pk"))
        self.message_user(request, f"{count} row{'s' if count != 1 else ''} will be worked out again.")
