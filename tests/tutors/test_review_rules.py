"""Progress reviews (tutors.services): schedule, record, submit, sign by all three, decline, addenda."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from core.errors import ActionNotAllowed, ConflictError, DomainError
from core.signatures.services import canonical_hash
from tests.tutors.helpers import complete_fields, sign_as, signed_review, submitted_review
from tutors import services
from tutors.models import ProgressReview, ReviewAction, ReviewSignature
from tutors.signing import ReviewDocument

TODAY = date(2026, 1, 12)
HELD = date(2026, 1, 9)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(datetime(2026, 1, 12, 10, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def test_the_tutor_schedules_a_review_with_a_place_or_a_video_link(world, cast):
    review = services.review_schedule(
        enrolment=world.enrolment,
        by=cast.tutor,
        scheduled_for=datetime(2026, 2, 3, 10, 0, tzinfo=UTC),
        video_link="https://meet.example.test/review",
    )

    assert review.status == ProgressReview.Status.DRAFT
    assert review.number == 1
    assert review.invite_sequence == 1
    with pytest.raises(DomainError, match="place to meet or a video link"):
        services.review_schedule(
            enrolment=world.enrolment, by=cast.tutor, scheduled_for=datetime(2026, 2, 3, 10, 0, tzinfo=UTC)
        )
    with pytest.raises(DomainError, match="in the future"):
        services.review_schedule(
            enrolment=world.enrolment,
            by=cast.tutor,
            scheduled_for=datetime(2026, 1, 1, 10, 0, tzinfo=UTC),
            location="Room 1",
        )


def test_moving_the_meeting_keeps_one_review_and_raises_the_invitation_sequence(world, cast):
    when = datetime(2026, 2, 3, 10, 0, tzinfo=UTC)
    first = services.review_schedule(
        enrolment=world.enrolment, by=cast.tutor, scheduled_for=when, location="Room 1"
    )
    moved = services.review_schedule(
        enrolment=world.enrolment, by=cast.tutor, scheduled_for=when + timedelta(days=1), location="Room 2"
    )

    assert moved.pk == first.pk
    assert moved.invite_sequence == 2
    assert ProgressReview.objects.count() == 1


@pytest.mark.parametrize("who", ["apprentice", "line_manager", "director", "other_tutor", "admin"])
def test_only_the_practice_tutor_schedules_and_records(world, cast, who):
    with pytest.raises(ActionNotAllowed):
        services.review_schedule(
            enrolment=world.enrolment,
            by=getattr(cast, who),
            scheduled_for=datetime(2026, 2, 3, 10, 0, tzinfo=UTC),
            location="Room 1",
        )
    with pytest.raises(ActionNotAllowed):
        services.review_save_draft(
            enrolment=world.enrolment,
            by=getattr(cast, who),
            values=complete_fields(world.enrolment, held_on=HELD),
        )


def test_a_draft_keeps_every_section_and_can_be_saved_again(world, cast):
    values = complete_fields(
        world.enrolment, held_on=HELD, safeguarding_concern="Disclosed a concern at home."
    )
    review = services.review_save_draft(enrolment=world.enrolment, by=cast.tutor, values=values)
    values.progress = "Changed my mind about the wording."
    again = services.review_save_draft(enrolment=world.enrolment, by=cast.tutor, values=values)

    assert again.pk == review.pk
    again.refresh_from_db()
    assert again.progress == "Changed my mind about the wording."
    assert again.safeguarding_concern == "Disclosed a concern at home."
    assert again.ratings.get().rating == "developing"
    assert again.actions.get().owner == "apprentice"
    assert again.content is None and again.content_hash == ""


def test_a_review_cannot_be_recorded_before_it_is_held(world, cast):
    with pytest.raises(DomainError, match="before it is held"):
        services.review_save_draft(
            enrolment=world.enrolment,
            by=cast.tutor,
            values=complete_fields(world.enrolment, held_on=TODAY + timedelta(days=1)),
        )


def test_actions_need_an_owner_and_a_due_date_after_the_review(world, cast):
    bad = complete_fields(world.enrolment, held_on=HELD)
    bad.actions = [services.ActionInput("Do it", "apprentice", HELD)]
    with pytest.raises(DomainError, match="after the review"):
        services.review_save_draft(enrolment=world.enrolment, by=cast.tutor, values=bad)
    bad.actions = [services.ActionInput("Do it", "director", HELD + timedelta(days=5))]
    with pytest.raises(DomainError, match="owner"):
        services.review_save_draft(enrolment=world.enrolment, by=cast.tutor, values=bad)


def test_ratings_are_for_the_standards_ksbs_only(world, cast):
    from tests.factories import KSBFactory, StandardFactory

    foreign = KSBFactory(standard=StandardFactory(code="ST9999", version="1.0"))
    bad = complete_fields(world.enrolment, held_on=HELD)
    bad.ratings = [services.RatingInput(foreign.pk, "competent")]

    with pytest.raises(DomainError, match="KSBs of the apprentice's standard"):
        services.review_save_draft(enrolment=world.enrolment, by=cast.tutor, values=bad)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": None}, "date the review was held"),
        ({"training_since": ""}, "training"),
        ({"progress": ""}, "progress"),
        ({"next_review_on": None}, "next review"),
        ({"actions": []}, "SMART action"),
    ],
)
def test_submitting_needs_every_required_section(world, cast, change, message):
    values = complete_fields(world.enrolment, held_on=HELD)
    for name, value in change.items():
        setattr(values, name, value)
    review = services.review_save_draft(enrolment=world.enrolment, by=cast.tutor, values=values)

    with pytest.raises(DomainError, match=message):
        services.review_submit(review=review, by=cast.tutor)
    review.refresh_from_db()
    assert review.status == ProgressReview.Status.DRAFT


def test_submitting_fixes_the_content_with_an_otj_snapshot_and_a_fingerprint(world, cast, monkeypatch):
    review = submitted_review(world.enrolment, cast.tutor, held_on=HELD, safeguarding_concern="Private.")

    assert review.status == ProgressReview.Status.AWAITING
    assert review.content_hash == canonical_hash(review.content)
    assert review.content["otj"]["required_hours"] is not None
    assert review.content["otj"]["on"] == HELD.isoformat()
    assert review.content["actions"][0]["owner"] == "apprentice"
    assert review.content["ksb_ratings"][0]["rating"] == "developing"
    assert "Private." not in str(review.content)  # the safeguarding concern is never in the signed content
    assert "not off-the-job training" in review.content["time_note"]


def test_behind_on_otj_needs_a_re_plan_before_submitting(world, cast, monkeypatch):
    from tutors import selectors

    real = selectors.otj_snapshot
    monkeypatch.setattr(
        selectors,
        "otj_snapshot",
        lambda e, on=None: real(e, on=on) | {"status": "behind", "status_label": "Behind"},
    )
    review = services.review_save_draft(
        enrolment=world.enrolment,
        by=cast.tutor,
        values=complete_fields(world.enrolment, held_on=HELD, otj_replan=""),
    )
    with pytest.raises(DomainError, match="re-plan"):
        services.review_submit(review=review, by=cast.tutor)

    values = complete_fields(world.enrolment, held_on=HELD, otj_replan="Two extra study afternoons a month.")
    services.review_save_draft(enrolment=world.enrolment, by=cast.tutor, values=values)
    assert services.review_submit(review=review, by=cast.tutor).content["otj"]["status"] == "behind"


def test_a_review_is_complete_only_when_all_three_have_signed(world, cast):
    review = submitted_review(world.enrolment, cast.tutor, held_on=HELD)

    for user, outstanding in ((cast.tutor, 2), (cast.apprentice, 1)):
        sign_as(review, user)
        review.refresh_from_db()
        assert review.status == ProgressReview.Status.AWAITING
        assert len(services.outstanding_roles(review)) == outstanding
    signature = sign_as(review, cast.line_manager, ip_address="192.0.2.1", user_agent="Firefox")
    review.refresh_from_db()

    assert review.status == ProgressReview.Status.SIGNED
    assert review.is_complete
    assert signature.role == "employer" and signature.content_hash == review.content_hash
    assert set(review.signatures.values_list("role", flat=True)) == {"apprentice", "employer", "provider"}


@pytest.mark.parametrize("who", ["director", "module_lead", "assessor", "admin", "other_apprentice"])
def test_only_the_three_parties_sign(world, cast, who):
    review = submitted_review(world.enrolment, cast.tutor, held_on=HELD)

    with pytest.raises(ActionNotAllowed):
        sign_as(review, getattr(cast, who))


def test_nobody_signs_twice_or_a_draft(world, cast):
    review = services.review_save_draft(
        enrolment=world.enrolment, by=cast.tutor, values=complete_fields(world.enrolment, held_on=HELD)
    )
    with pytest.raises(ConflictError, match="not been submitted"):
        sign_as(review, cast.apprentice)
    review = services.review_submit(review=review, by=cast.tutor)
    sign_as(review, cast.apprentice)
    with pytest.raises(ConflictError, match="already signed"):
        sign_as(review, cast.apprentice)


def test_a_signed_review_is_immutable(world, cast):
    review = signed_review(world.enrolment, cast, held_on=HELD)

    with pytest.raises(ConflictError):
        sign_as(review, cast.apprentice)
    # A new draft is a new review: the signed one is untouched.
    draft = services.review_save_draft(
        enrolment=world.enrolment,
        by=cast.tutor,
        values=complete_fields(world.enrolment, held_on=TODAY, progress="Later."),
    )
    assert draft.pk != review.pk and draft.number == 2
    review.refresh_from_db()
    assert review.content["progress"] != "Later." and review.computed_hash() == review.content_hash


def test_an_awaiting_review_cannot_be_edited(world, cast):
    submitted_review(world.enrolment, cast.tutor, held_on=HELD)

    with pytest.raises(ConflictError, match="awaiting signatures"):
        services.review_save_draft(
            enrolment=world.enrolment, by=cast.tutor, values=complete_fields(world.enrolment, held_on=HELD)
        )


def test_declining_returns_the_review_to_the_tutor_and_everyone_signs_the_correction(world, cast):
    review = submitted_review(world.enrolment, cast.tutor, held_on=HELD)
    sign_as(review, cast.tutor)
    with pytest.raises(DomainError, match="what needs to change"):
        services.review_decline(review=review, by=cast.line_manager, comment="  ")

    decline = services.review_decline(
        review=review, by=cast.line_manager, comment="Action 1 is mine, not hers."
    )

    review.refresh_from_db()
    assert review.status == ProgressReview.Status.DRAFT
    assert review.returned_at is not None
    assert decline.role == "employer"
    values = complete_fields(world.enrolment, held_on=HELD)
    values.actions = [
        services.ActionInput("Book the stakeholder workshop.", "line_manager", HELD + timedelta(days=20))
    ]
    services.review_save_draft(enrolment=world.enrolment, by=cast.tutor, values=values)
    review = services.review_submit(review=review, by=cast.tutor)
    assert services.outstanding_roles(review) == [
        "apprentice",
        "employer",
        "provider",
    ]  # the tutor signs again, on version 2 of the review
    assert ReviewSignature.objects.filter(review=review).count() == 1  # the earlier signature is kept
    assert ReviewDocument(review).version == 2


def test_the_tutor_cannot_decline_their_own_review(world, cast):
    review = submitted_review(world.enrolment, cast.tutor, held_on=HELD)

    with pytest.raises(ActionNotAllowed):
        services.review_decline(review=review, by=cast.tutor, comment="No")


def test_corrections_to_a_signed_review_are_an_addendum_signed_again(world, cast):
    review = signed_review(world.enrolment, cast, held_on=HELD)
    original = dict(review.content)

    addendum = services.review_add_addendum(
        review=review, by=cast.tutor, text="The action's due date is 20 February."
    )
    assert services.outstanding_roles(review, addendum) == ["apprentice", "employer", "provider"]
    with pytest.raises(ConflictError, match="still awaiting"):
        services.review_add_addendum(review=review, by=cast.tutor, text="Another")
    for user in (cast.apprentice, cast.line_manager, cast.tutor):
        sign_as(review, user, addendum=addendum)

    addendum.refresh_from_db()
    review.refresh_from_db()
    assert addendum.status == "signed"
    assert review.content == original and review.status == ProgressReview.Status.SIGNED
    assert review.signatures.filter(addendum=addendum).count() == 3


def test_only_a_signed_review_takes_an_addendum(world, cast):
    review = submitted_review(world.enrolment, cast.tutor, held_on=HELD)

    with pytest.raises(ConflictError):
        services.review_add_addendum(review=review, by=cast.tutor, text="Fix")


def test_actions_from_the_last_review_are_checked_off_at_the_next(world, cast, clock):
    first = signed_review(world.enrolment, cast, held_on=HELD)
    action = first.actions.get()
    assert action.is_open

    clock.move_to(datetime(2026, 3, 20, 10, 0, tzinfo=UTC))
    values = complete_fields(world.enrolment, held_on=date(2026, 3, 19))
    values.previous_actions_done = {action.pk: date(2026, 3, 19)}
    second = services.review_save_draft(enrolment=world.enrolment, by=cast.tutor, values=values)
    second = services.review_submit(review=second, by=cast.tutor)

    action.refresh_from_db()
    assert action.done_on == date(2026, 3, 19) and action.checked_at_review == second
    assert second.content["previous_actions"][0]["done_on"] == "2026-03-19"
    assert ReviewAction.objects.filter(done_on__isnull=True).count() == 1  # the new review's own action


def test_reviews_are_not_held_for_enrolments_that_are_not_in_learning(world, cast):
    world.enrolment.status = "pending"
    world.enrolment.save()

    with pytest.raises(DomainError, match="in learning"):
        services.review_save_draft(
            enrolment=world.enrolment, by=cast.tutor, values=complete_fields(world.enrolment, held_on=HELD)
        )
