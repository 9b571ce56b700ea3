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
from core.client import client_ip
from core.errors import ActionNotAllowed
from programmes import access
from programmes.models import Enrolment
from tutors import selectors, services
from tutors.models import ProgressReview, ReviewAction, ReviewKSBRating, ReviewSignature


class ReviewSignatureSerializer(serializers.ModelSerializer):
    signed_by = serializers.CharField(source="signed_by.full_name")
    addendum = serializers.IntegerField(source="addendum.number", allow_null=True, default=None)

    class Meta:
        model = ReviewSignature
        fields = ["role", "signed_by", "signed_at", "method", "content_hash", "addendum"]


class ReviewSerializer(serializers.ModelSerializer):
    signatures = serializers.SerializerMethodField()
    outstanding = serializers.SerializerMethodField()
    safeguarding_concern = serializers.SerializerMethodField(
        help_text="Only for the practice tutor and the programme's directors; null for everyone else."
    )
    content = serializers.SerializerMethodField(
        help_text="The record as submitted for signatures (null while a draft)."
    )

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
            "content_hash",
            "content",
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


class ReviewSignSerializer(serializers.Serializer):
    full_name = serializers.CharField(help_text="The signer's full name, typed.")
    password = serializers.CharField(
        required=False, allow_blank=True, help_text="The signer's current password."
    )
    code = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Instead of the password: a current authenticator code (MFA).",
    )
    role = serializers.ChoiceField(
        choices=ReviewSignature.Role.choices,
        required=False,
        help_text="Only needed when the caller holds more than one role on this review.",
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
                )
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
        request=ReviewSignSerializer,
        responses={
            201: ReviewSerializer,
            400: error_response(
                "Bad input (wrong password, name that does not match); nothing recorded",
                component="ValidationError",
            ),
            403: error_response("The caller does not sign this review"),
            404: error_response("Not found"),
            409: error_response("Already signed, or not submitted"),
        },
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign the review (or its pending addendum, once the review is signed): ``{"full_name", "password"}``."""
        review = self.get_object()
        if not access.review_signing_roles(request.user, review.enrolment):
            raise ActionNotAllowed(
                "Only the apprentice, their line manager and their practice tutor sign reviews."
            )
        serializer = ReviewSignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        addendum = services.pending_addendum(review) if review.is_complete else None
        services.review_sign(
            review=review,
            by=request.user,
            addendum=addendum,
            full_name=data["full_name"],
            password=data.get("password", ""),
            code=data.get("code", ""),
            role=data.get("role", ""),
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=review.pk)).data, status=201)
