"""The admin for training plans: the programme templates' wording, and the plans as read-only evidence."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from programmes.training_plans.models import PlanSignature, PlanTemplate, TrainingPlan


@admin.register(PlanTemplate)
class PlanTemplateAdmin(SimpleHistoryAdmin):
    """A programme's standard wording for new training plans."""

    list_display = ["programme", "epao_name"]
    list_select_related = ["programme"]


class PlanSignatureInline(admin.TabularInline):
    model = PlanSignature
    extra = 0
    can_delete = False
    readonly_fields = [
        "role", "signed_by", "typed_name", "signed_at", "ip_address", "user_agent", "content_hash", "method"
    ]  # fmt: skip

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrainingPlan)
class TrainingPlanAdmin(SimpleHistoryAdmin):
    """Training plans are drafted, sent and signed on the site; here they are read-only evidence."""

    list_display = ["enrolment", "version", "status", "revision", "sent_at", "signed_at"]
    list_filter = ["status", "revision", "enrolment__cohort"]
    search_fields = ["enrolment__apprentice__full_name", "content_hash"]
    list_select_related = ["enrolment__apprentice", "enrolment__cohort"]
    inlines = [PlanSignatureInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
