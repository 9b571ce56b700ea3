"""Module assessment: set up a cohort's module run, submit an assignment, mark it, release a run's marks.

Every write is one function here; pages, the API, tasks and the demo loader call them. The rules:

1. A module run has two assignments whose weights add up to 100, and a pass mark (defaults 50/50 and 50).
2. A first attempt after the deadline is accepted and flagged late; under the cut-off policy none is accepted
   after the assignment's cut-off date.
3. Feedback is due ``ASSIGNMENT_FEEDBACK_DAYS`` (15) days after submission.
4. An assignment whose released mark is below the pass mark may be resubmitted once; the resubmission's mark
   counts at most the pass mark (``effective_mark``).
5. Marks are recorded by the run's module lead and released for the whole run at once; changing a released mark
   needs a reason (kept in the mark's history) and tells the apprentice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from assessments.models import AssessmentScheme, Assignment, Mark, Submission
from core.errors import ActionNotAllowed, ConflictError, DomainError
from core.uploads import storage_name, validate_upload
from programmes import access
from programmes.models import Cohort, Enrolment, Module, ModuleRun

# The week of the cohort at which each term's module begins its online weeks; year 2 is 52 weeks later.
TERM_START_WEEK: dict[str, int] = {Module.Term.AUTUMN: 1, Module.Term.SPRING: 17, Module.Term.SUMMER: 31}
# Suggested deadlines: the first assignment two weeks after the campus days, the second six weeks after.
SUGGESTED_DEADLINE_WEEKS = {1: 2, 2: 6}
DEFAULT_WEIGHTS = {1: 50, 2: 50}


def feedback_due_on(submitted_on: date) -> date:
    """The day feedback is due: the submission date plus the feedback window (a setting, 15 days)."""
    return submitted_on + timedelta(days=settings.ASSIGNMENT_FEEDBACK_DAYS)


def effective_mark(*, mark: int, attempt: int, pass_mark: int) -> int:
    """The mark that counts: a resubmission is capped at the pass mark."""
    return min(mark, pass_mark) if attempt > 1 else mark


def pass_mark_of(module_run: ModuleRun) -> int:
    return module_run.scheme.pass_mark if _has_scheme(module_run) else AssessmentScheme.DEFAULT_PASS_MARK


def result_of(*, mark: int, module_run: ModuleRun) -> str:
    """A released mark's result: ``passed`` at or above the run's pass mark, else ``not_passed``."""
    return "passed" if mark >= pass_mark_of(module_run) else "not_passed"


def late_policy_of(module_run: ModuleRun) -> str:
    return (
        module_run.scheme.late_policy if _has_scheme(module_run) else AssessmentScheme.LatePolicy.ALLOW_FLAG
    )


def _has_scheme(module_run: ModuleRun) -> bool:
    try:
        module_run.scheme  # noqa: B018 - reading the reverse one-to-one is the check
    except AssessmentScheme.DoesNotExist:
        return False
    return True


# ---- setting up a module run ---------------------------------------------------------------------------------


@dataclass
class AssignmentFields:
    number: int
    title: str
    due_on: date
    weight: int = 50
    cutoff_on: date | None = None


@dataclass
class ModuleRunFields:
    online_start: date
    campus_start: date
    lead: User | None
    pass_mark: int = AssessmentScheme.DEFAULT_PASS_MARK
    late_policy: str = AssessmentScheme.LatePolicy.ALLOW_FLAG
    assignments: Sequence[AssignmentFields] = ()


def module_run_suggestion(*, cohort: Cohort, module: Module) -> ModuleRunFields:
    """Dates from the module template and the cohort's start: online weeks from the term's start week (a Monday),
    campus days straight after, deadlines two and six weeks after campus."""
    week = TERM_START_WEEK.get(module.term, 1) + 52 * (module.year - 1)
    start = cohort.start_date + timedelta(weeks=week)
    start -= timedelta(days=start.weekday())  # the Monday of that week
    campus = start + timedelta(weeks=module.weeks_online)
    campus_end = campus + timedelta(days=max(module.campus_days - 1, 0))
    return ModuleRunFields(
        online_start=start,
        campus_start=campus,
        lead=None,
        assignments=[
            AssignmentFields(
                number=n,
                title=f"{module.title}: written assignment {n}",
                due_on=campus_end + timedelta(weeks=weeks),
                weight=DEFAULT_WEIGHTS[n],
            )
            for n, weeks in SUGGESTED_DEADLINE_WEEKS.items()
        ],
    )


def _clean_run(fields: ModuleRunFields, module: Module) -> None:
    if fields.campus_start < fields.online_start + timedelta(weeks=module.weeks_online):
        raise DomainError(
            f"The campus days follow the {module.weeks_online} online weeks; start them on or after "
            f"{fields.online_start + timedelta(weeks=module.weeks_online):%d/%m/%Y}.",
            field="campus_start",
        )
    if not 1 <= fields.pass_mark <= 100:
        raise DomainError("The pass mark is a whole number from 1 to 100.", field="pass_mark")
    if fields.late_policy not in AssessmentScheme.LatePolicy.values:
        raise DomainError("Choose what happens to late submissions.", field="late_policy")
    if fields.lead is not None and not fields.lead.is_active:
        raise DomainError("Choose a module lead whose account is active.", field="lead")
    numbers = sorted(a.number for a in fields.assignments)
    if numbers != [1, 2]:
        raise DomainError("A module has two assignments, numbered 1 and 2.", field="assignments")
    if sum(a.weight for a in fields.assignments) != 100:
        raise DomainError("The two assignments' weights must add up to 100.", field="weight_2")
    for a in fields.assignments:
        a.title = a.title.strip()
        if not a.title:
            raise DomainError(f"Give assignment {a.number} a title.", field=f"title_{a.number}")
        if a.due_on < fields.online_start:
            raise DomainError(
                f"Assignment {a.number}'s deadline is before the module starts.", field=f"due_on_{a.number}"
            )
        if a.cutoff_on is not None and a.cutoff_on < a.due_on:
            raise DomainError(
                f"Assignment {a.number}'s cut-off date cannot be before its deadline.",
                field=f"cutoff_on_{a.number}",
            )
        if fields.late_policy == AssessmentScheme.LatePolicy.BLOCK_AFTER_CUTOFF and a.cutoff_on is None:
            raise DomainError(
                f"Set a cut-off date for assignment {a.number}, or accept late work flagged as late.",
                field=f"cutoff_on_{a.number}",
            )


@transaction.atomic
def module_run_save(*, cohort: Cohort, module: Module, by: User, fields: ModuleRunFields) -> ModuleRun:
    """Set up or change a cohort's run of a module: dates, lead, pass mark, late policy and assignments."""
    if not access.can_manage_module_runs(by, cohort):
        raise ActionNotAllowed("Only a director of this programme sets up its module runs.")
    if module.programme_id != cohort.programme_id:
        raise DomainError("That module belongs to another programme.", field="module")
    _clean_run(fields, module)
    run = ModuleRun.objects.select_for_update().filter(cohort=cohort, module=module).first()
    if run is None:
        run = ModuleRun(cohort=cohort, module=module)
    elif Mark.objects.filter(submission__assignment__module_run=run, released_at__isnull=False).exists():
        scheme_changed = pass_mark_of(run) != fields.pass_mark
        weights = dict(run.assignments.values_list("number", "weight"))
        if scheme_changed or any(weights.get(a.number, a.weight) != a.weight for a in fields.assignments):
            raise ConflictError(
                "Marks for this module have been released; its pass mark and weights can no longer change."
            )
    run.online_start, run.campus_start, run.lead = fields.online_start, fields.campus_start, fields.lead
    run.save()
    AssessmentScheme.objects.update_or_create(
        module_run=run, defaults={"pass_mark": fields.pass_mark, "late_policy": fields.late_policy}
    )
    for a in fields.assignments:
        Assignment.objects.update_or_create(
            module_run=run,
            number=a.number,
            defaults={"title": a.title, "due_on": a.due_on, "cutoff_on": a.cutoff_on, "weight": a.weight},
        )
    return run


