"""Pages for module assessment: timetable and results, submitting, marking, release, and the marking overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.models import User
from assessments import selectors, services
from assessments.forms import MarkForm, ModuleRunForm, SubmissionForm
from assessments.models import AssessmentScheme, Assignment, Submission
from core import ics
from core.errors import DomainError
from core.uploads import download_response
from core.views import add_domain_error, paginate, render_form
from programmes import access
from programmes.models import Cohort, Module, ModuleRun

TIMETABLE_PRODID = "-//Tripartite//Apprenticeship timetable//EN"


def _submission(request, pk: int) -> Submission:
    return selectors.submission_detail(request.user, pk)


def _module_run(request, pk: int) -> ModuleRun:
    return selectors.visible_module_run(request.user, pk)


@login_required
def enrolment_modules(request, pk: int):
    """The apprentice's timetable (online weeks, campus days, deadlines) with each module's result."""
    enrolment = access.enrolment_for(request.user, pk)
    results = selectors.module_results(enrolment)
    for result in results:
        for row in result.assignments:
            for submission in row.submissions:
                submission.visible_mark = selectors.mark_visible_to(request.user, submission)
    return render(
        request,
        "assessments/enrolment_modules.html",
        {
            "enrolment": enrolment,
            "results": results,
            "passed": sum(r.passed for r in results),
            "can_submit": access.can_submit_assignment(request.user, enrolment),
            "today": timezone.localdate(),
        },
    )


@login_required
def enrolment_timetable_ics(request, pk: int):
    enrolment = access.enrolment_for(request.user, pk)
    events = selectors.timetable_events(selectors.cohort_module_runs([enrolment.cohort_id]))
    body = ics.calendar(
        events,
        prodid=TIMETABLE_PRODID,
        now=timezone.now(),
        name=f"{enrolment.programme.name} — {enrolment.cohort.name}",
    )
    return ics.download(body, f"timetable-{enrolment.cohort.name}")


@login_required
def assignment_submit(request, pk: int, assignment_id: int):
    enrolment = access.enrolment_for(request.user, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("module_run__module", "module_run__scheme"),
        pk=assignment_id,
        module_run__cohort_id=enrolment.cohort_id,
    )
    if not access.can_submit_assignment(request.user, enrolment):
        raise PermissionDenied("Only the apprentice submits their assignments.")
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_create(
                enrolment=enrolment, assignment=assignment, by=request.user, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            late = " It was after the deadline, so it is flagged as late." if submission.is_late else ""
            messages.success(
                request,
                f"Submitted.{late} Feedback is due by {submission.feedback_due_on:%-d %B %Y}.",
            )
            return redirect("submission_detail", pk=submission.pk)
    return render(
        request,
        "assessments/assignment_submit.html",
        {
            "form": form,
            "enrolment": enrolment,
            "assignment": assignment,
            "blocker": services.submission_blocker(enrolment=enrolment, assignment=assignment),
            "is_late": timezone.localdate() > assignment.due_on,
        },
        status=400 if form.errors else 200,
    )


@login_required
def submission_detail(request, pk: int):
    submission = _submission(request, pk)
    run = submission.assignment.module_run
    return render(
        request,
        "assessments/submission_detail.html",
        {
            "submission": submission,
            "enrolment": submission.enrolment,
            "run": run,
            "mark": selectors.mark_visible_to(request.user, submission),
            "can_mark": access.can_mark_submission(request.user, run),
            "pass_mark": services.pass_mark_of(run),
        },
    )


@login_required
def submission_file(request, pk: int):
    submission = _submission(request, pk)
    return download_response(
        submission.file, filename=submission.file_name, content_type=submission.content_type
    )


@login_required
def submission_annotated_file(request, pk: int):
    submission = _submission(request, pk)
    mark = selectors.mark_visible_to(request.user, submission)
    if mark is None or not mark.annotated_file:
        raise Http404("No annotated copy.")
    return download_response(
        mark.annotated_file, filename=mark.annotated_file_name, content_type=mark.annotated_content_type
    )


@login_required
def submission_mark(request, pk: int):
    submission = _submission(request, pk)
    run = submission.assignment.module_run
    if not access.can_mark_submission(request.user, run):
        raise PermissionDenied("Only the module lead for this module marks its assignments.")
    existing = selectors.mark_visible_to(request.user, submission)
    released = bool(existing and existing.is_released)
    initial = {"mark": existing.mark, "feedback": existing.feedback} if existing else {}
    form = MarkForm(request.POST or None, request.FILES or None, released=released, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_mark(
                submission=submission,
                by=request.user,
                mark=form.cleaned_data["mark"],
                feedback=form.cleaned_data["feedback"],
                annotated_file=form.cleaned_data.get("annotated_file"),
                reason=form.cleaned_data.get("reason", ""),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            if released:
                messages.success(request, "Mark changed; the apprentice has been told why.")
            else:
                messages.success(request, "Mark recorded. Release the module's marks when all are marked.")
            return redirect("marking_queue")
    return render(
        request,
        "assessments/submission_mark.html",
        {
            "form": form,
            "submission": submission,
            "run": run,
            "released": released,
            "pass_mark": services.pass_mark_of(run),
        },
        status=400 if form.errors else 200,
    )


@login_required
def marking_queue(request):
    if not ModuleRun.objects.filter(lead=request.user).exists():
        raise PermissionDenied("The marking queue is for module leads.")
    queue = selectors.marking_queue(request.user)
    return render(
        request, "assessments/marking_queue.html", {**paginate(request, queue), "today": timezone.localdate()}
    )


@login_required
def marking_overview(request):
    runs = access.module_runs_overseen_by(request.user)
    if not (request.user.is_superuser or access.directed_programmes(request.user).exists() or runs.exists()):
        raise PermissionDenied("The marking overview is for programme directors and module leads.")
    late = selectors.late_feedback(runs)
    return render(
        request,
        "assessments/marking_overview.html",
        {
            **paginate(request, selectors.marking_overview(request.user)),
            "late": list(late[:50]),  # evaluated here, so the page runs the same queries with or without any
            "late_count": late.count(),
            "today": timezone.localdate(),
        },
    )


@login_required
def module_run_detail(request, pk: int):
    run = _module_run(request, pk)
    rows = selectors.module_run_rows(request.user, run)
    sees_marks = access.can_see_unreleased_marks(request.user, run)
    return render(
        request,
        "assessments/module_run_detail.html",
        {
            "run": run,
            "assignments": list(run.assignments.all()),
            "rows": rows,
            "sees_marks": sees_marks,
            "can_mark": access.can_mark_submission(request.user, run),
            "can_manage": access.can_manage_module_runs(request.user, run.cohort),
            "pass_mark": services.pass_mark_of(run),
            "late_policy": services.late_policy_of(run),
        },
    )


@login_required
def module_run_release(request, pk: int):
    run = _module_run(request, pk)
    if not access.can_mark_submission(request.user, run):
        raise PermissionDenied("Only the module lead releases this module's marks.")
    if request.method == "POST":
        try:
            count = services.module_run_release_marks(module_run=run, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"{count} mark{'s' if count != 1 else ''} released; apprentices are told."
            )
        return redirect("module_run_detail", pk=run.pk)
    from assessments.models import Mark

    waiting = Mark.objects.filter(submission__assignment__module_run=run, released_at__isnull=True).count()
    unmarked = Submission.objects.filter(assignment__module_run=run, mark__isnull=True).count()
    return render(
        request, "assessments/module_run_release.html", {"run": run, "waiting": waiting, "unmarked": unmarked}
    )


@login_required
def module_run_setup(request, pk: int, module_id: int):
    """Set up (or change) a cohort's run of a module; dates are suggested from the module and the cohort start."""
    own = access.enrolments_visible_to(request.user).values("cohort_id")
    cohort = get_object_or_404(
        Cohort.objects.filter(
            Q(pk__in=access.cohorts_visible_to(request.user).values("pk")) | Q(pk__in=own)
        ).select_related("programme"),
        pk=pk,
    )
    module = get_object_or_404(Module, pk=module_id, programme_id=cohort.programme_id)
    if not access.can_manage_module_runs(request.user, cohort):
        raise PermissionDenied("Only a director of this programme sets up its module runs.")
    run = (
        ModuleRun.objects.filter(cohort=cohort, module=module)
        .select_related("lead", "scheme")
        .prefetch_related("assignments")
        .first()
    )
    form = ModuleRunForm(
        request.POST or None,
        leads=User.objects.filter(organisation_id=cohort.programme.provider_id, is_active=True).order_by(
            "full_name"
        ),
        initial=_initial(cohort, module, run),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = services.ModuleRunFields(
            online_start=data["online_start"],
            campus_start=data["campus_start"],
            lead=data["lead"],
            pass_mark=data["pass_mark"],
            late_policy=data["late_policy"],
            assignments=[
                services.AssignmentFields(
                    number=n,
                    title=data[f"title_{n}"],
                    due_on=data[f"due_on_{n}"],
                    weight=data[f"weight_{n}"],
                    cutoff_on=data[f"cutoff_on_{n}"],
                )
                for n in (1, 2)
            ],
        )
        try:
            saved = services.module_run_save(cohort=cohort, module=module, by=request.user, fields=fields)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"{module.title} is set up for the {cohort.name}.")
            return redirect("module_run_detail", pk=saved.pk)
    return render_form(
        request,
        "assessments/module_run_form.html",
        {"form": form, "cohort": cohort, "module": module, "run": run},
    )


def _initial(cohort: Cohort, module: Module, run: ModuleRun | None) -> dict:
    suggestion = services.module_run_suggestion(cohort=cohort, module=module)
    initial: dict = {
        "online_start": suggestion.online_start,
        "campus_start": suggestion.campus_start,
        "pass_mark": AssessmentScheme.DEFAULT_PASS_MARK,
        "late_policy": AssessmentScheme.LatePolicy.ALLOW_FLAG,
    }
    for a in suggestion.assignments:
        initial |= {
            f"title_{a.number}": a.title,
            f"due_on_{a.number}": a.due_on,
            f"weight_{a.number}": a.weight,
        }
    if run is not None:
        initial |= {
            "online_start": run.online_start,
            "campus_start": run.campus_start,
            "lead": run.lead,
            "pass_mark": services.pass_mark_of(run),
            "late_policy": services.late_policy_of(run),
        }
        for a in run.assignments.all():
            initial |= {
                f"title_{a.number}": a.title,
                f"due_on_{a.number}": a.due_on,
                f"weight_{a.number}": a.weight,
                f"cutoff_on_{a.number}": a.cutoff_on,
            }
    return initial
