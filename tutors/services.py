"""Progress reviews: schedule, record (draft), submit, sign or decline, correct with an addendum.

Every state change is one function here; pages, the API, tasks and the demo loader call them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from core.errors import ActionNotAllowed, ConflictError, DomainError
from core.signatures import services as signing
from core.signatures.services import Origin, Proof, canonical_hash
from programmes import access
from programmes.models import KSB, Enrolment
from tutors.models import (
    ProgressReview,
    ReviewAction,
    ReviewAddendum,
    ReviewDecline,
    ReviewKSBRating,
    ReviewSignature,
)
from tutors.signing import ROLE_ORDER, ReviewDocument, role_from_input

Status = ProgressReview.Status
Role = ReviewSignature.Role
ROLE_WORDS = {Role.APPRENTICE: "apprentice", Role.EMPLOYER: "line manager", Role.PROVIDER: "practice tutor"}
REVIEWABLE_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.BREAK_IN_LEARNING)
TEXT_FIELDS = (
    "training_since",
    "otj_replan",
    "progress",
    "modules",
    "support_needs",
    "wellbeing",
    "circumstances",
    "safeguarding_concern",
)
MAX_DURATION = 8 * 60


@dataclass
class ActionInput:
    description: str
    owner: str
    due_on: date


@dataclass
class RatingInput:
    ksb_id: int
    rating: str
    comment: str = ""


@dataclass
class ReviewFields:
    """What the tutor writes in a review; the OTJ snapshot and the parties are filled in from the records."""

    held_on: date | None = None
    training_since: str = ""
    otj_replan: str = ""
    progress: str = ""
    modules: str = ""
    support_needs: str = ""
    wellbeing: str = ""
    circumstances: str = ""
    safeguarding_concern: str = ""
    next_review_on: date | None = None
    ratings: list[RatingInput] = field(default_factory=list)
    actions: list[ActionInput] = field(default_factory=list)
    # Actions from earlier reviews: id → the day it was done (None: still open).
    previous_actions_done: dict[int, date | None] = field(default_factory=dict)


def _require_tutor(by: User, enrolment: Enrolment) -> None:
    if not access.can_record_review(by, enrolment):
        raise ActionNotAllowed("Only the apprentice's practice tutor schedules and records their reviews.")


def open_review(enrolment: Enrolment) -> ProgressReview | None:
    return enrolment.progress_reviews.filter(status__in=ProgressReview.OPEN_STATUSES).first()


def previous_open_actions(enrolment: Enrolment, *, before: ProgressReview | None = None):
    """Actions agreed at earlier submitted reviews that are still open (to be checked off at this one)."""
    actions = ReviewAction.objects.filter(review__enrolment=enrolment).exclude(review__status=Status.DRAFT)
    if before is not None and before.pk:
        actions = actions.exclude(review=before)
    return actions.filter(done_on__isnull=True).select_related("review").order_by("due_on", "pk")


def _new_review(enrolment: Enrolment, by: User) -> ProgressReview:
    if enrolment.status not in REVIEWABLE_STATUSES:
        raise DomainError(
            f"Reviews are held while the apprentice is in learning; this enrolment is "
            f"{enrolment.get_status_display().lower()}."
        )
    latest = enrolment.progress_reviews.aggregate(n=Max("number"))["n"] or 0
    return ProgressReview(enrolment=enrolment, number=latest + 1, created_by=by)


def _locked_enrolment(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().select_related("programme").get(pk=enrolment.pk)


@transaction.atomic
def review_schedule(
    *,
    enrolment: Enrolment,
    by: User,
    scheduled_for: datetime,
    duration_minutes: int = 60,
    location: str = "",
    video_link: str = "",
) -> ProgressReview:
    """Set (or move) the date, time and place of the next review; the apprentice and line manager get an invite."""
    enrolment = _locked_enrolment(enrolment)
    _require_tutor(by, enrolment)
    location, video_link = location.strip(), video_link.strip()
    if not location and not video_link:
        raise DomainError("Give a place to meet or a video link.", field="location")
    if scheduled_for <= timezone.now():
        raise DomainError("Choose a date and time in the future.", field="scheduled_for")
    if not 15 <= duration_minutes <= MAX_DURATION:
        raise DomainError("A review lasts between 15 minutes and 8 hours.", field="duration_minutes")
    review = open_review(enrolment)
    if review is not None and review.status != Status.DRAFT:
        raise ConflictError(
            f"Review {review.number} is awaiting signatures; schedule the next one once it is signed."
        )
    review = review or _new_review(enrolment, by)
    review.scheduled_for = scheduled_for
    review.duration_minutes = duration_minutes
    review.location = location
    review.video_link = video_link
    review.invite_sequence += 1
    review.save()
    from tutors.tasks import send_review_invitation

    review_id, sequence = review.pk, review.invite_sequence
    send_review_invitation.delay_on_commit(review_id, sequence)
    return review


def _validate_draft(enrolment: Enrolment, values: ReviewFields) -> ReviewFields:
    today = timezone.localdate()
    for name in TEXT_FIELDS:
        setattr(values, name, getattr(values, name).strip())
    if values.held_on and values.held_on > today:
        raise DomainError("A review cannot be recorded before it is held.", field="held_on")
    if values.held_on and values.held_on < enrolment.start_date:
        raise DomainError("The review date is before the learning start date.", field="held_on")
    if values.next_review_on and values.held_on and values.next_review_on <= values.held_on:
        raise DomainError("The next review must be after this one.", field="next_review_on")
    standard_ksbs = set(
        KSB.objects.filter(standard_id=enrolment.programme.standard_id).values_list("pk", flat=True)
    )
    seen = set()
    for rating in values.ratings:
        if rating.ksb_id not in standard_ksbs:
            raise DomainError("Rate only the KSBs of the apprentice's standard.", field="ratings")
        if rating.ksb_id in seen:
            raise DomainError("Rate each KSB once.", field="ratings")
        if rating.rating not in ReviewKSBRating.Rating.values:
            raise DomainError(f"'{rating.rating}' is not a rating.", field="ratings")
        seen.add(rating.ksb_id)
        rating.comment = rating.comment.strip()
    for action in values.actions:
        action.description = action.description.strip()
        if not action.description:
            raise DomainError("Describe each action: what, by whom and how you will know.", field="actions")
        if action.owner not in ReviewAction.Owner.values:
            raise DomainError(
                "Give each action an owner: apprentice, line manager or tutor.", field="actions"
            )
        if action.due_on is None:
            raise DomainError("Give each action a due date.", field="actions")
        if values.held_on and action.due_on <= values.held_on:
            raise DomainError("An action's due date must be after the review.", field="actions")
    for done_on in values.previous_actions_done.values():
        if done_on is not None and done_on > today:
            raise DomainError("An action cannot be done in the future.", field="previous_actions")
    return values


@transaction.atomic
def review_save_draft(*, enrolment: Enrolment, by: User, values: ReviewFields) -> ProgressReview:
    """Create or update the enrolment's draft review with what the tutor has written so far."""
    enrolment = _locked_enrolment(enrolment)
    _require_tutor(by, enrolment)
    review = open_review(enrolment)
    if review is not None and review.status != Status.DRAFT:
        raise ConflictError(f"Review {review.number} is awaiting signatures and can no longer be edited.")
    values = _validate_draft(enrolment, values)
    review = review or _new_review(enrolment, by)
    review.held_on = values.held_on
    review.next_review_on = values.next_review_on
    for name in TEXT_FIELDS:
        setattr(review, name, getattr(values, name))
    review.save()
    review.ratings.all().delete()
    ReviewKSBRating.objects.bulk_create(
        [
            ReviewKSBRating(review=review, ksb_id=r.ksb_id, rating=r.rating, comment=r.comment)
            for r in values.ratings
        ]
    )
    review.actions.all().delete()
    ReviewAction.objects.bulk_create(
        [
            ReviewAction(review=review, description=a.description, owner=a.owner, due_on=a.due_on)
            for a in values.actions
        ]
    )
    # The actions this review can tick off: those still open from earlier reviews, and those it ticked before.
    candidates = {a.pk: a for a in previous_open_actions(enrolment, before=review)}
    candidates |= {a.pk: a for a in ReviewAction.objects.filter(checked_at_review=review)}
    for pk, done_on in values.previous_actions_done.items():
        action = candidates.get(pk)
        if action is None:
            raise DomainError("That action is not open on this apprenticeship.", field="previous_actions")
        action.done_on = done_on
        action.checked_at_review = review if done_on else None
        action.save(update_fields=["done_on", "checked_at_review"])
    return review


