"""API: an enrolment's training plan (current version, versions, PDFs) and signing it."""

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.response import Response

from core.api import error_response
from core.errors import ActionNotAllowed
from core.exports import attachment
from core.signatures.api import SignatureSerializer, SignSerializer
from core.signatures.services import Origin
from programmes import access
from programmes.models import Enrolment
from programmes.training_plans import services as plan_services
from programmes.training_plans.models import PlanSignature, TrainingPlan
from programmes.training_plans.pdf import TrainingPlanPDF


class TrainingPlanSerializer(serializers.ModelSerializer):
    signatures = serializers.SerializerMethodField()
    outstanding = serializers.SerializerMethodField()
    valid = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = TrainingPlan
        fields = [
            "id",
            "version",
            "status",
            "revision",
            "change_summary",
            "content_hash",
            "sent_at",
            "signed_at",
            "signatures",
            "outstanding",
            "valid",
            "content",
            "pdf_url",
        ]

    @extend_schema_field(SignatureSerializer(many=True))
    def get_signatures(self, plan: TrainingPlan) -> list[dict]:
        base = plan_services.signing_version(plan)
        return SignatureSerializer(base.signatures.all(), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_outstanding(self, plan: TrainingPlan) -> list[str]:
        return (
            list(plan_services.outstanding_roles(plan)) if plan.status == TrainingPlan.Status.AWAITING else []
        )

    def get_valid(self, plan: TrainingPlan) -> bool:
        return not plan_services.integrity_problems(plan)

    def get_pdf_url(self, plan: TrainingPlan) -> str:
        path = reverse("api-training-plan-pdf", args=[plan.enrolment_id, plan.version])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


def _enrolment(request, pk: str) -> Enrolment:
    visible = Enrolment.objects.visible_to(request.user).select_related("programme")
    return access.visible_or_404(visible, pk, noun="enrolment")


def _versions(request, enrolment: Enrolment):
    plans = enrolment.training_plans.all()
    if not access.can_manage_enrolment(request.user, enrolment):
        plans = plans.exclude(status=TrainingPlan.Status.DRAFT)
    return plans


class TrainingPlanView(GenericAPIView):
    """The current version of an enrolment's training plan (awaiting signatures or signed)."""

    serializer_class = TrainingPlanSerializer

    @extend_schema(responses={200: TrainingPlanSerializer, 404: error_response("Not found")})
    def get(self, request, pk: str):
        plan = plan_services.current_plan(_enrolment(request, pk))
        if plan is None:
            raise Http404
        return Response(self.get_serializer(plan).data)


class TrainingPlanSignView(GenericAPIView):
    """Sign the current version for the caller's role: ``{"version", "content_hash", "full_name", "password"}``
    (or ``"otp"``), the version and hash being those of the plan the caller read."""

    serializer_class = SignSerializer

    @extend_schema(
        request=SignSerializer,
        responses={
            201: TrainingPlanSerializer,
            400: error_response(
                "Bad input (no version or hash, wrong password, name that does not match); nothing recorded",
                component="ValidationError",
            ),
            403: error_response("The caller does not sign this plan"),
            404: error_response("Not found"),
            409: error_response(
                "The plan changed since the caller read it (the current version is named), already signed, "
                "superseded or not sent; nothing recorded"
            ),
        },
    )
    def post(self, request, pk: str):
        enrolment = _enrolment(request, pk)
        plan = plan_services.current_plan(enrolment)
        if plan is None:
            raise Http404
        if not access.plan_signing_roles(request.user, enrolment):
            raise ActionNotAllowed(
                "Only the apprentice, their line manager and a programme director sign this plan."
            )
        serializer = SignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        origin = Origin.of(request)
        plan_services.plan_sign(
            plan=plan,
            by=request.user,
            proof=serializer.proof(),
            ip_address=origin.ip_address,
            user_agent=origin.user_agent,
        )
        plan.refresh_from_db()
        return Response(TrainingPlanSerializer(plan, context={"request": request}).data, status=201)


class TrainingPlanVersionListView(ListAPIView):
    """Every version of the plan, newest first (drafts only for the programme's directors)."""

    serializer_class = TrainingPlanSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TrainingPlan.objects.none()
        enrolment = _enrolment(self.request, self.kwargs["pk"])
        plans = _versions(self.request, enrolment).select_related("enrolment").order_by("-version")
        return plans.prefetch_related(
            Prefetch("signatures", queryset=PlanSignature.objects.select_related("signed_by"))
        )


class TrainingPlanVersionView(GenericAPIView):
    serializer_class = TrainingPlanSerializer

    def get(self, request, pk: str, version: str):
        plans = _versions(request, _enrolment(request, pk))
        plan = plans.filter(version=version).first() if version.isdigit() else None
        if plan is None:
            raise Http404
        return Response(self.get_serializer(plan).data)


class TrainingPlanPDFView(GenericAPIView):
    """A version as a PDF, with the signature log and content hash on the last page."""

    serializer_class = None

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="Not found"),
        }
    )
    def get(self, request, pk: str, version: str):
        plans = _versions(request, _enrolment(request, pk))
        plan = plans.filter(version=version).first() if version.isdigit() else None
        if plan is None:
            raise Http404
        filename, content_type, content = TrainingPlanPDF(plan).render()
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = attachment(filename)
        return response
