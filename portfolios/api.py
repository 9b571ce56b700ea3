"""API: portfolio evidence (list, create with files, detail, file download, tutor feedback) and KSB coverage."""

from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api import IdFilter, error_response
from core.errors import DomainError
from core.uploads import download_response
from portfolios import selectors, services
from portfolios.models import Evidence, EvidenceFile, Feedback
from programmes import access
from programmes.models import KSB, Enrolment


class EvidenceFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "content_type", "size", "sha256"]


class EvidenceSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="current.title")
    kind = serializers.CharField(source="current.kind")
    occurred_on = serializers.DateField(source="current.occurred_on")
    reflection = serializers.CharField(source="current.reflection")
    version = serializers.IntegerField(source="current.number")
    ksbs = serializers.SerializerMethodField()
    files = EvidenceFileSerializer(source="current.files", many=True)

    class Meta:
        model = Evidence
        fields = [
            "id",
            "enrolment",
            "title",
            "kind",
            "occurred_on",
            "reflection",
            "status",
            "version",
            "ksbs",
            "files",
            "submitted_at",
            "accepted_at",
        ]

    def get_ksbs(self, evidence: Evidence) -> list[str]:
        return [ksb.code for ksb in evidence.current.ksbs.all()]


class EvidenceCreateSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    reflection = serializers.CharField()
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices, default=Evidence.Kind.WORK_PRODUCT)
    occurred_on = serializers.DateField(required=False)
    ksbs = serializers.PrimaryKeyRelatedField(
        many=True, queryset=KSB.objects.all(), required=False, help_text="Ids of the KSBs the evidence shows."
    )
    file = serializers.FileField(required=False, help_text="Repeat the field to attach several files.")
    submit = serializers.BooleanField(
        default=True, help_text="Submit for review at once (default) or keep a draft."
    )


class FeedbackInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Feedback.Decision.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceFilter(filters.FilterSet):
    enrolment = IdFilter(field_name="enrolment_id")
    status = filters.ChoiceFilter(choices=Evidence.Status.choices)

    class Meta:
        model = Evidence
        fields = ["enrolment", "status"]


class EvidenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Portfolio evidence the caller may see; the apprentice adds evidence, the practice tutor gives feedback."""

    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    lookup_value_regex = "[^/]+"
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Evidence.objects.none()
        return (
            selectors.evidence_visible_to(self.request.user)
            .select_related("current")
            .prefetch_related("current__ksbs", "current__files")
            .order_by("-created_at", "-pk")
        )

    def get_object(self):
        return access.visible_or_404(
            self.filter_queryset(self.get_queryset()), self.kwargs.get("pk"), noun="evidence"
        )

    @extend_schema(
        request={"multipart/form-data": EvidenceCreateSerializer},
        responses={
            201: EvidenceSerializer,
            400: error_response("Bad input; nothing stored", component="ValidationError"),
            403: error_response("Only the apprentice adds their own evidence"),
            404: error_response("No such enrolment"),
        },
    )
    def create(self, request):
        data = EvidenceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        enrolment = access.enrolments_visible_to(request.user).filter(pk=values["enrolment"]).first()
        if enrolment is None:
            raise Http404
        try:
            evidence = self._create(request, enrolment, values)
        except DomainError as error:
            if error.field == "files":  # the API names the upload field "file"
                raise DomainError(error.message, field="file") from error
            raise
        return Response(EvidenceSerializer(self.get_queryset().get(pk=evidence.pk)).data, status=201)

    def _create(self, request, enrolment, values) -> Evidence:
        return services.evidence_create(
            enrolment=Enrolment.objects.get(pk=enrolment.pk),
            by=request.user,
            fields=services.EvidenceFields(
                title=values["title"],
                kind=values["kind"],
                occurred_on=values.get("occurred_on") or timezone.localdate(),
                reflection=values["reflection"],
                ksb_ids=[ksb.pk for ksb in values.get("ksbs", [])],
            ),
            files=request.FILES.getlist("file"),
            submit=values["submit"],
        )

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: error_response("Not found")}
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The current version's first file (``?id=`` picks another of its files)."""
        evidence = self.get_object()
        files = evidence.current.files.all()
        wanted = request.query_params.get("id", "")
        stored = files.filter(pk=wanted).first() if wanted.isdigit() else files.first()
        if stored is None:
            raise Http404
        return download_response(stored.file, filename=stored.name, content_type=stored.content_type)

    @extend_schema(
        request=FeedbackInputSerializer,
        responses={
            200: EvidenceSerializer,
            400: error_response("Bad input", component="ValidationError"),
            403: error_response("Only the practice tutor reviews evidence"),
            404: error_response("Not found"),
            409: error_response("Not awaiting review"),
        },
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None):
        evidence = self.get_object()
        if not access.can_review_evidence(request.user, evidence.enrolment):
            from core.errors import ActionNotAllowed

            raise ActionNotAllowed("Only the apprentice's practice tutor reviews their evidence.")
        data = FeedbackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.evidence_feedback(evidence=evidence, by=request.user, **data.validated_data)
        return Response(
            EvidenceSerializer(self.get_queryset().get(pk=evidence.pk)).data, status=status.HTTP_200_OK
        )


class CoverageRowSerializer(serializers.Serializer):
    code = serializers.CharField(source="ksb.code")
    kind = serializers.CharField(source="ksb.kind")
    statement = serializers.CharField(source="ksb.statement")
    covered = serializers.SerializerMethodField()
    status = serializers.CharField()
    evidence_count = serializers.IntegerField()
    claimed_count = serializers.SerializerMethodField()

    def get_covered(self, row) -> bool:
        return row.status == "accepted"

    def get_claimed_count(self, row) -> int:
        return len(row.claimed)


class KSBCoverageView(GenericAPIView):
    """Each KSB of the enrolment's standard: covered by accepted evidence or not, and how much evidence."""

    serializer_class = CoverageRowSerializer
    pagination_class = None
    queryset = Enrolment.objects.none()

    @extend_schema(responses={200: CoverageRowSerializer(many=True), 404: error_response("Not found")})
    def get(self, request, pk: str):
        visible = access.enrolments_visible_to(request.user).select_related("programme")
        enrolment = access.visible_or_404(visible, pk, noun="enrolment")
        return Response(CoverageRowSerializer(selectors.ksb_coverage(enrolment), many=True).data)
