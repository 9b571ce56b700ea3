"""Submitting (deadline, late flag, cut-off, one resubmission) and marking (lead only, release, audited changes)."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import OutboxEmail
from assessments import services, tasks
from assessments.models import FeedbackDigestSent, Mark
from core.errors import ActionNotAllowed, ConflictError, DomainError
from tests.assessments.helpers import assignment, mark, release, set_up_run, submit

ON_TIME = "2025-11-10 12:00"
LATE = "2025-11-20 12:00"
AFTER_CUTOFF = "2025-11-25 12:00"


@pytest.fixture(autouse=True)
def outbox(settings):
    settings.EMAIL_BACKEND = "accounts.mail.OutboxEmailBackend"


def test_a_submission_on_time_is_not_late_and_feedback_is_due_fifteen_days_later(world):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        submission = submit(world)

    assert not submission.is_late
    assert submission.feedback_due_on == date(2025, 11, 25)
    assert submission.file_name == "essay.pdf" and submission.content_type == "application/pdf"
    assert not submission.file.name.endswith("essay.pdf")  # stored under a generated name


def test_a_late_submission_is_accepted_and_flagged_when_late_work_is_allowed(world):
    set_up_run(world)
    with time_machine.travel(AFTER_CUTOFF, tick=False):
        submission = submit(world)

    assert submission.is_late


def test_under_the_cut_off_policy_late_work_before_the_cut_off_is_accepted_and_flagged(world):
    set_up_run(world, late_policy="block_after_cutoff", cutoffs=(date(2025, 11, 21), date(2025, 12, 19)))
    with time_machine.travel(LATE, tick=False):
        assert submit(world).is_late


def test_the_cut_off_policy_refuses_work_after_the_cut_off_date(world):
    set_up_run(world, late_policy="block_after_cutoff", cutoffs=(date(2025, 11, 21), date(2025, 12, 19)))
    with time_machine.travel(AFTER_CUTOFF, tick=False), pytest.raises(DomainError, match="cut-off for late"):
        submit(world, 1)


def test_the_cut_off_policy_needs_a_cut_off_date(world):
    with pytest.raises(DomainError, match="Set a cut-off date for assignment 1"):
        set_up_run(world, late_policy="block_after_cutoff")


def test_the_weights_must_add_up_to_a_hundred(world):
    with pytest.raises(DomainError, match="add up to 100"):
        set_up_run(world, weights=(50, 40))


def test_only_a_director_of_the_programme_sets_up_a_module_run(world, cast):
    run = world.module_run
    fields = services.module_run_suggestion(cohort=world.cohort, module=run.module)
    for outsider in (cast.module_lead, cast.other_director, cast.apprentice):
        with pytest.raises(ActionNotAllowed):
            services.module_run_save(cohort=world.cohort, module=run.module, by=outsider, fields=fields)


def test_suggested_dates_follow_the_term_and_the_cohort_start(world):
    module = world.module_run.module  # year 1, autumn
    suggestion = services.module_run_suggestion(cohort=world.cohort, module=module)

    assert suggestion.online_start == date(2025, 9, 22)  # the Monday of week 1 (cohort starts 15 September)
    assert suggestion.campus_start == date(2025, 11, 3)  # after six online weeks
    assert [a.weight for a in suggestion.assignments] == [50, 50]
    assert suggestion.assignments[0].due_on == date(2025, 11, 18)  # two weeks after the campus days


def test_only_the_apprentice_submits_and_only_files_of_an_accepted_type(world, cast):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        with pytest.raises(ActionNotAllowed):
            submit(world, by=cast.line_manager)
        with pytest.raises(DomainError, match="not a file type we accept"):
            services.submission_create(
                enrolment=world.enrolment,
                assignment=assignment(world, 1),
                by=cast.apprentice,
                upload=SimpleUploadedFile("essay.pdf", b"MZ\x90\x00 not a pdf"),
            )


def test_an_assignment_is_submitted_once_until_it_is_marked(world):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        submit(world)
        with pytest.raises(ConflictError, match="wait for your mark"):
            submit(world)


def test_a_passed_assignment_cannot_be_resubmitted_and_a_failed_one_only_once(world):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        mark(world, submit(world, 1), 62)
        mark(world, submit(world, 2), 35)
        release(world)
        with pytest.raises(ConflictError, match="only a failed assignment"):
            submit(world, 1)
        second = submit(world, 2)
        mark(world, second, 40)
        release(world)
        with pytest.raises(ConflictError, match="already been resubmitted"):
            submit(world, 2)

    assert second.attempt == 2


def test_only_the_module_lead_of_the_run_marks_and_marks_are_0_to_100(world, cast):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        submission = submit(world)
    for other in (cast.director, cast.tutor, cast.admin):
        with pytest.raises(ActionNotAllowed):
            services.submission_mark(submission=submission, by=other, mark=60, feedback="Good.")
    for bad in (-1, 101):
        with pytest.raises(DomainError, match="0 to 100"):
            mark(world, submission, bad)
    with pytest.raises(DomainError, match="Write the feedback"):
        services.submission_mark(submission=submission, by=cast.module_lead, mark=60, feedback="  ")


def test_release_makes_every_recorded_mark_of_the_run_visible_and_emails_the_apprentice(
    world, cast, django_capture_on_commit_callbacks
):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        submission = submit(world)
        mark(world, submission, 64)
        with pytest.raises(ActionNotAllowed):
            services.module_run_release_marks(module_run=world.module_run, by=cast.director)

        with django_capture_on_commit_callbacks(execute=True):
            assert release(world) == 1
        with pytest.raises(ConflictError, match="no recorded marks"):
            release(world)

    assert Mark.objects.get().is_released
    email = OutboxEmail.objects.get(to=cast.apprentice.email)
    assert "Leadership" in email.subject and "What to do next" in email.body and "/modules/" in email.body


def test_changing_a_released_mark_needs_a_reason_is_audited_and_tells_the_apprentice(
    world, cast, django_capture_on_commit_callbacks
):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        submission = submit(world)
        mark(world, submission, 48)
        mark(world, submission, 52)  # before release: no reason needed
        release(world)
        OutboxEmail.objects.all().delete()
        with pytest.raises(DomainError, match="say why"):
            mark(world, submission, 58)

        with django_capture_on_commit_callbacks(execute=True):
            mark(world, submission, 58, reason="Second marker moderated the essay upwards.")

    row = Mark.objects.get()
    assert row.mark == 58
    history = list(
        row.history.order_by("history_date", "history_id").values_list("mark", "history_change_reason")
    )
    assert history[0] == (48, "Marked")
    assert history[-1] == (58, "Second marker moderated the essay upwards.")
    email = OutboxEmail.objects.get(to=cast.apprentice.email)
    assert "has changed" in email.subject
    assert "from 52 to 58" in email.body and "Second marker moderated" in email.body


def test_the_marking_queue_is_ordered_by_feedback_due_date_and_skips_marked_work(world, cast):
    from assessments import selectors
    from tests.factories import EnrolmentFactory

    set_up_run(world)
    classmate = EnrolmentFactory(cohort=world.cohort)
    with time_machine.travel("2025-11-12 09:00", tick=False):
        later = submit(world, 1)
    with time_machine.travel("2025-11-05 09:00", tick=False):
        earlier = submit(world, 1, enrolment=classmate, by=classmate.apprentice)
    with time_machine.travel("2025-11-13 09:00", tick=False):
        marked = submit(world, 2)
        mark(world, marked, 70)

    queue = list(selectors.marking_queue(cast.module_lead))

    assert queue == [earlier, later]
    assert [s.feedback_due_on for s in queue] == [date(2025, 11, 20), date(2025, 11, 27)]
    assert list(selectors.marking_queue(cast.director)) == []


def test_the_daily_digest_tells_the_lead_and_director_about_late_feedback_once_a_day(world, cast):
    set_up_run(world)
    with time_machine.travel(ON_TIME, tick=False):
        submit(world)  # feedback due 25 November
    with time_machine.travel("2025-11-25 08:00", tick=False):
        assert tasks.send_late_feedback_digest() == 0  # due today: not late yet

    with time_machine.travel("2025-11-27 08:00", tick=False):
        assert tasks.send_late_feedback_digest() == 2
        assert tasks.send_late_feedback_digest() == 0  # a second run the same day sends nothing

    lead_email = OutboxEmail.objects.get(to=cast.module_lead.email)
    director_email = OutboxEmail.objects.get(to=cast.director.email)
    assert "feedback on 1 assignment is late" in lead_email.subject
    assert "Ada Apprentice" in lead_email.body and "/marking/" in lead_email.body
    assert "What to do next" in director_email.body and "/modules/marking/" in director_email.body
    assert FeedbackDigestSent.objects.count() == 2
