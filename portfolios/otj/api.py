"""API: the OTJ ledger (entries with confirm and query), activity types, and each enrolment's OTJ summary."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from core.api import IdFilter, error_response
from core.errors import ActionNotAllowed, ConflictError
from portfolios.otj import selectors as otj_selectors
from portfolios.otj import services as otj_services
from portfolios.otj.models import OffTheJobEntry, OTJActivityType
from programmes import access
from programmes.models import KSB, Enrolment

HOURS = {"max_digits": 10, "decimal_places": 2}


class ActivityTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = OTJActivityType
        fields = ["id", "code", "name", "counts_towards_otj", "guidance"]


class EntrySerializer(serializers.ModelSerializer):
    activity_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    counts_towards_otj = serializers.BooleanField(source="activity_type.counts_towards_otj", read_only=True)
    ksbs = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = OffTheJobEntry
        fields = [
            "id",
            "enrolment",
            "date",
            "hours",
            "activity_type",
            "counts_towards_otj",
            "description",
            "ksbs",
            "module_run",
            "evidence",
            "status",
            "logged_at",
            "is_late",
            "decided_at",
            "decided_by",
            "decided_via",
            "rejection_reason",
            "correction_reason",
        ]

    def get_ksbs(self, entry: OffTheJobEntry) -> list[str]:
        return [ksb.code for ksb in entry.ksbs.all()]

    def get_decided_by(self, entry: OffTheJobEntry) -> str | None:
        return entry.decided_by.full_name if entry.decided_by else None


class EntryInputSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    date = serializers.DateField()
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=2, help_text="Quarter-hour steps, up to 12."
    )
    activity_type = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OTJActivityType.objects.filter(is_active=True),
        help_text="An activity type code.",
    )
    description = serializers.CharField(help_text="What was done and learned (at least a few words).")
    ksbs = serializers.PrimaryKeyRelatedField(
        many=True, queryset=KSB.objects.all(), required=False, default=list
    )
    module_run = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)
    evidence = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)


class EntryUpdateSerializer(EntryInputSerializer):
    enrolment = None  # type: ignore[assignment]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="What the apprentice should change.")


class PresentDateField(forms.DateField):
    """A date filter's field: absent means no filter, but present and empty is an error, not a silent no-op."""

    def clean(self, value):
        if value == "":
            raise forms.ValidationError("Enter a date as YYYY-MM-DD.")
        return super().clean(value)


class StrictDateFilter(filters.DateFilter):
    field_class = PresentDateField


@extend_schema_field({"type": "string", "minLength": 1, "pattern": "^[-a-zA-Z0-9_]+$"})
class CodeFilter(filters.CharFilter):
    """An activity type code (see /api/v1/otj-activity-types/): a slug, else 400; one that names nothing matches
    nothing."""

    field_class = forms.SlugField


class EntryFilter(filters.FilterSet):
    enrolment = IdFilter(field_name="enrolment_id")
    status = filters.ChoiceFilter(choices=OffTheJobEntry.Status.choices)
    activity_type = CodeFilter(field_name="activity_type__code")
    date_from = StrictDateFilter(field_name="date", lookup_expr="gte")
    date_to = StrictDateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = OffTheJobEntry
        fields = ["enrolment", "status", "activity_type", "date_from", "date_to"]


def _fields(values: dict, entry: OffTheJobEntry | None = None) -> otj_services.EntryFields:
    def pick(key, current):
        return values.get(key, current)

    return otj_services.EntryFields(
        date=pick("date", entry.date if entry else None),
        hours=pick("hours", entry.hours if entry else None),
        activity_type_id=values["activity_type"].pk if "activity_type" in values else entry.activity_type_id,
        description=pick("description", entry.description if entry else ""),
        ksb_ids=[k.pk for k in values["ksbs"]] if "ksbs" in values else [k.pk for k in entry.ksbs.all()],
        module_run_id=pick("module_run", entry.module_run_id if entry else None),
        evidence_id=pick("evidence", entry.evidence_id if entry else None),
    )


ENTRY_ERRORS = {
    400: error_response("Bad input; nothing saved", component="ValidationError"),
    403: error_response("Not the caller's to change"),
    404: error_response("Not found"),
    409: error_response("Conflicts with the entry's current state"),
}


class OTJActivityTypeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The kinds of activity, and whether each counts towards the OTJ minimum."""

    serializer_class = ActivityTypeSerializer
    queryset = OTJActivityType.objects.filter(is_active=True).order_by("order", "name")


class OTJEntryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Off-the-job entries the caller may see. The apprentice logs and edits (while pending); the line manager
    confirms or queries."""

    serializer_class = EntrySerializer
    filterset_class = EntryFilter
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return OffTheJobEntry.objects.none()
        return (
            otj_selectors.entries_visible_to(self.request.user)
            .select_related("activity_type", "decided_by")
            .prefetch_related("ksbs")
            .order_by("-date", "-pk")
        )

    def get_object(self):
        return access.visible_or_404(
            self.filter_queryset(self.get_queryset()), self.kwargs.get("pk"), noun="entry"
        )

    def _out(self, entry: OffTheJobEntry) -> dict:
        return EntrySerializer(self.get_queryset().get(pk=entry.pk)).data

    @extend_schema(request=EntryInputSerializer, responses={201: EntrySerializer, **ENTRY_ERRORS})
    def create(self, request):
        data = EntryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        enrolment = access.enrolments_visible_to(request.user).filter(pk=values["enrolment"]).first()
        if enrolment is None:
            raise Http404
        enrolment = Enrolment.objects.select_related("programme").get(pk=enrolment.pk)
        entry = otj_services.otj_entry_create(enrolment=enrolment, by=request.user, fields=_fields(values))
        return Response(self._out(entry), status=201)

    @extend_schema(request=EntryUpdateSerializer, responses={200: EntrySerializer, **ENTRY_ERRORS})
    def partial_update(self, request, pk=None):
        entry = self.get_object()
        data = EntryUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = otj_services.otj_entry_update(
            entry=entry, by=request.user, fields=_fields(data.validated_data, entry)
        )
        return Response(self._out(entry))

    @extend_schema(
        responses={204: None, 403: ENTRY_ERRORS[403], 404: ENTRY_ERRORS[404], 409: ENTRY_ERRORS[409]}
    )
    def destroy(self, request, pk=None):
        otj_services.otj_entry_delete(entry=self.get_object(), by=request.user)
        return Response(status=204)

    @extend_schema(request=None, responses={200: EntrySerializer, **ENTRY_ERRORS})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """The line manager confirms the activity happened in paid working hours; it then counts."""
        entry = otj_services.otj_entry_confirm(
            entry=self.get_object(), by=request.user, via=OffTheJobEntry.Via.API
        )
        return Response(self._out(entry))

    @extend_schema(request=RejectSerializer, responses={200: EntrySerializer, **ENTRY_ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """The line manager queries the entry with a reason; it goes back to the apprentice."""
        entry = self.get_object()
        if not access.can_confirm_otj(request.user, entry.enrolment):
            raise ActionNotAllowed("Only the apprentice's line manager queries their hours.")
        if entry.status != OffTheJobEntry.Status.PENDING:
            raise ConflictError(f"This entry is already {entry.get_status_display().lower()}.")
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = otj_services.otj_entry_reject(
            entry=entry, by=request.user, reason=data.validated_data["reason"], via=OffTheJobEntry.Via.API
        )
        return Response(self._out(entry))


class OTJSummarySerializer(serializers.Serializer):
    enrolment_id = serializers.IntegerField()
    required_hours = serializers.DecimalField(**HOURS)
    confirmed_hours = serializers.DecimalField(**HOURS)
    pending_hours = serializers.DecimalField(**HOURS)
    expected_hours_to_date = serializers.DecimalField(**HOURS)
    percent_of_expected = serializers.DecimalField(**HOURS, allow_null=True)
    weekly_hours_needed = serializers.DecimalField(**HOURS, allow_null=True)
    status = serializers.ChoiceField(choices=list(otj_selectors.STATUS_LABELS))
    policy = serializers.CharField(help_text="The rule set applied: 2017, 2022 or 2025.")
    explanation = serializers.CharField(help_text="The working of the minimum.")
    expected_explanation = serializers.CharField()
    forecast = serializers.ListField(child=serializers.CharField())
    projected_hours = serializers.DecimalField(**HOURS)
    reach_date = serializers.DateField(allow_null=True)
    pace_per_week = serializers.DecimalField(**HOURS)
    late_entries = serializers.IntegerField()
    planned_end_date = serializers.DateField()


class OTJSummaryView(GenericAPIView):
    """Where the enrolment stands on OTJ: required, confirmed, pending, expected to date, status and forecast."""

    serializer_class = OTJSummarySerializer
    pagination_class = None
    queryset = Enrolment.objects.none()

    @extend_schema(responses={200: OTJSummarySerializer, 404: error_response("Not found")})
    def get(self, request, pk: str):
        enrolment = access.visible_or_404(access.enrolments_visible_to(request.user), pk, noun="enrolment")
        return Response(OTJSummarySerializer(otj_selectors.otj_position(enrolment)).data)
