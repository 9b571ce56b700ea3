"""Module assessment: every module run's scheme and two assignments; for each apprentice who has started, a
submission per assignment whose deadline has passed (every fifth late), marked and released, except the latest
run's, which wait in the module lead's queue (some past their feedback due date). Files name the one stored PDF."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from assessments.models import AssessmentScheme, Assignment, Mark, Submission
from benchmarks.seeding.files import stored_sample_file
from benchmarks.seeding.rows import create_rows
from benchmarks.seeding.world import World
from programmes.models import Enrolment, ModuleRun

Status = Enrolment.Status
# A planned submission: (enrolment, assignment, submitted on, whether it is marked, its place in the sequence).
Planned = tuple[Enrolment, Assignment, date, bool, int]


def assignments_by_cohort(w: World, runs: list[ModuleRun]) -> dict[int, list[Assignment]]:
    """A scheme and two assignments for every module run, by the run's cohort."""
    create_rows(w, AssessmentScheme, [AssessmentScheme(module_run=run) for run in runs])
    assignments = create_rows(
        w,
        Assignment,
        [
            Assignment(
                module_run=run,
                number=n,
                title=f"{run.module.title}: written assignment {n}",
                due_on=run.campus_start + timedelta(weeks=2 if n == 1 else 6),
                weight=50,
            )
            for run in runs
            for n in (1, 2)
        ],
    )
    by_cohort: dict[int, list] = {}
    for assignment, run in zip(assignments, [run for run in runs for _ in (1, 2)], strict=True):
        assignment.module_run = run
        by_cohort.setdefault(run.cohort_id, []).append(assignment)
    return by_cohort


def planned_submissions(w: World, by_cohort: dict[int, list[Assignment]]) -> list[Planned]:
    """A submission per assignment whose deadline has passed, every fifth late; marked unless of the latest run."""
    today = w.now.date()
    plans = []
    for i, enrolment in enumerate(e for e in w.enrolments if e.status != Status.PENDING):
        due = [a for a in by_cohort[enrolment.cohort_id] if a.due_on < today]
        latest_run = max((a.module_run_id for a in due), default=None)
        for k, assignment in enumerate(due):
            submitted_on = assignment.due_on + timedelta(days=3 if (i + k) % 5 == 0 else -1)
            plans.append((enrolment, assignment, submitted_on, assignment.module_run_id != latest_run, i + k))
    return plans


def submissions_and_marks(w: World, plans: list[Planned]) -> None:
    stored = stored_sample_file()
    submissions = create_rows(
        w,
        Submission,
        [
            Submission(
                enrolment=enrolment,
                assignment=assignment,
                file=stored.name,
                file_name=f"assignment-{assignment.number}.pdf",
                content_type="application/pdf",
                size=stored.size,
                sha256=stored.sha256,
                submitted_by_id=enrolment.apprentice_id,
                submitted_at=timezone.make_aware(datetime.combine(submitted_on, datetime.min.time())),
                is_late=submitted_on > assignment.due_on,
                feedback_due_on=submitted_on + timedelta(days=15),
            )
            for enrolment, assignment, submitted_on, _marked, _n in plans
        ],
    )
    create_rows(
        w,
        Mark,
        [
            Mark(
                submission=submission,
                mark=45 + (n * 7) % 40,
                feedback="A clear argument, well evidenced; tighten the conclusion.",
                annotated_file=stored.name,
                annotated_file_name="annotated.pdf",
                annotated_content_type="application/pdf",
                marked_by_id=assignment.module_run.lead_id,
                marked_at=submission.submitted_at + timedelta(days=10),
                released_at=submission.submitted_at + timedelta(days=12),
            )
            for submission, (_e, assignment, _d, marked, n) in zip(submissions, plans, strict=True)
            if marked
        ],
    )


def module_assessment(w: World) -> None:
    """Schemes, assignments, submissions and marks (see the module's docstring); the world keeps the sample
    enrolment's first assignment of module 1 (marked, with an annotated copy, and released)."""
    runs = list(ModuleRun.objects.filter(cohort__in=w.cohorts).select_related("module").order_by("pk"))
    submissions_and_marks(w, planned_submissions(w, assignments_by_cohort(w, runs)))
    sample = w.sample_enrolment
    w.sample_module_run = next(r for r in runs if r.cohort_id == sample.cohort_id and r.module.order == 1)
    w.sample_submission = Submission.objects.get(
        enrolment=sample, assignment__module_run=w.sample_module_run, assignment__number=1
    )
