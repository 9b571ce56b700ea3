"""The end-point assessment: assigning the assessor, the SBP, notice for the presentation, grades and release."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import Organisation
from assessments.epa import services as epa_services
from assessments.epa.models import EPAEvent, EPAMethodResult
from core.errors import ActionNotAllowed, ConflictError, DomainError
from tests.assessments.epa.epa_helpers import NOW, grade, into_epa, pdf_upload, submit_sbp
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def in_epa(world, cast):
    into_epa(world, cast)
    return world.enrolment


def test_the_director_assigns_an_independent_assessor(world, cast, in_epa):
    other = UserFactory(full_name="Ian Independent", organisation=cast.assessor.organisation)

    record = epa_services.epa_assign_assessor(enrolment=in_epa, by=cast.director, assessor=other)

    assert record.assessor == other and record.assigned_at is not None


@pytest.mark.parametrize("who", ["tutor", "line_manager", "practice_tutor_of_provider"])
def test_the_assessor_must_work_for_an_assessment_organisation(world, cast, in_epa, who):
    person = cast.tutor if who != "line_manager" else cast.line_manager
    with pytest.raises(DomainError, match="independent"):
        epa_services.epa_assign_assessor(enrolment=in_epa, by=cast.director, assessor=person)


def test_only_a_director_assigns_the_assessor(world, cast, in_epa):
    with pytest.raises(ActionNotAllowed):
        epa_services.epa_assign_assessor(enrolment=in_epa, by=cast.tutor, assessor=cast.assessor)


def test_the_sbp_must_be_4000_words_plus_or_minus_ten_percent_with_senior_signoff(world, cast, in_epa):
    for words in (3599, 4401):
        with pytest.raises(DomainError, match="4,000 words ±10%"):
            epa_services.sbp_submit(
                enrolment=in_epa,
                by=cast.apprentice,
                upload=pdf_upload(),
                word_count=words,
                senior_signoff="CEO",
            )
    with pytest.raises(DomainError, match="senior leader"):
        epa_services.sbp_submit(
            enrolment=in_epa, by=cast.apprentice, upload=pdf_upload(), word_count=4000, senior_signoff=" "
        )
    for words in (3600, 4400):
        submission = epa_services.sbp_submit(
            enrolment=in_epa, by=cast.apprentice, upload=pdf_upload(), word_count=words, senior_signoff="CEO"
        )
        assert not submission.is_late


def test_an_sbp_after_the_12_week_due_date_is_flagged_late(world, cast, in_epa):
    with time_machine.travel(datetime(2026, 6, 3, 9, tzinfo=UTC), tick=False):  # due 2 June
        submission = submit_sbp(world, cast)
    assert submission.is_late


def test_only_the_apprentice_submits_the_sbp_and_only_a_pdf(world, cast, in_epa):
    with pytest.raises(ActionNotAllowed):
        epa_services.sbp_submit(
            enrolment=in_epa, by=cast.line_manager, upload=pdf_upload(), word_count=4000, senior_signoff="CEO"
        )
    png = pdf_upload("p.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    with pytest.raises(DomainError, match="as a PDF"):
        epa_services.sbp_submit(
            enrolment=in_epa, by=cast.apprentice, upload=png, word_count=4000, senior_signoff="CEO"
        )


@pytest.mark.parametrize(("days", "allowed"), [(27, False), (28, True), (60, True)])
def test_the_presentation_needs_at_least_four_weeks_notice(world, cast, in_epa, days, allowed):
    when = NOW + timedelta(days=days)
    schedule = lambda: epa_services.epa_event_schedule(  # noqa: E731
        enrolment=in_epa, by=cast.assessor, kind="presentation", scheduled_at=when
    )
    if allowed:
        assert schedule().scheduled_at == when
    else:
        with pytest.raises(DomainError, match="at least 4 weeks' notice: the earliest day is 7 April 2026"):
            schedule()
        assert not EPAEvent.objects.exists()


def test_the_discussion_needs_no_four_week_notice_but_must_be_in_the_future(world, cast, in_epa):
    event = epa_services.epa_event_schedule(
        enrolment=in_epa, by=cast.assessor, kind="discussion", scheduled_at=NOW + timedelta(days=7)
    )
    assert event.kind == "discussion"
    with pytest.raises(DomainError, match="future"):
        epa_services.epa_event_schedule(
            enrolment=in_epa, by=cast.assessor, kind="discussion", scheduled_at=NOW - timedelta(days=1)
        )


def test_the_presentation_cannot_be_graded_before_the_sbp_is_submitted(world, cast, in_epa):
    with pytest.raises(ConflictError, match="not submitted the strategic business proposal"):
        grade(world, cast, "sbp_presentation", "pass")


@pytest.mark.parametrize("member", ["director", "tutor", "line_manager", "apprentice"])
def test_only_the_assessor_records_grades(world, cast, in_epa, member):
    with pytest.raises(ActionNotAllowed):
        epa_services.epa_record_result(
            enrolment=in_epa,
            by=getattr(cast, member),
            method="professional_discussion",
            grade="pass",
            comments="x",
        )


def test_grades_are_hidden_until_released_to_everyone_at_once(
    world, cast, in_epa, django_capture_on_commit_callbacks
):
    submit_sbp(world, cast)
    grade(world, cast, "sbp_presentation", "distinction")
    grade(world, cast, "professional_discussion", "distinction")
    for member in ("apprentice", "line_manager", "director"):
        assert epa_services.visible_results(in_epa, getattr(cast, member)) == []
    assert len(epa_services.visible_results(in_epa, cast.assessor)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert epa_services.epa_release_results(enrolment=in_epa, by=cast.assessor) == 2

    released_at = {r.released_at for r in EPAMethodResult.objects.all()}
    assert len(released_at) == 1  # the same moment
    for member in ("apprentice", "line_manager", "director"):
        assert len(epa_services.visible_results(in_epa, getattr(cast, member))) == 2
    assert epa_services.released_grading(in_epa).overall == "distinction"
    (email,) = mail.outbox
    assert set(email.to) == {cast.apprentice.email, cast.line_manager.email, cast.director.email}
    assert "Overall grade: Distinction" in email.body
    with pytest.raises(ConflictError, match="no new grades"):
        epa_services.epa_release_results(enrolment=in_epa, by=cast.assessor)


def test_a_failed_method_is_retaken_with_employer_agreement_and_capped_at_pass(world, cast, in_epa):
    submit_sbp(world, cast)
    grade(world, cast, "sbp_presentation", "fail")
    grade(world, cast, "professional_discussion", "distinction")
    with pytest.raises(ConflictError, match="Only a failed method"):
        grade(world, cast, "professional_discussion", "pass", kind="resit", agreement="Agreed by HR.")
    with pytest.raises(DomainError, match="employer's agreement"):
        grade(world, cast, "sbp_presentation", "distinction", kind="retake")

    retake = grade(
        world, cast, "sbp_presentation", "distinction", kind="retake", agreement="Helen Morris, 1 March"
    )
    epa_services.epa_release_results(enrolment=in_epa, by=cast.assessor)

    assert (retake.attempt, retake.counted_grade) == (2, "pass")
    grading = epa_services.released_grading(in_epa)
    assert grading.methods["sbp_presentation"].counted == "pass"
    assert grading.overall == "pass"


def test_grades_cannot_be_recorded_before_the_epa(world, cast):
    with pytest.raises(ConflictError, match="not passed gateway"):
        epa_services.epa_record_result(
            enrolment=world.enrolment,
            by=cast.assessor,
            method="professional_discussion",
            grade="pass",
            comments="x",
        )


def test_an_assessment_date_in_the_future_is_refused(world, cast, in_epa):
    with pytest.raises(DomainError, match="future"):
        epa_services.epa_record_result(
            enrolment=in_epa,
            by=cast.assessor,
            method="professional_discussion",
            grade="pass",
            comments="x",
            assessed_on=date(2026, 3, 11),
        )


def test_assessor_candidates_are_people_at_an_assessment_organisation(world, cast):
    candidates = list(epa_services.assessor_candidates())
    assert cast.assessor in candidates
    assert all(c.organisation.kind == Organisation.Kind.EPAO for c in candidates)
