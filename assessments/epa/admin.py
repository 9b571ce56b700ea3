from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from assessments.epa.models import EndPointAssessment


@admin.register(EndPointAssessment)
class EndPointAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["enrolment", "assessor", "assigned_at"]
    list_select_related = ["enrolment__apprentice", "enrolment__cohort", "assessor"]
    autocomplete_fields = ["assessor"]
