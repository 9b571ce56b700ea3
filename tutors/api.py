"""API: progress reviews (scoped list, detail, create by the practice tutor) and signing one."""

from django.db.models import Prefetch
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import ID_RANGE, IdFilter, error_response
from core.errors import ActionNotAllowed
from core.signatures.api import SignatureSerializer, SignSerializer
from core.signatures.services import Origin
from programmes import access
from programmes.models import Enrolment
from tutors import selectors, services
from tutors.models import ProgressReview, ReviewAction, ReviewAddendum, ReviewKSBRating, ReviewSignature
from tutors.signing import ReviewDocument, review_version


class ReviewSignatureSerializer(SignatureSerializer):
    addendum = serializers.IntegerField(source="addendum.number", allow_null=True, default=None)


class PendingAddendumSerializer(serializers.Serializer):
    """The correction awaiting signatures on a signed review: sign it with its own version and hash."""

    number = serializers.IntegerField()
    text = serializers.CharField()
    version = serializers.IntegerField()
    content_hash = serializers.CharField()


class ReviewSerializer(serializers.ModelSerializer):
    signatures = serializers.SerializerMethodField()
    outstanding = serializers.SerializerMethodField()
    safeguarding_concern = serializers.SerializerMethodField(
        help_text="Only for the practice tutor and the programme's directors; null for everyone else."
    )
    content = serializers.SerializerMethodField(
        help_text="The record as submitted for signatures (null while a draft)."
    )
    version = serializers.SerializerMethodField(
        help_text="The version of the record to sign: 1, and one more each time it came back after a decline."
    )
    pending_addendum = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReview
        fields = [
            "id",
            "enrolment",
            "number",
            "status",
            "scheduled_for",
            "duration_minutes",
            "location",
            "video_link",
            "held_on",
            "next_review_on",
            "submitted_at",
            "signed_at",
            "version",
            "content_hash",
            "content",
            "pending_addendum",
            "safeguarding_concern",
            "signatures",
            "outstanding",
        ]

    @extend_schema_field(ReviewSignatureSerializer(many=True))
    def get_signatures(self, review: ProgressReview) -> list[dict]:
        current = [
            s
            for s in review.signatures.all()
            if s.addendum_id is not None or s.content_hash == review.content_hash
        ]
        return ReviewSignatureSerializer(current, many=True).data

    def get_version(self, review: ProgressReview) -> int:
        return review_version(review)

    @extend_schema_field(PendingAddendumSerializer(allow_null=True))
    def get_pending_addendum(self, review: ProgressReview) -> dict | None:
        addendum = next((a for a in review.addenda.all() if a.status == ReviewAddendum.Status.AWAITING), None)
        if addendum is None:
            return None
        document = ReviewDocument(review, addendum)
        return {
            "number": addendum.number,
            "text": addendum.text,
            "version": document.version,
            "content_hash": document.content_hash,
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_outstanding(self, review: ProgressReview) -> list[str]:
        return services.outstanding_roles(review)

    @extend_schema_field({"type": "object", "additionalProperties": True, "nullable": True})
    def get_content(self, review: ProgressReview) -> dict | None:
        return review.content

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_safeguarding_concern(self, review: ProgressReview) -> str | None:
        user = self.context["request"].user
        if "directed" not in self.context:  # once per response, not once per review
            self.context["directed"] = set(access.directed_programmes(user).values_list("pk", flat=True))
        directed = self.context["directed"]
        enrolment = review.enrolment
        if user.is_superuser or enrolment.practice_tutor_id == user.pk or enrolment.programme_id in directed:
            return review.safeguarding_concern
        return None


class RatingInputSerializer(serializers.Serializer):
    ksb = serializers.IntegerField(min_value=ID_RANGE[0], max_value=ID_RANGE[1], help_text="A KSB id.")
    rating = serializers.ChoiceField(choices=ReviewKSBRating.Rating.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ActionInputSerializer(serializers.Serializer):
    description = serializers.CharField()
    owner = serializers.ChoiceField(choices=ReviewAction.Owner.choices)
    due_on = serializers.DateField()


class ReviewCreateSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(min_value=ID_RANGE[0], max_value=ID_RANGE[1])
    held_on = serializers.DateField(required=False, allow_null=True, default=None)
    training_since = serializers.CharField(required=False, allow_blank=True, default="")
    otj_replan = serializers.CharField(required=False, allow_blank=True, default="")
    progress = serializers.CharField(required=False, allow_blank=True, default="")
    modules = serializers.CharField(required=False, allow_blank=True, default="")
    support_needs = serializers.CharField(required=False, allow_blank=True, default="")
    wellbeing = serializers.CharField(required=False, allow_blank=True, default="")
    circumstances = serializers.CharField(required=False, allow_blank=True, default="")
    safeguarding_concern = serializers.CharField(required=False, allow_blank=True, default="")
    next_review_on = serializers.DateField(required=False, allow_null=True, default=None)
    ksb_ratings = RatingInputSerializer(many=True, required=False, default=list)
    actions = ActionInputSerializer(many=True, required=False, default=list)
    submit = serializers.BooleanField(
        default=False, help_text="Submit for signatures at once (else the draft is kept for the tutor)."
    )


class ReviewFilter(filters.FilterSet):
    enrolment = IdFilter(field_name="enrolment_id")
    status = filters.ChoiceFilter(choices=ProgressReview.Status.choices)

    class Meta:
        model = ProgressReview
        fields = ["enrolment", "status"]


def flat_errors(errors) -> dict[str, list[str]]:
    """Nested list errors (``actions[1].owner``) as plain messages, so every 400 has the API's one error shape."""

    def messages(value, prefix: str = "") -> list[str]:
        if isinstance(value, dict):
            return [m for key, inner in value.items() for m in messages(inner, f"{prefix}{key}: ")]
        if isinstance(value, list):
            if all(isinstance(item, str) for item in value):
                return [f"{prefix}{item}" for item in value]
            return [
                m for n, item in enumerate(value, 1) if item for m in messages(item, f"{prefix}item {n}: ")
            ]
        return [f"{prefix}{value}"]

    return {field: messages(value) for field, value in errors.items()}


class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Progress reviews the caller may see (drafts only for the tutor and directors); the tutor creates them."""

    serializer_class = ReviewSerializer
    filterset_class = ReviewFilter
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ProgressReview.objects.none()
        return (
            selectors.reviews_visible_to(self.request.user)
            .select_related("enrolment")
            .prefetch_related(
                Prefetch(
                    "signatures", queryset=ReviewSignature.objects.select_related("signed_by", "addendum")
                ),
                "declines",
                "addenda",
            )
            .order_by("-pk")
        )

    def get_object(self):
        if not str(self.kwargs.get("pk", "")).isdigit():
            raise Http404
        return super().get_object()

    @extend_schema(
        request=ReviewCreateSerializer,
        responses={
            201: ReviewSerializer,
            400: error_response("Bad input; nothing stored", component="ValidationError"),
            403: error_response("Only the apprentice's practice tutor records reviews"),
            404: error_response("No such enrolment"),
            409: error_response("A review is awaiting signatures"),
        },
    )
    def create(self, request):
        data = ReviewCreateSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationError(flat_errors(data.errors))
        values = data.validated_data
        enrolment = (
            access.enrolments_visible_to(request.user)
            .select_related("programme")
            .filter(pk=values["enrolment"])
            .first()
        )
        if enrolment is None:
            raise Http404
        if not access.can_record_review(request.user, enrolment):
            raise ActionNotAllowed("Only the apprentice's practice tutor records their reviews.")
        fields = services.ReviewFields(
            **{name: values[name] for name in ("held_on", "next_review_on", *services.TEXT_FIELDS)},
            ratings=[
                services.RatingInput(r["ksb"], r["rating"], r["comment"]) for r in values["ksb_ratings"]
            ],
            actions=[
                services.ActionInput(a["description"], a["owner"], a["due_on"]) for a in values["actions"]
            ],
        )
        review = services.review_save_draft(
            enrolment=Enrolment.objects.get(pk=enrolment.pk), by=request.user, values=fields
        )
        if values["submit"]:
            review = services.review_submit(review=review, by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=review.pk)).data, status=201)

    @extend_schema(
        request=SignSerializer,
        responses={
            201: ReviewSerializer,
            400: error_response(
                "Bad input (no version or hash, wrong password, name that does not match); nothing recorded",
                component="ValidationError",
            ),
            403: error_response("The caller does not sign this review"),
            404: error_response("Not found"),
            409: error_response(
                "The review (or addendum) changed since the caller read it (the current version is named), "
                "already signed, or not submitted; nothing recorded"
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the review (or its pending addendum, once the review is signed): ``{"version", "content_hash",
        "full_name", "password"}`` (or ``"otp"``), from the review (or ``pending_addendum``) the caller read."""
        review = self.get_object()
        if not access.review_signing_roles(request.user, review.enrolment):
            raise ActionNotAllowed(
                "Only the apprentice, their line manager and their practice tutor sign reviews."
            )
        serializer = SignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        addendum = services.pending_addendum(review) if review.is_complete else None
        origin = Origin.of(request)
        services.review_sign(
            review=review,
            by=request.user,
            addendum=addendum,
            proof=serializer.proof(),
            ip_address=origin.ip_address,
            user_agent=origin.user_agent,
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=review.pk)).data, status=201)
