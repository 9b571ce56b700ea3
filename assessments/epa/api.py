"""API: the gateway checklist and sign-off, the end-point assessment, completion records and public verification.

Included under ``/api/v1/`` by config/urls.py (``urlpatterns`` below).
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path, reverse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from assessments.epa import completion, gateway
from assessments.epa import grading as epa
from assessments.epa import services as epa_services
from assessments.epa.models import CompletionRecord, EPAEvent, SBPSubmission
from assessments.epa.pdf import verify_url
from assessments.epa.signing import GatewayDocument
from core.api import IdFilter, error_response
from core.errors import ActionNotAllowed
from core.signatures.api import SignatureSerializer, SignSerializer
from core.signatures.services import Origin
from core.uploads import download_response
from programmes import access
from programmes.models import Enrolment


def _enrolment(request, pk: str) -> Enrolment:
    visible = access.enrolments_visible_to(request.user).select_related("programme__standard", "apprentice")
    return access.visible_or_404(visible, pk, noun="enrolment")


# --- gateway ----------------------------------------------------------------------------------------------------


class GatewayItemSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(gateway.ITEMS))
    label = serializers.CharField()
    met = serializers.BooleanField()
    detail = serializers.CharField()


class GatewaySignOffSerializer(SignatureSerializer):
    statement = serializers.CharField(help_text="What the signer confirmed.")


class GatewaySerializer(serializers.Serializer):
    ready = serializers.BooleanField()
    items = GatewayItemSerializer(many=True)
    unmet = serializers.ListField(child=serializers.CharField())
    status = serializers.ChoiceField(choices=Enrolment.Status.choices, help_text="The enrolment's status.")
    version = serializers.IntegerField(
        help_text="Always 1: the content hash decides whether the checklist changed."
    )
    content_hash = serializers.CharField(
        help_text="SHA-256 of the checklist and the statements as shown: sign with it to sign what you read."
    )
    signoffs = GatewaySignOffSerializer(many=True)


def _gateway_data(enrolment: Enrolment) -> dict:
    document = GatewayDocument(enrolment)
    state = document.state
    return {
        "ready": state.ready,
        "items": [{"code": i.code, "label": i.label, "met": i.met, "detail": i.detail} for i in state.items],
        "unmet": state.unmet,
        "status": enrolment.status,
        "version": document.version,
        "content_hash": document.content_hash,
        "signoffs": list(enrolment.gateway_signoffs.select_related("signed_by")),
    }


class GatewayView(GenericAPIView):
    """The gateway checklist: each item met or not, with the reason; and the sign-offs given."""

    serializer_class = GatewaySerializer
    queryset = Enrolment.objects.none()

    @extend_schema(responses={200: GatewaySerializer, 404: error_response("Not found")})
    def get(self, request, pk: str):
        return Response(GatewaySerializer(_gateway_data(_enrolment(request, pk))).data)


class GatewaySignView(GenericAPIView):
    """Sign off gateway: the line manager for the employer (first), a director for the provider, with the version
    and content hash of the checklist the caller read."""

    serializer_class = SignSerializer
    queryset = Enrolment.objects.none()

    @extend_schema(
        request=SignSerializer,
        responses={
            201: GatewaySerializer,
            400: error_response(
                "Bad input (no version or hash, wrong password, a name that does not match); nothing recorded",
                component="ValidationError",
            ),
            403: error_response("The caller does not sign off this enrolment's gateway"),
            404: error_response("Not found"),
            409: error_response(
                "The checklist changed since the caller read it, is not met, the employer has not signed yet, "
                "or already signed; nothing recorded"
            ),
        },
    )
    def post(self, request, pk: str):
        enrolment = _enrolment(request, pk)
        if not access.gateway_signing_roles(request.user, enrolment):
            raise ActionNotAllowed(
                "Only the line manager (for the employer) and a programme director (for the provider) sign off gateway."
            )
        serializer = SignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        origin = Origin.of(request)
        epa_services.gateway_sign(
            enrolment=enrolment,
            by=request.user,
            proof=serializer.proof(),
            ip_address=origin.ip_address,
            user_agent=origin.user_agent,
        )
        enrolment.refresh_from_db()
        return Response(GatewaySerializer(_gateway_data(enrolment)).data, status=status.HTTP_201_CREATED)


# --- the EPA ----------------------------------------------------------------------------------------------------


class EPAPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class MethodResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    method = serializers.ChoiceField(choices=epa.METHODS)
    attempt = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=epa.KINDS)
    grade = serializers.ChoiceField(choices=epa.GRADES, help_text="The grade awarded.")
    counted_grade = serializers.ChoiceField(
        choices=epa.GRADES, help_text="After the pass cap on a re-sit or re-take."
    )
    comments = serializers.CharField()
    assessed_on = serializers.DateField()
    employer_agreement = serializers.CharField()
    released = serializers.BooleanField(source="is_released")


class EPAEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = EPAEvent
        fields = ["kind", "scheduled_at", "location", "notified_at"]


class SBPSubmissionSerializer(serializers.ModelSerializer):
    class Meta:
        model = SBPSubmission
        fields = [
            "id",
            "file_name",
            "size",
            "sha256",
            "word_count",
            "senior_signoff",
            "submitted_at",
            "is_late",
        ]


class EPASerializer(serializers.Serializer):
    id = serializers.IntegerField()
    enrolment = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Enrolment.Status.choices)
    assessor = EPAPersonSerializer(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    started_on = serializers.DateField(
        allow_null=True, help_text="When gateway was passed: the EPA period starts."
    )
    sbp_due_on = serializers.DateField(allow_null=True, help_text="12 weeks after gateway.")
    events = EPAEventSerializer(many=True)
    sbp_submissions = SBPSubmissionSerializer(many=True)
    methods = MethodResultSerializer(many=True, help_text="Unreleased grades are shown to the assessor only.")
    overall_grade = serializers.ChoiceField(choices=epa.GRADES, allow_null=True)
    unreleased = serializers.IntegerField(help_text="Grades recorded but not yet released.")


class EPAUpdateSerializer(serializers.Serializer):
    """Record one method's grade and/or release every unreleased grade (the assessor only)."""

    method = serializers.ChoiceField(choices=epa.METHODS, required=False)
    grade = serializers.ChoiceField(choices=epa.GRADES, required=False)
    comments = serializers.CharField(required=False, allow_blank=True)
    kind = serializers.ChoiceField(choices=epa.KINDS, required=False, default=epa.FIRST)
    assessed_on = serializers.DateField(required=False)
    employer_agreement = serializers.CharField(required=False, allow_blank=True, default="")
    release = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        recording = "method" in data or "grade" in data
        if recording:
            for name in ("method", "grade", "comments"):
                if not data.get(name):
                    raise serializers.ValidationError({name: ["This field is required to record a grade."]})
        elif not data.get("release"):
            raise serializers.ValidationError(
                {"detail": "Give a method, grade and comments to record, or release: true to release."}
            )
        return data


