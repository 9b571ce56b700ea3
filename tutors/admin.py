from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tutors.models import (
    ProgressReview,
    ReviewAction,
    ReviewAddendum,
    ReviewDecline,
    ReviewKSBRating,
    ReviewPolicy,
    ReviewSignature,
)


@admin.register(ReviewPolicy)
class ReviewPolicyAdmin(SimpleHistoryAdmin):
    """A programme's review cadence ("once a term"); never longer than the statutory maximum."""

    list_display = ["programme", "rule", "term_ends"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RatingInline(ReadOnlyInline):
    model = ReviewKSBRating
    fields = ["ksb", "rating", "comment"]


class ActionInline(ReadOnlyInline):
    model = ReviewAction
    fk_name = "review"
    fields = ["description", "owner", "due_on", "done_on"]


class SignatureInline(ReadOnlyInline):
    model = ReviewSignature
    fields = [
        "role",
        "signed_by",
        "typed_name",
        "signed_at",
        "ip_address",
        "method",
        "content_hash",
        "addendum",
    ]


class AddendumInline(ReadOnlyInline):
    model = ReviewAddendum
    fields = ["number", "text", "status", "created_at", "signed_at"]


class DeclineInline(ReadOnlyInline):
    model = ReviewDecline
    fields = ["role", "declined_by", "comment", "created_at"]


@admin.register(ProgressReview)
class ProgressReviewAdmin(SimpleHistoryAdmin):
    """Reviews are recorded and signed on the site and kept for the auditor: read-only here, with their history."""

    list_display = ["__str__", "status", "held_on", "scheduled_for", "signed_at"]
    list_filter = ["status", "enrolment__cohort"]
    search_fields = ["enrolment__apprentice__full_name"]
    list_select_related = ["enrolment__apprentice", "enrolment__cohort"]
    inlines = [RatingInline, ActionInline, SignatureInline, AddendumInline, DeclineInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
