from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import NoAddOrDelete, ReadOnlyInline
from portfolios.models import (
    Evidence,
    EvidenceFile,
    EvidenceVersion,
    Feedback,
    PortfolioShare,
)


class VersionInline(ReadOnlyInline):
    model = EvidenceVersion
    fields = ["number", "title", "kind", "occurred_on", "submitted_at"]


@admin.register(Evidence)
class EvidenceAdmin(NoAddOrDelete, SimpleHistoryAdmin):
    """Evidence is added and reviewed on the site; the admin shows it with its versions and history."""

    list_display = ["__str__", "enrolment", "status", "submitted_at", "accepted_at"]
    list_filter = ["status", "enrolment__cohort"]
    search_fields = ["enrolment__apprentice__full_name", "current__title"]
    list_select_related = ["current", "enrolment__apprentice", "enrolment__cohort"]
    inlines = [VersionInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class FileInline(ReadOnlyInline):
    model = EvidenceFile
    fields = ["name", "content_type", "size", "sha256", "uploaded_at"]
    readonly_fields = fields


class FeedbackInline(ReadOnlyInline):
    model = Feedback
    fields = ["reviewer", "decision", "comment", "created_at"]
    readonly_fields = fields


@admin.register(EvidenceVersion)
class EvidenceVersionAdmin(NoAddOrDelete, admin.ModelAdmin):
    list_display = ["title", "evidence", "number", "kind", "occurred_on", "submitted_at"]
    list_select_related = ["evidence"]
    inlines = [FileInline, FeedbackInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["ksbs"]


@admin.register(PortfolioShare)
class PortfolioShareAdmin(admin.ModelAdmin):
    list_display = ["recipient", "enrolment", "created_by", "expires_at", "revoked_at", "last_used_at"]
    list_select_related = ["enrolment__apprentice", "created_by"]
    readonly_fields = ["token", "enrolment", "created_by", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
