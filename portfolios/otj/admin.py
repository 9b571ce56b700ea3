from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import NoAddOrDelete
from portfolios.otj.models import OffTheJobEntry, OTJActivityType


@admin.register(OTJActivityType)
class OTJActivityTypeAdmin(admin.ModelAdmin):
    """The kinds of activity are data: an administrator can add one or retire it (never delete: entries use it)."""

    list_display = ["name", "code", "counts_towards_otj", "order", "is_active"]
    list_editable = ["order", "is_active"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OffTheJobEntry)
class OffTheJobEntryAdmin(NoAddOrDelete, SimpleHistoryAdmin):
    """Entries are logged and confirmed on the site; the admin shows them with their history, read-only."""

    list_display = ["date", "enrolment", "hours", "activity_type", "status", "is_late", "decided_via"]
    list_filter = ["status", "is_late", "activity_type", "enrolment__cohort"]
    search_fields = ["enrolment__apprentice__full_name", "description"]
    list_select_related = ["enrolment__apprentice", "enrolment__cohort", "activity_type"]
    date_hierarchy = "date"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["ksbs"]