def _epa_data(enrolment: Enrolment, user) -> dict:
    record = epa_services.epa_for(enrolment)
    if record is None:
        raise Http404
    results = epa_services.visible_results(enrolment, user)
    started = epa_services.epa_started_on(enrolment)
    return {
        "id": record.pk,
        "enrolment": enrolment.pk,
        "status": enrolment.status,
        "assessor": {"id": record.assessor.pk, "full_name": record.assessor.full_name}
        if record.assessor
        else None,
        "assigned_at": record.assigned_at,
        "started_on": started,
        "sbp_due_on": epa_services.sbp_due_on(started),
        "events": list(record.events.all()),
        "sbp_submissions": list(record.sbp_submissions.all()),
        "methods": results,
        "overall_grade": epa.grade(results).overall,
        "unreleased": sum(r.released_at is None for r in results),
    }


class EPAView(GenericAPIView):
    """The end-point assessment: assessor, dates, the SBP, each method's grades and the overall grade."""

    serializer_class = EPASerializer
    queryset = Enrolment.objects.none()

    @extend_schema(responses={200: EPASerializer, 404: error_response("Not found, or no EPA yet")})
    def get(self, request, pk: str):
        enrolment = _enrolment(request, pk)
        return Response(EPASerializer(_epa_data(enrolment, request.user)).data)

    @extend_schema(
        request=EPAUpdateSerializer,
        responses={
            200: EPASerializer,
            400: error_response("Bad input; nothing recorded", component="ValidationError"),
            403: error_response("Only the assigned independent assessor records and releases grades"),
            404: error_response("Not found, or no EPA yet"),
            409: error_response("Not in EPA, a method that did not fail, nothing to release"),
        },
    )
    def patch(self, request, pk: str):
        enrolment = _enrolment(request, pk)
        if epa_services.epa_for(enrolment) is None:
            raise Http404
        if not access.can_assess(request.user, enrolment):
            raise ActionNotAllowed(
                "Only the assigned independent assessor records end-point assessment grades."
            )
        serializer = EPAUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "method" in data:
            epa_services.epa_record_result(
                enrolment=enrolment,
                by=request.user,
                method=data["method"],
                grade=data["grade"],
                comments=data["comments"],
                kind=data["kind"],
                assessed_on=data.get("assessed_on"),
                employer_agreement=data["employer_agreement"],
            )
        if data["release"]:
            epa_services.epa_release_results(enrolment=enrolment, by=request.user)
        return Response(EPASerializer(_epa_data(enrolment, request.user)).data)


