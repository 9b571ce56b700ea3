"""API: assignment submissions (list, submit a file, detail, file download, mark) and a cohort's module runs."""

import re

from django.http import Http404
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from assessments import selectors, services
from assessments.models import AssessmentScheme, Assignment, Mark, Submission
from core.api import IdFilter, Pagination, error_response
from core.errors import ActionNotAllowed
from core.uploads import download_response
from programmes import access
from programmes.models import Cohort, ModuleRun


def _marks_context(user) -> dict:
    """What the serializer needs to decide, without a query per row, who sees a mark before release."""
    directed = (
        set(access.directed_programmes(user).values_list("pk", flat=True)) if user.is_authenticated else set()
    )
    return {"user_id": user.pk, "is_superuser": bool(user.is_superuser), "directed": directed}


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "number", "title", "due_on", "cutoff_on", "weight"]


class SubmissionSerializer(serializers.ModelSerializer):
    module_run = serializers.IntegerField(source="assignment.module_run_id")
    module = serializers.CharField(source="assignment.module_run.module.title")
    assignment = AssignmentSerializer()
    feedback_late = serializers.SerializerMethodField(
        help_text="No mark yet and the feedback due date has passed."
    )
    mark = serializers.SerializerMethodField(
        help_text="Null until released (for the apprentice and employer)."
    )
    counted_mark = serializers.SerializerMethodField(
        help_text="The mark that counts: a resubmission is capped."
    )
    feedback = serializers.SerializerMethodField()
    released_at = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField(
        help_text="passed or not_passed once the mark is released; else null."
    )

    class Meta:
        model = Submission
        fields = [
            "id",
            "enrolment",
            "module_run",
            "module",
            "assignment",
            "attempt",
            "file_name",
            "content_type",
            "size",
            "sha256",
            "submitted_at",
            "is_late",
            "feedback_due_on",
            "feedback_late",
            "mark",
            "counted_mark",
            "feedback",
            "released_at",
            "result",
        ]

    def _mark(self, submission: Submission) -> Mark | None:
        try:
            mark = submission.mark
        except Mark.DoesNotExist:
            return None
        if mark.is_released:
            return mark
        ctx = self.context.get("marks", {})
        run = submission.assignment.module_run
        if (
            ctx.get("is_superuser")
            or run.lead_id == ctx.get("user_id")
            or run.cohort.programme_id in ctx.get("directed", set())
        ):
            return mark
        return None

    def _pass_mark(self, submission: Submission) -> int:
        return services.pass_mark_of(submission.assignment.module_run)

    def get_feedback_late(self, submission: Submission) -> bool:
        try:
            submission.mark  # noqa: B018
        except Mark.DoesNotExist:
            return submission.feedback_due_on < timezone.localdate()
        return False

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_mark(self, submission: Submission):
        mark = self._mark(submission)
        return None if mark is None else mark.mark

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_counted_mark(self, submission: Submission):
        mark = self._mark(submission)
        if mark is None:
            return None
        return services.effective_mark(
            mark=mark.mark, attempt=submission.attempt, pass_mark=self._pass_mark(submission)
        )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_feedback(self, submission: Submission):
        mark = self._mark(submission)
        return None if mark is None else mark.feedback

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_released_at(self, submission: Submission):
        mark = self._mark(submission)
        return (
            None
            if mark is None or mark.released_at is None
            else serializers.DateTimeField().to_representation(mark.released_at)
        )

    @extend_schema_field(serializers.ChoiceField(choices=["passed", "not_passed"], allow_null=True))
    def get_result(self, submission: Submission):
        mark = self._mark(submission)
        if mark is None or not mark.is_released:
            return None
        return services.result_of(mark=mark.mark, module_run=submission.assignment.module_run)


class SubmissionCreateSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    assignment = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    file = serializers.FileField()


class MarkInputSerializer(serializers.Serializer):
    mark = serializers.IntegerField(min_value=0, max_value=100)
    feedback = serializers.CharField()
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when changing a released mark."
    )
    annotated_file = serializers.FileField(required=False, help_text="An annotated copy (multipart only).")


class SubmissionFilter(filters.FilterSet):
    enrolment = IdFilter(field_name="enrolment_id")
    module_run = IdFilter(field_name="assignment__module_run_id")
    assignment = IdFilter(field_name="assignment_id")

    class Meta:
        model = Submission
        fields = ["enrolment", "module_run", "assignment"]