# ---- submitting ----------------------------------------------------------------------------------------------


def _attempt_for(enrolment: Enrolment, assignment: Assignment) -> int:
    """Which attempt a new submission would be, or why there can be none."""
    previous = list(
        Submission.objects.filter(enrolment=enrolment, assignment=assignment)
        .select_related("mark")
        .order_by("attempt")
    )
    if not previous:
        return 1
    last = previous[-1]
    mark = last.mark if _has_mark(last) else None
    if last.attempt >= 2:
        raise ConflictError("This assignment has already been resubmitted; it cannot be submitted again.")
    if mark is None or not mark.is_released:
        raise ConflictError("You have submitted this assignment; wait for your mark and feedback.")
    if mark.mark >= pass_mark_of(assignment.module_run):
        raise ConflictError("You passed this assignment; only a failed assignment can be resubmitted.")
    return 2


def _has_mark(submission: Submission) -> bool:
    try:
        submission.mark  # noqa: B018 - reading the reverse one-to-one is the check
    except Mark.DoesNotExist:
        return False
    return True


def _check_can_submit(enrolment: Enrolment, assignment: Assignment, today: date) -> int:
    """The attempt a submission made today would be; a DomainError (or ConflictError) saying why there is none."""
    if enrolment.status != Enrolment.Status.ACTIVE:
        status = enrolment.get_status_display().lower()
        raise DomainError(f"Assignments can be submitted while the apprenticeship is active; it is {status}.")
    attempt = _attempt_for(enrolment, assignment)
    if (
        attempt == 1
        and late_policy_of(assignment.module_run) == AssessmentScheme.LatePolicy.BLOCK_AFTER_CUTOFF
        and assignment.cutoff_on is not None
        and today > assignment.cutoff_on
    ):
        raise DomainError(
            f"The cut-off for late submissions was {assignment.cutoff_on:%d/%m/%Y}; "
            "ask your module lead or programme director what to do."
        )
    return attempt