# --- completion records -----------------------------------------------------------------------------------------


class CompletionRecordSerializer(serializers.ModelSerializer):
    enrolment = serializers.IntegerField(source="enrolment_id")
    award = serializers.CharField()
    standard = serializers.CharField()
    grade = serializers.ChoiceField(source="overall_grade", choices=epa.GRADES)
    achieved_on = serializers.DateField(source="achievement_date")
    employer = serializers.CharField(source="employer_name")
    provider = serializers.CharField(source="provider_name")
    awards = serializers.ListField(child=serializers.CharField())
    valid = serializers.BooleanField(source="is_valid")
    pdf_url = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = CompletionRecord
        fields = [
            "id",
            "enrolment",
            "certificate_number",
            "status",
            "valid",
            "apprentice_name",
            "award",
            "standard",
            "grade",
            "achieved_on",
            "start_date",
            "employer",
            "provider",
            "awards",
            "issued_on",
            "issued_at",
            "pdf_sha256",
            "pdf_url",
            "verify_url",
            "revoked_at",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pdf_url(self, record: CompletionRecord) -> str | None:
        if not record.has_pdf:
            return None
        path = reverse("completion-record-pdf", args=[record.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_verify_url(self, record: CompletionRecord) -> str:
        return verify_url(record)


class CompletionRecordFilter(filters.FilterSet):
    enrolment = IdFilter(field_name="enrolment_id")
    status = filters.ChoiceFilter(choices=CompletionRecord.Status.choices)

    class Meta:
        model = CompletionRecord
        fields = ["enrolment", "status"]


class CompletionRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Completion records on enrolments the caller may see, newest first."""

    serializer_class = CompletionRecordSerializer
    filterset_class = CompletionRecordFilter
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CompletionRecord.objects.none()
        for name in ("enrolment", "status"):
            if self.request.query_params.get(name, None) == "":
                raise ValidationError({name: ["Give a value, or leave the parameter out."]})
        return completion.records_visible_to(self.request.user).order_by("-issued_at", "-pk")

    def get_object(self):
        if not str(self.kwargs.get("pk", "")).isdigit():
            raise Http404
        return super().get_object()

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Not found, or the certificate is still being generated"),
        }
    )
    @action(detail=True, methods=["get"], url_path="pdf")
    def pdf(self, request, pk=None):
        record = self.get_object()
        if not record.has_pdf:
            raise Http404
        return download_response(
            record.pdf,
            filename=f"certificate-{record.certificate_number}.pdf",
            content_type="application/pdf",
        )


# --- public verification ----------------------------------------------------------------------------------------


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField(
        help_text="True when the record is genuine and current (issued, not revoked)."
    )
    apprentice_name = serializers.CharField()
    award = serializers.CharField()
    standard = serializers.CharField()
    grade = serializers.ChoiceField(choices=epa.GRADES)
    achieved_on = serializers.DateField()
    issued_on = serializers.DateField()
    status = serializers.ChoiceField(choices=CompletionRecord.Status.choices)
    certificate_number = serializers.CharField()
    awards = serializers.ListField(child=serializers.CharField())
    employer = serializers.CharField()
    provider = serializers.CharField()
    start_date = serializers.DateField()
    revoked_on = serializers.DateField(allow_null=True)


class VerifyView(GenericAPIView):
    """Public: is the completion record with this verification code genuine and current? No sign-in needed."""

    serializer_class = VerificationSerializer
    authentication_classes: list = []
    permission_classes = [AllowAny]
    queryset = CompletionRecord.objects.none()

    @extend_schema(
        responses={
            200: VerificationSerializer,
            404: error_response("No record has this code"),
            429: error_response("Too many look-ups from this address; try again in a minute"),
        },
        auth=[],
    )
    def get(self, request, code: str):
        from assessments.epa.completion_views import verify_rate_limited

        if verify_rate_limited(request._request):
            return Response(
                {"detail": "Too many look-ups from this address; try again in a minute."},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        record = completion.record_for_code(code)
        if record is None:
            raise Http404
        return Response(VerificationSerializer(completion.verification(record)).data)


router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.include_format_suffixes = False
router.register("completion-records", CompletionRecordViewSet, basename="completion-record")

urlpatterns = [
    path("enrolments/<str:pk>/gateway/", GatewayView.as_view(), name="api-gateway"),
    path("enrolments/<str:pk>/gateway/sign/", GatewaySignView.as_view(), name="api-gateway-sign"),
    path("enrolments/<str:pk>/epa/", EPAView.as_view(), name="api-epa"),
    path("verify/<str:code>/", VerifyView.as_view(), name="api-verify"),
    *router.urls,
]
