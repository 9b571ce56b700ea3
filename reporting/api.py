"""API: a cohort's progress, one row per enrolment (api.md): directors see every row, tutors their caseload's."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from core.api import ID_RANGE, Pagination, error_response
from programmes.models import Cohort, Enrolment
from reporting import rag, selectors


class ProgressRowSerializer(serializers.Serializer):
    enrolment_id = serializers.IntegerField(source="enrolment.pk")
    apprentice_name = serializers.CharField(source="enrolment.apprentice.full_name")
    status = serializers.ChoiceField(choices=Enrolment.Status.choices, source="enrolment.status")
    otj_status = serializers.CharField(
        allow_null=True,
        source="otj_status_code",
        help_text="on_track, behind, at_risk or complete (the ledger's status); null if unknown.",
    )
    otj_percent_of_expected = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True, source="otj_percent", coerce_to_string=True
    )
    last_review_on = serializers.DateField(allow_null=True)
    next_review_due = serializers.DateField(allow_null=True)
    review_overdue = serializers.BooleanField()
    modules_passed = serializers.IntegerField()
    ksb_coverage_percent = serializers.IntegerField(source="ksb_coverage")
    gateway_ready = serializers.BooleanField(
        allow_null=True, help_text="Null while gateway readiness is not known."
    )
    rag = serializers.ChoiceField(choices=list(rag.LABELS))
    rag_reasons = serializers.ListField(
        child=serializers.CharField(), source="reasons", help_text="Why: never a rating without reasons."
    )
    rag_overridden = serializers.SerializerMethodField()

    def get_rag_overridden(self, row) -> bool:
        return row.override_id is not None


class CohortProgressView(GenericAPIView):
    """One row per enrolment of the cohort the caller may see on its dashboard, sorted by name."""

    serializer_class = ProgressRowSerializer
    pagination_class = Pagination
    queryset = Cohort.objects.none()

    @extend_schema(responses={200: ProgressRowSerializer(many=True), 404: error_response("Not found")})
    def get(self, request, pk: str):
        if not (pk.isascii() and pk.isdigit()) or int(pk) > ID_RANGE[1]:
            raise Http404
        cohort = Cohort.objects.select_related("programme").filter(pk=int(pk)).first()
        scope = selectors.dashboard_enrolments(request.user, cohort) if cohort else None
        if scope is None:
            raise Http404
        rows = selectors.for_api(selectors.progress_rows(scope))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
