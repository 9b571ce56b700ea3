"""API: programmes, cohorts and enrolments, each scoped by the access policy (outsiders get 404)."""

from django_filters import rest_framework as filters
from rest_framework import viewsets

from core.api import IdFilter
from programmes import selectors
from programmes.api.serializers import CohortSerializer, EnrolmentSerializer, ProgrammeSerializer
from programmes.models import Enrolment

# Any path segment reaches the view, so an id that is not a number is the API's JSON 404, not the HTML one.
ANY_ID = "[^/]+"


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Programmes the caller works on, with the standard, its modules and KSBs."""

    serializer_class = ProgrammeSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        return selectors.programme_list(user=self.request.user)


class CohortViewSet(viewsets.ReadOnlyModelViewSet):
    """Cohorts visible to staff roles."""

    serializer_class = CohortSerializer
    lookup_value_regex = ANY_ID

    def get_queryset(self):
        return selectors.cohort_list(user=self.request.user)


class EnrolmentFilter(filters.FilterSet):
    """Plain id filters: an id the caller cannot see and one that does not exist both give an empty list."""

    status = filters.ChoiceFilter(choices=Enrolment.Status.choices)
    cohort = IdFilter(field_name="cohort_id")
    programme = IdFilter(field_name="programme_id")
    employer = IdFilter(field_name="employer_id")

    class Meta:
        model = Enrolment
        fields = ["status", "cohort", "programme", "employer"]


class EnrolmentViewSet(viewsets.ReadOnlyModelViewSet):
    """Enrolments the caller may see."""

    serializer_class = EnrolmentSerializer
    lookup_value_regex = ANY_ID
    filterset_class = EnrolmentFilter

    def get_queryset(self):
        return selectors.enrolment_list(user=self.request.user)