def build_content(review: ProgressReview, otj: dict) -> dict:
    """The record the three parties sign: everything but the safeguarding concern."""
    enrolment = review.enrolment
    ratings = review.ratings.select_related("ksb").order_by("ksb__order", "ksb__code")
    checked = ReviewAction.objects.filter(checked_at_review=review).order_by("due_on", "pk")
    still_open = previous_open_actions(enrolment, before=review)

    def person(user: User) -> dict:
        return {"name": user.full_name, "email": user.email}

    return {
        "title": "Tripartite progress review",
        "number": review.number,
        "apprentice": person(enrolment.apprentice),
        "line_manager": person(enrolment.line_manager),
        "practice_tutor": person(enrolment.practice_tutor),
        "employer": enrolment.employer.name,
        "programme": enrolment.programme.name,
        "cohort": enrolment.cohort.name,
        "held_on": review.held_on.isoformat() if review.held_on else None,
        "previous_actions": [
            {
                "description": a.description,
                "owner": a.owner,
                "due_on": a.due_on.isoformat(),
                "done_on": a.done_on.isoformat() if a.done_on else None,
            }
            for a in [*checked, *still_open]
        ],
        "training_since": review.training_since,
        "otj": otj,
        "otj_replan": review.otj_replan,
        "progress": review.progress,
        "modules": review.modules,
        "ksb_ratings": [
            {"code": r.ksb.code, "statement": r.ksb.statement, "rating": r.rating, "comment": r.comment}
            for r in ratings
        ],
        "support_needs": review.support_needs,
        "wellbeing": review.wellbeing,
        "circumstances": review.circumstances,
        "actions": [
            {"description": a.description, "owner": a.owner, "due_on": a.due_on.isoformat()}
            for a in review.actions.order_by("due_on", "pk")
        ],
        "next_review_on": review.next_review_on.isoformat() if review.next_review_on else None,
        "time_note": "Time spent in progress reviews is not off-the-job training.",
    }


