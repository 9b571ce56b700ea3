"""Demo module assessment: each module run's scheme and assignments, and submissions and marks in every state.

The 2024 cohort has passed most modules (apprentice3 after a capped resubmission; apprentice5 is part-way through
module 6; apprentice6 withdrew during module 4). The 2025 cohort has results for modules 1 and 2 (apprentice9
did not pass module 2 and may resubmit), module 3 marked and waiting to be released, and module 4 under way:
apprentice8's first assignment has waited longer than 15 days for feedback (late), two more are in the queue.
Idempotent: assignments are got or created; an enrolment that already has submissions is left alone.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from assessments.models import AssessmentScheme, Assignment, Mark, Submission
from assessments.services import feedback_due_on
from core.uploads import storage_name
from demo.files import sample_pdf
from programmes.models import Enrolment, ModuleRun, Programme

FEEDBACK = {
    True: "A well-structured argument that draws on the module readings and your own organisation. To go further, "
    "weigh the counter-arguments more explicitly and tie the recommendations back to the evidence.",
    False: "The essay describes the situation well but does not yet analyse it: use the module's frameworks to "
    "explain why things happened, and support each recommendation with evidence. See the annotated copy.",
}

# apprentice number → {module order: (assignment 1, assignment 2)}; each is None (not submitted) or a tuple
# (mark or None if not yet marked, released?, resubmission mark or None). "R" rows are released.
R = True
PASSED_ALL = {order: ((60 + order, R, None), (58 + order * 2, R, None)) for order in range(1, 7)}
COHORT_2024 = {
    1: PASSED_ALL,
    2: {order: ((66, R, None), (71 - order, R, None)) for order in range(1, 7)},
    3: PASSED_ALL | {4: ((60, R, None), (42, R, 71))},  # resubmitted: 71 counts as 50; module mark 55
    4: dict.fromkeys((1, 2, 4, 5, 6), ((57, R, None), (62, R, None))),  # missed module 3 on a break
    5: dict.fromkeys(range(1, 6), ((64, R, None), (59, R, None))) | {6: ((63, R, None), None)},
    6: dict.fromkeys(range(1, 4), ((55, R, None), (52, R, None))) | {4: ((38, R, None), None)},
}
COHORT_2025 = {
    7: {
        1: ((68, R, None), (72, R, None)),
        2: ((61, R, None), (66, R, None)),
        3: ((70, False, None), (64, False, None)),
    },
    8: {
        1: ((58, R, None), (55, R, None)),
        2: ((63, R, None), (57, R, None)),
        3: ((59, False, None), (61, False, None)),
    },
    9: {
        1: ((52, R, None), (50, R, None)),
        2: ((52, R, None), (41, R, None)),
        3: ((55, False, None), (48, False, None)),
    },
    10: {
        1: ((74, R, None), (69, R, None)),
        2: ((67, R, None), (71, R, None)),
        3: ((62, False, None), (66, False, None)),
    },
}
# Module 4's first assignment, submitted this many days ago (relative to today, so the late one stays late).
COHORT_2025_MODULE_4 = {7: 4, 8: 20, 10: 3}


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _assignments(run: ModuleRun) -> list[Assignment]:
    AssessmentScheme.objects.get_or_create(module_run=run)
    campus_end = run.campus_dates[-1] if run.campus_dates else run.campus_start
    return [
        Assignment.objects.get_or_create(
            module_run=run,
            number=n,
            defaults={
                "title": f"{run.module.title}: {'critical analysis essay' if n == 1 else 'applied policy report'}",
                "due_on": campus_end + timedelta(weeks=weeks),
                "weight": 50,
            },
        )[0]
        for n, weeks in ((1, 2), (2, 6))
    ]


def _submit(enrolment: Enrolment, assignment: Assignment, on: date, attempt: int = 1) -> Submission:
    content = sample_pdf(
        assignment.title,
        [enrolment.apprentice.full_name, f"Assignment {assignment.number}, attempt {attempt}"],
    )
    safe = f"{assignment.module_run.module.title.split()[0].lower()}-assignment-{assignment.number}.pdf"
    name = default_storage.save(storage_name("submissions", safe), ContentFile(content))
    return Submission.objects.create(
        enrolment=enrolment,
        assignment=assignment,
        attempt=attempt,
        file=name,
        file_name=safe,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        submitted_by=enrolment.apprentice,
        submitted_at=_at(on),
        is_late=attempt == 1 and on > assignment.due_on,
        feedback_due_on=feedback_due_on(on),
    )


def _mark(submission: Submission, value: int, released: bool, lead) -> Mark:
    on = submission.submitted_at.date()
    mark = Mark(
        submission=submission,
        mark=value,
        feedback=FEEDBACK[value >= 50],
        marked_by=lead,
        marked_at=_at(on + timedelta(days=11), 15),
        released_at=_at(on + timedelta(days=13), 9) if released else None,
    )
    mark._change_reason = "Marked"  # type: ignore[attr-defined]
    mark.save()
    return mark


def seed_module_assessment(*, programme: Programme) -> int:
    """Create the demo's assessment rows; returns how many submissions were added (0 on a second run)."""
    today = timezone.localdate()
    runs = list(
        ModuleRun.objects.filter(cohort__programme=programme).select_related("module", "cohort", "lead")
    )
    assignments = {(run.cohort.name, run.module.order): _assignments(run) for run in runs}
    enrolments = {
        int(e.apprentice.email.removeprefix("apprentice").split("@")[0]): e
        for e in Enrolment.objects.filter(
            programme=programme, apprentice__email__startswith="apprentice"
        ).select_related("apprentice", "cohort")
    }
    created = 0
    for cohort_name, plan in (("2024 cohort", COHORT_2024), ("2025 cohort", COHORT_2025)):
        for n, modules in plan.items():
            enrolment = enrolments.get(n)
            if enrolment is None or enrolment.submissions.exists():
                continue
            for order, entries in modules.items():
                for assignment, entry in zip(assignments[cohort_name, order], entries, strict=True):
                    if entry is None:
                        continue
                    value, released, resubmitted = entry
                    lead = assignment.module_run.lead
                    first = _submit(enrolment, assignment, assignment.due_on - timedelta(days=1 + n % 3))
                    created += 1
                    if value is not None:
                        _mark(first, value, released, lead)
                    if resubmitted is not None:
                        again = _submit(
                            enrolment, assignment, assignment.due_on + timedelta(weeks=6), attempt=2
                        )
                        _mark(again, resubmitted, True, lead)
                        created += 1
            if cohort_name == "2025 cohort" and n in COHORT_2025_MODULE_4:
                assignment = assignments[cohort_name, 4][0]
                _submit(enrolment, assignment, today - timedelta(days=COHORT_2025_MODULE_4[n]))
                created += 1
    return created
