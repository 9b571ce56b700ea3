"""Helpers for the module-assessment tests: set up the cast's module run, submit, mark and release."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import Assignment, Submission

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def pdf(name: str = "essay.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def set_up_run(
    world,
    *,
    weights=(50, 50),
    pass_mark: int = 50,
    due=(date(2025, 11, 17), date(2025, 12, 15)),
    late_policy: str = "allow_flag",
    cutoffs=(None, None),
):
    """The cast's module run (Leadership, 2025 cohort) with two assignments, through the director's service."""
    run = world.module_run
    fields = services.ModuleRunFields(
        online_start=run.online_start,
        campus_start=run.campus_start,
        lead=run.lead,
        pass_mark=pass_mark,
        late_policy=late_policy,
        assignments=[
            services.AssignmentFields(
                number=n,
                title=f"Essay {n}",
                due_on=due[n - 1],
                weight=weights[n - 1],
                cutoff_on=cutoffs[n - 1],
            )
            for n in (1, 2)
        ],
    )
    services.module_run_save(cohort=world.cohort, module=run.module, by=world.cast.director, fields=fields)
    run.refresh_from_db()
    return run


def assignment(world, number: int) -> Assignment:
    return Assignment.objects.get(module_run=world.module_run, number=number)


def submit(world, number: int = 1, *, enrolment=None, by=None) -> Submission:
    return services.submission_create(
        enrolment=enrolment or world.enrolment,
        assignment=assignment(world, number),
        by=by or world.cast.apprentice,
        upload=pdf(),
    )


def mark(world, submission: Submission, value: int, *, reason: str = ""):
    return services.submission_mark(
        submission=submission,
        by=world.cast.module_lead,
        mark=value,
        feedback="Clear argument.",
        reason=reason,
    )


def release(world) -> int:
    return services.module_run_release_marks(module_run=world.module_run, by=world.cast.module_lead)
