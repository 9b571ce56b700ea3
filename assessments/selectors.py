"""Reads for module assessment: results, the marking queue, late feedback, the marking overview, the timetable
(as calendar events, written out by ``core.ics``).

Results use released marks only. A module is **passed** when every assignment has a released mark and the
weighted mark (Σ weight × mark ÷ Σ weight, a resubmission's mark capped at the pass mark) reaches the pass mark,
**failed** when it does not, **in progress** once the run has begun (or something was submitted) and
**not started** before. Each function runs a constant number of queries, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from assessments.models import AssessmentScheme, Assignment, Mark, Submission
from assessments.services import effective_mark
from core import ics
from programmes import access
from programmes.models import Enrolment, Module, ModuleRun

PASSED, FAILED, IN_PROGRESS, NOT_STARTED = "passed", "failed", "in_progress", "not_started"
STATUS_LABELS = {
    PASSED: "Passed",
    FAILED: "Not passed",
    IN_PROGRESS: "In progress",
    NOT_STARTED: "Not started",
}


def weighted_mark(marks: Sequence[tuple[int, int]]) -> Decimal | None:
    """Σ weight × mark ÷ Σ weight for (weight, mark) pairs, to one decimal place; None with no weights."""
    total = sum(weight for weight, _ in marks)
    if not total:
        return None
    value = Decimal(sum(weight * mark for weight, mark in marks)) / Decimal(total)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def module_status(
    *, weights_and_marks: Sequence[tuple[int, int | None]], pass_mark: int, started: bool
) -> tuple[str, Decimal | None]:
    """The rule, on its own: (status, weighted mark) from each assignment's (weight, counted mark or None)."""
    if weights_and_marks and all(mark is not None for _, mark in weights_and_marks):
        pairs = [(weight, mark) for weight, mark in weights_and_marks if mark is not None]
        total = sum(weight for weight, _ in pairs)
        exact = Decimal(sum(w * m for w, m in pairs)) / Decimal(total) if total else Decimal(0)
        return (PASSED if exact >= pass_mark else FAILED), weighted_mark(pairs)
    return (IN_PROGRESS if started else NOT_STARTED), None


STATUS_CSS = {
    PASSED: "status-accepted",
    FAILED: "status-withdrawn",
    IN_PROGRESS: "status-active",
    NOT_STARTED: "status-pending",
}


@dataclass
class AssignmentResult:
    assignment: Assignment
    submissions: list[Submission] = field(default_factory=list)  # every attempt, first first
    counted_mark: int | None = None  # the released mark that counts (capped for a resubmission)

    @property
    def latest(self) -> Submission | None:
        return self.submissions[-1] if self.submissions else None


@dataclass
class ModuleResult:
    """One module of an enrolment's programme: its run for the cohort, status and weighted mark."""

    module: Module
    module_run: ModuleRun | None
    status: str
    weighted_mark: Decimal | None
    pass_mark: int = AssessmentScheme.DEFAULT_PASS_MARK
    assignments: list[AssignmentResult] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def passed(self) -> bool:
        return self.status == PASSED

    @property
    def css(self) -> str:
        """The status badge's colour class (the site's existing ones)."""
        return STATUS_CSS[self.status]


def _pass_mark(run: ModuleRun) -> int:
    scheme = getattr(run, "scheme_row", None)
    return scheme.pass_mark if scheme is not None else AssessmentScheme.DEFAULT_PASS_MARK


def _runs_for_cohorts(cohort_ids: Iterable[int]) -> list[ModuleRun]:
    """Module runs of these cohorts with their assignments and scheme (three queries, prefetched)."""
    runs = list(
        ModuleRun.objects.filter(cohort_id__in=set(cohort_ids))
        .select_related("module")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.order_by("number")))
    )
    schemes = {
        s.module_run_id: s for s in AssessmentScheme.objects.filter(module_run__in=[r.pk for r in runs])
    }
    for run in runs:
        run.scheme_row = schemes.get(run.pk)  # type: ignore[attr-defined]
    return runs