REQUIRED_TO_SUBMIT = {
    "held_on": "Enter the date the review was held.",
    "training_since": "Write what training the apprentice has done since the last review.",
    "progress": "Write the apprentice's progress against the plan and KSBs.",
    "next_review_on": "Agree the next review date.",
}


@transaction.atomic
def review_submit(*, review: ProgressReview, by: User) -> ProgressReview:
    """Fix the record (with its OTJ snapshot) and ask the three parties to sign it."""
    from tutors.selectors import otj_snapshot

    review = ProgressReview.objects.select_for_update().get(pk=review.pk)
    enrolment = Enrolment.objects.select_related(
        "programme__standard", "apprentice", "line_manager", "practice_tutor", "employer", "cohort"
    ).get(pk=review.enrolment_id)
    _require_tutor(by, enrolment)
    if review.status != Status.DRAFT:
        raise ConflictError(f"Review {review.number} has already been submitted.")
    for name, message in REQUIRED_TO_SUBMIT.items():
        if not getattr(review, name):
            raise DomainError(message, field=name)
    if not review.actions.exists():
        raise DomainError("Agree at least one SMART action with an owner and a due date.", field="actions")
    otj = otj_snapshot(enrolment, on=review.held_on)
    if otj.get("status") in ("behind", "at_risk") and not review.otj_replan:
        raise DomainError(
            f"Off-the-job training is {otj['status_label'].lower()}: write the re-plan agreed at the review.",
            field="otj_replan",
        )
    review.enrolment = enrolment
    review.content = build_content(review, otj)
    review.content_hash = canonical_hash(review.content)
    review.status = Status.AWAITING
    review.submitted_at = timezone.now()
    review.save()
    from tutors.tasks import send_review_signature_requests

    review_id = review.pk
    send_review_signature_requests.delay_on_commit(review_id)
    return review


def outstanding_roles(review: ProgressReview, addendum: ReviewAddendum | None = None) -> list[str]:
    """Roles that have not signed the current content (of the review, or of the addendum)."""
    if addendum is not None:
        if addendum.status == ReviewAddendum.Status.SIGNED:
            return []
        signed = {s.role for s in addendum.signatures.all()}
    else:
        if review.status != Status.AWAITING:
            return []
        signed = {
            s.role
            for s in review.signatures.all()
            if s.addendum_id is None and s.content_hash == review.content_hash
        }
    return [role for role in ROLE_ORDER if role not in signed]


def signer_for(enrolment: Enrolment, role: str) -> User:
    return {
        Role.APPRENTICE: enrolment.apprentice,
        Role.EMPLOYER: enrolment.line_manager,
        Role.PROVIDER: enrolment.practice_tutor,
    }[Role(role_from_input(role))]


