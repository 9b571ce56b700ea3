from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.defaultfilters import urlize
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Invitation, Organisation, OutboxEmail, User


@admin.register(User)
class UserAdmin(BaseUserAdmin, SimpleHistoryAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organisation", "job_title", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "organisation__kind", "organisation"]
    search_fields = ["full_name", "email"]
    list_select_related = ["organisation"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "organisation", "job_title"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "full_name", "organisation", "password1", "password2"]},
        )
    ]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "ukprn"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "organisation", "invited_by", "created_at", "state"]
    list_select_related = ["organisation", "invited_by"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["token", "user", "created_at", "email_sent_at", "accepted_at", "revoked_at"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """The stored emails of the embedded default: read them and follow their links."""

    list_display = ["created_at", "to", "subject"]
    search_fields = ["to", "subject", "body"]
    readonly_fields = ["created_at", "to", "from_email", "subject", "rendered_body"]
    exclude = ["body", "html_body"]
    date_hierarchy = "created_at"

    @admin.display(description="Body")
    def rendered_body(self, obj: OutboxEmail) -> str:
        # The urlize filter escapes the body and returns a safe string, so the links stay clickable.
        return format_html('<div style="white-space: pre-wrap">{}</div>', urlize(obj.body, autoescape=True))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