def submission_blocker(*, enrolment: Enrolment, assignment: Assignment, today: date | None = None) -> str:
    """Why this apprentice cannot submit this assignment now ('' when they can)."""
    try:
        _check_can_submit(enrolment, assignment, today or timezone.localdate())
    except DomainError as error:
        return error.message
    return ""


@transaction.atomic
def submission_create(
    *, enrolment: Enrolment, assignment: Assignment, by: User, upload: UploadedFile | None
) -> Submission:
    """Submit a file for an assignment (a first attempt, or the one resubmission of a failed assignment)."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not access.can_submit_assignment(by, enrolment):
        raise ActionNotAllowed("Only the apprentice submits their own assignments.")
    assignment = Assignment.objects.select_related("module_run__scheme", "module_run__module").get(
        pk=assignment.pk
    )
    if assignment.module_run.cohort_id != enrolment.cohort_id:
        raise DomainError("That assignment belongs to another cohort's module.", field="assignment")
    today = timezone.localdate()
    attempt = _check_can_submit(enrolment, assignment, today)
    meta = validate_upload(upload, field="file")
    assert upload is not None
    name = default_storage.save(storage_name("submissions", meta.safe_name), upload)
    try:
        with transaction.atomic():
            return Submission.objects.create(
                enrolment=enrolment,
                assignment=assignment,
                attempt=attempt,
                file=name,
                file_name=meta.safe_name,
                content_type=meta.content_type,
                size=meta.size,
                sha256=meta.sha256,
                submitted_by=by,
                submitted_at=timezone.now(),
                is_late=attempt == 1 and today > assignment.due_on,
                feedback_due_on=feedback_due_on(today),
            )
    except IntegrityError as error:
        default_storage.delete(name)
        raise ConflictError("This assignment has just been submitted.") from error


# ---- marking and release -------------------------------------------------------------------------------------


def _require_lead(by: User, module_run: ModuleRun) -> None:
    if not access.can_mark_submission(by, module_run):
        raise ActionNotAllowed("Only the module lead for this module marks its assignments.")


@transaction.atomic
def submission_mark(
    *,
    submission: Submission,
    by: User,
    mark: int,
    feedback: str,
    annotated_file: UploadedFile | None = None,
    reason: str = "",
) -> Mark:
    """Record (or change) the mark and feedback; a change to a released mark needs a reason and tells the apprentice."""
    submission = Submission.objects.select_related("assignment__module_run", "enrolment__apprentice").get(
        pk=submission.pk
    )
    run = submission.assignment.module_run
    _require_lead(by, run)
    if isinstance(mark, bool) or not isinstance(mark, int) or not 0 <= mark <= 100:
        raise DomainError("Give a whole-number mark from 0 to 100.", field="mark")
    feedback = feedback.strip()
    if not feedback:
        raise DomainError("Write the feedback the apprentice will read.", field="feedback")
    reason = reason.strip()
    annotated = validate_upload(annotated_file, field="annotated_file") if annotated_file else None
    existing = Mark.objects.select_for_update().filter(submission=submission).first()
    released_change = existing is not None and existing.is_released
    if released_change and not reason:
        raise DomainError(
            "This mark has been released; say why you are changing it (the apprentice is told).",
            field="reason",
        )
    previous_mark = existing.mark if existing is not None else None
    row = existing or Mark(submission=submission)
    row.mark, row.feedback, row.marked_by, row.marked_at = mark, feedback, by, timezone.now()
    if annotated is not None and annotated_file is not None:
        row.annotated_file = default_storage.save(storage_name("marked", annotated.safe_name), annotated_file)
        row.annotated_file_name = annotated.safe_name
        row.annotated_content_type = annotated.content_type
    row._change_reason = reason or ("Marked" if existing is None else "Mark changed before release")  # type: ignore[attr-defined]
    row.save()
    if released_change:
        from assessments import tasks

        pk = row.pk
        tasks.send_mark_changed.delay_on_commit(
            pk, previous_mark if previous_mark is not None else -1, reason
        )
    return row


@transaction.atomic
def module_run_release_marks(*, module_run: ModuleRun, by: User) -> int:
    """Release every recorded, unreleased mark of the run at once; each apprentice is told their results are out."""
    run = ModuleRun.objects.select_for_update().get(pk=module_run.pk)
    _require_lead(by, run)
    waiting = Mark.objects.filter(submission__assignment__module_run=run, released_at__isnull=True)
    ids = list(waiting.values_list("pk", flat=True))
    if not ids:
        raise ConflictError("There are no recorded marks waiting to be released for this module.")
    now = timezone.now()
    for row in Mark.objects.filter(pk__in=ids):  # one by one so each release is kept in the mark's history
        row.released_at = now
        row._change_reason = "Released"  # type: ignore[attr-defined]
        row.save(update_fields=["released_at"])
    from assessments import tasks

    tasks.send_marks_released.delay_on_commit(ids)
    return len(ids)