def _released_marks(enrolment_ids: Iterable[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """(enrolment, assignment) → (attempt, mark) of the latest attempt with a released mark."""
    rows = (
        Mark.objects.filter(submission__enrolment_id__in=list(enrolment_ids), released_at__isnull=False)
        .values_list("submission__enrolment_id", "submission__assignment_id", "submission__attempt", "mark")
        .order_by("submission__attempt")
    )
    latest: dict[tuple[int, int], tuple[int, int]] = {}
    for enrolment_id, assignment_id, attempt, mark in rows:
        latest[enrolment_id, assignment_id] = (attempt, mark)
    return latest


def _result(
    run: ModuleRun, enrolment_id: int, released: dict, today: date, submitted: set[int]
) -> tuple[str, Decimal | None, dict[int, int | None]]:
    pass_mark = _pass_mark(run)
    counted: dict[int, int | None] = {}
    for assignment in run.assignments.all():
        found = released.get((enrolment_id, assignment.pk))
        counted[assignment.pk] = (
            None if found is None else effective_mark(mark=found[1], attempt=found[0], pass_mark=pass_mark)
        )
    started = run.online_start <= today or any(a.pk in submitted for a in run.assignments.all())
    status, weighted = module_status(
        weights_and_marks=[(a.weight, counted[a.pk]) for a in run.assignments.all()],
        pass_mark=pass_mark,
        started=started,
    )
    return status, weighted, counted


def module_results(enrolment: Enrolment) -> list[ModuleResult]:
    """Each module of the enrolment's programme, in order, with its status and weighted mark (released marks only).

    Six queries however many modules, assignments and submissions there are.
    """
    today = timezone.localdate()
    modules = list(Module.objects.filter(programme_id=enrolment.programme_id).order_by("order"))
    runs = {run.module_id: run for run in _runs_for_cohorts([enrolment.cohort_id])}
    released = _released_marks([enrolment.pk])
    submissions: dict[int, list[Submission]] = defaultdict(list)
    for submission in (
        Submission.objects.filter(enrolment=enrolment)
        .select_related("mark")
        .order_by("assignment_id", "attempt")
    ):
        submissions[submission.assignment_id].append(submission)
    results = []
    for module in modules:
        run = runs.get(module.pk)
        if run is None:
            results.append(ModuleResult(module, None, NOT_STARTED, None))
            continue
        status, weighted, counted = _result(run, enrolment.pk, released, today, set(submissions))
        results.append(
            ModuleResult(
                module,
                run,
                status,
                weighted,
                _pass_mark(run),
                [
                    AssignmentResult(a, submissions.get(a.pk, []), counted[a.pk])
                    for a in run.assignments.all()
                ],
            )
        )
    return results


def modules_passed_counts(enrolment_ids: Iterable[int]) -> dict[int, int]:
    """How many modules each enrolment has passed (every id given appears, 0 if none); five queries."""
    ids = list(enrolment_ids)
    cohorts = dict(Enrolment.objects.filter(pk__in=ids).values_list("pk", "cohort_id"))
    runs_by_cohort: dict[int, list[ModuleRun]] = defaultdict(list)
    for run in _runs_for_cohorts(cohorts.values()):
        runs_by_cohort[run.cohort_id].append(run)
    released = _released_marks(ids)
    today = timezone.localdate()
    counts = dict.fromkeys(ids, 0)
    for enrolment_id, cohort_id in cohorts.items():
        for run in runs_by_cohort[cohort_id]:
            status, _, _ = _result(run, enrolment_id, released, today, set())
            counts[enrolment_id] += status == PASSED
    return counts


# ---- submissions, the marking queue and late feedback ------------------------------------------------------


def submissions_visible_to(user: Any) -> QuerySet[Submission]:
    """Submissions on enrolments this person may see (their marks follow ``mark_visible_to``)."""
    return Submission.objects.filter(enrolment__in=access.enrolments_visible_to(user))


def mark_visible_to(user: Any, submission: Submission) -> Mark | None:
    """The submission's mark if this person may see it: released, or they are its module lead or a director."""
    try:
        mark = submission.mark
    except Mark.DoesNotExist:
        return None
    if mark.is_released or access.can_see_unreleased_marks(user, submission.assignment.module_run):
        return mark
    return None


def submission_detail(user: Any, pk: int) -> Submission:
    queryset = submissions_visible_to(user).select_related(
        "enrolment__apprentice",
        "enrolment__cohort__programme",
        "assignment__module_run__module",
        "assignment__module_run__cohort__programme",
        "assignment__module_run__lead",
        "mark__marked_by",
    )
    return access.visible_or_404(queryset, pk, noun="submission")


def _unmarked() -> Q:
    return ~Q(pk__in=Mark.objects.values("submission_id"))


def marking_queue(user: Any) -> QuerySet[Submission]:
    """Submissions waiting for this module lead's mark, feedback due soonest first."""
    return (
        Submission.objects.filter(_unmarked(), assignment__module_run__lead=user)
        .select_related(
            "enrolment__apprentice", "assignment__module_run__module", "assignment__module_run__cohort"
        )
        .order_by("feedback_due_on", "submitted_at", "pk")
    )


def late_feedback(runs: QuerySet[ModuleRun], *, today: date | None = None) -> QuerySet[Submission]:
    """Submissions in these runs still without a mark after their feedback due date, most overdue first."""
    today = today or timezone.localdate()
    return (
        Submission.objects.filter(_unmarked(), assignment__module_run__in=runs, feedback_due_on__lt=today)
        .select_related(
            "enrolment__apprentice",
            "assignment__module_run__module",
            "assignment__module_run__cohort",
            "assignment__module_run__lead",
        )
        .order_by("feedback_due_on", "pk")
    )


def marking_overview(user: Any, *, today: date | None = None) -> QuerySet[ModuleRun]:
    """Every module run this person oversees, with counts: submitted, awaiting a mark, late, marked, released."""
    today = today or timezone.localdate()
    subs = "assignments__submissions"
    unmarked = Q(**{f"{subs}__mark__isnull": True})
    return (
        access.module_runs_overseen_by(user)
        .select_related("module", "cohort__programme", "lead")
        .annotate(
            n_submitted=Count(subs, distinct=True),
            n_awaiting=Count(subs, filter=unmarked, distinct=True),
            n_late=Count(subs, filter=unmarked & Q(**{f"{subs}__feedback_due_on__lt": today}), distinct=True),
            n_unreleased=Count(
                subs,
                filter=Q(**{f"{subs}__mark__isnull": False, f"{subs}__mark__released_at__isnull": True}),
                distinct=True,
            ),
            next_due=Min(f"{subs}__feedback_due_on", filter=unmarked),
        )
        .order_by("-n_late", "cohort__start_date", "online_start", "pk")
    )


def module_run_rows(user: Any, module_run: ModuleRun) -> list[tuple[Enrolment, list[Submission | None]]]:
    """For a run's page: each visible enrolment of the cohort with its latest submission per assignment."""
    assignments = list(module_run.assignments.all())
    enrolments = list(
        access.enrolments_visible_to(user)
        .filter(cohort_id=module_run.cohort_id)
        .exclude(status=Enrolment.Status.PENDING)
        .select_related("apprentice")
        .order_by("apprentice__full_name")
    )
    latest: dict[tuple[int, int], Submission] = {}
    for submission in (
        Submission.objects.filter(assignment__module_run=module_run, enrolment__in=[e.pk for e in enrolments])
        .select_related("mark")
        .order_by("attempt")
    ):
        latest[submission.enrolment_id, submission.assignment_id] = submission
    return [(e, [latest.get((e.pk, a.pk)) for a in assignments]) for e in enrolments]


def visible_module_run(user: Any, pk: int) -> ModuleRun:
    """A module run the person may see: they see an enrolment in its cohort, lead it, or direct its programme."""
    cohorts = access.enrolments_visible_to(user).values("cohort_id")
    queryset = (
        ModuleRun.objects.filter(
            Q(cohort_id__in=cohorts) | Q(pk__in=access.module_runs_overseen_by(user).values("pk"))
        )
        .select_related("module", "cohort__programme", "lead")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.order_by("number")))
    )
    return access.visible_or_404(queryset, pk, noun="module run")


