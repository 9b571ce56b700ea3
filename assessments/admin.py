from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import AssessmentScheme, Assignment, Mark, Submission
from core.admin import ReadOnly


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["module_run", "pass_mark", "late_policy"]
    list_select_related = ["module_run__module", "module_run__cohort"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "module_run", "number", "due_on", "cutoff_on", "weight"]
    list_select_related = ["module_run__module", "module_run__cohort"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnly, SimpleHistoryAdmin):
    """Read-only: submissions are made on the site and kept for the auditor."""

    list_display = ["enrolment", "assignment", "attempt", "submitted_at", "is_late", "feedback_due_on"]
    list_select_related = ["enrolment__apprentice", "enrolment__cohort", "assignment"]
    list_filter = ["is_late", "attempt"]


@admin.register(Mark)
class MarkAdmin(ReadOnly, SimpleHistoryAdmin):
    """Read-only: marks are recorded and changed on the site, with a reason after release (see their history)."""

    list_display = ["submission", "mark", "marked_by", "marked_at", "released_at"]
    list_select_related = ["submission__assignment", "marked_by"]