class StrictPagination(Pagination):
    """The shared pagination, but an empty ``?page=`` is not a page number (404) rather than page 1.

    The schema says ``page`` is an integer; DRF reads an empty value as page 1, which the fuzzer flags as bad input
    accepted. (A candidate for ``core.api.Pagination`` itself.)
    """

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound("Invalid page.")
        return super().get_page_number(request, paginator)


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assignment submissions the caller may see; the apprentice submits, the module lead marks."""

    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilter
    pagination_class = StrictPagination
    lookup_value_regex = "[^/]+"
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        return (
            selectors.submissions_visible_to(self.request.user)
            .select_related(
                "mark",
                "assignment__module_run__module",
                "assignment__module_run__cohort",
                "assignment__module_run__scheme",
            )
            .order_by("-submitted_at", "-pk")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["marks"] = _marks_context(self.request.user)
        return context

    def get_object(self):
        if not str(self.kwargs.get("pk", "")).isdigit():
            raise Http404
        return super().get_object()

    def list(self, request, *args, **kwargs):
        """Submissions the caller may see, newest first (``?enrolment=``, ``?module_run=``, ``?assignment=``)."""
        repeated = [key for key in request.query_params if len(request.query_params.getlist(key)) > 1]
        if repeated:  # one value per parameter: the schema says each is a single integer
            raise ValidationError({key: ["Give this parameter once."] for key in repeated})
        not_whole = [
            key
            for key in ("enrolment", "module_run", "assignment")
            if key in request.query_params and not re.fullmatch(r"-?[0-9]+", request.query_params[key])
        ]
        if not_whole:  # django's IntegerField would read "1.0" as 1; an id is written as a whole number
            raise ValidationError({key: ["Give a whole number."] for key in not_whole})
        return super().list(request, *args, **kwargs)

    def _out(self, submission: Submission) -> dict:
        return SubmissionSerializer(
            self.get_queryset().get(pk=submission.pk), context=self.get_serializer_context()
        ).data

    @extend_schema(
        request={"multipart/form-data": SubmissionCreateSerializer},
        responses={
            201: SubmissionSerializer,
            400: error_response("Bad input; nothing stored", component="ValidationError"),
            403: error_response("Only the apprentice submits their own assignments"),
            404: error_response("No such enrolment or assignment"),
            409: error_response("Already submitted, awaiting a mark, or passed"),
            415: error_response("Not a multipart/form-data request"),
        },
    )
    def create(self, request):
        data = SubmissionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        enrolment = access.enrolments_visible_to(request.user).filter(pk=values["enrolment"]).first()
        if enrolment is None:
            raise Http404
        assignment = Assignment.objects.filter(
            pk=values["assignment"], module_run__cohort_id=enrolment.cohort_id
        ).first()
        if assignment is None:
            raise Http404
        submission = services.submission_create(
            enrolment=enrolment, assignment=assignment, by=request.user, upload=values["file"]
        )
        return Response(self._out(submission), status=201)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: error_response("Not found")}
    )
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The submitted file, as a download."""
        submission = self.get_object()
        return download_response(
            submission.file, filename=submission.file_name, content_type=submission.content_type
        )

    @extend_schema(
        request={"application/json": MarkInputSerializer, "multipart/form-data": MarkInputSerializer},
        responses={
            200: SubmissionSerializer,
            400: error_response("Bad input", component="ValidationError"),
            403: error_response("Only the module lead for this module marks it"),
            404: error_response("Not found"),
            415: error_response("Not JSON or multipart/form-data"),
        },
    )
    @action(detail=True, methods=["post"])
    def mark(self, request, pk=None):
        """Record or change the mark and feedback (the run's module lead); released marks need a ``reason``."""
        submission = self.get_object()
        if not access.can_mark_submission(request.user, submission.assignment.module_run):
            raise ActionNotAllowed("Only the module lead for this module marks its assignments.")
        data = MarkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.submission_mark(submission=submission, by=request.user, **data.validated_data)
        return Response(self._out(submission))


class ModuleRunSerializer(serializers.ModelSerializer):
    module = serializers.SerializerMethodField()
    lead = serializers.SerializerMethodField()
    online_end = serializers.DateField()
    campus_dates = serializers.ListField(child=serializers.DateField())
    pass_mark = serializers.SerializerMethodField()
    late_policy = serializers.SerializerMethodField()
    assignments = AssignmentSerializer(many=True)

    class Meta:
        model = ModuleRun
        fields = [
            "id",
            "cohort",
            "module",
            "online_start",
            "online_end",
            "campus_start",
            "campus_dates",
            "lead",
            "pass_mark",
            "late_policy",
            "assignments",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "order": {"type": "integer"},
                "title": {"type": "string"},
                "year": {"type": "integer"},
                "term": {"type": "string"},
                "weeks_online": {"type": "integer"},
                "campus_days": {"type": "integer"},
            },
            "required": ["id", "order", "title", "year", "term", "weeks_online", "campus_days"],
        }
    )
    def get_module(self, run: ModuleRun) -> dict:
        m = run.module
        return {
            "id": m.pk,
            "order": m.order,
            "title": m.title,
            "year": m.year,
            "term": m.term,
            "weeks_online": m.weeks_online,
            "campus_days": m.campus_days,
        }

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {"id": {"type": "integer"}, "full_name": {"type": "string"}},
            "required": ["id", "full_name"],
        }
    )
    def get_lead(self, run: ModuleRun):
        return None if run.lead is None else {"id": run.lead.pk, "full_name": run.lead.full_name}

    def get_pass_mark(self, run: ModuleRun) -> int:
        return services.pass_mark_of(run)

    @extend_schema_field(serializers.ChoiceField(choices=AssessmentScheme.LatePolicy.choices))
    def get_late_policy(self, run: ModuleRun) -> str:
        return services.late_policy_of(run)


class CohortModuleRunsView(GenericAPIView):
    """A cohort's module runs: dates, module lead, pass mark, late policy and the assignments with deadlines."""

    serializer_class = ModuleRunSerializer
    pagination_class = None
    queryset = ModuleRun.objects.none()

    @extend_schema(responses={200: ModuleRunSerializer(many=True), 404: error_response("Not found")})
    def get(self, request, pk: str):
        own = access.enrolments_visible_to(request.user).values("cohort_id")
        visible = Cohort.objects.filter(
            pk__in=access.cohorts_visible_to(request.user).values("pk")
        ) | Cohort.objects.filter(pk__in=own)
        if not (pk.isascii() and pk.isdigit()) or int(pk) > 2**63 - 1 or not visible.filter(pk=pk).exists():
            raise Http404
        return Response(ModuleRunSerializer(selectors.cohort_module_runs([int(pk)]), many=True).data)