def next_deadlines(user: Any, *, limit: int = 5) -> list[Assignment]:
    """Deadlines to come for the apprentice's active enrolments, soonest first, not yet submitted."""
    today = timezone.localdate()
    mine = Enrolment.objects.filter(apprentice=user, status=Enrolment.Status.ACTIVE)
    submitted = Submission.objects.filter(assignment=OuterRef("pk"), enrolment__apprentice=user)
    return list(
        Assignment.objects.filter(module_run__cohort_id__in=mine.values("cohort_id"), due_on__gte=today)
        .annotate(submitted=Exists(submitted))
        .filter(submitted=False)
        .select_related("module_run__module")
        .order_by("due_on", "number")[:limit]
    )


def cohort_module_runs(cohort_ids: Iterable[int]) -> QuerySet[ModuleRun]:
    """Module runs of these cohorts with their assignments, scheme and lead, in date order (for the API)."""
    return (
        ModuleRun.objects.filter(cohort_id__in=list(cohort_ids))
        .select_related("module", "lead", "scheme")
        .prefetch_related(Prefetch("assignments", queryset=Assignment.objects.order_by("number")))
        .order_by("online_start", "pk")
    )


def timetable_events(module_runs: Iterable[ModuleRun]) -> list[ics.Event]:
    """A cohort's module runs as all-day events: online weeks, campus days and each assignment deadline."""
    events: list[ics.Event] = []
    for run in module_runs:
        title = run.module.title
        lead = f" Module lead: {run.lead.full_name}." if run.lead else ""
        events.append(
            _all_day(
                f"module-run-{run.pk}-online",
                run.online_start,
                run.online_end,
                f"{title}: online learning",
                f"{run.module.weeks_online} weeks of online learning: papers, course pages and the discussion "
                f"board.{lead}",
            )
        )
        campus = run.campus_dates
        if campus:
            events.append(
                _all_day(
                    f"module-run-{run.pk}-campus",
                    campus[0],
                    campus[-1],
                    f"{title}: campus days",
                    f"{len(campus)} days together on campus.{lead}",
                )
            )
        for assignment in run.assignments.all():
            events.append(
                _all_day(
                    f"assignment-{assignment.pk}-deadline",
                    assignment.due_on,
                    assignment.due_on,
                    f"Deadline: {title}, assignment {assignment.number}",
                    f"{assignment.title}. Submit it on the platform by the end of the day "
                    f"(weight {assignment.weight}%).",
                )
            )
    return events


def _all_day(local_uid: str, first: date, last: date, summary: str, description: str) -> ics.Event:
    """An all-day event from ``first`` to ``last`` inclusive, shown as free time."""
    return ics.Event(
        uid=ics.uid(local_uid),
        summary=summary,
        description=description,
        start=first,
        end=last + timedelta(days=1),
        transparent=True,
    )
