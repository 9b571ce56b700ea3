from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import HistoryInline, NoAddOrDelete
from programmes.models import (
    KSB,
    BreakInLearning,
    Cohort,
    EmploymentPeriod,
    Enrolment,
    EnrolmentStatusChange,
    Module,
    ModuleRun,
    Programme,
    Standard,
)


class KSBInline(admin.TabularInline):
    model = KSB
    extra = 0
    fields = ["code", "kind", "statement", "order"]


@admin.register(Standard)
class StandardAdmin(SimpleHistoryAdmin):
    list_display = ["code", "version", "title", "level", "otj_minimum_hours"]
    search_fields = ["code", "title"]
    inlines = [KSBInline]


@admin.register(KSB)
class KSBAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "standard", "statement"]
    list_filter = ["standard", "kind"]
    search_fields = ["code", "statement"]


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["order", "title", "year", "term", "weeks_online", "campus_days"]


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "provider", "standard"]
    filter_horizontal = ["directors"]
    inlines = [ModuleInline]


class ModuleAdminForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["programme", "order", "title", "year", "term", "weeks_online", "campus_days", "ksbs"]

    def clean(self):
        data = super().clean()
        programme, ksbs = data.get("programme"), data.get("ksbs")
        if programme and ksbs:
            foreign = [ksb.code for ksb in ksbs if ksb.standard_id != programme.standard_id]
            if foreign:
                self.add_error(
                    "ksbs",
                    f"These KSBs belong to another standard version: {', '.join(foreign)}. "
                    f"Choose KSBs of {programme.standard}.",
                )
        return data


@admin.register(Module)
class ModuleAdmin(SimpleHistoryAdmin):
    form = ModuleAdminForm
    list_display = ["title", "programme", "order", "year", "term"]
    list_filter = ["programme"]
    filter_horizontal = ["ksbs"]


class ModuleRunInline(admin.TabularInline):
    model = ModuleRun
    extra = 0
    fields = ["module", "online_start", "campus_start", "lead"]
    autocomplete_fields = ["lead"]


@admin.register(Cohort)
class CohortAdmin(SimpleHistoryAdmin):
    list_display = ["name", "programme", "start_date"]
    list_filter = ["programme"]
    inlines = [ModuleRunInline]


@admin.register(ModuleRun)
class ModuleRunAdmin(SimpleHistoryAdmin):
    list_display = ["module", "cohort", "online_start", "campus_start", "lead"]
    list_filter = ["cohort"]
    list_select_related = ["module", "cohort", "lead"]


class StatusChangeInline(HistoryInline):
    model = EnrolmentStatusChange
    readonly_fields = ["from_status", "to_status", "effective_on", "reason", "changed_by", "changed_at"]


class EmploymentPeriodInline(HistoryInline):
    model = EmploymentPeriod
    readonly_fields = ["employer", "line_manager", "start_date", "end_date"]


class BreakInline(HistoryInline):
    model = BreakInLearning
    readonly_fields = ["start_date", "end_date", "reason"]


@admin.register(Enrolment)
class EnrolmentAdmin(NoAddOrDelete, SimpleHistoryAdmin):
    """Enrolments are created and moved through their lifecycle on the site (the rules live in services);
    the admin shows them with their full history and allows correcting contact details."""

    list_display = ["apprentice", "cohort", "employer", "status", "start_date", "planned_end_date"]
    list_filter = ["status", "cohort", "employer"]
    search_fields = ["apprentice__full_name", "apprentice__email"]
    list_select_related = ["apprentice", "cohort__programme", "employer"]
    readonly_fields = [
        "programme",
        "status",
        "employer",
        "line_manager",
        "actual_end_date",
        "withdrawal_reason",
        "created_at",
        # These follow the signed training plan; change them by revising the plan.
        "planned_end_date",
        "contracted_weekly_hours",
        "prior_learning_hours",
        "prior_learning_notes",
    ]
    autocomplete_fields = ["apprentice", "practice_tutor"]
    inlines = [StatusChangeInline, EmploymentPeriodInline, BreakInline]