def describe_outstanding(review: ProgressReview, addendum: ReviewAddendum | None = None) -> str:
    parts = [
        f"{ROLE_WORDS[Role(role)]} ({signer_for(review.enrolment, role).full_name})"
        for role in outstanding_roles(review, addendum)
    ]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


@transaction.atomic
def review_sign(
    *,
    review: ProgressReview,
    by: User,
    proof: Proof | None = None,
    full_name: str = "",
    password: str = "",
    code: str = "",
    role: str = "",
    addendum: ReviewAddendum | None = None,
    ip_address: str | None = None,
    user_agent: str = "",
) -> ReviewSignature:
    """Sign a review (or an addendum to it) for one of the signer's roles; all three make it complete.

    ``proof`` is what the signer read (version and content hash) and how they prove it is them; without it the
    other keywords make one that names no version, which is refused. The old role names (``line_manager``,
    ``tutor``) are accepted for ``employer`` and ``provider``."""
    proof = proof or Proof(None, "", full_name, password, code, role)
    return signing.sign(
        ReviewDocument(review, addendum),
        by=by,
        proof=replace(proof, role=role_from_input(proof.role)),
        origin=Origin(ip_address, user_agent),
    )


@transaction.atomic
def review_decline(*, review: ProgressReview, by: User, comment: str) -> ReviewDecline:
    """A signer declines, saying why: the review goes back to the tutor as a draft (its history is kept)."""
    review = ProgressReview.objects.select_for_update().select_related("enrolment").get(pk=review.pk)
    holds = [r for r in access.review_signing_roles(by, review.enrolment) if r != Role.PROVIDER]
    if not holds:
        raise ActionNotAllowed("Only the apprentice and their line manager can decline to sign a review.")
    if review.status != Status.AWAITING:
        raise ConflictError("Only a review awaiting signatures can be declined.")
    comment = comment.strip()
    if not comment:
        raise DomainError("Say what needs to change, so the tutor can correct the record.", field="comment")
    decline = ReviewDecline.objects.create(
        review=review, role=holds[0], declined_by=by, comment=comment, content_hash=review.content_hash
    )
    review.status = Status.DRAFT
    review.returned_at = decline.created_at
    review.content, review.content_hash, review.submitted_at = None, "", None
    review.save(update_fields=["status", "returned_at", "content", "content_hash", "submitted_at"])
    from tutors.tasks import send_review_declined

    decline_id = decline.pk
    send_review_declined.delay_on_commit(decline_id)
    return decline


@transaction.atomic
def review_add_addendum(*, review: ProgressReview, by: User, text: str) -> ReviewAddendum:
    """Correct a signed review: the addendum is kept beside it and signed again by all three."""
    review = ProgressReview.objects.select_for_update().select_related("enrolment").get(pk=review.pk)
    _require_tutor(by, review.enrolment)
    if review.status != Status.SIGNED:
        raise ConflictError("Only a signed review takes an addendum; edit the draft instead.")
    text = text.strip()
    if not text:
        raise DomainError("Write the correction.", field="text")
    if review.addenda.filter(status=ReviewAddendum.Status.AWAITING).exists():
        raise ConflictError("An earlier addendum is still awaiting signatures.")
    number = (review.addenda.aggregate(n=Max("number"))["n"] or 0) + 1
    addendum = ReviewAddendum(review=review, number=number, text=text, created_by=by)
    addendum.content_hash = canonical_hash(addendum.content())
    addendum.save()
    from tutors.tasks import send_review_signature_requests

    review_id, addendum_id = review.pk, addendum.pk
    send_review_signature_requests.delay_on_commit(review_id, addendum_id)
    return addendum


def pending_addendum(review: ProgressReview) -> ReviewAddendum | None:
    return review.addenda.filter(status=ReviewAddendum.Status.AWAITING).first()


def integrity_problems(review: ProgressReview) -> list[str]:
    """Why a submitted review can no longer be trusted: its content or a signature does not match the hash."""
    if review.status == Status.DRAFT:
        return []
    problems = []
    if review.computed_hash() != review.content_hash:
        problems.append(
            f"Review {review.number}'s stored content no longer matches the fingerprint it was signed with."
        )
    return problems


def reminder_week(submitted_at: datetime, now: datetime) -> int:
    """Which week since submission it is (signers are reminded once a week while they have not signed)."""
    return max(0, (now - submitted_at) // timedelta(days=7))
